/**
 * What a Service is made from: its Args, and the shapes of its parts. The component's own vocabulary:
 * index.ts maps validated config onto it, and nothing here knows where the values came from.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Autoscaling, ContainerHealthCheck, Deployment, EgressRule, RegistryCredentials, Route, Secret, Sidecar, TargetHealthCheck } from "../lib/shapes";
import type { PublicEdge } from "./edge";
import type { QueueVariable } from "./queue";
import type { ClusterPlacement } from "./task-unit";

/** A sidecar with its image: a registry reference, or an AppImage's `imageUri`. */
export interface ServiceSidecar extends Sidecar {
  image: pulumi.Input<string>;
}

export interface ServiceArgs extends ClusterPlacement {
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
  /** No two of the service's tasks on one host (ECS distinctInstance): a lost host takes one task at most. @default false */
  distinctHosts?: boolean;
  /**
   * How requests reach the service: `default`, the edge listener's default action; `rule`, a listener
   * rule (path patterns and/or host headers, a priority); `worker`, not at all (no target group, and its
   * security group admits nothing).
   */
  route: Route;
  /** The public entry; required unless the route is `worker`. */
  edge?: PublicEdge;
  /**
   * The cluster's shared execution role and its permissions. A service with secrets gets an execution
   * role of its own instead, which may read exactly its secrets and no other service's.
   */
  executionRoleArn: pulumi.Input<string>;
  executionRolePolicies?: pulumi.Input<pulumi.Resource>[];
  /**
   * The target group's health check (path, matcher, interval, timeout, thresholds) and the seconds ECS
   * ignores failing load balancer health checks of a new task (gracePeriodSeconds).
   */
  healthCheck: TargetHealthCheck;
  /**
   * Seconds a leaving target keeps serving its in-flight requests. ECS stops a task behind a load balancer
   * in two steps: it deregisters the target and waits for this drain, then sends SIGTERM and, after
   * `stopTimeoutSeconds`, SIGKILL. 0 cuts in-flight requests on every deploy. @default 30
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
  deployment: Deployment;
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
  secrets: Secret[];
  /** Customer managed KMS keys the secrets are encrypted with. */
  secretsKmsKeyArns: string[];
  /** The private registry's credentials of the service's own image; undefined: a public registry or ECR. */
  registryCredentials?: RegistryCredentials;
  /** Managed policies of the task role: the application's own AWS access. */
  taskPolicyArns: string[];
  /** Outbound rules beyond HTTPS. */
  egressRules: EgressRule[];
  /** Service autoscaling; undefined for a fixed desiredCount. */
  autoscaling?: Autoscaling;
  /**
   * The work queue the service receives from: its URL in the container's `variable`, the task role allowed
   * to receive from it only, and autoscaling (required then) on its backlog, `messagesPerTask` visible
   * messages per running task; from minCount 0 it wakes on a message. Undefined: none.
   */
  queue?: QueueVariable & { messagesPerTask: number };
  /** Other services' queues the tasks send to: each URL in its variable, the task role allowed to send to those only. */
  sendsTo?: QueueVariable[];
  /** ECS Exec into running tasks (through SSM; the task role gets the SSM messages permissions). @default false */
  ecsExec: boolean;
  /** Tags for every taggable child; ECS propagates the service's tags to its tasks. */
  tags?: Record<string, string>;
}
