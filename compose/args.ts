/**
 * Validated config mapped onto each component's Args, one named function per component: the only place
 * that knows both config/ and components/. Every field is passed by name, so a field config adds for its
 * own use (talksTo, perHost) never reaches a component.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_SETTLE_MINUTES, releaseMinutes, type JobSpec, type QueueSpec, type ServiceSpec, type StackConfig } from "../config";
import type { CheckedNetwork } from "../config/existing-network";
import { AppImage } from "../components/image";
import type { Ec2Cluster, Ec2ClusterArgs } from "../components/cluster";
import type { PublicEdge, PublicEdgeArgs } from "../components/edge";
import { ExistingNetwork } from "../components/existing-network";
import { Network, type NetworkOutputs } from "../components/network";
import type { ScheduledJobArgs } from "../components/job";
import type { QueueVariable, WorkQueue, WorkQueueArgs } from "../components/queue";
import type { ServiceArgs } from "../components/service";
import type { ClusterPlacement } from "../components/task-unit";
import type { RoleBounds } from "../components/role";
import { PROGRAM_PROJECT, PROGRAM_ROLE_PATH } from "../lib/names";
import { senderUrlVariable } from "../lib/queues";

/**
 * With a permissions boundary (a stack deployed by the bootstrap's deploy role), every role carries it and
 * the program's role path: the deploy role may create, pass and tag only such roles.
 */
export function roleBounds(config: StackConfig): RoleBounds | undefined {
  return config.permissionsBoundaryArn ? { permissionsBoundary: config.permissionsBoundaryArn, path: PROGRAM_ROLE_PATH } : undefined;
}

/** The tags every resource carries: the project, the stack, and the default service. */
export function stackTags(config: StackConfig): Record<string, string> {
  return { project: PROGRAM_PROJECT, stack: pulumi.getStack(), service: config.services[0].name };
}

/** The network the stack creates, or the existing one it was pointed at (looked up and judged already). */
export function createNetwork(config: StackConfig, existing: CheckedNetwork | undefined, tags: Record<string, string>): NetworkOutputs {
  if (config.existingNetwork && existing) {
    return new ExistingNetwork("api", { ...config.existingNetwork, privateZones: existing.privateZones, vpcCidr: existing.vpcCidr });
  }
  return new Network("api", {
    vpcCidr: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    availabilityZoneNames: config.availabilityZoneNames,
    natGateways: config.natGateways,
    region: config.region,
    flowLogs: config.flowLogs,
    logRetentionDays: config.logRetentionDays,
    protect: config.deletionProtection,
    roleBounds: roleBounds(config),
    tags,
  });
}

/** `amiId`: the pinned image as its lookup found it (checkHostImage); undefined without a pin. */
export function clusterArgs(config: StackConfig, network: NetworkOutputs, amiId: string | undefined, alarmActions: pulumi.Input<string>[], tags: Record<string, string>): Ec2ClusterArgs {
  return {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
    egress: network.privateEgress,
    instanceType: config.instanceType,
    image: amiId ? { amiId } : { ssmParameter: config.ecsAmiParameter },
    warmPool: config.warmPool,
    desiredCapacity: config.desiredCapacity,
    minHosts: config.minHosts,
    maxSize: config.maxSize,
    region: config.region,
    eniTrunking: config.eniTrunking,
    sessionManager: config.hostSessionManager,
    spot: config.spot,
    alarmActions,
    // ECS Service Connect's namespace, only when a service talks to another.
    serviceConnectNamespace: config.services.some((s) => s.serviceConnect) ? `${pulumi.getProject()}-${pulumi.getStack()}` : undefined,
    roleBounds: roleBounds(config),
    tags,
  };
}

export function edgeArgs(config: StackConfig, network: NetworkOutputs, alarmActions: pulumi.Input<string>[], tags: Record<string, string>): PublicEdgeArgs {
  const [main] = config.services;
  return {
    namePrefix: main.name,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    publicIngress: network.publicIngress,
    region: config.region,
    certificateArn: config.certificateArn,
    domain: config.domainName && config.hostedZoneId ? { name: config.domainName, hostedZoneId: config.hostedZoneId } : undefined,
    idleTimeoutSeconds: config.albIdleTimeoutSeconds,
    deletionProtection: config.deletionProtection,
    accessLogs: config.accessLogs,
    logRetentionDays: config.logRetentionDays,
    waf: config.waf,
    // ECS moves blue/green, canary and linear traffic by a listener rule's weights, not the default action.
    defaultRoute: main.deployment.strategy === "rolling" ? "forward" : "rule",
    alarmActions,
    tags,
  };
}

/** Where every task of the stack runs: the cluster in the private subnets. */
export function placementArgs(config: StackConfig, network: NetworkOutputs, cluster: Ec2Cluster): ClusterPlacement {
  return {
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    privateSubnetIds: network.privateSubnetIds,
    egress: network.privateEgress,
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    capacityProviderStrategies: cluster.capacityProviderStrategies,
    capacityProviders: cluster.capacityProviders,
    region: config.region,
    logRetentionDays: config.logRetentionDays,
    roleBounds: roleBounds(config),
  };
}

/** The image a service or job runs: built from appPath (an ECR repository and image of its own), or imageUrl. */
export function imageOf(config: StackConfig, name: string, spec: { appPath?: string; imageUrl?: string }, tags: Record<string, string>): pulumi.Input<string> {
  return spec.appPath
    ? new AppImage(name, { context: spec.appPath, arch: config.instance.arch, protect: config.deletionProtection, tags }).imageUri
    : spec.imageUrl!;
}

/** A service's work queue: its queue's and dead-letter queue's settings, where the alarms go. */
export function queueArgs(config: StackConfig, service: string, queue: QueueSpec, alarmActions: pulumi.Input<string>[], tags: Record<string, string>): WorkQueueArgs {
  return {
    serviceName: service,
    region: config.region,
    maxReceiveCount: queue.maxReceiveCount,
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    messageRetentionSeconds: queue.messageRetentionSeconds,
    kmsKeyArn: queue.kmsKeyArn,
    oldestMessageAlarmSeconds: queue.oldestMessageAlarmSeconds,
    alarmActions,
    tags,
  };
}

/** The queues a service or job sends to, each URL in <NAME>_QUEUE_URL. */
const sendsToArgs = (sendsTo: string[], queues: Map<string, WorkQueue>): QueueVariable[] =>
  sendsTo.map((t) => ({ endpoint: queues.get(t)!.endpoint, variable: senderUrlVariable(t) }));

/** What a service runs beside its Args' own fields: where, on what, and what it waits for. */
export interface ServiceContext {
  placement: ClusterPlacement;
  cluster: Ec2Cluster;
  edge: PublicEdge;
  alarmActions: pulumi.Input<string>[];
  /** The ECS services of the services it calls: created before it. */
  after: pulumi.Resource[];
  /** Every work queue of the stack, by the service that receives from it. */
  queues: Map<string, WorkQueue>;
  tags: Record<string, string>;
}

export function serviceArgs(config: StackConfig, spec: ServiceSpec, ctx: ServiceContext): ServiceArgs {
  return {
    ...ctx.placement,
    serviceName: spec.name,
    image: imageOf(config, spec.name, spec, ctx.tags),
    cpu: spec.cpu,
    memory: spec.memory,
    containerCpu: spec.containerCpu,
    containerMemory: spec.containerMemory,
    sidecars: spec.sidecars.map((c) => ({
      name: c.name, image: c.imageUrl, cpu: c.cpu, memory: c.memory, essential: c.essential, environment: c.environment, secrets: c.secrets,
      registryCredentials: c.registryCredentials, command: c.command, port: c.port,
    })),
    serviceConnect: spec.serviceConnect && ctx.cluster.serviceConnectNamespaceArn ? { namespaceArn: ctx.cluster.serviceConnectNamespaceArn, publish: spec.serviceConnect.publish } : undefined,
    after: ctx.after,
    containerPort: spec.port,
    desiredCount: spec.desiredCount,
    distinctHosts: config.taskSpread === "hosts",
    route: spec.route,
    edge: ctx.edge,
    executionRoleArn: ctx.cluster.executionRoleArn,
    executionRolePolicies: ctx.cluster.executionRolePolicies,
    healthCheck: spec.healthCheck,
    deregistrationDelaySeconds: spec.deregistrationDelaySeconds,
    stopTimeoutSeconds: spec.stopTimeoutSeconds,
    deployment: spec.deployment,
    updateTimeoutMinutes: DEPLOYMENT_SETTLE_MINUTES + releaseMinutes(spec.deployment, spec.deregistrationDelaySeconds + spec.stopTimeoutSeconds),
    p99LatencyAlarmMs: spec.p99LatencyAlarmMs,
    alarmActions: ctx.alarmActions,
    command: spec.command,
    containerHealthCheck: spec.containerHealthCheck,
    environment: spec.environment,
    secrets: spec.secrets,
    secretsKmsKeyArns: spec.secretsKmsKeyArns,
    registryCredentials: spec.registryCredentials,
    taskPolicyArns: spec.taskPolicyArns,
    egressRules: spec.egressRules,
    autoscaling: spec.autoscaling,
    queue: spec.queue ? { endpoint: ctx.queues.get(spec.name)!.endpoint, variable: spec.queue.urlVariable, messagesPerTask: spec.queue.messagesPerTask } : undefined,
    sendsTo: sendsToArgs(spec.sendsTo, ctx.queues),
    ecsExec: spec.ecsExec,
    tags: ctx.tags,
  };
}

/** A job's tags: the project's and the stack's, and the job's (not the default service's). */
export const jobTags = (stack: Record<string, string>, name: string): Record<string, string> => ({ project: stack.project, stack: stack.stack, job: name });

export function jobArgs(config: StackConfig, job: JobSpec, placement: ClusterPlacement, queues: Map<string, WorkQueue>, alarmActions: pulumi.Input<string>[], tags: Record<string, string>): ScheduledJobArgs {
  return {
    ...placement,
    jobName: job.name,
    image: imageOf(config, job.name, job, tags),
    command: job.command,
    scheduleExpression: job.schedule,
    cpu: job.cpu,
    memory: job.memory,
    environment: job.environment,
    secrets: job.secrets,
    registryCredentials: job.registryCredentials,
    taskPolicyArns: job.taskPolicyArns,
    egressRules: job.egressRules,
    sendsTo: sendsToArgs(job.sendsTo, queues),
    alarmActions,
    tags,
  };
}
