/**
 * The contract: every key of the project's namespace, its type, default and description. Pulumi.yaml
 * declares the same (a test keeps the two equal), the README's key table is generated from it.
 */

import { PROGRAM_PROJECT } from "../lib/names";

/** The project's config namespace ("ecs-ec2-api:<key>"): the project's name (lib/names.ts). */
export const NAMESPACE = PROGRAM_PROJECT;

type KeyType = "string" | "integer" | "boolean" | "array" | "object";

export interface KeySpec {
  type: KeyType;
  /** For arrays: the type of every item (as Pulumi.yaml declares it; the CLI checks it). */
  items?: { type: "string" | "object" };
  default: string | number | boolean | string[] | Record<string, never>;
  description: string;
  /**
   * The program applies `default`, so it can tell a key left unset from one set to its default (the CLI
   * hands a declared default over as if it were set). Pulumi.yaml declares the key untyped with the default
   * UNSET (""): the CLI refuses a stack that leaves a declared key without a default unset ("Stack 'dev' is
   * missing configuration value", pulumi/pulumi sdk/go/common/workspace/config.go,
   * ValidateStackConfigAndApplyProjectConfig), and checks a typed key's default against its type
   * (project.go, Validate); config/ checks the value's type itself.
   */
  programDefault?: true;
}

/** What Pulumi.yaml declares as the default of a programDefault key, and what the CLI then hands over: unset. */
export const UNSET = "";

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Keeps each key's literal type while checking it against KeySpec. */
const defineSchema = <T extends Record<string, KeySpec>>(schema: T): T => schema;

export const CONFIG_SCHEMA = defineSchema({
  // --- the seed's parameters, names and defaults kept ---
  instanceType: { type: "string", default: "c5.xlarge", description: "EC2 instance type of the container hosts (one of the types in lib/instance-types.ts)." },
  desiredCapacity: { type: "integer", default: 0, description: "Hosts launched at creation, 0..maxSize. The capacity provider owns the count afterwards." },
  maxSize: { type: "integer", default: 100, description: "Most hosts the Auto Scaling group may run (>= 1); every service's tasks must fit on them." },
  ecsAmiParameter: { type: "string", default: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", description: "SSM parameter (under /aws/service/ecs/, ending in /image_id) holding the ECS-optimized AMI id, read at every deploy when hostImage is empty; use the arm64 path for Graviton types." },
  serviceName: { type: "string", default: "web", description: "Name of the default service (its ECS service, task family and container): 1..32 lowercase letters, digits and inner hyphens; it starts its resources' names, so not internal, sg, sthree, amzn-s3-demo (nor those followed by -) nor xn--." },
  imageUrl: { type: "string", default: "public.ecr.aws/docker/library/nginx:latest", description: "Container image to run when appPath is empty." },
  containerCpu: { type: "integer", default: 256, description: "CPU units per task (1024 = 1 vCPU), at least 128; must fit one host." },
  containerMemory: { type: "integer", default: 512, description: "Memory per task in MiB; must fit one host after the ECS reserve." },
  containerPort: { type: "integer", default: 80, programDefault: true, description: "Port the container listens on, 1..65535. Unset: 80, or with appPath the port its Dockerfile EXPOSEs (set, it must be one the Dockerfile EXPOSEs)." },
  desiredCount: { type: "integer", default: 2, description: "Tasks to run (the initial count when autoscaling is on)." },
  // --- the network ---
  vpcCidr: { type: "string", default: "10.0.0.0/16", programDefault: true, description: "IPv4 CIDR of the VPC, /16../24; split into public (lower half) and private (upper half) subnets, which must hold the ALB and every task and host." },
  availabilityZones: { type: "integer", default: 2, programDefault: true, description: "AZs to span, 2..6 and at most the region's AZ count (an ALB needs two)." },
  availabilityZoneNames: { type: "array", items: { type: "string" }, default: [], programDefault: true, description: "The AZs by name (e.g. [us-east-1a, us-east-1b]), as many as availabilityZones. Empty: the region's first standard AZs by name, which never change between runs." },
  natGateways: { type: "string", default: "perAz", programDefault: true, description: "perAz (one NAT gateway per AZ, survives an AZ outage) or single (one shared, cheaper)." },
  flowLogs: { type: "boolean", default: false, programDefault: true, description: "Send VPC flow logs (all traffic) to CloudWatch Logs." },
  // An existing VPC (issue 21): all three or none; with them the five keys above describe nothing and are refused.
  vpcId: { type: "string", default: "", description: "An existing VPC (vpc-...) to deploy into instead of creating one, with publicSubnetIds and privateSubnetIds: no VPC, subnet, route, gateway, endpoint or flow log is created, and vpcCidr, availabilityZones, availabilityZoneNames, natGateways and flowLogs may not be set. Every subnet is looked up and checked before any resource." },
  publicSubnetIds: { type: "array", items: { type: "string" }, default: [], description: "With vpcId: the load balancer's subnets (subnet-...), one per AZ in 2 AZs or more, each routing 0.0.0.0/0 to an internet gateway." },
  privateSubnetIds: { type: "array", items: { type: "string" }, default: [], description: "With vpcId: the hosts' and tasks' subnets (subnet-...), neither routing to an internet gateway nor mapping public IPs on launch; without a default route through a NAT or transit gateway, images come only through VPC endpoints (warned)." },
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
  egressRules: { type: "array", items: { type: "object" }, default: [], description: "Outbound rules for the tasks beyond HTTPS: {port or fromPort/toPort, protocol: tcp|udp, one of cidr (or vpc), securityGroupId, prefixListId, description}. 0.0.0.0/0 on ports other than 443 needs allowInternet: true. An entry EC2 takes as another (same protocol, ports and destination; the description does not count) or as the built-in HTTPS rule is refused." },
  sidecars: { type: "object", default: {}, description: "More containers in the service's task: {<name>: {imageUrl, containerCpu: 64, containerMemory: 128, essential: false, environment, secrets, command, containerPort}}. They log to the service's log group under their own stream prefix, their secrets are read by the service's execution role, and the task's CPU and memory (and the placement check) count them." },
  talksTo: { type: "array", items: { type: "string" }, default: [], description: "Services this one calls, by name, at http://<name>:<port> through ECS Service Connect: the stack gets a Cloud Map HTTP namespace, each called service publishes its container port under its own name and admits exactly its callers' security groups there. Routed services only as targets (a worker has no port)." },
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
  // --- work queues (issue 32) ---
  queue: { type: "object", default: {}, programDefault: true, description: "A work queue the service receives from, typically a worker's: {maxReceiveCount: 5, visibilityTimeoutSeconds (at least stopTimeoutSeconds; default it plus 30), messageRetentionSeconds: 345600, kmsKeyArn, urlVariable: QUEUE_URL, messagesPerTask: 10, oldestMessageAlarmSeconds: 900}; {} takes every default. An SQS queue and a dead-letter queue (kept 14 days), encrypted (SQS managed keys, or kmsKeyArn), TLS only; the task role may receive, delete and change visibility on this queue only; the service scales on visible messages per running task between its autoscaling bounds (without them desiredCount..2 x desiredCount; a worker's minCount may be 0: it wakes on a message); alarms on a dead letter and on the oldest message's age. Unset: none." },
  sendsTo: { type: "array", items: { type: "string" }, default: [], description: "Services whose queue this service sends to, by name (jobs take it too): its task role may sqs:SendMessage to exactly those queues (and use their keys), and its container gets each URL in <NAME>_QUEUE_URL (mailer: MAILER_QUEUE_URL)." },
  // --- more services on the same cluster and load balancer ---
  services: { type: "object", default: {}, description: "More services: {<name>: {imageUrl or appPath, pathPatterns and/or hostHeaders with a unique priority (a routed API) or neither (a worker), and any default-service key: containerCpu, containerPort, environment, secrets, autoscaling: {minCount, maxCount, cpuTarget, requestsPerTarget}, ...}}." },
  // --- scheduled jobs on the same cluster ---
  jobs: { type: "object", default: {}, description: "Scheduled jobs: {<name>: {imageUrl or appPath, schedule: cron(...) (six fields), rate(...) or at(...) in UTC, command, containerCpu: 256, containerMemory: 512, environment, secrets, taskPolicyArns, egressRules, sendsTo}}. EventBridge Scheduler runs each as one ECS task on the cluster, in the private subnets without a public IP; its own task definition, roles, log group and security group (nothing in); an alarm on failed runs; the task must fit beside the services at their most." },
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
  hostImage: { type: "string", default: "", description: "The hosts' image, pinned: an ECS-optimized Amazon Linux 2023 release by its exact name (al2023-ami-ecs-hvm-2023.0.<date>-kernel-6.1-x86_64, or -arm64 for Graviton types; the same name in every region, looked up among Amazon's images) or an AMI id (ami-..., of the stack's region). The hosts change only when the pin does (the host-image workflow proposes bumps). Empty: AWS's newest image, read from ecsAmiParameter at every deploy, which rolls every host whenever AWS publishes one (warned)." },
  hostWarmPool: { type: "integer", default: 0, description: "Stopped, pre-initialized on-demand hosts kept beside the group (an Auto Scaling warm pool; the hosts join the cluster only when they enter service): 0 (none) to maxSize, less the hosts taskSpread keeps running. They cost their root volumes only." },
  taskSpread: { type: "string", default: "binpack", description: "How each service's tasks are spread over hosts: binpack (on the fewest hosts: cheapest, but a service's tasks may all share one host), zones (the on-demand hosts kept in every AZ of the stack, one each at least, and tasks spread over the AZs first: a lost host or AZ leaves the tasks elsewhere), or hosts (zones, and no two tasks of a service on one host: ECS distinctInstance)." },
  registryCredentialsArn: { type: "string", default: "", description: "A Secrets Manager secret (of the stack's region) with the username and password of the private registry the default service's image comes from (ghcr.io, Docker Hub): the container's repositoryCredentials, read by the service's own execution role, which may read exactly that secret (and keys of secretsKmsKeyArns). Empty: a public registry or ECR. Also a key of services, sidecars and jobs entries." },
  permissionsBoundaryArn: { type: "string", default: "", description: "A customer managed IAM policy every role the stack creates carries as its permissions boundary (hosts, tasks, task executions, jobs, Scheduler, ECS traffic shifting, flow logs): the bootstrap's boundary (docs/bootstrap.md), which lets a deploy role create only bounded roles. Empty: none." },
});

export type ConfigKey = keyof typeof CONFIG_SCHEMA;

/** The keys a `services` entry takes: the default service's, with autoscaling as one object, and its route. */
export const SERVICE_KEYS = [
  "imageUrl", "appPath", "containerCpu", "containerMemory", "containerPort", "desiredCount",
  "healthCheckPath", "healthCheckMatcher", "healthCheckIntervalSeconds", "healthCheckTimeoutSeconds", "healthyThresholdCount",
  "unhealthyThresholdCount", "healthCheckGracePeriodSeconds", "deregistrationDelaySeconds", "stopTimeoutSeconds",
  "deploymentMinimumHealthyPercent", "deploymentMaximumPercent", "command", "containerHealthCheck", "environment", "secrets",
  "secretsKmsKeyArns", "registryCredentialsArn", "taskPolicyArns", "egressRules", "sidecars", "talksTo", "ecsExec", "autoscaling", "pathPatterns", "hostHeaders", "priority",
  "queue", "sendsTo",
  "deploymentStrategy", "bakeTimeMinutes", "canaryPercent", "linearStepPercent", "shiftIntervalMinutes", "p99LatencyAlarmMs",
] as const;

/**
 * A service's key as the stack file writes it, for messages: flat for the default service (ecs-ec2-api:talksTo),
 * under its `services` entry for another (ecs-ec2-api:services.api.talksTo). `key` may be a path (sidecars.x.imageUrl).
 */
export function serviceKey(name: string, isDefault: boolean, key: string): string {
  return isDefault ? `${NAMESPACE}:${key}` : `${NAMESPACE}:services.${name}.${key}`;
}

export const schemaDefaults = (): Record<string, unknown> => Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, spec.default]));
