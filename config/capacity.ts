/**
 * Capacity and placement: what the hosts (on-demand and Spot) offer, what the services ask of them, and
 * whether every service's tasks can ever be placed on maxSize hosts.
 */
import { INSTANCE_TYPES, InstanceTypeInfo, schedulable } from "../lib/instance-types";
import { didYouMean } from "../lib/suggest";
import { ConfigReader } from "./reader";
import { NAMESPACE } from "./schema";
import { TASK_SPREADS, type ClusterCapacity, type ServiceSpec, type StackConfig, type TaskSpread } from "./types";

/**
 * The on-demand group's warm pool: stopped, pre-initialized hosts that enter service when the group grows. A warm
 * host enters service only while the group is below maxSize, and the group keeps minHosts running whatever the tasks
 * need (taskSpread), so at most maxSize - minHosts of them can ever serve. AWS sets no maximum of its own
 * (PutWarmPool MinSize: 0 or more).
 */
export function parseWarmPool(r: ConfigReader, maxSize: number, taskSpread: TaskSpread, minHosts: number): number {
  const n = r.int("hostWarmPool", 0, Number.MAX_SAFE_INTEGER, "an integer >= 0 (stopped hosts; 0: no warm pool)");
  const most = Math.max(0, maxSize - minHosts);
  if (n <= most) return n;
  r.bad("hostWarmPool", `an integer from 0 to ${most}: a warm host enters service only while the group is below maxSize (${maxSize})`
    + `${minHosts > 0 ? `, and taskSpread ${taskSpread} keeps ${minHosts} hosts running (one per AZ)` : ""}; lower it or raise maxSize`);
  return 0;
}

/** Spot hosts: interchangeable types of instanceType's architecture, their group's size and the task split. */
export function parseSpot(r: ConfigReader, instanceType: string, instance?: InstanceTypeInfo): StackConfig["spot"] {
  const types = r.strings("spotInstanceTypes");
  const maxSize = r.int("spotMaxSize", 1, 10000, "an integer >= 1");
  const onDemandBaseTasks = r.int("onDemandBaseTasks", 0, 100000, "an integer from 0 to 100000");
  const onDemandWeight = r.int("onDemandWeight", 0, 1000, "an integer from 0 to 1000");
  const spotWeight = r.int("spotWeight", 0, 1000, "an integer from 0 to 1000");
  if (types.length === 0) return undefined;
  for (const t of types) {
    const info = INSTANCE_TYPES[t];
    if (!info) r.bad("spotInstanceTypes", `types from the table (lib/instance-types.ts); ${t} is not one${didYouMean(t, Object.keys(INSTANCE_TYPES))}`);
    else if (instance && info.arch !== instance.arch) {
      r.bad("spotInstanceTypes", `types of instanceType's architecture (${instance.arch}, ${instanceType}): the hosts share one AMI and the images one platform; ${t} is ${info.arch}`);
    }
  }
  if (new Set(types).size !== types.length) r.bad("spotInstanceTypes", "distinct types");
  if (types.length > 20) r.bad("spotInstanceTypes", "at most 20 types");
  if (onDemandWeight === 0 && spotWeight === 0) r.bad("spotWeight", "above 0 when onDemandWeight is 0: one of the two capacity providers must take the tasks above the base");
  return { instanceTypes: types, maxSize, onDemandBaseTasks, onDemandWeight, spotWeight };
}

/**
 * How tasks spread over hosts, and the fewest hosts that takes: one per AZ where tasks must survive a host
 * or an AZ. `azs`: the AZs the hosts can be in (the stack's, or an existing network's private subnets).
 */
export function parseTaskSpread(r: ConfigReader, azs: number, maxSize: number): { taskSpread: TaskSpread; minHosts: number } {
  const value = r.str("taskSpread");
  if (!TASK_SPREADS.includes(value as TaskSpread)) {
    r.bad("taskSpread", `one of ${TASK_SPREADS.join(", ")}`);
    return { taskSpread: "binpack", minHosts: 0 };
  }
  const taskSpread = value as TaskSpread;
  const minHosts = taskSpread === "binpack" ? 0 : azs;
  if (minHosts > maxSize) r.bad("taskSpread", `binpack, or maxSize (${maxSize}) of at least ${minHosts}: ${taskSpread} keeps a host in each of the ${azs} AZs`);
  return { taskSpread, minHosts };
}

/** A service whose fewest tasks is one survives no lost host, whatever the spread: a warning each. */
export function spreadWarnings(taskSpread: TaskSpread, services: ServiceSpec[]): string[] {
  if (taskSpread === "binpack") return [];
  return services.filter((s) => taskCount(s, "kept") < 2).map((s) =>
    `taskSpread ${taskSpread}: service ${s.name} runs as few as ${taskCount(s, "kept")} task: no spread keeps it through a lost host; run 2 or more`);
}

/** What a spread of tasks survives, for one service of `count` tasks over `azs` AZs: a sentence. */
export function survives(taskSpread: TaskSpread, count: number, azs: number): string {
  if (count < 2) return `runs ${count} task: a lost host stops it`;
  const afterAz = count - Math.ceil(count / azs);
  if (taskSpread === "binpack") return `not assured: binpack may place all ${count} tasks on one host (taskSpread zones or hosts spreads them)`;
  const host = taskSpread === "hosts" ? `loses a host: keeps ${count - 1} of ${count} tasks; ` : "";
  return `${host}loses one AZ: keeps ${afterAz} of ${count} tasks`;
}

/**
 * A service's task count: as desired; kept, what it runs when nothing scales it out (its desiredCount, or under
 * autoscaling its minCount: the capacity provider owns desiredCount then, which the service ignores after
 * creation, and scales in to the minimum); or at its most (autoscaling's maximum; without autoscaling, the
 * desired count).
 */
export function taskCount(s: Pick<ServiceSpec, "desiredCount" | "autoscaling">, at: "desired" | "kept" | "peak"): number {
  if (at === "desired") return s.desiredCount;
  return (at === "kept" ? s.autoscaling?.minCount : s.autoscaling?.maxCount) ?? s.desiredCount;
}

/** What one host of `info` offers tasks. */
function hostRoom(info: InstanceTypeInfo, trunking: boolean): ClusterCapacity["perHost"] {
  const room = schedulable(info);
  return { cpu: room.cpu, memoryMiB: room.memoryMiB, tasks: trunking && info.trunkTaskLimit !== undefined ? info.trunkTaskLimit : info.maxEnis - 1 };
}

/** What every host at most offers together (on-demand, and Spot where configured), for one measure. */
export function clusterHolds(c: ClusterCapacity, k: keyof ClusterCapacity["perHost"]): number {
  return c.perHost[k] * c.hosts + (c.spot ? c.spot.perHost[k] * c.spot.hosts : 0);
}

/** What maxSize hosts (and the Spot hosts) offer, and what the services ask for together. */
export function clusterCapacity(instance: InstanceTypeInfo, trunking: boolean, maxSize: number, services: ServiceSpec[], spot?: StackConfig["spot"]): ClusterCapacity {
  const sum = (count: (s: ServiceSpec) => number) => ({
    cpu: services.reduce((n, s) => n + count(s) * s.cpu, 0),
    memoryMiB: services.reduce((n, s) => n + count(s) * s.memory, 0),
    tasks: services.reduce((n, s) => n + count(s), 0),
  });
  const spotRooms = (spot?.instanceTypes ?? []).filter((t) => INSTANCE_TYPES[t]).map((t) => hostRoom(INSTANCE_TYPES[t], trunking));
  const least = (k: keyof ClusterCapacity["perHost"]) => Math.min(...spotRooms.map((x) => x[k]));
  return {
    hosts: maxSize,
    perHost: hostRoom(instance, trunking),
    ...(spot && spotRooms.length > 0 ? { spot: { hosts: spot.maxSize, perHost: { cpu: least("cpu"), memoryMiB: least("memoryMiB"), tasks: least("tasks") } } } : {}),
    desired: sum((s) => taskCount(s, "desired")),
    peak: sum((s) => taskCount(s, "peak")),
  };
}

/**
 * Can the tasks asked for ever run on maxSize hosts? Each service alone (its tasks per host), and all of
 * them together (CPU, memory and task network interfaces summed: a set that fits one by one may not fit
 * together).
 */
export function checkPlacement(r: ConfigReader, services: ServiceSpec[], capacity: ClusterCapacity, instanceType: string, trunking: boolean, taskSpread: TaskSpread = "binpack"): void {
  const maxSize = capacity.hosts;
  for (const [i, s] of services.entries()) {
    // taskSpread hosts: no two tasks of a service on one host (distinctInstance).
    const perInstance = taskSpread === "hosts" ? Math.min(1, s.perHost.perInstance) : s.perHost.perInstance;
    const spotPerInstance = s.spotPerHost ? (taskSpread === "hosts" ? Math.min(1, s.spotPerHost.perInstance) : s.spotPerHost.perInstance) : 0;
    const onSpot = capacity.spot ? spotPerInstance * capacity.spot.hosts : 0;
    const most = perInstance * maxSize + onSpot;
    const by = s.perHost.limitedBy === "enis" ? `network interfaces${trunking ? " with trunking" : ", see eniTrunking"}` : s.perHost.limitedBy;
    const why = taskSpread === "hosts"
      ? `taskSpread hosts places one task of ${s.name} per host, so maxSize (${maxSize}) hosts hold ${perInstance * maxSize}${onSpot ? ` and the Spot hosts ${onSpot} more` : ""}`
      : `one ${instanceType} holds ${s.perHost.perInstance} task(s) of ${s.cpu} CPU / ${s.memory} MiB (limited by ${by}), so maxSize (${maxSize}) hosts hold ${s.perHost.perInstance * maxSize}${onSpot ? ` and the Spot hosts ${onSpot} more` : ""}`;
    const blame = (flatKey: string, entryKey: string, allowed: string) =>
      i === 0 ? r.bad(flatKey, allowed) : r.problems.push(`${NAMESPACE}:services.${s.name}.${entryKey} is not allowed: ${allowed}`);
    if (s.desiredCount > most) blame("desiredCount", "desiredCount", `at most ${most}: ${why}; raise maxSize or choose a larger instanceType`);
    if (s.autoscaling && s.autoscaling.maxCount > most) blame("autoscalingMaxCount", "autoscaling.maxCount", `at most ${most}: ${why}; raise maxSize or choose a larger instanceType`);
    // Blue/green, canary and linear start the whole new set beside the old one.
    const top = taskCount(s, "peak");
    if (s.deployment.strategy !== "rolling" && top * 2 > most && top <= most) {
      blame("deploymentStrategy", "deploymentStrategy", `rolling, or room for twice the tasks: a ${s.deployment.strategy} deployment runs ${top} new tasks beside the ${top} old ones, and the hosts hold ${most} of this size (${why}); raise maxSize`);
    }
  }
  if (services.length < 2 || r.problems.length > 0) return;
  for (const [at, when] of [["desired", "desired"], ["peak", "at their most"]] as const) {
    const need = capacity[at];
    const over = (["tasks", "cpu", "memoryMiB"] as const).find((k) => need[k] > clusterHolds(capacity, k));
    if (!over) continue;
    const unit = { tasks: "task network interfaces", cpu: "CPU units", memoryMiB: "MiB" }[over];
    const per = (s: ServiceSpec) => {
      const count = taskCount(s, at);
      return over === "tasks" ? count : count * (over === "cpu" ? s.cpu : s.memory);
    };
    const hosts = `${maxSize} ${instanceType} hosts hold ${capacity.perHost[over] * maxSize} (${capacity.perHost[over]} each)${capacity.spot ? ` and ${capacity.spot.hosts} Spot hosts ${capacity.spot.perHost[over] * capacity.spot.hosts}` : ""}`;
    r.bad("maxSize", `at least enough hosts for every service together: ${when}, the services need ${services.map((s) => `${s.name} ${per(s)}`).join(" + ")} = ${need[over]} ${unit}, and ${hosts}; raise maxSize, choose a larger instanceType${over === "tasks" && !trunking ? " or turn on eniTrunking" : ""}, or lower the counts`);
    return;
  }
}
