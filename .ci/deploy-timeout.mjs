#!/usr/bin/env node
/* global process, console */
/**
 * Refuses a deploy whose job would time out inside `pulumi up`: the AWS provider waits for every ECS
 * deployment to finish, bake included (terraform-provider-aws PR #43434), and each service's update timeout
 * (its `customTimeouts`, 30 minutes plus its longest release) says how long. The job also installs, plans and
 * previews before `up` starts: MARGIN minutes for that.
 * Usage: npm run -s plan -- <stack> --up --json | TIMEOUT_MINUTES=<job's timeout> node .ci/deploy-timeout.mjs
 */
import fs from "node:fs";

export const MARGIN = 20;

/** Minutes of a Pulumi custom timeout ("91m", "2h", "1h30m"); 0 when unset. */
export function minutes(timeout) {
  if (!timeout) return 0;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(timeout);
  if (!m) throw new Error(`a custom timeout this check cannot read: ${timeout}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
}

/** The longest update timeout of the plan's ECS services: { name, minutes }, or undefined without any. */
export function longestRelease(plan) {
  return (plan.resources ?? [])
    .filter((r) => r.type === "aws:ecs/service:Service")
    .map((r) => ({ name: r.properties?.name ?? r.name, minutes: minutes(r.options?.customTimeouts?.update) }))
    .sort((a, b) => b.minutes - a.minutes)[0];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const job = Number(process.env.TIMEOUT_MINUTES);
  const plan = JSON.parse(fs.readFileSync(process.argv[2] ?? 0, "utf8"));
  const longest = longestRelease(plan);
  if (!Number.isFinite(job) || job <= 0) {
    console.error("deploy-timeout: TIMEOUT_MINUTES (the job's timeout-minutes) is not set");
    process.exit(2);
  }
  if (longest && longest.minutes + MARGIN > job) {
    console.log(`::error title=timeout-minutes::service ${longest.name} may keep \`pulumi up\` waiting ${longest.minutes} minutes (its release, bake and drain), and the job has ${job}: give the stage timeout-minutes of at least ${Math.ceil(longest.minutes + MARGIN)} (deploy.yml; the deploy role's MaxSessionDuration must allow that many minutes), or shorten the release`);
    process.exit(1);
  }
  console.log(`deploy-timeout: ${longest ? `the longest release (${longest.name}) may take ${longest.minutes} minutes of up` : "no ECS service"}; the job has ${job} (${MARGIN} for the steps before up)`);
}
