/* global process, console */
// Writes the settings of a review stack (review-stack.yml): Pulumi.<review>.yaml from Pulumi.<from>.yaml, in the
// smallest shape that still runs the pull request's program as <from> would:
//   natGateways single          one NAT gateway (dev's already)
//   desiredCount 1, maxSize 1   one task on at most one host (hosts start from zero and follow the tasks)
//   autoscaling false           no scaling beyond that task
//   deletionProtection false    nothing carries Pulumi's protect, so `pulumi destroy` on close can delete it all
//   domainName, hostedZoneId, certificateArn, alarmEmail, alarmTopicArn emptied: the review stack answers on its
//   load balancer's own URL, and never writes <from>'s DNS records nor pages <from>'s people.
// Every other key (region, instance type, AZs, strategy, services, ...) is <from>'s. The offline plan that runs
// next (npm run plan -- <review> --up) checks the result like any stack's.
// The name must be pr-<number> (a pull request's number): it can never be dev, staging or prod, nor any committed
// stack (exit 2 otherwise).
// Usage (from the repository root): node .ci/review-stack-settings.mjs <from> <review>
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import yaml from "js-yaml";

export const REVIEW_STACK = /^pr-[1-9][0-9]{0,9}$/;

export const OVERRIDES = {
  natGateways: "single",
  desiredCount: "1",
  maxSize: "1",
  autoscaling: "false",
  deletionProtection: "false",
  domainName: "",
  hostedZoneId: "",
  certificateArn: "",
  alarmEmail: "",
  alarmTopicArn: "",
};

/** The review stack's settings file as text, from the base stack's. */
export function reviewSettings(baseText, project, from, review) {
  const doc = yaml.load(baseText) ?? {};
  const config = { ...(doc.config ?? {}) };
  for (const [key, value] of Object.entries(OVERRIDES)) config[`${project}:${key}`] = value;
  const header = `# The review stack ${review}: ${from}'s settings (Pulumi.${from}.yaml) in the smallest shape, written by\n` +
    `# .ci/review-stack-settings.mjs in the job. Never committed.\n`;
  return header + yaml.dump({ ...doc, config }, { lineWidth: -1 });
}

if (process.argv[1] && process.argv[1].endsWith("review-stack-settings.mjs")) {
  const [from, review] = process.argv.slice(2);
  const fail = (message) => { console.error(`review-stack-settings: ${message}`); process.exit(2); };
  if (!from || !review) fail("usage: node .ci/review-stack-settings.mjs <from> <review>");
  if (!REVIEW_STACK.test(review)) fail(`${review} is not a review stack name (pr-<pull request number>)`);
  if (!existsSync(`Pulumi.${from}.yaml`)) fail(`no Pulumi.${from}.yaml`);
  if (existsSync(`Pulumi.${review}.yaml`)) fail(`Pulumi.${review}.yaml exists: a committed stack is never a review stack`);
  const project = yaml.load(readFileSync("Pulumi.yaml", "utf8")).name;
  writeFileSync(`Pulumi.${review}.yaml`, reviewSettings(readFileSync(`Pulumi.${from}.yaml`, "utf8"), project, from, review));
  console.log(`review-stack-settings: wrote Pulumi.${review}.yaml from Pulumi.${from}.yaml`);
}
