/* global process, console */
// Writes the settings of a review stack (review-stack.yml): Pulumi.<review>.yaml from Pulumi.<from>.yaml, in the
// smallest shape that still runs the pull request's program as <from> would:
//   desiredCount 1, maxSize 1   one task on at most one host (hosts start from zero and follow the tasks)
//   autoscaling false           no scaling beyond that task
//   deletionProtection false    nothing carries Pulumi's protect, so `pulumi destroy` on close can delete it all
//   domainName, hostedZoneId, certificateArn, alarmEmail, alarmTopicArn emptied: the review stack answers on its
//   load balancer's own URL, and never writes <from>'s DNS records nor pages <from>'s people.
// With NETWORK (a deploy: <from>'s stack outputs vpcId, publicSubnetIds and privateSubnetIds as JSON), the review
// stack goes into <from>'s network, the existing-VPC path (docs/existing-vpc.md): vpcId, publicSubnetIds
// and privateSubnetIds set, the keys of a created network (vpcCidr, availabilityZones, availabilityZoneNames,
// natGateways, flowLogs) removed, so it creates no VPC, NAT gateway or Elastic IP. Its pack config,
// policy-pack/config/<review>.json, is <from>'s with those subnets listed for ecs-tasks-private-subnets and
// container-hosts-private (the pack cannot see subnets the stack does not hold). Without NETWORK (a destroy,
// which runs no program) only the stack file is written.
// Every other key (region, instance type, strategy, services, ...) is <from>'s. The offline plan that runs next
// (npm run plan -- <review> --up) checks the result like any stack's.
// The name must be pr-<number> (a pull request's number): it can never be a committed stack (exit 2 otherwise).
// Usage (from the repository root):
//   [NETWORK='{"vpcId":...}'] node .ci/review-stack-settings.mjs <from> <review>
//   pulumi stack output --json | node .ci/review-stack-settings.mjs --network   prints NETWORK from the outputs
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import yaml from "js-yaml";

export const REVIEW_STACK = /^pr-[1-9][0-9]{0,9}$/;

export const OVERRIDES = {
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

/** The keys of the network the program creates: refused with an existing VPC (config/network.ts). */
export const CREATED_NETWORK_KEYS = ["vpcCidr", "availabilityZones", "availabilityZoneNames", "natGateways", "flowLogs"];
/** The pack's policies that judge placement in subnets the stack does not hold (policy-pack/policies/network.ts). */
export const PLACEMENT_POLICIES = ["ecs-tasks-private-subnets", "container-hosts-private"];

/** The network of a stack's outputs (`pulumi stack output --json`): { vpcId, publicSubnetIds, privateSubnetIds }. */
export function networkOf(outputs) {
  const { vpcId, publicSubnetIds, privateSubnetIds } = outputs ?? {};
  const ids = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && x !== "");
  if (typeof vpcId !== "string" || !vpcId || !ids(publicSubnetIds) || !ids(privateSubnetIds)) {
    throw new Error("the stack outputs no vpcId, publicSubnetIds and privateSubnetIds (is it deployed?)");
  }
  return { vpcId, publicSubnetIds, privateSubnetIds };
}

/** The review stack's settings file as text, from the base stack's (and, for a deploy, the network it goes into). */
export function reviewSettings(baseText, project, from, review, network) {
  const doc = yaml.load(baseText) ?? {};
  const config = { ...(doc.config ?? {}) };
  for (const [key, value] of Object.entries(OVERRIDES)) config[`${project}:${key}`] = value;
  if (network) {
    for (const key of CREATED_NETWORK_KEYS) delete config[`${project}:${key}`];
    for (const [key, value] of Object.entries(network)) config[`${project}:${key}`] = value;
  }
  const header = `# The review stack ${review}: ${from}'s settings (Pulumi.${from}.yaml) in the smallest shape${network ? `, in ${from}'s network` : ""}, written by\n` +
    `# .ci/review-stack-settings.mjs in the job. Never committed.\n`;
  return header + yaml.dump({ ...doc, config }, { lineWidth: -1 });
}

/** The review stack's pack config: the base's, with the network's subnets known to the placement policies. */
export function reviewPackConfig(base, network) {
  const config = { ...base };
  for (const name of PLACEMENT_POLICIES) {
    const current = config[name];
    const settings = typeof current === "string" ? { enforcementLevel: current } : { ...(current ?? {}) };
    config[name] = { ...settings, externalPrivateSubnetIds: network.privateSubnetIds, externalPublicSubnetIds: network.publicSubnetIds };
  }
  return config;
}

if (process.argv[1] && process.argv[1].endsWith("review-stack-settings.mjs")) {
  const fail = (message) => { console.error(`review-stack-settings: ${message}`); process.exit(2); };
  if (process.argv[2] === "--network") {
    try {
      console.log(JSON.stringify(networkOf(JSON.parse(readFileSync(0, "utf8")))));
    } catch (err) { fail(err.message); }
  } else {
    const [from, review] = process.argv.slice(2);
    if (!from || !review) fail("usage: [NETWORK=<json>] node .ci/review-stack-settings.mjs <from> <review>");
    if (!REVIEW_STACK.test(review)) fail(`${review} is not a review stack name (pr-<pull request number>)`);
    if (!existsSync(`Pulumi.${from}.yaml`)) fail(`no Pulumi.${from}.yaml`);
    if (existsSync(`Pulumi.${review}.yaml`)) fail(`Pulumi.${review}.yaml exists: a committed stack is never a review stack`);
    let network;
    try { network = process.env.NETWORK ? networkOf(JSON.parse(process.env.NETWORK)) : undefined; } catch (err) { fail(`NETWORK: ${err.message}`); }
    const project = yaml.load(readFileSync("Pulumi.yaml", "utf8")).name;
    writeFileSync(`Pulumi.${review}.yaml`, reviewSettings(readFileSync(`Pulumi.${from}.yaml`, "utf8"), project, from, review, network));
    if (network) {
      const base = JSON.parse(readFileSync(`policy-pack/config/${from}.json`, "utf8"));
      writeFileSync(`policy-pack/config/${review}.json`, `${JSON.stringify(reviewPackConfig(base, network), null, 2)}\n`);
    }
    console.log(`review-stack-settings: wrote Pulumi.${review}.yaml${network ? ` and policy-pack/config/${review}.json (in ${network.vpcId})` : ""} from ${from}'s`);
  }
}
