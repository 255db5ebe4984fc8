/**
 * The plain value shapes of a service's and a job's parts, declared once: config/ validates and derives
 * them from stack config, components/ take them as Args (adding Pulumi Inputs where a value comes from
 * another resource), and index.ts passes them from one to the other unchanged.
 */

/** How a release reaches the tasks: ECS's rolling deployment, or its native blue/green, canary and linear. */
export type Strategy = "rolling" | "blueGreen" | "canary" | "linear";

export const STRATEGIES: Strategy[] = ["rolling", "blueGreen", "canary", "linear"];

/** How a release goes out. */
export interface Deployment {
  strategy: Strategy;
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

/** Where requests reach a service: the listener's default action, a listener rule, or nowhere (a worker). */
export type Route =
  | { kind: "default" }
  | { kind: "rule"; priority: number; pathPatterns: string[]; hostHeaders: string[] }
  | { kind: "worker" };

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

/** Where a secret is held: what the execution role is granted on. */
export interface SecretStore {
  /** ssm: an SSM Parameter Store parameter; secretsmanager: a Secrets Manager secret. */
  service: "ssm" | "secretsmanager";
  /** The parameter, or the secret (without a JSON-key suffix). */
  resource: string;
}

/** A variable ECS fills from an SSM parameter or a Secrets Manager secret when a task starts. */
export interface Secret<S extends SecretStore = SecretStore> {
  /** The environment variable. */
  name: string;
  /** The ARN as given (ECS `valueFrom`). */
  valueFrom: string;
  source: S;
}

/**
 * A private registry's credentials: a Secrets Manager secret holding `{"username": ..., "password": ...}`,
 * which ECS reads with the task's execution role to pull the image (the container's repositoryCredentials).
 */
export type RegistryCredentials<S extends SecretStore = SecretStore> = Omit<Secret<S>, "name">;

/** An outbound rule of a task's security group. */
export interface EgressRule {
  protocol: "tcp" | "udp";
  fromPort: number;
  toPort: number;
  /** Exactly one destination; `vpc` is the VPC's own CIDR. */
  to: { cidr: string } | { vpc: true } | { securityGroupId: string } | { prefixListId: string };
  description: string;
}

/** The outbound rule every service's and job's group has (components/task-unit.ts): HTTPS to anywhere. */
export const BUILT_IN_HTTPS: EgressRule = {
  protocol: "tcp", fromPort: 443, toPort: 443, to: { cidr: "0.0.0.0/0" },
  description: "HTTPS to AWS APIs and the internet, through the NAT gateways",
};

/** Target tracking bounds: the task count stays between minCount and maxCount. */
export interface Autoscaling {
  minCount: number;
  maxCount: number;
  /** Average CPU utilization to hold, in percent. */
  cpuTarget: number;
  /** ALB requests per task per minute to hold; routed services only. */
  requestsPerTarget: number;
}

/** Another container in a service's task (an agent, a proxy, a log router), but its image. */
export interface Sidecar {
  /** The container's name, unique in the task; also its log stream prefix. */
  name: string;
  /** CPU units (a share of the task's) and MiB (a hard limit). */
  cpu: number;
  memory: number;
  /** An essential container that stops stops the task; a non-essential one may exit alone. */
  essential: boolean;
  environment: Record<string, string>;
  /** Read by the service's execution role, like the service's own. */
  secrets: Secret[];
  /** Its image's private registry's credentials; undefined: a public registry or ECR. */
  registryCredentials?: RegistryCredentials;
  /** Undefined: the image's CMD. */
  command?: string[];
  /** A port it listens on, if any. */
  port?: number;
}

/** A service's work queue and its dead-letter queue: what SQS is told, and when their alarms fire. */
export interface QueueSettings {
  /** Receives of a message before SQS moves it to the dead-letter queue, 1..1000. */
  maxReceiveCount: number;
  /** Seconds a received message stays hidden from other receivers; at least the container's stop timeout. */
  visibilityTimeoutSeconds: number;
  /** Seconds the queue keeps a message. */
  messageRetentionSeconds: number;
  /** A customer managed KMS key both queues are encrypted with; undefined: SQS managed keys (SSE-SQS). */
  kmsKeyArn?: string;
  /** The oldest message's age, in seconds, above which its alarm fires. */
  oldestMessageAlarmSeconds: number;
}

/** How a service consumes its own queue: where its container finds the URL, and the backlog its scaling holds. */
export interface QueueConsumer {
  /** The container's variable holding the queue's URL. */
  urlVariable: string;
  /** Visible messages per running task that backlog scaling holds. */
  messagesPerTask: number;
}
