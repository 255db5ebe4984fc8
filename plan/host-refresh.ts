/**
 * What replacing every host takes, on paper, from the validated config: a new image (a bumped hostImage), new user
 * data or another instance type is a new launch template version, which each group's instance refresh rolls out
 * (components/host-pool.ts): replacements launch first, up to 200 % of the group (one batch), and each old host
 * terminates once ECS's managed draining has moved its tasks to the new hosts. The plan shows it, and the host-image
 * workflow's pull request quotes it for each stack a bump refreshes.
 */
import type { StackConfig } from "../config";
import { HOST_WARMUP_SECONDS } from "../lib/instance-types";
import { hostSplit } from "./cost";

/** A host's launch, boot and registration with the cluster: an assumption, not an AWS figure. */
export const HOST_BOOT_SECONDS = 180;

export interface HostRefresh {
  /** Hosts replaced at the planned task counts, and at the autoscaling maximum (on-demand and Spot); the warm pool's too. */
  hosts: { planned: number; atMaximum: number; warm: number };
  /** The slowest service's task replacement on a new host: healthy behind its target group, then the old task's drain and stop. */
  taskSeconds: number;
  /** The whole refresh, one batch: boot, warm-up, then the tasks' moves, rounded up to minutes. */
  minutes: number;
}

export function hostRefresh(c: StackConfig): HostRefresh {
  const count = (at: "kept" | "peak") => {
    const split = hostSplit(c, at);
    return split.onDemand + split.spot;
  };
  const taskSeconds = Math.max(0, ...c.services.map((s) => (s.route.kind === "worker" ? 0 : s.healthCheck.healthyThreshold * s.healthCheck.intervalSeconds + s.deregistrationDelaySeconds) + s.stopTimeoutSeconds));
  return {
    hosts: { planned: count("kept"), atMaximum: count("peak"), warm: c.warmPool },
    taskSeconds,
    minutes: Math.ceil((HOST_BOOT_SECONDS + HOST_WARMUP_SECONDS + taskSeconds) / 60),
  };
}

/** The plan's line: which hosts, how, how long. */
export function describeHostRefresh(r: HostRefresh): string {
  const hosts = `${r.hosts.planned} host${r.hosts.planned === 1 ? "" : "s"} at the planned task counts (up to ${r.hosts.atMaximum})${r.hosts.warm > 0 ? ` and the ${r.hosts.warm} in the warm pool` : ""}`;
  return `a new image, user data or instance type replaces ${hosts} by instance refresh: replacements launch first (100..200 % healthy, one batch), `
    + `ECS managed draining moves each old host's tasks before it terminates; about ${r.minutes} min on paper (${HOST_BOOT_SECONDS / 60} min to launch and register, assumed; `
    + `${HOST_WARMUP_SECONDS} s warm-up; ${r.taskSeconds} s for the slowest service's task to turn healthy on a new host and the old one to drain and stop)`;
}
