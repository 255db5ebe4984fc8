/**
 * What a Service is made from: its Args, and the shapes of its parts. The component's own vocabulary:
 * index.ts maps validated config onto it, and nothing here knows where the values came from.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PublicEdge } from "./edge";

/** Where requests reach the service: the listener's default action, a listener rule, or nowhere (a worker). */
export type ServiceRoute =
  | { kind: "default" }
  | { kind: "rule"; priority: number; pathPatterns: string[]; hostHeaders: string[] }
  | { kind: "worker" };

/** How a release goes out: ECS's rolling deployment, or its native blue/green, canary and linear. */
export interface ServiceDeployment {
  strategy: "rolling" | "blueGreen" | "canary" | "linear";
  /** Rolling: share of desiredCount kept running, and the most tasks, in percent. */
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Blue/green, canary, linear: minutes the old tasks stay, ready to take the traffic back, after all traffic moved. */
  bakeTimeMinutes: number;
  /** Canary: percent of the traffic the new tasks take first. */
  canaryPercent: number;
  /** Linear: percent of the traffic moved at each step. */
  linearStepPercent: number;
  /** Canary, linear: minutes between traffic shifts. */
  shiftIntervalMinutes: number;
}

/** The target group's health check, and the seconds ECS ignores a new task's failing checks. */
export interface TargetHealthCheck {
  path: string;
  /** HTTP codes: one, a list or a range. */
  matcher: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  gracePeriodSeconds: number;
}

/** A Docker health check ECS runs in the container. */
export interface ContainerHealthCheck {
  /** CMD or CMD-SHELL, then the command. */
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

/** A variable ECS fills from an SSM parameter or a Secrets Manager secret when a task starts. */
export interface ServiceSecret {
  /** The environment variable. */
  name: string;
  /** The ARN as given (ECS `valueFrom`). */
  valueFrom: string;
  /** Where it is held, and the resource the execution role may read. */
  source: { service: "ssm" | "secretsmanager"; resource: string };
}

/** Another container in the service's task. */
export interface ServiceSidecar {
  /** The container's name, unique in the task; also its log stream prefix. */
  name: string;
  image: pulumi.Input<string>;
  /** CPU units (a share of the task's) and MiB (a hard limit). */
  cpu: number;
  memory: number;
  /** Whether the task stops when this container stops. */
  essential: boolean;
  environment: Record<string, string>;
  /** Read by the service's execution role, like the service's own. */
  secrets: ServiceSecret[];
  command?: string[];
  /** A port it listens on, if any. */
  port?: number;
}

/** An outbound rule of the tasks' security group. */
export interface ServiceEgressRule {
  protocol: "tcp" | "udp";
  fromPort: number;
  toPort: number;
  /** Exactly one destination; `vpc` is the VPC's own CIDR (ServiceArgs.vpcCidr). */
  to: { cidr: string } | { vpc: true } | { securityGroupId: string } | { prefixListId: string };
  description: string;
}

/** Target tracking bounds: the task count stays between minCount and maxCount. */
export interface ServiceAutoscaling {
  minCount: number;
  maxCount: number;
  /** Average CPU utilization to hold, in percent. */
  cpuTarget: number;
  /** ALB requests per task per minute to hold; routed services only. */
  requestsPerTarget: number;
}

export interface ServiceArgs {
  /** Name of the ECS service, the task family and the container. */
  serviceName: string;
  /** Image to run: a registry reference, or an AppImage's `imageUri`. */
  image: pulumi.Input<string>;
  /** CPU units and MiB of memory for the task: at least its containers' sum. */
  cpu: number;
  memory: number;
  /** The service's own container's CPU units and MiB; undefined: the task's (a task of one container). */
  containerCpu?: number;
  containerMemory?: number;
  /** More containers in the task, logging to the service's log group under their own stream prefix. */
  sidecars?: ServiceSidecar[];
  /**
   * ECS Service Connect: the namespace, and whether the service publishes its container port there under
   * its own name (callers reach it at http://<serviceName>:<containerPort>); a service that only calls
   * others is a client. Callers are admitted with `admit`. Undefined: no Service Connect.
   */
  serviceConnect?: { namespaceArn: pulumi.Input<string>; publish: boolean };
  /** Resources the ECS service waits for: the services it calls (their endpoints exist before its tasks start). */
  after?: pulumi.Input<pulumi.Resource>[];
  /** Port the container listens on; also passed to it as the PORT variable. A worker's is unused: its container maps no port. */
  containerPort: number;
  /** Tasks to run; with autoscaling, only the initial count (`ignoreChanges`). */
  desiredCount: number;
  /**
   * How requests reach the service: `default`, the edge listener's default action; `rule`, a listener
   * rule (path patterns and/or host headers, a priority); `worker`, not at all (no target group, and its
   * security group admits nothing).
   */
  route: ServiceRoute;
  /** The public entry; required unless the route is `worker`. */
  edge?: PublicEdge;
  vpcId: pulumi.Input<string>;
  /** The VPC's CIDR, for egress rules whose destination is `vpc`. */
  vpcCidr: pulumi.Input<string>;
  /** Subnets of the tasks' ENIs; tasks never get a public IP. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Resources the tasks need before they start: the private routes through the NAT gateways. */
  egress?: pulumi.Input<pulumi.Resource>[];
  /** The cluster to run in, and how its capacity providers share the tasks (base and weights). */
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  capacityProviderStrategies: { capacityProvider: pulumi.Input<string>; base: number; weight: number }[];
  /** The cluster's capacity-provider association: the service waits for it, and is deleted before it. */
  capacityProviders: pulumi.Resource;
  /**
   * The cluster's shared execution role and its permissions. A service with secrets gets an execution
   * role of its own instead, which may read exactly its secrets and no other service's.
   */
  executionRoleArn: pulumi.Input<string>;
  executionRolePolicies?: pulumi.Input<pulumi.Resource>[];
  region: string;
  /**
   * The target group's health check (path, matcher, interval, timeout, thresholds) and the seconds ECS
   * ignores failing load balancer health checks of a new task (gracePeriodSeconds).
   */
  healthCheck: TargetHealthCheck;
  /**
   * Seconds a leaving target keeps serving its in-flight requests. ECS stops a task behind a load balancer
   * in two steps: it deregisters the target and waits for this drain, then sends SIGTERM and, after
   * `stopTimeoutSeconds`, SIGKILL. 0 (the seed's) cuts in-flight requests on every deploy. @default 30
   */
  deregistrationDelaySeconds: number;
  /** Seconds between SIGTERM and SIGKILL (the container's `stopTimeout`). @default 30 */
  stopTimeoutSeconds: number;
  /**
   * How a release goes out. `rolling`: ECS replaces tasks in place, between the minimum healthy and the
   * maximum percent. `blueGreen`, `canary`, `linear`: ECS's native strategies; ECS starts a full new set in
   * an alternate target group and moves traffic to it by changing the production listener rule's weights
   * (all at once, a canary share first, or in steps), through an infrastructure role scoped to those
   * resources; the alarms roll it back during the bake. Routed services only.
   */
  deployment: ServiceDeployment;
  /**
   * Minutes `up` waits for a deployment of this service (create and update) before failing it. The
   * provider waits for the whole release, bake included: cover the longest release the deployment allows.
   */
  updateTimeoutMinutes: number;
  /** The p99 target response time alarm's threshold, in milliseconds. @default 1000 */
  p99LatencyAlarmMs: number;
  /** SNS topics every alarm notifies, on alarm and on recovery. */
  alarmActions?: pulumi.Input<string>[];
  /** The container's command; undefined: the image's CMD. */
  command?: string[];
  /** A Docker health check ECS runs in the container. */
  containerHealthCheck?: ContainerHealthCheck;
  /** Plain variables (besides PORT, SERVICE_NAME and SHUTDOWN_TIMEOUT_MS, which the program sets). */
  environment: Record<string, string>;
  /** Variables ECS fills from SSM parameters or Secrets Manager secrets when a task starts. */
  secrets: ServiceSecret[];
  /** Customer managed KMS keys the secrets are encrypted with. */
  secretsKmsKeyArns: string[];
  /** Managed policies of the task role: the application's own AWS access. */
  taskPolicyArns: string[];
  /** Outbound rules beyond HTTPS. */
  egressRules: ServiceEgressRule[];
  /** Retention of the container log group. @default 30 */
  logRetentionDays: number;
  /** Service autoscaling; undefined for a fixed desiredCount. */
  autoscaling?: ServiceAutoscaling;
  /** ECS Exec into running tasks (through SSM; the task role gets the SSM messages permissions). @default false */
  ecsExec: boolean;
  /** Tags for every taggable child; ECS propagates the service's tags to its tasks. */
  tags?: Record<string, string>;
}
