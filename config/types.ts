/** The validated stack configuration: what the readers of config/ return and index.ts composes from. */
import type { HostImage } from "../lib/host-images";
import type { InstanceTypeInfo, TaskCapacity } from "../lib/instance-types";
import type { Autoscaling, ContainerHealthCheck, Deployment, EgressRule, QueueConsumer, QueueSettings, RegistryCredentials, Route, Secret, Sidecar, TargetHealthCheck } from "../lib/shapes";
import type { SecretSource } from "./arns";

export type { HostImage } from "../lib/host-images";
export { STRATEGIES, type Autoscaling, type ContainerHealthCheck, type Deployment, type EgressRule, type Route, type Strategy, type TargetHealthCheck } from "../lib/shapes";

/**
 * `binpack`: a service's tasks on the fewest hosts. `zones`: hosts kept in every AZ and tasks spread over
 * the AZs first. `hosts`: zones, and no two tasks of a service on one host.
 */
export type TaskSpread = "binpack" | "zones" | "hosts";
export const TASK_SPREADS: TaskSpread[] = ["binpack", "zones", "hosts"];

/** A secret as config reads it: its source parsed from the ARN (region, account, JSON key). */
export type SecretSpec = Secret<SecretSource>;

/** Registry credentials as config reads them: the secret's source parsed from the ARN. */
export type RegistryCredentialsSpec = RegistryCredentials<SecretSource>;

/** A sidecar as config reads it: its image a reference. */
export interface SidecarSpec extends Sidecar {
  imageUrl: string;
  secrets: SecretSpec[];
  registryCredentials?: RegistryCredentialsSpec;
}

/** A service's work queue as config reads it: the queues' settings and how the service consumes them. */
export type QueueSpec = QueueSettings & QueueConsumer;

/** One ECS service, validated: the default one (the flat keys) or an entry of `services`. */
export interface ServiceSpec {
  name: string;
  /** Exactly one of the two. */
  imageUrl?: string;
  /** Absolute folder with a Dockerfile. */
  appPath?: string;
  /** The task's CPU units and MiB: the service's container, its sidecars and any Service Connect proxy reserve. */
  cpu: number;
  memory: number;
  /** The service's own container (containerCpu, containerMemory). */
  containerCpu: number;
  containerMemory: number;
  /** More containers in the task; empty without sidecars. */
  sidecars: SidecarSpec[];
  /** Services this one calls through Service Connect, by name. */
  talksTo: string[];
  /**
   * Derived from every service's talksTo: this service's part in Service Connect (a client, and/or a
   * published endpoint with its callers), and the proxy reserve counted in cpu/memory. Undefined: none.
   */
  serviceConnect?: { publish: boolean; callers: string[]; proxy: { cpu: number; memory: number } };
  port: number;
  desiredCount: number;
  route: Route;
  healthCheck: TargetHealthCheck;
  deregistrationDelaySeconds: number;
  stopTimeoutSeconds: number;
  deployment: Deployment;
  /** The p99 target response time alarm's threshold. */
  p99LatencyAlarmMs: number;
  /** Undefined: the image's CMD. */
  command?: string[];
  containerHealthCheck?: ContainerHealthCheck;
  environment: Record<string, string>;
  secrets: SecretSpec[];
  secretsKmsKeyArns: string[];
  /** The private registry's credentials of the service's own image; undefined: none. */
  registryCredentials?: RegistryCredentialsSpec;
  taskPolicyArns: string[];
  egressRules: EgressRule[];
  ecsExec: boolean;
  /** Undefined: a fixed desiredCount; with a queue, never undefined (the service scales on its backlog). */
  autoscaling?: Autoscaling;
  /** The work queue it receives from; undefined: none. */
  queue?: QueueSpec;
  /** Services whose queues it sends to, by name. */
  sendsTo: string[];
  /** Derived: awsvpc tasks of this size one host holds (an on-demand host; a Spot host of the smallest Spot type). */
  perHost: TaskCapacity;
  spotPerHost?: TaskCapacity;
}

/** A scheduled job: a one-off ECS task that EventBridge Scheduler runs on the cluster at its schedule. */
export interface JobSpec {
  /** The job's name: its task family and container. */
  name: string;
  /** Exactly one of the two. */
  imageUrl?: string;
  /** Absolute folder with a Dockerfile. */
  appPath?: string;
  /** Undefined: the image's CMD. */
  command?: string[];
  /** The EventBridge Scheduler expression as given (cron(...), rate(...) or at(...)), in UTC. */
  schedule: string;
  /** The task's CPU units and MiB (one container). */
  cpu: number;
  memory: number;
  environment: Record<string, string>;
  secrets: SecretSpec[];
  /** The private registry's credentials of the job's image; undefined: none. */
  registryCredentials?: RegistryCredentialsSpec;
  taskPolicyArns: string[];
  egressRules: EgressRule[];
  /** Services whose queues it sends to, by name. */
  sendsTo: string[];
  /** Derived: awsvpc tasks of this size one host holds. */
  perHost: TaskCapacity;
}

export interface StackConfig {
  region: string;
  // --- hosts ---
  instanceType: string;
  instance: InstanceTypeInfo;
  desiredCapacity: number;
  maxSize: number;
  ecsAmiParameter: string;
  /** The pinned image (hostImage); undefined: AWS's newest, read from ecsAmiParameter at every deploy. */
  hostImage?: HostImage;
  /** Stopped, pre-initialized hosts the on-demand group keeps in its warm pool (hostWarmPool); 0: none. */
  warmPool: number;
  eniTrunking: boolean;
  hostSessionManager: boolean;
  /** How a service's tasks spread over hosts; see TaskSpread. */
  taskSpread: TaskSpread;
  /** Derived: the fewest on-demand hosts the group keeps (one per AZ with zones or hosts; else 0). */
  minHosts: number;
  /** Every role's permissions boundary; undefined: none. */
  permissionsBoundaryArn?: string;
  // --- network ---
  vpcCidr: string;
  availabilityZones: number;
  /** Undefined when the key is empty: the Network picks the region's first standard AZs by name. */
  availabilityZoneNames?: string[];
  natGateways: "perAz" | "single";
  flowLogs: boolean;
  /**
   * An existing VPC and its subnets (vpcId, publicSubnetIds, privateSubnetIds): the program creates no
   * network and checks these by lookups before its first resource. Undefined: the program creates the VPC.
   */
  existingNetwork?: ExistingNetworkSpec;
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
  /** Derived: the services' names in the order they are created, each after the services it calls. */
  serviceOrder: string[];
  /** Scheduled jobs by name (none without the `jobs` key). */
  jobs: JobSpec[];
  /** Derived: what maxSize hosts hold, and what the services ask of them (desired and at their maximum). */
  capacity: ClusterCapacity;
  /** Values that stand for something the user must fill in; `pulumi up` refuses them, preview warns. */
  placeholders: Placeholder[];
  /** Legal but doubtful settings, shown by preview and the plan. */
  warnings: string[];
}

/** The three keys of an existing network, validated in form (ids, distinct, no subnet in both lists). */
export interface ExistingNetworkSpec {
  vpcId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
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
