/** Services and their routes: names, images, sizes, health checks and the rules across services. */
import * as fs from "fs";
import * as path from "path";
import { INSTANCE_TYPES, InstanceTypeInfo, TaskCapacity, schedulable, smallestFitting, tasksPerInstance } from "../lib/instance-types";
import { ARN_SHAPES, isPolicyArn, kmsKeyRegion } from "./arns";
import { ConfigReader } from "./reader";
import { CONFIG_SCHEMA, NAMESPACE, serviceKey } from "./schema";
import { parseContainerHealthCheck, parseEgressRules, parseEnvironment, parseRegistryCredentials, parseSecrets } from "./containers";
import { entryAutoscaling, flatAutoscaling, parseDeployment } from "./releases";
import { parseSidecars } from "./sidecars";
import { parseQueue, parseSendsTo } from "./queues";
import type { Route, ServiceSpec } from "./types";

/** Lowercase letters, digits and inner hyphens, 1..32: ALB and target group names cannot begin or end with a hyphen. */
export const SERVICE_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * A service name starts the physical names of its resources ("<name>-alb-sg-1a2b3c4"), so none of them
 * may begin with what AWS reserves: an ALB's name cannot begin with "internal-"; a security group's
 * cannot begin with "sg-" (ids); a bucket's cannot begin with "xn--", "sthree-" or "amzn-s3-demo-".
 */
export const RESERVED_NAME_PREFIXES = ["internal-", "sg-", "xn--", "sthree-", "amzn-s3-demo-"];

/** The reserved prefix that names derived from `name` ("<name>-<role>") would begin with, if any. */
export function reservedPrefixOf(name: string): string | undefined {
  return RESERVED_NAME_PREFIXES.find((p) => `${name}-`.startsWith(p));
}

/** Target group logical names are the first 20 characters of the service name (see service.ts). */
export const LB_NAME_BASE_LENGTH = 20;

export const SERVICE_NAME_RULE = `1 to 32 lowercase letters, digits and hyphens, not starting or ending with a hyphen; "<name>-" must not begin with ${RESERVED_NAME_PREFIXES.join(", ")} (the name starts its resources' names, and AWS reserves these prefixes)`;

const IMAGE_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** ALB matcher: codes 200..499, a list or a range. */
const MATCHER_RE = /^(?:[2-4]\d\d)(?:-[2-4]\d\d|(?:,[2-4]\d\d)*)$/;

/** ALB listener rules: 1..50000; path patterns up to 128 characters of this alphabet, with * and ?. */
const PATH_PATTERN_RE = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&()!,;=]{0,127}$/;

const HOST_HEADER_RE = /^(?=.{1,128}$)(?:\*\.)?(?:[a-z0-9*?](?:[a-z0-9*?-]{0,61}[a-z0-9*?])?\.)*[a-z0-9*?](?:[a-z0-9*?-]{0,61}[a-z0-9*?])?$/;

/** ECS: task CPU on EC2 is 128..196608 units (0.125..192 vCPU). */
export const MIN_TASK_CPU = 128;

/** Why a flat key has no place in a services entry. */
export function flatOnly(key: string): string | undefined {
  if (/^autoscaling.+/.test(key)) return "in a services entry autoscaling is one map: autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}";
  if (key === "serviceName") return "the entry's own key is the service's name";
  if (key in CONFIG_SCHEMA) return `${key} is the stack's, shared by every service`;
  return undefined;
}

export interface ServiceContext {
  region: string;
  instance?: InstanceTypeInfo;
  instanceType: string;
  eniTrunking: boolean;
  /** Spot hosts' types (known ones), or none. */
  spotTypes: string[];
  /** The created VPC's block; undefined in an existing VPC (its block is looked up later). */
  vpcCidr?: string;
  rootDir: string;
}

/** A services entry's route: a rule when it has path patterns or host headers, else a worker. */
export function routeOf(e: ConfigReader): Route {
  const pathPatterns = e.has("pathPatterns") ? e.strings("pathPatterns") : [];
  const hostHeaders = e.has("hostHeaders") ? e.strings("hostHeaders").map((h) => h.toLowerCase()) : [];
  if (pathPatterns.length === 0 && hostHeaders.length === 0) {
    if (e.has("priority")) e.bad("priority", "only with pathPatterns or hostHeaders: a service without them is a worker and gets no listener rule");
    return { kind: "worker" };
  }
  for (const p of pathPatterns) if (!PATH_PATTERN_RE.test(p)) e.bad("pathPatterns", `paths that start with / (up to 128 characters; * and ? match), not ${JSON.stringify(p)}`);
  for (const h of hostHeaders) if (!HOST_HEADER_RE.test(h)) e.bad("hostHeaders", `host names (up to 128 characters; * and ? match), not ${JSON.stringify(h)}`);
  // ALB: a rule takes at most 5 condition values in all.
  if (pathPatterns.length + hostHeaders.length > 5) e.bad(pathPatterns.length > 0 ? "pathPatterns" : "hostHeaders", "at most 5 path patterns and host headers together (an ALB rule's limit)");
  if (!e.has("priority")) {
    e.problems.push(`${e.label("priority")} is not set: a routed service needs a priority, an integer from 1 to 50000 unique among the services (lower is matched first; it stays the same when services are added or removed)`);
    return { kind: "rule", priority: 0, pathPatterns, hostHeaders };
  }
  const priority = e.int("priority", 1, 50000, "an integer from 1 to 50000, unique among the services (lower is matched first)");
  return { kind: "rule", priority, pathPatterns, hostHeaders };
}

/**
 * The image of a service or a job: appPath (a folder with a Dockerfile, built at up) or imageUrl. `flat`:
 * the default service's keys, where imageUrl has a default and may stand beside appPath.
 */
export function parseImage(r: ConfigReader, rootDir: string, flat: boolean, what = "service"): { appPath?: string; imageUrl?: string } {
  const appPathText = r.str("appPath");
  let appPath: string | undefined;
  if (appPathText) {
    appPath = path.resolve(rootDir, appPathText);
    if (!fs.existsSync(path.join(appPath, "Dockerfile"))) r.bad("appPath", "empty, or a folder (relative to the project) that contains a Dockerfile");
    else if (!flat && r.has("imageUrl")) r.bad("imageUrl", `not set with appPath: the ${what} runs the image built from appPath`);
  }
  const imageUrl = appPath ? undefined : r.str("imageUrl");
  if (!appPath) {
    if (!imageUrl) r.bad("imageUrl", "a container image reference (or set appPath to build one)");
    else if (!IMAGE_RE.test(imageUrl)) r.bad("imageUrl", "a container image reference such as public.ecr.aws/docker/library/nginx:latest");
  }
  return { appPath, imageUrl };
}

/** The task role's managed policies: distinct IAM policy ARNs. */
export function parseTaskPolicyArns(r: ConfigReader): string[] {
  const taskPolicyArns = r.strings("taskPolicyArns");
  for (const arn of taskPolicyArns) if (!isPolicyArn(arn)) r.bad("taskPolicyArns", `a list of ${ARN_SHAPES.policy}s; not ${JSON.stringify(arn)}`);
  if (new Set(taskPolicyArns).size !== taskPolicyArns.length) r.bad("taskPolicyArns", "distinct policy ARNs");
  return taskPolicyArns;
}

/** Validates one service's keys (flat for the default service, an entry of `services` otherwise). */
export function parseService(r: ConfigReader, name: string, route: Route, ctx: ServiceContext, flat: boolean): ServiceSpec {
  const MAX = Number.MAX_SAFE_INTEGER;
  const routed = route.kind !== "worker";
  // --- the image ---
  const { appPath, imageUrl } = parseImage(r, ctx.rootDir, flat);
  // --- size and count ---
  const room = ctx.instance ? schedulable(ctx.instance) : undefined;
  const cpu = r.int("containerCpu", MIN_TASK_CPU, MAX, `an integer >= ${MIN_TASK_CPU} (CPU units, 1024 = 1 vCPU; ECS's least for an EC2 task)`);
  const memory = r.int("containerMemory", 6, MAX, "an integer >= 6 (MiB)");
  // Too large for one host: name the smallest hosts of the same architecture the task fits on.
  const fits = () => {
    const types = smallestFitting(ctx.instance!.arch, cpu, memory);
    return types.length > 0 ? `; it fits on ${types.join(", ")} (the smallest ${ctx.instance!.arch} types that hold ${cpu} CPU units and ${memory} MiB)` : `; no ${ctx.instance!.arch} type here holds ${cpu} CPU units and ${memory} MiB`;
  };
  if (room && cpu > room.cpu) r.bad("containerCpu", `at most ${room.cpu} CPU units, what one ${ctx.instanceType} offers${fits()}`);
  if (room && memory > room.memoryMiB) r.bad("containerMemory", `at most ${room.memoryMiB} MiB, what one ${ctx.instanceType} offers ECS after the kernel and the ECS reserve${fits()}`);
  // With appPath the image says where it listens (EXPOSE): unset, the port follows it; set, it must agree.
  const dockerfile = appPath ? path.join(appPath, "Dockerfile") : undefined;
  const exposed = dockerfile && fs.existsSync(dockerfile) ? exposedPorts(fs.readFileSync(dockerfile, "utf8")) : [];
  const where = dockerfile ? path.relative(ctx.rootDir, dockerfile) : "";
  let port = r.int("containerPort", 1, 65535, "an integer from 1 to 65535");
  if (exposed.length > 0 && !r.has("containerPort")) {
    if (exposed.length === 1) port = exposed[0];
    else r.bad("containerPort", `set to one of ${exposed.join(", ")}: ${where} EXPOSEs several ports`);
  } else if (exposed.length > 0 && !exposed.includes(port)) {
    r.bad("containerPort", `${exposed.join(" or ")}, the port ${where} EXPOSEs (the app listens there; the task definition maps the container port as is), or unset`);
  }
  if (!routed && r.has("containerPort")) {
    r.bad("containerPort", "unset for a worker: nothing reaches it (no load balancer, no inbound rule) and its container maps no port; give the service pathPatterns or hostHeaders and a priority to route it");
  }
  const desiredCount = r.int("desiredCount", 0, MAX, "an integer >= 0");
  // --- sidecars: the task holds them too (task-level CPU and memory are at least the containers' sum) ---
  const sidecars = parseSidecars(r, name, ctx.region, port);
  const taskCpu = cpu + sidecars.reduce((n, c) => n + c.cpu, 0);
  const taskMemory = memory + sidecars.reduce((n, c) => n + c.memory, 0);
  if (room && sidecars.length > 0 && (taskCpu > room.cpu || taskMemory > room.memoryMiB)) {
    r.bad("sidecars", `containers that fit one ${ctx.instanceType} together (${room.cpu} CPU units, ${room.memoryMiB} MiB): the task of ${name} needs ${taskCpu} CPU / ${taskMemory} MiB (${cpu} / ${memory} its own, ${sidecars.map((c) => `${c.cpu} / ${c.memory} sidecar ${c.name}`).join(", ")})`);
  }
  // --- health and stopping ---
  const healthPath = r.str("healthCheckPath");
  if (!/^\/[\x21-\x7e]{0,1023}$/.test(healthPath)) r.bad("healthCheckPath", "a path that starts with / and has no spaces, at most 1024 characters");
  const matcher = r.str("healthCheckMatcher").replace(/\s+/g, "");
  if (!MATCHER_RE.test(matcher)) r.bad("healthCheckMatcher", "HTTP codes from 200 to 499: one (200), a list (200,204) or a range (200-399)");
  const intervalSeconds = r.int("healthCheckIntervalSeconds", 5, 300, "an integer from 5 to 300 (seconds)");
  const timeoutSeconds = r.int("healthCheckTimeoutSeconds", 2, 120, "an integer from 2 to 120 (seconds)");
  if (timeoutSeconds >= intervalSeconds) r.bad("healthCheckTimeoutSeconds", `less than healthCheckIntervalSeconds (${intervalSeconds})`);
  const healthyThreshold = r.int("healthyThresholdCount", 2, 10, "an integer from 2 to 10");
  const unhealthyThreshold = r.int("unhealthyThresholdCount", 2, 10, "an integer from 2 to 10");
  const gracePeriodSeconds = r.int("healthCheckGracePeriodSeconds", 0, 2147483647, "an integer from 0 to 2147483647");
  const deregistrationDelaySeconds = r.int("deregistrationDelaySeconds", 0, 3600, "an integer from 0 to 3600 (seconds)");
  const stopTimeoutSeconds = r.int("stopTimeoutSeconds", 2, 120, "an integer from 2 to 120 (seconds)");
  const deployment = parseDeployment(r, routed, deregistrationDelaySeconds + stopTimeoutSeconds);
  const p99LatencyAlarmMs = r.int("p99LatencyAlarmMs", 10, 600000, "an integer from 10 to 600000 (milliseconds)");
  // --- the container ---
  const command = r.strings("command");
  const containerHealthCheck = parseContainerHealthCheck(r);
  const environment = parseEnvironment(r);
  const secrets = parseSecrets(r, ctx.region);
  for (const s of secrets) if (s.name in environment) r.bad("secrets", `names not also in environment (${s.name} is in both)`);
  const secretsKmsKeyArns = r.strings("secretsKmsKeyArns");
  for (const arn of secretsKmsKeyArns) {
    const region = kmsKeyRegion(arn);
    if (!region) r.bad("secretsKmsKeyArns", `a list of ${ARN_SHAPES.kms}s; not ${JSON.stringify(arn)}`);
    else if (region !== ctx.region) r.bad("secretsKmsKeyArns", `keys in the stack's region ${ctx.region} (${arn} is in ${region})`);
  }
  const registryCredentials = parseRegistryCredentials(r, ctx.region);
  const anySecret = secrets.length > 0 || registryCredentials || sidecars.some((c) => c.secrets.length > 0 || c.registryCredentials);
  if (secretsKmsKeyArns.length > 0 && !anySecret) r.bad("secretsKmsKeyArns", "empty without secrets or registry credentials: the keys decrypt them");
  const taskPolicyArns = parseTaskPolicyArns(r);
  const egressRules = parseEgressRules(r, `service ${name}`, ctx.vpcCidr);
  const talksTo = r.strings("talksTo");
  for (const t of talksTo) if (!SERVICE_NAME_RE.test(t)) r.bad("talksTo", `names of this stack's services; not ${JSON.stringify(t)}`);
  if (new Set(talksTo).size !== talksTo.length) r.bad("talksTo", "distinct service names");
  const ecsExec = r.bool("ecsExec");
  // --- its work queue, and the queues it sends to ---
  const queue = parseQueue(r, name, stopTimeoutSeconds, ctx.region);
  const sendsTo = parseSendsTo(r);
  // --- autoscaling (a service with a queue always scales, on its backlog) ---
  const autoscaling = flat ? flatAutoscaling(r, desiredCount, !!queue) : entryAutoscaling(r, desiredCount, routed, !!queue);

  return {
    name, imageUrl, appPath, cpu: taskCpu, memory: taskMemory, containerCpu: cpu, containerMemory: memory, sidecars, talksTo, port, desiredCount, route,
    healthCheck: { path: healthPath, matcher, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, gracePeriodSeconds },
    deregistrationDelaySeconds, stopTimeoutSeconds, deployment, p99LatencyAlarmMs,
    command: command.length > 0 ? command : undefined, containerHealthCheck, environment, secrets, secretsKmsKeyArns,
    ...(registryCredentials ? { registryCredentials } : {}), taskPolicyArns, egressRules, ecsExec, autoscaling, ...(queue ? { queue } : {}), sendsTo, ...placement(ctx, taskCpu, taskMemory),
  };
}

/** Tasks of `cpu` / `memory` one host holds: an on-demand host, and on Spot the smallest type the group may launch. */
export function placement(ctx: Pick<ServiceContext, "instance" | "spotTypes" | "eniTrunking">, cpu: number, memory: number): Pick<ServiceSpec, "perHost" | "spotPerHost"> {
  const perHost = ctx.instance ? tasksPerInstance(ctx.instance, cpu, memory, ctx.eniTrunking) : { perInstance: 0, limitedBy: "cpu" as const };
  const spotPerHost = ctx.spotTypes.filter((t) => INSTANCE_TYPES[t]).map((t) => tasksPerInstance(INSTANCE_TYPES[t], cpu, memory, ctx.eniTrunking))
    .reduce<TaskCapacity | undefined>((least, c) => (!least || c.perInstance < least.perInstance ? c : least), undefined);
  return { perHost, spotPerHost };
}

/** The ports a Dockerfile EXPOSEs (its last stage: what the image runs). */
export function exposedPorts(dockerfile: string): number[] {
  const stages = dockerfile.split(/^\s*FROM\s/im);
  const last = stages[stages.length - 1];
  const ports: number[] = [];
  for (const m of last.matchAll(/^\s*EXPOSE\s+(.+)$/gim)) {
    for (const p of m[1].trim().split(/\s+/)) {
      const n = Number(p.replace(/\/(tcp|udp)$/i, ""));
      if (Number.isInteger(n)) ports.push(n);
    }
  }
  return ports;
}

/** Rules across services: unique names (and the names derived from them), unique rule priorities. */
export function checkServiceSet(services: ServiceSpec[], problems: string[]): void {
  const [main, ...others] = services;
  for (const s of others) {
    if (s.name === main.name) problems.push(`${NAMESPACE}:services.${s.name} is not allowed: the default service (serviceName) already has this name`);
  }
  // Target group and load balancer logical names take the first LB_NAME_BASE_LENGTH characters.
  const bases = new Map<string, string>();
  for (const s of services) {
    const base = s.name.slice(0, LB_NAME_BASE_LENGTH);
    const other = bases.get(base);
    if (other !== undefined && other !== s.name) {
      problems.push(`${NAMESPACE}:services.${s.name} is not allowed: its first ${LB_NAME_BASE_LENGTH} characters are those of ${other}, and target group names are made from them; shorten one`);
    }
    bases.set(base, s.name);
  }
  const priorities = new Map<number, string>();
  for (const s of services) {
    if (s.route.kind !== "rule" || s.route.priority === 0) continue;
    const other = priorities.get(s.route.priority);
    if (other) problems.push(`${NAMESPACE}:services.${s.name}.priority = ${s.route.priority} is not allowed: ${other} has it; every routed service needs its own`);
    priorities.set(s.route.priority, s.name);
  }
}

/**
 * What ECS reserves for the Service Connect proxy (an Envoy container ECS adds to each task of a service
 * with Service Connect): AWS recommends adding at least 256 CPU units and 64 MiB of memory to the task for
 * it (Amazon ECS Developer Guide, "Amazon ECS Service Connect components", service-connect-concepts-deploy.html).
 */
export const SERVICE_CONNECT_PROXY = { cpu: 256, memory: 64 };

/**
 * Service Connect across services: every talksTo target must be another service of the stack that listens
 * (not a worker); a caller becomes a client, a called service publishes its port, and both tasks grow by the
 * proxy's reserve (and are placed with it).
 */
export function resolveServiceConnect(services: ServiceSpec[], ctx: ServiceContext, problems: string[]): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const [main] = services;
  const label = (s: ServiceSpec) => serviceKey(s.name, s === main, "talksTo");
  const callers = new Map<string, string[]>();
  for (const s of services) {
    for (const t of s.talksTo) {
      const target = byName.get(t);
      const value = `${label(s)} = ${JSON.stringify(JSON.stringify(s.talksTo))} is not allowed`;
      if (t === s.name) problems.push(`${value}: ${s.name} calls itself through localhost, not Service Connect`);
      else if (!target) problems.push(`${value}: ${t} is not a service of this stack (its services: ${services.map((x) => x.name).join(", ")}), so ${s.name} cannot call it`);
      else if (target.route.kind === "worker") problems.push(`${value}: ${t} is a worker (no pathPatterns or hostHeaders): it publishes no port for ${s.name} to call`);
      else callers.set(t, [...(callers.get(t) ?? []), s.name]);
    }
  }
  for (const s of services) {
    const publish = callers.has(s.name);
    if (!publish && s.talksTo.length === 0) continue;
    s.serviceConnect = { publish, callers: (callers.get(s.name) ?? []).sort(), proxy: SERVICE_CONNECT_PROXY };
    s.cpu += SERVICE_CONNECT_PROXY.cpu;
    s.memory += SERVICE_CONNECT_PROXY.memory;
    Object.assign(s, placement(ctx, s.cpu, s.memory));
  }
}

/**
 * The order the services are created in: each after the services it calls, so their Service Connect
 * endpoints exist before its tasks start (ECS Service Connect: only tasks started after an endpoint exists
 * resolve it; Amazon ECS Developer Guide, "Service Connect concepts"). Otherwise config order. A cycle of
 * calls has no such order: one side's tasks would start before the other's endpoint and could not reach it
 * until redeployed; it is refused, naming the services in it.
 */
export function callOrder(services: ServiceSpec[], problems: string[]): string[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const [main] = services;
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (s: ServiceSpec, path: string[]): void => {
    if (state.get(s.name) === "done") return;
    if (state.get(s.name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(s.name)), s.name];
      // Named by the talksTo of the cycle's first service, with its value. The refusal holds in every
      // deploy, so the way out is a call outside talksTo, not a later deploy that adds the call back.
      const first = byName.get(cycle[0])!;
      const label = serviceKey(first.name, first === main, "talksTo");
      problems.push(`${label} = ${JSON.stringify(JSON.stringify(first.talksTo))} is not allowed: ${cycle.join(" -> ")} is a cycle of calls; ECS Service Connect resolves only endpoints that exist when a task starts, `
        + "so one of them could not reach the other: let one side call the other through the load balancer (its routed URL) instead of talksTo (docs/services.md)");
      return;
    }
    state.set(s.name, "visiting");
    for (const t of s.talksTo) {
      const target = byName.get(t);
      if (target && target !== s) visit(target, [...path, s.name]);
    }
    state.set(s.name, "done");
    order.push(s.name);
  };
  for (const s of services) visit(s, []);
  return order;
}
