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
import { ConfigReader } from "./components/config-reader";
import { ARN_SHAPES, SecretSource, isPolicyArn, kmsKeyRegion, parseSecretSource } from "./components/arns";
import { WAF_MANAGED_RULES, wafGroupOf } from "./components/waf-rules";

type KeyType = "string" | "integer" | "boolean" | "array" | "object";
export interface KeySpec {
  type: KeyType;
  /** For arrays: the type of every item (as Pulumi.yaml declares it; the CLI checks it). */
  items?: { type: "string" | "object" };
  default: string | number | boolean | string[] | Record<string, never>;
  description: string;
  /**
   * Pulumi.yaml declares no default for the key: config.ts applies `default`, so the program can tell a
   * key left unset from one set to its default (the CLI hands declared defaults over as if set).
   */
  programDefault?: true;
}

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Keeps each key's literal type while checking it against KeySpec. */
const defineSchema = <T extends Record<string, KeySpec>>(schema: T): T => schema;

export const CONFIG_SCHEMA = defineSchema({
  // --- the seed's parameters, names and defaults kept ---
  instanceType: { type: "string", default: "c5.xlarge", description: "EC2 instance type of the container hosts (one of the types in components/instance-types.ts)." },
  desiredCapacity: { type: "integer", default: 0, description: "Hosts launched at creation, 0..maxSize. The capacity provider owns the count afterwards." },
  maxSize: { type: "integer", default: 100, description: "Most hosts the Auto Scaling group may run (>= 1); every service's tasks must fit on them." },
  ecsAmiParameter: { type: "string", default: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", description: "SSM parameter (under /aws/service/ecs/, ending in /image_id) holding the ECS-optimized AMI id; use the arm64 path for Graviton types." },
  serviceName: { type: "string", default: "web", description: "Name of the default service (its ECS service, task family and container): 1..32 lowercase letters, digits and inner hyphens; it starts its resources' names, so not internal, sg, sthree, amzn-s3-demo (nor those followed by -) nor xn--." },
  imageUrl: { type: "string", default: "public.ecr.aws/docker/library/nginx:latest", description: "Container image to run when appPath is empty." },
  containerCpu: { type: "integer", default: 256, description: "CPU units per task (1024 = 1 vCPU), at least 128; must fit one host." },
  containerMemory: { type: "integer", default: 512, description: "Memory per task in MiB; must fit one host after the ECS reserve." },
  containerPort: { type: "integer", default: 80, programDefault: true, description: "Port the container listens on, 1..65535. Unset: 80, or with appPath the port its Dockerfile EXPOSEs (set, it must be one the Dockerfile EXPOSEs)." },
  desiredCount: { type: "integer", default: 2, description: "Tasks to run (the initial count when autoscaling is on)." },
  // --- the network ---
  vpcCidr: { type: "string", default: "10.0.0.0/16", description: "IPv4 CIDR of the VPC, /16../24; split into public (lower half) and private (upper half) subnets, which must hold the ALB and every task and host." },
  availabilityZones: { type: "integer", default: 2, description: "AZs to span, 2..6 and at most the region's AZ count (an ALB needs two)." },
  availabilityZoneNames: { type: "array", items: { type: "string" }, default: [], description: "The AZs by name (e.g. [us-east-1a, us-east-1b]), as many as availabilityZones. Empty: the region's first standard AZs by name, which never change between runs." },
  natGateways: { type: "string", default: "perAz", description: "perAz (one NAT gateway per AZ, survives an AZ outage) or single (one shared, cheaper)." },
  flowLogs: { type: "boolean", default: false, description: "Send VPC flow logs (all traffic) to CloudWatch Logs." },
  // --- the public entry (one load balancer for every service) ---
  certificateArn: { type: "string", default: "", description: "ACM certificate ARN in the stack's region. When set: HTTPS on 443 with TLS 1.2+/1.3 and 80 redirects to 443. Empty: HTTP on 80 only (or a certificate for domainName)." },
  domainName: { type: "string", default: "", description: "The API's own domain (e.g. api.acme.dev), with hostedZoneId: a DNS-validated certificate (unless certificateArn is set), HTTPS, and an alias record to the ALB; url becomes https://<domainName>." },
  hostedZoneId: { type: "string", default: "", description: "Route 53 public hosted zone of domainName (Z...), where the validation and alias records go." },
  albIdleTimeoutSeconds: { type: "integer", default: 30, description: "Seconds the ALB keeps an idle connection open, 1..4000; the app's keep-alive timeout must be longer." },
  accessLogs: { type: "boolean", default: false, description: "Write ALB access logs to an encrypted, private S3 bucket the stack creates." },
  deletionProtection: { type: "boolean", default: false, description: "Protect the VPC, subnets, load balancer, image repositories and log bucket (Pulumi protect: a destroy or a replacement refuses in its preview, before deleting anything), turn on ALB deletion protection, keep the access logs on destroy." },
  logRetentionDays: { type: "integer", default: 30, description: "Retention of every log group and of ALB access logs, in days (a CloudWatch Logs retention value)." },
  // --- the default service (every key also goes in a services entry) ---
  healthCheckPath: { type: "string", default: "/", description: "Target group health check path; starts with /." },
  healthCheckMatcher: { type: "string", default: "200", description: "HTTP codes a healthy target answers the health check with: 200, 200,204, 200-399 (codes 200..499)." },
  healthCheckIntervalSeconds: { type: "integer", default: 6, description: "Seconds between health checks of a target, 5..300." },
  healthCheckTimeoutSeconds: { type: "integer", default: 5, description: "Seconds without a response that fail a health check, 2..120, less than the interval." },
  healthyThresholdCount: { type: "integer", default: 2, description: "Consecutive passed health checks that make a target healthy, 2..10." },
  unhealthyThresholdCount: { type: "integer", default: 10, description: "Consecutive failed health checks that make a target unhealthy, 2..10." },
  healthCheckGracePeriodSeconds: { type: "integer", default: 60, description: "Seconds ECS ignores failing load balancer health checks after a task starts, 0..2147483647." },
  deregistrationDelaySeconds: { type: "integer", default: 30, description: "Seconds the ALB lets in-flight requests of a leaving task finish before ECS stops it (deploys, scale-in, host refresh), 0..3600." },
  stopTimeoutSeconds: { type: "integer", default: 30, description: "Seconds a container has after SIGTERM to exit before SIGKILL, 2..120; the container is told SHUTDOWN_TIMEOUT_MS, 5 s less." },
  deploymentMinimumHealthyPercent: { type: "integer", default: 75, description: "Share of desiredCount that stays running during a deployment, 0..100." },
  deploymentMaximumPercent: { type: "integer", default: 200, description: "Most tasks during a deployment, in percent of desiredCount, 100..200; above the minimum so a deployment can progress." },
  command: { type: "array", items: { type: "string" }, default: [], description: "The container's command, replacing the image's CMD (e.g. [node, server.js, --port, \"8080\"]). Empty: the image's." },
  containerHealthCheck: { type: "object", default: {}, description: "A Docker health check ECS runs in the container: {command: [CMD-SHELL, <shell>] or [CMD, ...], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0}. Empty: none." },
  environment: { type: "object", default: {}, description: "Plain environment variables for the container (NAME: value). No secrets: those go in secrets." },
  secrets: { type: "object", default: {}, description: "Environment variables filled from SSM parameters or Secrets Manager secrets (NAME: <ARN>[:<json-key>:<stage>:<version>]), in the stack's region; the service's execution role may read exactly these." },
  secretsKmsKeyArns: { type: "array", items: { type: "string" }, default: [], description: "Customer managed KMS keys that encrypt the secrets (key ARNs); the execution role may decrypt with these only. Empty: AWS managed keys." },
  taskPolicyArns: { type: "array", items: { type: "string" }, default: [], description: "IAM managed policies for the task role: the application's own AWS access." },
  egressRules: { type: "array", items: { type: "object" }, default: [], description: "Outbound rules for the tasks beyond HTTPS: {port or fromPort/toPort, protocol: tcp|udp, one of cidr (or vpc), securityGroupId, prefixListId, description}. 0.0.0.0/0 on ports other than 443 needs allowInternet: true." },
  ecsExec: { type: "boolean", default: false, description: "Allow ECS Exec (interactive shells in tasks through SSM). Off: no way into a running task." },
  appPath: { type: "string", default: "", description: "Folder with a Dockerfile to build and push to a new ECR repository; the service runs that image instead of imageUrl. Needs Docker at pulumi up." },
  autoscaling: { type: "boolean", default: false, description: "Scale the service between autoscalingMinCount and autoscalingMaxCount on CPU and ALB requests per target." },
  autoscalingMinCount: { type: "integer", default: 2, description: "Fewest tasks when autoscaling is on (>= 1)." },
  autoscalingMaxCount: { type: "integer", default: 10, description: "Most tasks when autoscaling is on; with every other service's, must fit on maxSize hosts." },
  autoscalingCpuTarget: { type: "integer", default: 60, description: "Target average service CPU utilization in percent, 10..90." },
  autoscalingRequestsPerTarget: { type: "integer", default: 1000, description: "Target ALB requests per task per minute, >= 1." },
  deploymentStrategy: { type: "string", default: "rolling", description: "How a release goes out: rolling (replace tasks in place), blueGreen (a full new set, all traffic at once after it is healthy), canary (canaryPercent first, the rest after shiftIntervalMinutes) or linear (linearStepPercent every shiftIntervalMinutes); ECS's native strategies, rolled back by the service's alarms. Routed services only." },
  bakeTimeMinutes: { type: "integer", default: 10, description: "With blueGreen, canary or linear: minutes the old tasks stay, ready to take the traffic back, after all traffic moved, 0..1440." },
  canaryPercent: { type: "integer", default: 10, description: "With canary: percent of the traffic the new tasks take first, 1..100." },
  linearStepPercent: { type: "integer", default: 10, description: "With linear: percent of the traffic moved at each step, 3..100." },
  shiftIntervalMinutes: { type: "integer", default: 5, description: "With canary or linear: minutes between traffic shifts, 0..1440." },
  p99LatencyAlarmMs: { type: "integer", default: 1000, description: "Alarm when the service's p99 target response time stays above this many milliseconds (3 of 5 minutes), 10..600000." },
  // --- more services on the same cluster and load balancer ---
  services: { type: "object", default: {}, description: "More services: {<name>: {imageUrl or appPath, pathPatterns and/or hostHeaders with a unique priority (a routed API) or neither (a worker), and any default-service key: containerCpu, containerPort, environment, secrets, autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}, ...}}." },
  // --- operations ---
  alarmEmail: { type: "string", default: "", description: "An email address every alarm notifies, on alarm and on recovery (an SNS topic the stack creates; the address confirms the subscription)." },
  alarmTopicArn: { type: "string", default: "", description: "An existing SNS topic (of the stack's region) every alarm notifies, e.g. one wired to chat." },
  waf: { type: "boolean", default: false, description: "A regional WAF web ACL on the load balancer: AWS managed common rules, known bad inputs, IP reputation, and a per-IP rate limit." },
  wafRateLimit: { type: "integer", default: 2000, description: "With waf: requests per 5 minutes one IP address may send before it is blocked, 10..2000000000." },
  wafCountRules: { type: "array", items: { type: "string" }, default: [], description: "With waf: rules of the managed rule groups to count instead of block (e.g. SizeRestrictions_BODY for APIs taking bodies over 8 KB)." },
  // --- the hosts ---
  spotInstanceTypes: { type: "array", items: { type: "string" }, default: [], description: "Interchangeable instance types for Spot hosts beside the on-demand ones (same architecture as instanceType): a second group and capacity provider, price-capacity-optimized. Empty: on-demand only." },
  spotMaxSize: { type: "integer", default: 10, description: "With spotInstanceTypes: most Spot hosts, >= 1." },
  onDemandBaseTasks: { type: "integer", default: 1, description: "With spotInstanceTypes: tasks of each service that always run on on-demand hosts, >= 0." },
  onDemandWeight: { type: "integer", default: 1, description: "With spotInstanceTypes: on-demand share of the tasks above the base (weight), 0..1000." },
  spotWeight: { type: "integer", default: 1, description: "With spotInstanceTypes: Spot share of the tasks above the base (weight), 0..1000." },
  eniTrunking: { type: "boolean", default: false, description: "Turn on ECS ENI trunking for the account (more awsvpc tasks per host) and roll the hosts onto it. Account-wide, and left on when the stack is destroyed." },
  hostSessionManager: { type: "boolean", default: false, description: "Let operators reach hosts with SSM Session Manager (no SSH, no inbound port)." },
});

export type ConfigKey = keyof typeof CONFIG_SCHEMA;

/** The keys a `services` entry takes: the default service's, with autoscaling as one object, and its route. */
export const SERVICE_KEYS = [
  "imageUrl", "appPath", "containerCpu", "containerMemory", "containerPort", "desiredCount",
  "healthCheckPath", "healthCheckMatcher", "healthCheckIntervalSeconds", "healthCheckTimeoutSeconds", "healthyThresholdCount",
  "unhealthyThresholdCount", "healthCheckGracePeriodSeconds", "deregistrationDelaySeconds", "stopTimeoutSeconds",
  "deploymentMinimumHealthyPercent", "deploymentMaximumPercent", "command", "containerHealthCheck", "environment", "secrets",
  "secretsKmsKeyArns", "taskPolicyArns", "egressRules", "ecsExec", "autoscaling", "pathPatterns", "hostHeaders", "priority",
  "deploymentStrategy", "bakeTimeMinutes", "canaryPercent", "linearStepPercent", "shiftIntervalMinutes", "p99LatencyAlarmMs",
] as const;

/** How a release reaches the tasks: ECS's native deployment strategies. */
export type Strategy = "rolling" | "blueGreen" | "canary" | "linear";
export const STRATEGIES: Strategy[] = ["rolling", "blueGreen", "canary", "linear"];

export interface DeploymentSpec {
  strategy: Strategy;
  /** Rolling: share of desiredCount kept running, and the most tasks, in percent. */
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Blue/green, canary, linear: minutes the old tasks stay after all traffic moved. */
  bakeTimeMinutes: number;
  canaryPercent: number;
  linearStepPercent: number;
  /** Minutes between traffic shifts (canary, linear). */
  shiftIntervalMinutes: number;
}

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
export function releaseMinutes(d: DeploymentSpec, drainSeconds: number): number {
  const drain = Math.ceil(drainSeconds / 60);
  switch (d.strategy) {
    case "rolling": return drain;
    case "blueGreen": return d.bakeTimeMinutes + drain;
    case "canary": return d.shiftIntervalMinutes + d.bakeTimeMinutes + drain;
    case "linear": return Math.ceil(100 / d.linearStepPercent) * d.shiftIntervalMinutes + d.bakeTimeMinutes + drain;
  }
}

/** Where a service is reached: the listener's default action, a listener rule, or nowhere (a worker). */
export type Route =
  | { kind: "default" }
  | { kind: "rule"; priority: number; pathPatterns: string[]; hostHeaders: string[] }
  | { kind: "worker" };

export interface SecretSpec {
  /** The environment variable. */
  name: string;
  /** The ARN as given (ECS `valueFrom`). */
  valueFrom: string;
  source: SecretSource;
}

export interface EgressRule {
  protocol: "tcp" | "udp";
  fromPort: number;
  toPort: number;
  /** Exactly one destination; `vpc` is the VPC's own CIDR. */
  to: { cidr: string } | { vpc: true } | { securityGroupId: string } | { prefixListId: string };
  description: string;
}

export interface ContainerHealthCheck {
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface AutoscalingSpec {
  minCount: number;
  maxCount: number;
  cpuTarget: number;
  /** ALB requests per task per minute; routed services only. */
  requestsPerTarget: number;
}

/** One ECS service, validated: the default one (the flat keys) or an entry of `services`. */
export interface ServiceSpec {
  name: string;
  /** Exactly one of the two. */
  imageUrl?: string;
  /** Absolute folder with a Dockerfile. */
  appPath?: string;
  cpu: number;
  memory: number;
  port: number;
  desiredCount: number;
  route: Route;
  healthCheck: {
    path: string;
    matcher: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    gracePeriodSeconds: number;
  };
  deregistrationDelaySeconds: number;
  stopTimeoutSeconds: number;
  deployment: DeploymentSpec;
  /** The p99 target response time alarm's threshold. */
  p99LatencyAlarmMs: number;
  /** Undefined: the image's CMD. */
  command?: string[];
  containerHealthCheck?: ContainerHealthCheck;
  environment: Record<string, string>;
  secrets: SecretSpec[];
  secretsKmsKeyArns: string[];
  taskPolicyArns: string[];
  egressRules: EgressRule[];
  ecsExec: boolean;
  /** Undefined: a fixed desiredCount. */
  autoscaling?: AutoscalingSpec;
  /** Derived: awsvpc tasks of this size one host holds (an on-demand host; a Spot host of the smallest Spot type). */
  perHost: TaskCapacity;
  spotPerHost?: TaskCapacity;
}

export interface StackConfig {
  region: string;
  // --- hosts ---
  instanceType: string;
  instance: InstanceTypeInfo;
  desiredCapacity: number;
  maxSize: number;
  ecsAmiParameter: string;
  eniTrunking: boolean;
  hostSessionManager: boolean;
  // --- network ---
  vpcCidr: string;
  availabilityZones: number;
  /** Undefined when the key is empty: the Network picks the region's first standard AZs by name. */
  availabilityZoneNames?: string[];
  natGateways: "perAz" | "single";
  flowLogs: boolean;
  // --- the public entry ---
  /** Undefined when the key is empty. */
  certificateArn?: string;
  /** With hostedZoneId, or both undefined. */
  domainName?: string;
  hostedZoneId?: string;
  /** HTTPS on 443 (a certificate is given or requested for domainName). */
  https: boolean;
  albIdleTimeoutSeconds: number;
  accessLogs: boolean;
  deletionProtection: boolean;
  logRetentionDays: number;
  // --- operations ---
  /** Where alarms go: an email address (a topic the stack creates) and/or an existing topic. */
  alarmEmail?: string;
  alarmTopicArn?: string;
  /** Undefined: no web ACL. */
  waf?: { rateLimit: number; countRules: string[] };
  // --- Spot hosts ---
  /** Undefined: on-demand hosts only. */
  spot?: { instanceTypes: string[]; maxSize: number; onDemandBaseTasks: number; onDemandWeight: number; spotWeight: number };
  // --- services ---
  /** The default service (the flat keys) first, then the `services` entries by name. */
  services: ServiceSpec[];
  /** Derived: what maxSize hosts hold, and what the services ask of them (desired and at their maximum). */
  capacity: ClusterCapacity;
  /** Values that stand for something the user must fill in; `pulumi up` refuses them, preview warns. */
  placeholders: Placeholder[];
  /** Legal but doubtful settings, shown by preview and the plan. */
  warnings: string[];
}

export interface ClusterCapacity {
  /** On-demand hosts at most (maxSize). */
  hosts: number;
  /** What one host offers tasks: CPU units, MiB, task network interfaces. */
  perHost: { cpu: number; memoryMiB: number; tasks: number };
  /** Spot hosts at most, and what the smallest Spot type offers. */
  spot?: { hosts: number; perHost: { cpu: number; memoryMiB: number; tasks: number } };
  /** Summed over the services, at their desired counts and at their most (autoscaling maximum). */
  desired: { cpu: number; memoryMiB: number; tasks: number };
  peak: { cpu: number; memoryMiB: number; tasks: number };
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
const SERVICE_NAME_RULE = `1 to 32 lowercase letters, digits and hyphens, not starting or ending with a hyphen; "<name>-" must not begin with ${RESERVED_NAME_PREFIXES.join(", ")} (the name starts its resources' names, and AWS reserves these prefixes)`;
const IMAGE_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const CERT_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** SSM parameters that hold an AMI id end in /image_id; ".../recommended" itself holds a JSON document. */
const AMI_PARAMETER_RE = /^\/aws\/service\/ecs\/[\w./-]+\/image_id$/;
/** A DNS name of 2+ labels, each 1..63 letters, digits and inner hyphens, 253 at most. */
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_RE = /^Z[A-Z0-9]{1,31}$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
/** Variables the program sets itself. */
const PROGRAM_ENV = ["PORT", "SERVICE_NAME", "SHUTDOWN_TIMEOUT_MS"];
/** Values that are credentials whatever the variable's name (AWS keys, private keys, common tokens). */
const SECRET_VALUE_RE = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bxox[abpr]-[A-Za-z0-9-]{10,}/;
/** ALB matcher: codes 200..499, a list or a range. */
const MATCHER_RE = /^(?:[2-4]\d\d)(?:-[2-4]\d\d|(?:,[2-4]\d\d)*)$/;
/** ALB listener rules: 1..50000; path patterns up to 128 characters of this alphabet, with * and ?. */
const PATH_PATTERN_RE = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&()!,;=]{0,127}$/;
const HOST_HEADER_RE = /^(?=.{1,128}$)(?:\*\.)?(?:[a-z0-9*?](?:[a-z0-9*?-]{0,61}[a-z0-9*?])?\.)*[a-z0-9*?](?:[a-z0-9*?-]{0,61}[a-z0-9*?])?$/;
/** ECS: task CPU on EC2 is 128..196608 units (0.125..192 vCPU). */
export const MIN_TASK_CPU = 128;

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

const schemaDefaults = (): Record<string, unknown> => Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, spec.default]));

/**
 * Normalizes and validates raw config values (strings, as the engine passes them; objects and lists as
 * JSON; a missing key takes its default) for `region`. Throws a ConfigError that lists every problem.
 */
export function parseConfig(raw: Record<string, string | undefined>, region: string | undefined, opts: ParseOptions): StackConfig {
  const problems: string[] = [];
  const set = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const r = new ConfigReader(set, schemaDefaults(), (k) => `${NAMESPACE}:${k}`, problems);
  r.unknownKeys(Object.keys(CONFIG_SCHEMA), didYouMean);
  if (opts.awsKeys) {
    const known = awsProviderKeys();
    for (const key of opts.awsKeys) {
      if (!known.includes(key)) problems.push(`aws:${key} is not a setting of the AWS provider${didYouMean(key, known)}; its settings: ${known.join(", ")}`);
    }
  }
  const MAX = Number.MAX_SAFE_INTEGER;

  // --- region ---
  const regionName = region ?? "";
  if (!region) problems.push('aws:region is not set: set it with `pulumi config set aws:region <region>` (e.g. us-east-1)');
  else {
    const why = regionProblem(region);
    if (why) problems.push(`aws:region = ${JSON.stringify(region)} is not allowed: ${why}`);
  }

  // --- hosts ---
  const instanceType = r.str("instanceType");
  const instance = INSTANCE_TYPES[instanceType];
  if (!instance) r.bad("instanceType", `one of ${Object.keys(INSTANCE_TYPES).join(", ")}${didYouMean(instanceType, Object.keys(INSTANCE_TYPES))}`);
  const maxSize = r.int("maxSize", 1, 10000, "an integer >= 1");
  const desiredCapacity = r.int("desiredCapacity", 0, MAX, "an integer >= 0");
  if (desiredCapacity > maxSize) r.bad("desiredCapacity", `an integer from 0 to maxSize (${maxSize})`);
  const ecsAmiParameter = r.str("ecsAmiParameter");
  if (!AMI_PARAMETER_RE.test(ecsAmiParameter)) {
    const hint = /^\/aws\/service\/ecs\/.*\/recommended$/.test(ecsAmiParameter) ? ` (${ecsAmiParameter} holds a JSON document; the AMI id is in ${ecsAmiParameter}/image_id)` : "";
    r.bad("ecsAmiParameter", `an SSM parameter path under /aws/service/ecs/ ending in /image_id, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id${hint}`);
  } else if (instance) {
    const armPath = /\/arm64\//.test(ecsAmiParameter);
    if (instance.arch === "arm64" && !armPath) {
      r.bad("ecsAmiParameter", `an arm64 AMI path for the Graviton type ${instanceType}, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id`);
    } else if (instance.arch === "x86_64" && armPath) {
      r.bad("ecsAmiParameter", `an x86_64 AMI path for ${instanceType}; the arm64 path is for Graviton types`);
    }
  }
  const eniTrunking = r.bool("eniTrunking");
  if (eniTrunking && instance && instance.trunkTaskLimit === undefined) {
    r.bad("eniTrunking", `false for ${instanceType}: ENI trunking is not supported on burstable types; choose e.g. c6i.large or m7g.large`);
  }
  const hostSessionManager = r.bool("hostSessionManager");
  const spot = parseSpot(r, instanceType, instance);

  // --- operations ---
  const alarmEmail = r.str("alarmEmail") || undefined;
  if (alarmEmail && !EMAIL_RE.test(alarmEmail)) r.bad("alarmEmail", "empty, or an email address such as ops@acme.dev");
  const alarmTopicArn = r.str("alarmTopicArn") || undefined;
  if (alarmTopicArn) {
    const m = SNS_TOPIC_RE.exec(alarmTopicArn);
    if (!m) r.bad("alarmTopicArn", "empty, or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts (a standard topic: CloudWatch cannot notify FIFO topics)");
    else if (region && m[1] !== region) r.bad("alarmTopicArn", `a topic in the stack's region ${region}: CloudWatch alarms notify topics of their own region`);
  }
  const wafOn = r.bool("waf");
  const wafRateLimit = r.int("wafRateLimit", 10, 2000000000, "an integer from 10 to 2000000000 (requests per 5 minutes per IP)");
  const wafCountRules = r.strings("wafCountRules");
  const managedRules = Object.values(WAF_MANAGED_RULES).flat();
  for (const rule of wafCountRules) {
    if (!wafGroupOf(rule)) r.bad("wafCountRules", `rules of the web ACL's managed rule groups (such as SizeRestrictions_BODY); ${rule} is none of them${didYouMean(rule, managedRules)}`);
  }
  if (!wafOn && wafCountRules.length > 0) r.bad("wafCountRules", "empty without waf");

  // --- the public entry ---
  const certificateArn = r.str("certificateArn") || undefined;
  if (certificateArn) {
    const m = CERT_RE.exec(certificateArn);
    if (!m) r.bad("certificateArn", "empty, or an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>");
    else if (region && m[1] !== region) r.bad("certificateArn", `a certificate in the stack's region ${region}: an ALB can only use certificates from its own region`);
  }
  const domainName = r.str("domainName").toLowerCase().replace(/\.$/, "") || undefined;
  const hostedZoneId = r.str("hostedZoneId") || undefined;
  if (domainName && !DOMAIN_RE.test(domainName)) r.bad("domainName", "empty, or a DNS name such as api.acme.dev (labels of letters, digits and inner hyphens)");
  if (hostedZoneId && !HOSTED_ZONE_RE.test(hostedZoneId)) r.bad("hostedZoneId", "empty, or a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
  if (domainName && !hostedZoneId) r.bad("hostedZoneId", "the Route 53 hosted zone of domainName: set both or neither (the certificate's validation records and the alias record go there)");
  if (hostedZoneId && !domainName) r.bad("domainName", "set with hostedZoneId: the name to serve the API on");
  const albIdleTimeoutSeconds = r.int("albIdleTimeoutSeconds", 1, 4000, "an integer from 1 to 4000 (seconds)");
  const logRetentionDays = r.int("logRetentionDays", 1, 3653, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) r.bad("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  const deletionProtection = r.bool("deletionProtection");
  const accessLogs = r.bool("accessLogs");

  // --- network ---
  const vpcCidr = r.str("vpcCidr");
  let vpcPrefix: number | undefined;
  try {
    const c = parseCidr(vpcCidr);
    if (c.prefix < 16 || c.prefix > 24) r.bad("vpcCidr", "an IPv4 CIDR block from /16 to /24 (AWS VPC limits), e.g. 10.0.0.0/16");
    else vpcPrefix = c.prefix;
  } catch (e) {
    r.bad("vpcCidr", `an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16 (${(e as Error).message})`);
  }
  const regionAzs = REGION_AZ_COUNT[regionName];
  const maxAzs = Math.min(6, regionAzs ?? 6);
  const availabilityZones = r.int("availabilityZones", 2, 6, "an integer from 2 to 6 (an ALB needs two AZs)");
  if (regionAzs !== undefined && availabilityZones > maxAzs) r.bad("availabilityZones", `an integer from 2 to ${maxAzs}: ${regionName} has ${regionAzs} AZs`);
  const zoneNames = r.strings("availabilityZoneNames");
  if (zoneNames.length > 0) {
    const wrong = zoneNames.filter((z) => !new RegExp(`^${regionName}[a-z]$`).test(z));
    if (wrong.length > 0) r.bad("availabilityZoneNames", `names of standard AZs of ${regionName || "the stack's region"} such as ${regionName || "us-east-1"}a (not ${wrong.join(", ")})`);
    else if (new Set(zoneNames).size !== zoneNames.length) r.bad("availabilityZoneNames", "distinct AZ names");
    else if (zoneNames.length !== availabilityZones) r.bad("availabilityZoneNames", `${availabilityZones} names, as many as availabilityZones (${availabilityZones}), or empty`);
  }
  const natGateways = r.str("natGateways");
  if (natGateways !== "perAz" && natGateways !== "single") r.bad("natGateways", "perAz or single");
  const flowLogs = r.bool("flowLogs");

  // --- services ---
  const ctx: ServiceContext = { region: regionName, instance, instanceType, eniTrunking, spotTypes: spot?.instanceTypes ?? [], rootDir: opts.rootDir };
  const defaultName = r.str("serviceName");
  if (!SERVICE_NAME_RE.test(defaultName) || reservedPrefixOf(defaultName)) r.bad("serviceName", SERVICE_NAME_RULE);
  const services = [parseService(r, defaultName, { kind: "default" }, ctx, true)];
  const entries = r.map("services", "service names to their settings");
  for (const [name, entry] of Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))) {
    const prefix = `${NAMESPACE}:services.${name}`;
    if (!SERVICE_NAME_RE.test(name) || reservedPrefixOf(name)) problems.push(`${prefix} is not allowed: service names are ${SERVICE_NAME_RULE}`);
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`${prefix} = ${JSON.stringify(entry)} is not allowed: a map of the service's settings`);
      continue;
    }
    const e = r.nested(entry as Record<string, unknown>, { ...schemaDefaults(), imageUrl: undefined }, prefix);
    e.unknownKeys(SERVICE_KEYS, didYouMean, flatOnly);
    services.push(parseService(e, name, routeOf(e), ctx, false));
  }
  checkServiceSet(services, problems);

  // --- capacity: can every service's tasks run on maxSize hosts together, and get addresses? ---
  let capacity: ClusterCapacity = { hosts: maxSize, perHost: { cpu: 0, memoryMiB: 0, tasks: 0 }, desired: { cpu: 0, memoryMiB: 0, tasks: 0 }, peak: { cpu: 0, memoryMiB: 0, tasks: 0 } };
  if (instance && problems.length === 0) {
    capacity = clusterCapacity(instance, eniTrunking, maxSize, services, spot);
    checkPlacement(r, services, capacity, instanceType, eniTrunking);
  }
  if (vpcPrefix !== undefined && problems.length === 0) {
    const room = addressRoom(vpcCidr, availabilityZones, {
      hosts: maxSize,
      trunking: eniTrunking,
      tasks: services.reduce((n, s) => n + taskCount(s, "peak") * deploymentPeakPercent(s.deployment) / 100, 0),
    });
    if (room) r.bad("vpcCidr", room);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    region: regionName, instanceType, instance: instance!, desiredCapacity, maxSize, ecsAmiParameter, eniTrunking, hostSessionManager,
    vpcCidr, availabilityZones, availabilityZoneNames: zoneNames.length > 0 ? zoneNames : undefined,
    natGateways: natGateways as StackConfig["natGateways"], flowLogs,
    certificateArn, domainName, hostedZoneId, https: !!(certificateArn || domainName), albIdleTimeoutSeconds, accessLogs, deletionProtection, logRetentionDays,
    alarmEmail, alarmTopicArn, waf: wafOn ? { rateLimit: wafRateLimit, countRules: wafCountRules } : undefined, spot,
    services, capacity,
    placeholders: findPlaceholders(Object.fromEntries(Object.keys(CONFIG_SCHEMA).map((k) => [k, r.shown(k)]))),
    warnings: networkWarnings(vpcCidr),
  };
}

/** Why a flat key has no place in a services entry. */
function flatOnly(key: string): string | undefined {
  if (/^autoscaling.+/.test(key)) return "in a services entry autoscaling is one map: autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}";
  if (key === "serviceName") return "the entry's own key is the service's name";
  if (key in CONFIG_SCHEMA) return `${key} is the stack's, shared by every service`;
  return undefined;
}

interface ServiceContext {
  region: string;
  instance?: InstanceTypeInfo;
  instanceType: string;
  eniTrunking: boolean;
  /** Spot hosts' types (known ones), or none. */
  spotTypes: string[];
  rootDir: string;
}

const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const SNS_TOPIC_RE = /^arn:aws:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Spot hosts: interchangeable types of instanceType's architecture, their group's size and the task split. */
function parseSpot(r: ConfigReader, instanceType: string, instance?: InstanceTypeInfo): StackConfig["spot"] {
  const types = r.strings("spotInstanceTypes");
  const maxSize = r.int("spotMaxSize", 1, 10000, "an integer >= 1");
  const onDemandBaseTasks = r.int("onDemandBaseTasks", 0, 100000, "an integer from 0 to 100000");
  const onDemandWeight = r.int("onDemandWeight", 0, 1000, "an integer from 0 to 1000");
  const spotWeight = r.int("spotWeight", 0, 1000, "an integer from 0 to 1000");
  if (types.length === 0) return undefined;
  for (const t of types) {
    const info = INSTANCE_TYPES[t];
    if (!info) r.bad("spotInstanceTypes", `types from the table (components/instance-types.ts); ${t} is not one${didYouMean(t, Object.keys(INSTANCE_TYPES))}`);
    else if (instance && info.arch !== instance.arch) {
      r.bad("spotInstanceTypes", `types of instanceType's architecture (${instance.arch}, ${instanceType}): the hosts share one AMI and the images one platform; ${t} is ${info.arch}`);
    }
  }
  if (new Set(types).size !== types.length) r.bad("spotInstanceTypes", "distinct types");
  if (types.length > 20) r.bad("spotInstanceTypes", "at most 20 types");
  if (onDemandWeight === 0 && spotWeight === 0) r.bad("spotWeight", "above 0 when onDemandWeight is 0: one of the two capacity providers must take the tasks above the base");
  return { instanceTypes: types, maxSize, onDemandBaseTasks, onDemandWeight, spotWeight };
}

/** A service's task count: as desired, or at its most (autoscaling's maximum; without autoscaling, the desired count). */
export function taskCount(s: Pick<ServiceSpec, "desiredCount" | "autoscaling">, at: "desired" | "peak"): number {
  return at === "desired" ? s.desiredCount : s.autoscaling?.maxCount ?? s.desiredCount;
}

/** Tasks during a deployment, in percent of the count: blue/green, canary and linear start a full second set. */
export function deploymentPeakPercent(d: DeploymentSpec): number {
  return d.strategy === "rolling" ? d.maximumPercent : 200;
}

/** A services entry's route: a rule when it has path patterns or host headers, else a worker. */
function routeOf(e: ConfigReader): Route {
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

/** Validates one service's keys (flat for the default service, an entry of `services` otherwise). */
function parseService(r: ConfigReader, name: string, route: Route, ctx: ServiceContext, flat: boolean): ServiceSpec {
  const MAX = Number.MAX_SAFE_INTEGER;
  const routed = route.kind !== "worker";
  // --- the image ---
  const appPathText = r.str("appPath");
  let appPath: string | undefined;
  if (appPathText) {
    appPath = path.resolve(ctx.rootDir, appPathText);
    if (!fs.existsSync(path.join(appPath, "Dockerfile"))) r.bad("appPath", "empty, or a folder (relative to the project) that contains a Dockerfile");
    else if (!flat && r.has("imageUrl")) r.bad("imageUrl", "not set with appPath: the service runs the image built from appPath");
  }
  const imageUrl = appPath ? undefined : r.str("imageUrl");
  if (!appPath) {
    if (!imageUrl) r.bad("imageUrl", "a container image reference (or set appPath to build one)");
    else if (!IMAGE_RE.test(imageUrl)) r.bad("imageUrl", "a container image reference such as public.ecr.aws/docker/library/nginx:latest");
  }
  // --- size and count ---
  const room = ctx.instance ? schedulable(ctx.instance) : undefined;
  const cpu = r.int("containerCpu", MIN_TASK_CPU, MAX, `an integer >= ${MIN_TASK_CPU} (CPU units, 1024 = 1 vCPU; ECS's least for an EC2 task)`);
  if (room && cpu > room.cpu) r.bad("containerCpu", `at most ${room.cpu} CPU units, what one ${ctx.instanceType} offers`);
  const memory = r.int("containerMemory", 6, MAX, "an integer >= 6 (MiB)");
  if (room && memory > room.memoryMiB) r.bad("containerMemory", `at most ${room.memoryMiB} MiB, what one ${ctx.instanceType} offers ECS after the kernel and the ECS reserve`);
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
  const desiredCount = r.int("desiredCount", 0, MAX, "an integer >= 0");
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
  const minimumHealthyPercent = r.int("deploymentMinimumHealthyPercent", 0, 100, "an integer from 0 to 100 (percent)");
  const maximumPercent = r.int("deploymentMaximumPercent", 100, 200, "an integer from 100 to 200 (percent)");
  if (minimumHealthyPercent === 100 && maximumPercent === 100) {
    r.bad("deploymentMaximumPercent", "above 100 when deploymentMinimumHealthyPercent is 100: otherwise ECS can neither start a new task nor stop an old one, and no deployment progresses");
  }
  const strategy = r.str("deploymentStrategy") as Strategy;
  if (!STRATEGIES.includes(strategy)) r.bad("deploymentStrategy", `one of ${STRATEGIES.join(", ")}${didYouMean(strategy, STRATEGIES)}`);
  else if (!routed && strategy !== "rolling") r.bad("deploymentStrategy", "rolling for a worker: blue/green, canary and linear move load balancer traffic, and a worker has none");
  const deployment: DeploymentSpec = {
    strategy: STRATEGIES.includes(strategy) ? strategy : "rolling",
    minimumHealthyPercent,
    maximumPercent,
    bakeTimeMinutes: r.int("bakeTimeMinutes", 0, 1440, "an integer from 0 to 1440 (minutes)"),
    canaryPercent: r.int("canaryPercent", 1, 100, "an integer from 1 to 100 (percent)"),
    linearStepPercent: r.int("linearStepPercent", 3, 100, "an integer from 3 to 100 (percent; ECS's least step is 3)"),
    shiftIntervalMinutes: r.int("shiftIntervalMinutes", 0, 1440, "an integer from 0 to 1440 (minutes)"),
  };
  const release = releaseMinutes(deployment, deregistrationDelaySeconds + stopTimeoutSeconds);
  if (release > MAX_RELEASE_MINUTES) {
    const keys = { rolling: "deregistrationDelaySeconds", blueGreen: "bakeTimeMinutes", canary: "shiftIntervalMinutes", linear: "shiftIntervalMinutes" }[deployment.strategy];
    r.bad(keys, `a release that ends within ${MAX_RELEASE_MINUTES} minutes: this ${deployment.strategy} release takes ${release} minutes (traffic shifts, bakeTimeMinutes ${deployment.bakeTimeMinutes}, drain ${deregistrationDelaySeconds + stopTimeoutSeconds} s), and \`pulumi up\` waits for all of it; shorten shiftIntervalMinutes or bakeTimeMinutes${deployment.strategy === "linear" ? ", or raise linearStepPercent" : ""}`);
  }
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
  if (secretsKmsKeyArns.length > 0 && secrets.length === 0) r.bad("secretsKmsKeyArns", "empty without secrets: the keys decrypt the secrets");
  const taskPolicyArns = r.strings("taskPolicyArns");
  for (const arn of taskPolicyArns) if (!isPolicyArn(arn)) r.bad("taskPolicyArns", `a list of ${ARN_SHAPES.policy}s; not ${JSON.stringify(arn)}`);
  if (new Set(taskPolicyArns).size !== taskPolicyArns.length) r.bad("taskPolicyArns", "distinct policy ARNs");
  const egressRules = parseEgressRules(r);
  const ecsExec = r.bool("ecsExec");
  // --- autoscaling ---
  const autoscaling = flat ? flatAutoscaling(r, desiredCount) : entryAutoscaling(r, desiredCount, routed);

  const perHost = ctx.instance ? tasksPerInstance(ctx.instance, cpu, memory, ctx.eniTrunking) : { perInstance: 0, limitedBy: "cpu" as const };
  // On Spot, plan for the smallest type the group may launch.
  const spotPerHost = ctx.spotTypes.filter((t) => INSTANCE_TYPES[t]).map((t) => tasksPerInstance(INSTANCE_TYPES[t], cpu, memory, ctx.eniTrunking))
    .reduce<TaskCapacity | undefined>((least, c) => (!least || c.perInstance < least.perInstance ? c : least), undefined);
  return {
    name, imageUrl, appPath, cpu, memory, port, desiredCount, route,
    healthCheck: { path: healthPath, matcher, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, gracePeriodSeconds },
    deregistrationDelaySeconds, stopTimeoutSeconds, deployment, p99LatencyAlarmMs,
    command: command.length > 0 ? command : undefined, containerHealthCheck, environment, secrets, secretsKmsKeyArns, taskPolicyArns,
    egressRules, ecsExec, autoscaling, perHost, spotPerHost,
  };
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

function parseEnvironment(r: ConfigReader): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.map("environment", "variable names to values"))) {
    if (!ENV_NAME_RE.test(name)) {
      r.bad("environment", `variable names of letters, digits and _ not starting with a digit; not ${JSON.stringify(name)}`);
      continue;
    }
    if (PROGRAM_ENV.includes(name)) {
      r.bad("environment", `no ${name}: the program sets ${PROGRAM_ENV.join(", ")} itself (PORT from containerPort)`);
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      r.bad("environment", `plain values (strings, numbers, booleans); ${name} is ${JSON.stringify(value)}`);
      continue;
    }
    if (SECRET_VALUE_RE.test(String(value))) {
      r.bad("environment", `no credentials as plain values: ${name} holds what looks like a key or token; put it in SSM or Secrets Manager and name it in secrets`);
      continue;
    }
    out[name] = String(value);
  }
  return out;
}

function parseSecrets(r: ConfigReader, region: string): SecretSpec[] {
  const out: SecretSpec[] = [];
  for (const [name, value] of Object.entries(r.map("secrets", "variable names to SSM parameter or Secrets Manager secret ARNs"))) {
    if (!ENV_NAME_RE.test(name) || PROGRAM_ENV.includes(name)) {
      r.bad("secrets", `variable names of letters, digits and _ not starting with a digit, other than ${PROGRAM_ENV.join(", ")}; not ${JSON.stringify(name)}`);
      continue;
    }
    const source = typeof value === "string" ? parseSecretSource(value.trim()) : undefined;
    if (!source) {
      r.bad("secrets", `${name}: ${ARN_SHAPES.secret}; not ${JSON.stringify(value)}`);
      continue;
    }
    if (source.region !== region) {
      r.bad("secrets", `${name}: a parameter or secret in the stack's region ${region} (it is in ${source.region}): ECS reads secrets from the task's region`);
      continue;
    }
    out.push({ name, valueFrom: String(value).trim(), source });
  }
  return out;
}

function parseContainerHealthCheck(r: ConfigReader): ContainerHealthCheck | undefined {
  const spec = r.map("containerHealthCheck", "health check settings");
  if (Object.keys(spec).length === 0) return undefined;
  const h = r.nested(spec, { intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 }, r.label("containerHealthCheck"));
  h.unknownKeys(["command", "intervalSeconds", "timeoutSeconds", "retries", "startPeriodSeconds"], didYouMean);
  const command = h.has("command") ? h.strings("command") : [];
  if (command.length < 2 || !["CMD", "CMD-SHELL"].includes(command[0])) {
    h.bad("command", 'a list that starts with CMD (then the program and its arguments) or CMD-SHELL (then one shell command), e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]');
  }
  return {
    command,
    // ECS: interval 5..300, timeout 2..60, retries 1..10, start period 0..300 seconds.
    intervalSeconds: h.int("intervalSeconds", 5, 300, "an integer from 5 to 300 (seconds)"),
    timeoutSeconds: h.int("timeoutSeconds", 2, 60, "an integer from 2 to 60 (seconds)"),
    retries: h.int("retries", 1, 10, "an integer from 1 to 10"),
    startPeriodSeconds: h.int("startPeriodSeconds", 0, 300, "an integer from 0 to 300 (seconds)"),
  };
}

const WORLD = ["0.0.0.0/0", "::/0"];

function parseEgressRules(r: ConfigReader): EgressRule[] {
  const out: EgressRule[] = [];
  r.list("egressRules", "outbound rules").forEach((entry, i) => {
    const label = `${r.label("egressRules")}[${i}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      r.problems.push(`${label} = ${JSON.stringify(entry)} is not allowed: a rule like {port: 5432, cidr: vpc}`);
      return;
    }
    const e = r.nested(entry as Record<string, unknown>, { protocol: "tcp", description: "", allowInternet: false }, label);
    e.unknownKeys(["protocol", "port", "fromPort", "toPort", "cidr", "securityGroupId", "prefixListId", "description", "allowInternet"], didYouMean);
    const protocol = e.str("protocol").toLowerCase();
    if (protocol !== "tcp" && protocol !== "udp") e.bad("protocol", "tcp or udp (no rule opens every protocol)");
    let fromPort = 0;
    let toPort = 0;
    if (e.has("port") === (e.has("fromPort") || e.has("toPort"))) {
      r.problems.push(`${label} is not allowed: give port, or fromPort and toPort (a range)`);
    } else if (e.has("port")) {
      fromPort = toPort = e.int("port", 1, 65535, "a port from 1 to 65535");
    } else {
      fromPort = e.int("fromPort", 1, 65535, "a port from 1 to 65535");
      toPort = e.int("toPort", 1, 65535, "a port from 1 to 65535");
      if (toPort < fromPort) e.bad("toPort", `at least fromPort (${fromPort})`);
    }
    const destinations = (["cidr", "securityGroupId", "prefixListId"] as const).filter((k) => e.has(k));
    if (destinations.length !== 1) {
      r.problems.push(`${label} is not allowed: give exactly one destination: cidr (an IPv4 block, or vpc for the VPC's own), securityGroupId or prefixListId`);
      return;
    }
    const value = e.str(destinations[0]);
    let to: EgressRule["to"] | undefined;
    if (destinations[0] === "cidr") {
      if (value === "vpc") to = { vpc: true };
      else {
        try {
          parseCidr(value);
          to = { cidr: value };
        } catch (err) {
          e.bad("cidr", `an IPv4 CIDR block such as 10.0.0.0/16, or vpc (${(err as Error).message})`);
        }
      }
    } else if (destinations[0] === "securityGroupId") {
      if (/^sg-[0-9a-f]{8,17}$/.test(value)) to = { securityGroupId: value };
      else e.bad("securityGroupId", "a security group id such as sg-0123456789abcdef0");
    } else if (/^pl-[0-9a-f]{8,17}$/.test(value)) to = { prefixListId: value };
    else e.bad("prefixListId", "a prefix list id such as pl-0123456789abcdef0");
    const allowInternet = e.bool("allowInternet");
    if (to && "cidr" in to && WORLD.includes(to.cidr) && !(fromPort === 443 && toPort === 443) && !allowInternet) {
      e.bad("cidr", `not the whole internet on ${fromPort === toPort ? `port ${fromPort}` : `ports ${fromPort}-${toPort}`} unless the rule says allowInternet: true (HTTPS out is already allowed)`);
    }
    const description = e.str("description") || `${protocol.toUpperCase()} ${fromPort === toPort ? fromPort : `${fromPort}-${toPort}`} out`;
    // EC2's rule description alphabet: an apostrophe or other character outside it fails the real up.
    if (!/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/.test(description)) e.bad("description", "up to 255 of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*");
    if (to && (protocol === "tcp" || protocol === "udp")) out.push({ protocol, fromPort, toPort, to, description });
  });
  return out;
}

/** The default service's autoscaling, from the flat autoscaling* keys. */
function flatAutoscaling(r: ConfigReader, desiredCount: number): AutoscalingSpec | undefined {
  const MAX = Number.MAX_SAFE_INTEGER;
  const on = r.bool("autoscaling");
  const minCount = r.int("autoscalingMinCount", 1, MAX, "an integer >= 1");
  const maxCount = r.int("autoscalingMaxCount", 1, MAX, "an integer >= 1");
  const cpuTarget = r.int("autoscalingCpuTarget", 10, 90, "an integer from 10 to 90 (percent)");
  const requestsPerTarget = r.int("autoscalingRequestsPerTarget", 1, MAX, "an integer >= 1 (requests per task per minute)");
  if (!on) return undefined;
  if (minCount > maxCount) r.bad("autoscalingMinCount", `at most autoscalingMaxCount (${maxCount})`);
  if (desiredCount < minCount || desiredCount > maxCount) r.bad("desiredCount", `with autoscaling on, from autoscalingMinCount (${minCount}) to autoscalingMaxCount (${maxCount})`);
  return { minCount, maxCount, cpuTarget, requestsPerTarget };
}

/** A services entry's autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}, or absent. */
function entryAutoscaling(r: ConfigReader, desiredCount: number, routed: boolean): AutoscalingSpec | undefined {
  if (!r.has("autoscaling")) return undefined;
  const spec = r.map("autoscaling", "autoscaling settings");
  const a = r.nested(spec, { minCount: 1, maxCount: Math.max(1, desiredCount), cpuTarget: 60, requestsPerTarget: 1000 }, r.label("autoscaling"));
  a.unknownKeys(routed ? ["minCount", "maxCount", "cpuTarget", "requestsPerTarget"] : ["minCount", "maxCount", "cpuTarget"], didYouMean);
  const MAX = Number.MAX_SAFE_INTEGER;
  const minCount = a.int("minCount", 1, MAX, "an integer >= 1");
  const maxCount = a.int("maxCount", 1, MAX, "an integer >= 1");
  const cpuTarget = a.int("cpuTarget", 10, 90, "an integer from 10 to 90 (percent)");
  const requestsPerTarget = a.int("requestsPerTarget", 1, MAX, "an integer >= 1 (requests per task per minute)");
  if (minCount > maxCount) a.bad("minCount", `at most maxCount (${maxCount})`);
  if (desiredCount < minCount || desiredCount > maxCount) r.bad("desiredCount", `with autoscaling, from autoscaling.minCount (${minCount}) to autoscaling.maxCount (${maxCount})`);
  return { minCount, maxCount, cpuTarget, requestsPerTarget };
}

/** Rules across services: unique names (and the names derived from them), unique rule priorities. */
function checkServiceSet(services: ServiceSpec[], problems: string[]): void {
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
function checkPlacement(r: ConfigReader, services: ServiceSpec[], capacity: ClusterCapacity, instanceType: string, trunking: boolean): void {
  const maxSize = capacity.hosts;
  for (const [i, s] of services.entries()) {
    const onSpot = capacity.spot && s.spotPerHost ? s.spotPerHost.perInstance * capacity.spot.hosts : 0;
    const most = s.perHost.perInstance * maxSize + onSpot;
    const by = s.perHost.limitedBy === "enis" ? `network interfaces${trunking ? " with trunking" : ", see eniTrunking"}` : s.perHost.limitedBy;
    const why = `one ${instanceType} holds ${s.perHost.perInstance} task(s) of ${s.cpu} CPU / ${s.memory} MiB (limited by ${by}), so maxSize (${maxSize}) hosts hold ${s.perHost.perInstance * maxSize}${onSpot ? ` and the Spot hosts ${onSpot} more` : ""}`;
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
  return `a block whose ${azs} private subnets (/${prefix}, ${usable(prefix)} addresses each, ${usable(prefix) * azs} in all) hold the peak of ${need} addresses: ${peak.hosts} hosts${peak.trunking ? " and their trunk interfaces" : ""} and ${Math.ceil(peak.tasks)} task interfaces during deployments (every service's most tasks at its deploymentMaximumPercent); ${suggestion}`;
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
