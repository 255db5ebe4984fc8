/**
 * The one place stack configuration is read. `CONFIG_SCHEMA` is the contract: every key, its type,
 * default and description (Pulumi.yaml declares the same, and a test keeps the two equal). `parseConfig`
 * normalizes and validates every key and the rules between keys, and throws before the program
 * registers its first resource: a program that throws later has already started creating resources.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { INSTANCE_TYPES, InstanceTypeInfo, TaskCapacity, schedulable, tasksPerInstance } from "./components/instance-types";
import { formatCidr, parseCidr, planSubnets } from "./components/cidr";
import { REGION_AZ_COUNT, regionProblem } from "./components/regions";
import { didYouMean } from "./components/suggest";

type KeyType = "string" | "integer" | "boolean" | "array" | "object";
export interface KeySpec {
  type: KeyType;
  /** For arrays: the type of every item (as Pulumi.yaml declares it; the CLI checks it). */
  items?: { type: "string" };
  default: string | number | boolean | string[] | Record<string, never>;
  description: string;
}

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Keeps each key's literal type while checking it against KeySpec. */
const defineSchema = <T extends Record<string, KeySpec>>(schema: T): T => schema;

export const CONFIG_SCHEMA = defineSchema({
  // --- the seed's parameters, names and defaults kept ---
  instanceType: { type: "string", default: "c5.xlarge", description: "EC2 instance type of the container hosts (one of the types in components/instance-types.ts)." },
  desiredCapacity: { type: "integer", default: 0, description: "Hosts launched at creation, 0..maxSize. The capacity provider owns the count afterwards." },
  maxSize: { type: "integer", default: 100, description: "Most hosts the Auto Scaling group may run (>= 1)." },
  ecsAmiParameter: { type: "string", default: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", description: "SSM parameter (under /aws/service/ecs/, ending in /image_id) holding the ECS-optimized AMI id; use the arm64 path for Graviton types." },
  serviceName: { type: "string", default: "web", description: "Name of the ECS service, task family and container: 1..32 lowercase letters, digits and inner hyphens; it starts its resources' names, so not internal, sg, sthree, amzn-s3-demo (nor those followed by -) nor xn--." },
  imageUrl: { type: "string", default: "public.ecr.aws/docker/library/nginx:latest", description: "Container image to run when appPath is empty." },
  containerCpu: { type: "integer", default: 256, description: "CPU units per task (1024 = 1 vCPU), at least 128; must fit one host." },
  containerMemory: { type: "integer", default: 512, description: "Memory per task in MiB; must fit one host after the ECS reserve." },
  containerPort: { type: "integer", default: 80, description: "Port the container listens on, 1..65535." },
  desiredCount: { type: "integer", default: 2, description: "Tasks to run (the initial count when autoscaling is on)." },
  // --- the network ---
  vpcCidr: { type: "string", default: "10.0.0.0/16", description: "IPv4 CIDR of the VPC, /16../24; split into public (lower half) and private (upper half) subnets, which must hold the ALB and every task and host." },
  availabilityZones: { type: "integer", default: 2, description: "AZs to span, 2..6 and at most the region's AZ count (an ALB needs two)." },
  availabilityZoneNames: { type: "array", items: { type: "string" }, default: [], description: "The AZs by name (e.g. [us-east-1a, us-east-1b]), as many as availabilityZones. Empty: the region's first standard AZs by name, which never change between runs." },
  natGateways: { type: "string", default: "perAz", description: "perAz (one NAT gateway per AZ, survives an AZ outage) or single (one shared, cheaper)." },
  flowLogs: { type: "boolean", default: false, description: "Send VPC flow logs (all traffic) to CloudWatch Logs." },
  // --- the service ---
  healthCheckPath: { type: "string", default: "/", description: "Target group health check path; starts with /." },
  healthCheckGracePeriodSeconds: { type: "integer", default: 60, description: "Seconds ECS ignores failing load balancer health checks after a task starts, 0..2147483647." },
  deregistrationDelaySeconds: { type: "integer", default: 30, description: "Seconds the ALB lets in-flight requests of a leaving task finish before ECS stops it (deploys, scale-in, host refresh), 0..3600." },
  stopTimeoutSeconds: { type: "integer", default: 30, description: "Seconds a container has after SIGTERM to exit before SIGKILL, 2..120; the example app is told to finish 5 s sooner." },
  albIdleTimeoutSeconds: { type: "integer", default: 30, description: "Seconds the ALB keeps an idle connection open, 1..4000; the app's keep-alive timeout must be longer." },
  certificateArn: { type: "string", default: "", description: "ACM certificate ARN in the stack's region. When set: HTTPS on 443 with TLS 1.2+/1.3 and 80 redirects to 443. Empty: HTTP on 80 only." },
  logRetentionDays: { type: "integer", default: 30, description: "Retention of every log group and of ALB access logs, in days (a CloudWatch Logs retention value)." },
  deletionProtection: { type: "boolean", default: false, description: "Protect the VPC, subnets, load balancer, image repository and log bucket (Pulumi protect: a destroy or a replacement refuses in its preview, before deleting anything), turn on ALB deletion protection, keep the access logs on destroy." },
  accessLogs: { type: "boolean", default: false, description: "Write ALB access logs to an encrypted, private S3 bucket the stack creates." },
  autoscaling: { type: "boolean", default: false, description: "Scale the service between autoscalingMinCount and autoscalingMaxCount on CPU and ALB requests per target." },
  autoscalingMinCount: { type: "integer", default: 2, description: "Fewest tasks when autoscaling is on (>= 1)." },
  autoscalingMaxCount: { type: "integer", default: 10, description: "Most tasks when autoscaling is on; must be placeable in maxSize hosts." },
  autoscalingCpuTarget: { type: "integer", default: 60, description: "Target average service CPU utilization in percent, 10..90." },
  autoscalingRequestsPerTarget: { type: "integer", default: 1000, description: "Target ALB requests per task per minute, >= 1." },
  ecsExec: { type: "boolean", default: false, description: "Allow ECS Exec (interactive shells in tasks through SSM). Off: no way into a running task." },
  appPath: { type: "string", default: "", description: "Folder with a Dockerfile to build and push to a new ECR repository; the service runs that image instead of imageUrl. Needs Docker at pulumi up." },
  // --- the hosts ---
  eniTrunking: { type: "boolean", default: false, description: "Turn on ECS ENI trunking for the account (more awsvpc tasks per host) and roll the hosts onto it. Account-wide, and left on when the stack is destroyed." },
  hostSessionManager: { type: "boolean", default: false, description: "Let operators reach hosts with SSM Session Manager (no SSH, no inbound port)." },
});

export type ConfigKey = keyof typeof CONFIG_SCHEMA;

export interface StackConfig {
  region: string;
  instanceType: string;
  instance: InstanceTypeInfo;
  desiredCapacity: number;
  maxSize: number;
  ecsAmiParameter: string;
  serviceName: string;
  imageUrl: string;
  containerCpu: number;
  containerMemory: number;
  containerPort: number;
  desiredCount: number;
  vpcCidr: string;
  availabilityZones: number;
  /** Undefined when the key is empty: the Network picks the region's first standard AZs by name. */
  availabilityZoneNames?: string[];
  natGateways: "perAz" | "single";
  flowLogs: boolean;
  healthCheckPath: string;
  healthCheckGracePeriodSeconds: number;
  deregistrationDelaySeconds: number;
  stopTimeoutSeconds: number;
  albIdleTimeoutSeconds: number;
  /** Undefined when the key is empty. */
  certificateArn?: string;
  logRetentionDays: number;
  deletionProtection: boolean;
  accessLogs: boolean;
  autoscaling: boolean;
  autoscalingMinCount: number;
  autoscalingMaxCount: number;
  autoscalingCpuTarget: number;
  autoscalingRequestsPerTarget: number;
  ecsExec: boolean;
  /** Absolute folder, undefined when the key is empty. */
  appPath?: string;
  eniTrunking: boolean;
  hostSessionManager: boolean;
  /** Derived: awsvpc tasks one host holds, and the most tasks `maxSize` hosts hold. */
  taskCapacity: TaskCapacity & { maxTasks: number };
  /** Values that stand for something the user must fill in; `pulumi up` refuses them, preview warns. */
  placeholders: Placeholder[];
  /** Legal but doubtful settings, shown by preview and the plan. */
  warnings: string[];
}

export interface Placeholder {
  /** Fully qualified key. */
  key: string;
  value: string;
  /** What makes it a placeholder. */
  why: string;
}

/** Thrown with every problem found, one per line, each naming the key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[], heading = "invalid stack configuration") {
    super(`${heading}:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

const NAMESPACE = "ecs-ec2-api";
/** Lowercase letters, digits and inner hyphens, 1..32: ALB and target group names cannot begin or end with a hyphen. */
const SERVICE_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/**
 * The service name starts the physical names of its resources ("<name>-alb-sg-1a2b3c4"), so none of them
 * may begin with what AWS reserves: an ALB's name cannot begin with "internal-"; a security group's
 * cannot begin with "sg-" (ids); a bucket's cannot begin with "xn--", "sthree-" or "amzn-s3-demo-".
 */
export const RESERVED_NAME_PREFIXES = ["internal-", "sg-", "xn--", "sthree-", "amzn-s3-demo-"];
/** The reserved prefix that names derived from `name` ("<name>-<role>") would begin with, if any. */
export function reservedPrefixOf(name: string): string | undefined {
  return RESERVED_NAME_PREFIXES.find((p) => `${name}-`.startsWith(p));
}
const IMAGE_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const CERT_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** SSM parameters that hold an AMI id end in /image_id; ".../recommended" itself holds a JSON document. */
const AMI_PARAMETER_RE = /^\/aws\/service\/ecs\/[\w./-]+\/image_id$/;
/** ECS: task CPU on EC2 is 128..196608 units (0.125..192 vCPU). */
export const MIN_TASK_CPU = 128;
/** The deployment's upper limit: during a rolling deploy the old and the new tasks run side by side. */
export const DEPLOYMENT_MAXIMUM_PERCENT = 200;

export interface ParseOptions {
  /** Folder relative paths (appPath) are resolved against; the project root. */
  rootDir: string;
  /**
   * Keys set in the `aws:` namespace (unqualified: "region", "profile"). Checked against the AWS
   * provider's own config keys, so `aws:regoin` is an error, not a silently ignored setting.
   */
  awsKeys?: string[];
}

/** The AWS provider's config keys, from the installed provider (what `aws:<key>` may be). */
export function awsProviderKeys(): string[] {
  return Object.keys(require("@pulumi/aws/config/vars"));
}

/**
 * Normalizes and validates raw config values (strings, as the engine passes them; objects and lists as
 * JSON; a missing key takes its default) for `region`. Throws a ConfigError that lists every problem.
 */
export function parseConfig(raw: Record<string, string | undefined>, region: string | undefined, opts: ParseOptions): StackConfig {
  const problems: string[] = [];
  // The value is quoted as the user wrote it (or the default it fell back to).
  const shown = (key: ConfigKey) => raw[key] ?? (typeof CONFIG_SCHEMA[key].default === "object" ? JSON.stringify(CONFIG_SCHEMA[key].default) : String(CONFIG_SCHEMA[key].default));
  const bad = (key: ConfigKey, allowed: string) => problems.push(`${NAMESPACE}:${key} = ${JSON.stringify(shown(key))} is not allowed: ${allowed}`);

  for (const key of Object.keys(raw)) {
    if (!(key in CONFIG_SCHEMA)) {
      problems.push(`${NAMESPACE}:${key} is not a known key${didYouMean(key, Object.keys(CONFIG_SCHEMA))}; known keys: ${Object.keys(CONFIG_SCHEMA).join(", ")}`);
    }
  }
  if (opts.awsKeys) {
    const known = awsProviderKeys();
    for (const key of opts.awsKeys) {
      if (!known.includes(key)) problems.push(`aws:${key} is not a setting of the AWS provider${didYouMean(key, known)}; its settings: ${known.join(", ")}`);
    }
  }
  const str = (key: ConfigKey): string => shown(key);
  const int = (key: ConfigKey, min: number, max: number, allowed: string): number => {
    const text = str(key).trim();
    const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      bad(key, allowed);
      return Number(CONFIG_SCHEMA[key].default);
    }
    return n;
  };
  const bool = (key: ConfigKey): boolean => {
    const text = str(key).trim();
    if (text !== "true" && text !== "false") {
      bad(key, "true or false");
      return Boolean(CONFIG_SCHEMA[key].default);
    }
    return text === "true";
  };
  /** A list of strings: a YAML list in the stack file, JSON on the command line. */
  const list = (key: ConfigKey): string[] => {
    let value: unknown;
    try {
      value = JSON.parse(str(key));
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
      bad(key, 'a list of strings (in the stack file a YAML list; with --config a JSON array like ["a","b"])');
      return [];
    }
    return value.map((v) => v.trim());
  };
  const MAX = Number.MAX_SAFE_INTEGER;

  // --- region ---
  const regionName = region ?? "";
  if (!region) problems.push('aws:region is not set: set it with `pulumi config set aws:region <region>` (e.g. us-east-1)');
  else {
    const why = regionProblem(region);
    if (why) problems.push(`aws:region = ${JSON.stringify(region)} is not allowed: ${why}`);
  }

  // --- hosts ---
  const instanceType = str("instanceType").trim();
  const instance = INSTANCE_TYPES[instanceType];
  if (!instance) bad("instanceType", `one of ${Object.keys(INSTANCE_TYPES).join(", ")}${didYouMean(instanceType, Object.keys(INSTANCE_TYPES))}`);
  const maxSize = int("maxSize", 1, 10000, "an integer >= 1");
  const desiredCapacity = int("desiredCapacity", 0, MAX, "an integer >= 0");
  if (desiredCapacity > maxSize) bad("desiredCapacity", `an integer from 0 to maxSize (${maxSize})`);

  const ecsAmiParameter = str("ecsAmiParameter").trim();
  if (!AMI_PARAMETER_RE.test(ecsAmiParameter)) {
    const hint = /^\/aws\/service\/ecs\/.*\/recommended$/.test(ecsAmiParameter) ? ` (${ecsAmiParameter} holds a JSON document; the AMI id is in ${ecsAmiParameter}/image_id)` : "";
    bad("ecsAmiParameter", `an SSM parameter path under /aws/service/ecs/ ending in /image_id, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id${hint}`);
  } else if (instance) {
    const armPath = /\/arm64\//.test(ecsAmiParameter);
    if (instance.arch === "arm64" && !armPath) {
      bad("ecsAmiParameter", `an arm64 AMI path for the Graviton type ${instanceType}, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id`);
    } else if (instance.arch === "x86_64" && armPath) {
      bad("ecsAmiParameter", `an x86_64 AMI path for ${instanceType}; the arm64 path is for Graviton types`);
    }
  }
  const eniTrunking = bool("eniTrunking");
  if (eniTrunking && instance && instance.trunkTaskLimit === undefined) {
    bad("eniTrunking", `false for ${instanceType}: ENI trunking is not supported on burstable types; choose e.g. c6i.large or m7g.large`);
  }
  const hostSessionManager = bool("hostSessionManager");

  // --- service ---
  const serviceName = str("serviceName").trim();
  if (!SERVICE_NAME_RE.test(serviceName) || reservedPrefixOf(serviceName)) {
    bad("serviceName", `1 to 32 lowercase letters, digits and hyphens, not starting or ending with a hyphen; "<name>-" must not begin with ${RESERVED_NAME_PREFIXES.join(", ")} (the name starts those of the load balancer, security groups and log bucket, and AWS reserves these prefixes)`);
  }
  const imageUrl = str("imageUrl").trim();
  if (!IMAGE_RE.test(imageUrl)) bad("imageUrl", "a container image reference such as public.ecr.aws/docker/library/nginx:latest");
  const room = instance ? schedulable(instance) : undefined;
  const containerCpu = int("containerCpu", MIN_TASK_CPU, MAX, `an integer >= ${MIN_TASK_CPU} (CPU units, 1024 = 1 vCPU; ECS's least for an EC2 task)`);
  if (room && containerCpu > room.cpu) bad("containerCpu", `at most ${room.cpu} CPU units, what one ${instanceType} offers`);
  const containerMemory = int("containerMemory", 6, MAX, "an integer >= 6 (MiB)");
  if (room && containerMemory > room.memoryMiB) {
    bad("containerMemory", `at most ${room.memoryMiB} MiB, what one ${instanceType} offers ECS after the kernel and the ECS reserve`);
  }
  const containerPort = int("containerPort", 1, 65535, "an integer from 1 to 65535");
  const desiredCount = int("desiredCount", 0, MAX, "an integer >= 0");
  const healthCheckPath = str("healthCheckPath").trim();
  if (!/^\/[\x21-\x7e]{0,1023}$/.test(healthCheckPath)) bad("healthCheckPath", "a path that starts with / and has no spaces, at most 1024 characters");
  const healthCheckGracePeriodSeconds = int("healthCheckGracePeriodSeconds", 0, 2147483647, "an integer from 0 to 2147483647");
  const deregistrationDelaySeconds = int("deregistrationDelaySeconds", 0, 3600, "an integer from 0 to 3600 (seconds)");
  const stopTimeoutSeconds = int("stopTimeoutSeconds", 2, 120, "an integer from 2 to 120 (seconds)");
  const albIdleTimeoutSeconds = int("albIdleTimeoutSeconds", 1, 4000, "an integer from 1 to 4000 (seconds)");
  const certificateArn = str("certificateArn").trim() || undefined;
  if (certificateArn) {
    const m = CERT_RE.exec(certificateArn);
    if (!m) bad("certificateArn", "empty, or an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>");
    else if (region && m[1] !== region) bad("certificateArn", `a certificate in the stack's region ${region}: an ALB can only use certificates from its own region`);
  }
  const logRetentionDays = int("logRetentionDays", 1, 3653, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) bad("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  const deletionProtection = bool("deletionProtection");
  const accessLogs = bool("accessLogs");
  const autoscaling = bool("autoscaling");
  const autoscalingMinCount = int("autoscalingMinCount", 1, MAX, "an integer >= 1");
  const autoscalingMaxCount = int("autoscalingMaxCount", 1, MAX, "an integer >= 1");
  const autoscalingCpuTarget = int("autoscalingCpuTarget", 10, 90, "an integer from 10 to 90 (percent)");
  const autoscalingRequestsPerTarget = int("autoscalingRequestsPerTarget", 1, MAX, "an integer >= 1 (requests per task per minute)");
  if (autoscaling) {
    if (autoscalingMinCount > autoscalingMaxCount) bad("autoscalingMinCount", `at most autoscalingMaxCount (${autoscalingMaxCount})`);
    if (desiredCount < autoscalingMinCount || desiredCount > autoscalingMaxCount) {
      bad("desiredCount", `with autoscaling on, from autoscalingMinCount (${autoscalingMinCount}) to autoscalingMaxCount (${autoscalingMaxCount})`);
    }
  }
  const ecsExec = bool("ecsExec");
  const appPathText = str("appPath").trim();
  let appPath: string | undefined;
  if (appPathText) {
    appPath = path.resolve(opts.rootDir, appPathText);
    if (!fs.existsSync(path.join(appPath, "Dockerfile"))) bad("appPath", "empty, or a folder (relative to the project) that contains a Dockerfile");
  }

  // --- network ---
  const vpcCidr = str("vpcCidr").trim();
  let vpcPrefix: number | undefined;
  try {
    const c = parseCidr(vpcCidr);
    if (c.prefix < 16 || c.prefix > 24) bad("vpcCidr", "an IPv4 CIDR block from /16 to /24 (AWS VPC limits), e.g. 10.0.0.0/16");
    else vpcPrefix = c.prefix;
  } catch (e) {
    bad("vpcCidr", `an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16 (${(e as Error).message})`);
  }
  const regionAzs = REGION_AZ_COUNT[regionName];
  const maxAzs = Math.min(6, regionAzs ?? 6);
  const availabilityZones = int("availabilityZones", 2, 6, "an integer from 2 to 6 (an ALB needs two AZs)");
  if (regionAzs !== undefined && availabilityZones > maxAzs) bad("availabilityZones", `an integer from 2 to ${maxAzs}: ${regionName} has ${regionAzs} AZs`);
  const zoneNames = list("availabilityZoneNames");
  if (zoneNames.length > 0) {
    const wrong = zoneNames.filter((z) => !new RegExp(`^${regionName}[a-z]$`).test(z));
    if (wrong.length > 0) bad("availabilityZoneNames", `names of standard AZs of ${regionName || "the stack's region"} such as ${regionName || "us-east-1"}a (not ${wrong.join(", ")})`);
    else if (new Set(zoneNames).size !== zoneNames.length) bad("availabilityZoneNames", "distinct AZ names");
    else if (zoneNames.length !== availabilityZones) bad("availabilityZoneNames", `${availabilityZones} names, as many as availabilityZones (${availabilityZones}), or empty`);
  }
  const natGateways = str("natGateways").trim();
  if (natGateways !== "perAz" && natGateways !== "single") bad("natGateways", "perAz or single");
  const flowLogs = bool("flowLogs");

  // --- placement: can the tasks asked for ever run on maxSize hosts, and get addresses? ---
  let taskCapacity: StackConfig["taskCapacity"] = { perInstance: 0, limitedBy: "cpu", maxTasks: 0 };
  if (instance && problems.length === 0) {
    const per = tasksPerInstance(instance, containerCpu, containerMemory, eniTrunking);
    taskCapacity = { ...per, maxTasks: per.perInstance * maxSize };
    const why = `one ${instanceType} holds ${per.perInstance} task(s) of ${containerCpu} CPU / ${containerMemory} MiB (limited by ${per.limitedBy === "enis" ? `network interfaces${eniTrunking ? " with trunking" : ", see eniTrunking"}` : per.limitedBy}), so maxSize (${maxSize}) hosts hold ${taskCapacity.maxTasks}`;
    if (desiredCount > taskCapacity.maxTasks) bad("desiredCount", `at most ${taskCapacity.maxTasks}: ${why}; raise maxSize or choose a larger instanceType`);
    if (autoscaling && autoscalingMaxCount > taskCapacity.maxTasks) {
      bad("autoscalingMaxCount", `at most ${taskCapacity.maxTasks}: ${why}; raise maxSize or choose a larger instanceType`);
    }
  }
  if (vpcPrefix !== undefined && problems.length === 0) {
    const room = addressRoom(vpcCidr, availabilityZones, {
      hosts: maxSize,
      trunking: eniTrunking,
      tasks: (autoscaling ? Math.max(desiredCount, autoscalingMaxCount) : desiredCount) * DEPLOYMENT_MAXIMUM_PERCENT / 100,
    });
    if (room) bad("vpcCidr", room);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const quoted = Object.fromEntries(Object.keys(CONFIG_SCHEMA).map((k) => [k, shown(k as ConfigKey)]));
  return {
    region: regionName, instanceType, instance: instance!, desiredCapacity, maxSize, ecsAmiParameter, serviceName, imageUrl,
    containerCpu, containerMemory, containerPort, desiredCount, vpcCidr, availabilityZones,
    availabilityZoneNames: zoneNames.length > 0 ? zoneNames : undefined,
    natGateways: natGateways as StackConfig["natGateways"], flowLogs, healthCheckPath, healthCheckGracePeriodSeconds,
    deregistrationDelaySeconds, stopTimeoutSeconds, albIdleTimeoutSeconds,
    certificateArn, logRetentionDays, deletionProtection, accessLogs, autoscaling, autoscalingMinCount,
    autoscalingMaxCount, autoscalingCpuTarget, autoscalingRequestsPerTarget, ecsExec, appPath, eniTrunking,
    hostSessionManager, taskCapacity,
    placeholders: findPlaceholders(quoted),
    warnings: networkWarnings(vpcCidr),
  };
}

/** Addresses AWS keeps in every subnet (network, router, DNS, reserved, broadcast). */
const RESERVED_PER_SUBNET = 5;
/** An internet-facing ALB needs a /27 or larger subnet in each AZ with at least 8 free addresses. */
const ALB_MIN_SUBNET_PREFIX = 27;

/**
 * Why the subnet plan of `vpcCidr` over `azs` AZs cannot hold what the config asks for (undefined when it
 * can): the public subnets must be /27 or larger for the ALB; the private subnets together need an address
 * for every host (and its trunk interface with ENI trunking) and every task ENI at the deployment peak.
 */
export function addressRoom(vpcCidr: string, azs: number, peak: { hosts: number; trunking: boolean; tasks: number }): string | undefined {
  const vpc = parseCidr(vpcCidr);
  const prefix = Number(planSubnets(vpcCidr, azs).public[0].split("/")[1]);
  const splitBits = prefix - vpc.prefix;
  const usable = (p: number) => 2 ** (32 - p) - RESERVED_PER_SUBNET;
  // A suggestion: the same network address with the given (VPC) prefix.
  const widen = (p: number) => formatCidr({ base: vpc.base - (vpc.base % 2 ** (32 - p)), prefix: p });
  if (prefix > ALB_MIN_SUBNET_PREFIX) {
    return `a block whose ${azs} public subnets are /${ALB_MIN_SUBNET_PREFIX} or larger (an ALB needs a /27 with 8 free addresses in each AZ); ${vpcCidr} gives /${prefix}: use e.g. ${widen(ALB_MIN_SUBNET_PREFIX - splitBits)}`;
  }
  const need = peak.hosts * (peak.trunking ? 2 : 1) + Math.ceil(peak.tasks);
  if (usable(prefix) * azs >= need) return undefined;
  // The longest subnet prefix whose subnets together hold `need`, and the VPC prefix that gives it.
  let fits = prefix;
  while (fits > 0 && usable(fits) * azs < need) fits--;
  const suggestion = fits - splitBits >= 16 ? `use e.g. ${widen(fits - splitBits)}` : "no VPC is that large: lower maxSize or the task counts";
  return `a block whose ${azs} private subnets (/${prefix}, ${usable(prefix)} addresses each, ${usable(prefix) * azs} in all) hold the peak of ${need} addresses: ${peak.hosts} hosts${peak.trunking ? " and their trunk interfaces" : ""} and ${Math.ceil(peak.tasks)} task interfaces during a deployment (at ${DEPLOYMENT_MAXIMUM_PERCENT} %); ${suggestion}`;
}

/** Blocks that clash with what runs on the hosts or on the internet. */
export function networkWarnings(vpcCidr: string): string[] {
  let c;
  try {
    c = parseCidr(vpcCidr);
  } catch {
    return [];
  }
  const overlaps = (other: string) => {
    const o = parseCidr(other);
    const end = (x: typeof c) => x.base + 2 ** (32 - x.prefix);
    return c.base < end(o) && o.base < end(c);
  };
  const warnings: string[] = [];
  if (overlaps("172.17.0.0/16")) {
    warnings.push(`vpcCidr ${vpcCidr} overlaps 172.17.0.0/16, which Docker's bridge (docker0) holds on every ECS host: the hosts cannot reach VPC addresses in it; choose a block outside 172.17.0.0/16`);
  }
  const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
  if (!privateRanges.some((r) => { const p = parseCidr(r); return c.base >= p.base && c.base + 2 ** (32 - c.prefix) <= p.base + 2 ** (32 - p.prefix); })) {
    warnings.push(`vpcCidr ${vpcCidr} is public address space (not RFC 1918 or 100.64.0.0/10): hosts in the VPC cannot reach the internet addresses it shadows; use e.g. 10.0.0.0/16`);
  }
  return warnings;
}

/** Values that only look real: AWS's documentation account, all-zero ids, the reserved example domains. */
const PLACEHOLDER_PATTERNS: [RegExp, string][] = [
  [/arn:aws[\w-]*:[\w-]*:[\w-]*:(123456789012|111122223333|444455556666):/, "the ARN names an account from AWS's documentation"],
  [/00000000-0000-0000-0000-000000000000/, "the id is all zeros"],
  [/(^|[.@"\s])example\.(com|net|org)\b/i, "example.com, .net and .org are reserved for documentation (RFC 2606)"],
];

/** Every project key whose value (or a value inside it) is a placeholder. */
export function findPlaceholders(values: Record<string, string>): Placeholder[] {
  const found: Placeholder[] = [];
  for (const [key, value] of Object.entries(values)) {
    for (const [re, why] of PLACEHOLDER_PATTERNS) {
      if (re.test(value)) {
        found.push({ key: `${NAMESPACE}:${key}`, value, why });
        break;
      }
    }
  }
  return found;
}

/** One line per placeholder, for errors and warnings. */
export function describePlaceholders(placeholders: Placeholder[]): string[] {
  return placeholders.map((p) => `${p.key} = ${JSON.stringify(p.value)} is a placeholder (${p.why}): set the real value with \`pulumi config set ${p.key} <value>\``);
}

/** The project's keys, unqualified, from fully qualified config ("ecs-ec2-api:maxSize" -> "maxSize"). */
export function projectKeys(all: Record<string, string>): Record<string, string> {
  return namespaceKeys(all, NAMESPACE);
}

/** The keys of one namespace, unqualified ("aws:region" -> "region" for "aws"). */
export function namespaceKeys(all: Record<string, string>, namespace: string): Record<string, string> {
  const prefix = `${namespace}:`;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/**
 * Validates a stack's whole config, fully qualified as the CLI passes it: the project's keys, the region
 * and the `aws:` keys. What the program and the offline plan both call.
 */
export function parseStackConfig(all: Record<string, string>, opts: Pick<ParseOptions, "rootDir">): StackConfig {
  const aws = namespaceKeys(all, "aws");
  return parseConfig(projectKeys(all), aws.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, { ...opts, awsKeys: Object.keys(aws) });
}

/**
 * Reads this stack's config (and the AWS region) from the Pulumi engine and validates it. It reads every
 * key of the project's namespace, not only the known ones, so a misspelt key is an error, not a silent
 * default. Placeholders are refused at `pulumi up` (before the first resource) and warned about in preview.
 */
export function loadConfig(): StackConfig {
  const config = parseStackConfig(pulumi.runtime.allConfig(), { rootDir: __dirname });
  const placeholders = describePlaceholders(config.placeholders);
  if (placeholders.length > 0) {
    if (!pulumi.runtime.isDryRun()) throw new ConfigError(placeholders, "the stack's configuration still holds placeholders, which `pulumi up` refuses");
    for (const p of placeholders) void pulumi.log.warn(`${p}; \`pulumi up\` refuses placeholders`);
  }
  for (const w of config.warnings) void pulumi.log.warn(w);
  return config;
}
