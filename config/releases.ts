/** Releases and scaling: how a service's deployments go out and how long they take, and its autoscaling bounds. */
import { didYouMean } from "../lib/suggest";
import { ConfigReader } from "./reader";
import { STRATEGIES, type Autoscaling, type Deployment, type Strategy } from "./types";

/**
 * Minutes `pulumi up` gives a service's deployment besides the release itself: hosts starting from zero
 * (the capacity provider scales out, instances boot and join), image pulls and health checks. The
 * provider waits for the whole deployment, bake included (aws_ecs_service waits for the deployment to
 * finish, terraform-provider-aws PR #43434), so the service's update timeout is this plus the release.
 */
export const DEPLOYMENT_SETTLE_MINUTES = 30;

/**
 * The longest release the program accepts, in minutes (traffic shifts, bake, drain): with the settle time,
 * the update timeout stays within 330 minutes, so a deploy job (setup and the pack-gated preview
 * included) ends before a GitHub-hosted job's 6-hour limit.
 */
export const MAX_RELEASE_MINUTES = 300;

/**
 * Minutes a release takes once its new tasks are healthy, at most: each traffic shift's wait (canary: one;
 * linear: one per step, ceil(100 / step)), the bake, and the old tasks' drain (deregistration delay, then
 * the stop timeout). Rolling: the drain only.
 */
export function releaseMinutes(d: Deployment, drainSeconds: number): number {
  const drain = Math.ceil(drainSeconds / 60);
  switch (d.strategy) {
    case "rolling": return drain;
    case "blueGreen": return d.bakeTimeMinutes + drain;
    case "canary": return d.shiftIntervalMinutes + d.bakeTimeMinutes + drain;
    case "linear": return Math.ceil(100 / d.linearStepPercent) * d.shiftIntervalMinutes + d.bakeTimeMinutes + drain;
  }
}

/** Tasks during a deployment, in percent of the count: blue/green, canary and linear start a full second set. */
export function deploymentPeakPercent(d: Deployment): number {
  return d.strategy === "rolling" ? d.maximumPercent : 200;
}

/**
 * A service with a queue but no autoscaling settings scales on its backlog from desiredCount to twice it
 * (at least one task), as AWS CDK's QueueProcessingEc2Service does by default.
 */
export const queueScalingBounds = (desiredCount: number): Pick<Autoscaling, "minCount" | "maxCount"> => ({ minCount: desiredCount, maxCount: Math.max(1, 2 * desiredCount) });

/** The default service's autoscaling, from the flat autoscaling* keys (with a queue, always: see queueScalingBounds). */
export function flatAutoscaling(r: ConfigReader, desiredCount: number, queue = false): Autoscaling | undefined {
  const MAX = Number.MAX_SAFE_INTEGER;
  const on = r.bool("autoscaling");
  const minCount = r.int("autoscalingMinCount", 1, MAX, "an integer >= 1 (the default service is routed: only a worker with a queue sleeps at 0)");
  const maxCount = r.int("autoscalingMaxCount", 1, MAX, "an integer >= 1");
  const cpuTarget = r.int("autoscalingCpuTarget", 10, 90, "an integer from 10 to 90 (percent)");
  const requestsPerTarget = r.int("autoscalingRequestsPerTarget", 1, MAX, "an integer >= 1 (requests per task per minute)");
  if (!on && queue) {
    if (desiredCount === 0) r.bad("desiredCount", "at least 1 for the default service with a queue: it scales on its backlog from desiredCount, and a routed service never sleeps at 0");
    return { ...queueScalingBounds(desiredCount), cpuTarget, requestsPerTarget };
  }
  if (!on) return undefined;
  if (minCount > maxCount) r.bad("autoscalingMinCount", `at most autoscalingMaxCount (${maxCount})`);
  if (desiredCount < minCount || desiredCount > maxCount) r.bad("desiredCount", `with autoscaling on, from autoscalingMinCount (${minCount}) to autoscalingMaxCount (${maxCount})`);
  return { minCount, maxCount, cpuTarget, requestsPerTarget };
}

/**
 * A services entry's autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}, or absent; with a queue,
 * always (see queueScalingBounds). A worker with a queue may sleep at minCount 0: it wakes on a message.
 */
export function entryAutoscaling(r: ConfigReader, desiredCount: number, routed: boolean, queue = false): Autoscaling | undefined {
  const defaults = { cpuTarget: 60, requestsPerTarget: 1000 };
  if (!r.has("autoscaling") && queue) {
    if (routed && desiredCount === 0) r.bad("desiredCount", "at least 1 for a routed service with a queue: it scales on its backlog from desiredCount, and only a worker sleeps at 0");
    return { ...queueScalingBounds(desiredCount), ...defaults };
  }
  if (!r.has("autoscaling")) return undefined;
  const spec = r.map("autoscaling", "autoscaling settings");
  const a = r.nested(spec, { minCount: 1, maxCount: Math.max(1, desiredCount), ...defaults }, r.label("autoscaling"));
  a.unknownKeys(routed ? ["minCount", "maxCount", "cpuTarget", "requestsPerTarget"] : ["minCount", "maxCount", "cpuTarget"], didYouMean);
  const MAX = Number.MAX_SAFE_INTEGER;
  const sleeps = queue && !routed;
  const minCount = a.int("minCount", sleeps ? 0 : 1, MAX, sleeps ? "an integer >= 0 (0: the worker sleeps while its queue is empty)" : "an integer >= 1 (0 only for a worker with a queue: it wakes on a message)");
  const maxCount = a.int("maxCount", 1, MAX, "an integer >= 1");
  const cpuTarget = a.int("cpuTarget", 10, 90, "an integer from 10 to 90 (percent)");
  const requestsPerTarget = a.int("requestsPerTarget", 1, MAX, "an integer >= 1 (requests per task per minute)");
  if (minCount > maxCount) a.bad("minCount", `at most maxCount (${maxCount})`);
  if (desiredCount < minCount || desiredCount > maxCount) r.bad("desiredCount", `with autoscaling, from autoscaling.minCount (${minCount}) to autoscaling.maxCount (${maxCount})`);
  return { minCount, maxCount, cpuTarget, requestsPerTarget };
}

/**
 * A service's release: the rolling percentages, or blue/green, canary or linear with their times. A
 * release `pulumi up` could not wait for (over MAX_RELEASE_MINUTES) is refused.
 */
export function parseDeployment(r: ConfigReader, routed: boolean, drainSeconds: number): Deployment {
  const minimumHealthyPercent = r.int("deploymentMinimumHealthyPercent", 0, 100, "an integer from 0 to 100 (percent)");
  const maximumPercent = r.int("deploymentMaximumPercent", 100, 200, "an integer from 100 to 200 (percent)");
  if (minimumHealthyPercent === 100 && maximumPercent === 100) {
    r.bad("deploymentMaximumPercent", "above 100 when deploymentMinimumHealthyPercent is 100: otherwise ECS can neither start a new task nor stop an old one, and no deployment progresses");
  }
  const strategy = r.str("deploymentStrategy") as Strategy;
  if (!STRATEGIES.includes(strategy)) r.bad("deploymentStrategy", `one of ${STRATEGIES.join(", ")}${didYouMean(strategy, STRATEGIES)}`);
  else if (!routed && strategy !== "rolling") r.bad("deploymentStrategy", "rolling for a worker: blue/green, canary and linear move load balancer traffic, and a worker has none");
  const deployment: Deployment = {
    strategy: STRATEGIES.includes(strategy) ? strategy : "rolling",
    minimumHealthyPercent,
    maximumPercent,
    bakeTimeMinutes: r.int("bakeTimeMinutes", 0, 1440, "an integer from 0 to 1440 (minutes)"),
    canaryPercent: r.int("canaryPercent", 1, 100, "an integer from 1 to 100 (percent)"),
    linearStepPercent: r.int("linearStepPercent", 3, 100, "an integer from 3 to 100 (percent; ECS's least step is 3)"),
    shiftIntervalMinutes: r.int("shiftIntervalMinutes", 0, 1440, "an integer from 0 to 1440 (minutes)"),
  };
  const release = releaseMinutes(deployment, drainSeconds);
  if (release > MAX_RELEASE_MINUTES) {
    const keys = { rolling: "deregistrationDelaySeconds", blueGreen: "bakeTimeMinutes", canary: "shiftIntervalMinutes", linear: "shiftIntervalMinutes" }[deployment.strategy];
    r.bad(keys, `a release that ends within ${MAX_RELEASE_MINUTES} minutes: this ${deployment.strategy} release takes ${release} minutes (traffic shifts, bakeTimeMinutes ${deployment.bakeTimeMinutes}, drain ${drainSeconds} s), and \`pulumi up\` waits for all of it; shorten shiftIntervalMinutes or bakeTimeMinutes${deployment.strategy === "linear" ? ", or raise linearStepPercent" : ""}`);
  }
  return deployment;
}
