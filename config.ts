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
import { parseCidr } from "./components/cidr";
import { REGION_AZ_COUNT, REGION_RE } from "./components/regions";

type KeyType = "string" | "integer" | "boolean";
export interface KeySpec {
  type: KeyType;
  default: string | number | boolean;
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
  ecsAmiParameter: { type: "string", default: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", description: "SSM parameter (under /aws/service/ecs/) holding the ECS-optimized AMI id; use the arm64 path for Graviton types." },
  serviceName: { type: "string", default: "web", description: "Name of the ECS service, task family and container: 1..32 lowercase letters, digits and inner hyphens, not starting with internal-." },
  imageUrl: { type: "string", default: "public.ecr.aws/docker/library/nginx:latest", description: "Container image to run when appPath is empty." },
  containerCpu: { type: "integer", default: 256, description: "CPU units per task (1024 = 1 vCPU); must fit one host." },
  containerMemory: { type: "integer", default: 512, description: "Memory per task in MiB; must fit one host after the ECS reserve." },
  containerPort: { type: "integer", default: 80, description: "Port the container listens on, 1..65535." },
  desiredCount: { type: "integer", default: 2, description: "Tasks to run (the initial count when autoscaling is on)." },
  // --- the network ---
  vpcCidr: { type: "string", default: "10.0.0.0/16", description: "IPv4 CIDR of the VPC, /16../24; split into public (lower half) and private (upper half) subnets." },
  availabilityZones: { type: "integer", default: 2, description: "AZs to span, 2..6 and at most the region's AZ count (an ALB needs two)." },
  natGateways: { type: "string", default: "perAz", description: "perAz (one NAT gateway per AZ, survives an AZ outage) or single (one shared, cheaper)." },
  flowLogs: { type: "boolean", default: false, description: "Send VPC flow logs (all traffic) to CloudWatch Logs." },
  // --- the service ---
  healthCheckPath: { type: "string", default: "/", description: "Target group health check path; starts with /." },
  healthCheckGracePeriodSeconds: { type: "integer", default: 60, description: "Seconds ECS ignores failing load balancer health checks after a task starts, 0..2147483647." },
  certificateArn: { type: "string", default: "", description: "ACM certificate ARN in the stack's region. When set: HTTPS on 443 with TLS 1.2+/1.3 and 80 redirects to 443. Empty: HTTP on 80 only." },
  logRetentionDays: { type: "integer", default: 30, description: "Retention of every log group and of ALB access logs, in days (a CloudWatch Logs retention value)." },
  deletionProtection: { type: "boolean", default: false, description: "Protect the ALB from deletion, leave the access-log bucket in place on destroy, and refuse to delete an image repository that still holds images." },
  accessLogs: { type: "boolean", default: false, description: "Write ALB access logs to an encrypted, private S3 bucket the stack creates." },
  autoscaling: { type: "boolean", default: false, description: "Scale the service between autoscalingMinCount and autoscalingMaxCount on CPU and ALB requests per target." },
  autoscalingMinCount: { type: "integer", default: 2, description: "Fewest tasks when autoscaling is on (>= 1)." },
  autoscalingMaxCount: { type: "integer", default: 10, description: "Most tasks when autoscaling is on; must be placeable in maxSize hosts." },
  autoscalingCpuTarget: { type: "integer", default: 60, description: "Target average service CPU utilization in percent, 10..90." },
  autoscalingRequestsPerTarget: { type: "integer", default: 1000, description: "Target ALB requests per task per minute, >= 1." },
  ecsExec: { type: "boolean", default: false, description: "Allow ECS Exec (interactive shells in tasks through SSM). Off: no way into a running task." },
  appPath: { type: "string", default: "", description: "Folder with a Dockerfile to build and push to a new ECR repository; the service runs that image instead of imageUrl." },
  // --- the hosts ---
  eniTrunking: { type: "boolean", default: false, description: "Turn on ECS ENI trunking for the account (more awsvpc tasks per host). Account-wide, and left on when the stack is destroyed." },
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
  natGateways: "perAz" | "single";
  flowLogs: boolean;
  healthCheckPath: string;
  healthCheckGracePeriodSeconds: number;
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
}

/** Thrown with every problem found, one per line, each naming the key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

const NAMESPACE = "ecs-ec2-api";
// The name also starts the ALB's, target group's and bucket's names: those cannot begin or end with a
// hyphen, and an ALB's cannot begin with "internal-".
const SERVICE_NAME_RE = /^(?!internal-)[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const IMAGE_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const CERT_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

export interface ParseOptions {
  /** Folder relative paths (appPath) are resolved against; the project root. */
  rootDir: string;
}

/**
 * Normalizes and validates raw config values (strings, as the engine passes them; a missing key takes
 * its default) for `region`. Throws a ConfigError that lists every problem.
 */
export function parseConfig(raw: Record<string, string | undefined>, region: string | undefined, opts: ParseOptions): StackConfig {
  const problems: string[] = [];
  // The value is quoted as the user wrote it (or the default it fell back to).
  const bad = (key: ConfigKey, allowed: string) =>
    problems.push(`${NAMESPACE}:${key} = ${JSON.stringify(raw[key] ?? String(CONFIG_SCHEMA[key].default))} is not allowed: ${allowed}`);

  for (const key of Object.keys(raw)) {
    if (!(key in CONFIG_SCHEMA)) problems.push(`${NAMESPACE}:${key} is not a known key; known keys: ${Object.keys(CONFIG_SCHEMA).join(", ")}`);
  }
  const str = (key: ConfigKey): string => raw[key] ?? String(CONFIG_SCHEMA[key].default);
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
  const MAX = Number.MAX_SAFE_INTEGER;

  // --- region ---
  if (!region) problems.push('aws:region is not set: set it with `pulumi config set aws:region <region>` (e.g. us-east-1)');
  else if (!REGION_RE.test(region)) problems.push(`aws:region = ${JSON.stringify(region)} is not an AWS region name like us-east-1`);
  const regionName = region ?? "";

  // --- hosts ---
  const instanceType = str("instanceType").trim();
  const instance = INSTANCE_TYPES[instanceType];
  if (!instance) bad("instanceType", `one of ${Object.keys(INSTANCE_TYPES).join(", ")}`);
  const maxSize = int("maxSize", 1, 10000, "an integer >= 1");
  const desiredCapacity = int("desiredCapacity", 0, MAX, "an integer >= 0");
  if (desiredCapacity > maxSize) bad("desiredCapacity", `an integer from 0 to maxSize (${maxSize})`);

  const ecsAmiParameter = str("ecsAmiParameter").trim();
  if (!/^\/aws\/service\/ecs\/[\w./-]+$/.test(ecsAmiParameter)) {
    bad("ecsAmiParameter", "an SSM parameter path under /aws/service/ecs/, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
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
  if (!SERVICE_NAME_RE.test(serviceName)) bad("serviceName", "1 to 32 lowercase letters, digits and hyphens, not starting or ending with a hyphen nor starting with internal-");
  const imageUrl = str("imageUrl").trim();
  if (!IMAGE_RE.test(imageUrl)) bad("imageUrl", "a container image reference such as public.ecr.aws/docker/library/nginx:latest");
  const room = instance ? schedulable(instance) : undefined;
  const containerCpu = int("containerCpu", 1, MAX, "an integer > 0 (CPU units, 1024 = 1 vCPU)");
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
  try {
    const c = parseCidr(vpcCidr);
    if (c.prefix < 16 || c.prefix > 24) bad("vpcCidr", "an IPv4 CIDR block from /16 to /24 (AWS VPC limits), e.g. 10.0.0.0/16");
  } catch (e) {
    bad("vpcCidr", `an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16 (${(e as Error).message})`);
  }
  const regionAzs = REGION_AZ_COUNT[regionName];
  const maxAzs = Math.min(6, regionAzs ?? 6);
  const availabilityZones = int("availabilityZones", 2, 6, "an integer from 2 to 6 (an ALB needs two AZs)");
  if (availabilityZones > maxAzs) bad("availabilityZones", `an integer from 2 to ${maxAzs}: ${regionName} has ${regionAzs} AZs`);
  const natGateways = str("natGateways").trim();
  if (natGateways !== "perAz" && natGateways !== "single") bad("natGateways", "perAz or single");
  const flowLogs = bool("flowLogs");

  // --- placement: can the tasks asked for ever run on maxSize hosts? ---
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

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    region: regionName, instanceType, instance: instance!, desiredCapacity, maxSize, ecsAmiParameter, serviceName, imageUrl,
    containerCpu, containerMemory, containerPort, desiredCount, vpcCidr, availabilityZones,
    natGateways: natGateways as StackConfig["natGateways"], flowLogs, healthCheckPath, healthCheckGracePeriodSeconds,
    certificateArn, logRetentionDays, deletionProtection, accessLogs, autoscaling, autoscalingMinCount,
    autoscalingMaxCount, autoscalingCpuTarget, autoscalingRequestsPerTarget, ecsExec, appPath, eniTrunking,
    hostSessionManager, taskCapacity,
  };
}

/** The project's keys, unqualified, from fully qualified config ("ecs-ec2-api:maxSize" -> "maxSize"). */
export function projectKeys(all: Record<string, string>): Record<string, string> {
  const prefix = `${NAMESPACE}:`;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/**
 * Reads this stack's config (and the AWS region) from the Pulumi engine and validates it. It reads every
 * key of the project's namespace, not only the known ones, so a misspelt key is an error, not a silent default.
 */
export function loadConfig(): StackConfig {
  const region = new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return parseConfig(projectKeys(pulumi.runtime.allConfig()), region, { rootDir: __dirname });
}
