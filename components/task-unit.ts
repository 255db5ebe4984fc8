/**
 * The task unit: what every ECS task the program runs on the cluster is made of, services and scheduled
 * jobs alike. Its security group (nothing in unless a route admits it; HTTPS and the configured rules out),
 * its task role (the application's own AWS access), an execution role that may read exactly its secrets
 * (or the cluster's shared one when it has none and may share it), its log group and its task definition.
 * Service and ScheduledJob compose it, each adding what differs: the ECS service and its route, or the
 * schedule that runs the task.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUILT_IN_HTTPS, type EgressRule, type RegistryCredentials, type Secret } from "../lib/shapes";
import { awsManagedPolicy, createRole, ecsTasksTrustPolicy, type RoleBounds } from "./role";
import { secretsPolicy, shortHash } from "./task";

/** Where a task runs on the cluster: what every service and job shares. */
export interface ClusterPlacement {
  vpcId: pulumi.Input<string>;
  /** The VPC's CIDR, for egress rules whose destination is `vpc`. */
  vpcCidr: pulumi.Input<string>;
  /** Subnets of the tasks' ENIs; tasks never get a public IP. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Resources the tasks need before they start: the private routes out (tasks pull images through them). */
  egress?: pulumi.Input<pulumi.Resource>[];
  /** The cluster to run in, and how its capacity providers share the tasks (base and weights). */
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  capacityProviderStrategies: { capacityProvider: pulumi.Input<string>; base: number; weight: number }[];
  /** The cluster's capacity-provider association: usable before the first task, and deleted after the last. */
  capacityProviders?: pulumi.Resource;
  region: string;
  /** Retention of the task's log group, in days. @default 30 */
  logRetentionDays: number;
  /** The boundary and path every role of the task carries. Undefined: none. */
  roleBounds?: RoleBounds;
}

/** The placement fields of `args`, and nothing else of them. */
export function placementOf(args: ClusterPlacement): ClusterPlacement {
  return {
    vpcId: args.vpcId, vpcCidr: args.vpcCidr, privateSubnetIds: args.privateSubnetIds, egress: args.egress,
    clusterArn: args.clusterArn, clusterName: args.clusterName, capacityProviderStrategies: args.capacityProviderStrategies,
    capacityProviders: args.capacityProviders, region: args.region, logRetentionDays: args.logRetentionDays, roleBounds: args.roleBounds,
  };
}

/** Services and jobs name their parts differently; the names are their resources' identities. */
export type TaskKind = "service" | "job";

/** The logical names of a unit's resources, from its component's name. */
export function unitNames(kind: TaskKind, name: string) {
  const p = kind === "job" ? `${name}-job-` : `${name}-`;
  return {
    securityGroup: `${p}${kind === "job" ? "" : "service-"}sg`,
    securityGroupTag: `${name}-${kind}`,
    httpsOut: `${p}${kind === "job" ? "" : "service-"}https-out`,
    egress: (rule: EgressRule) => `${p}egress-${shortHash(JSON.stringify(rule))}`,
    taskRole: `${p}task-role`,
    taskPolicy: (arn: string) => `${p}task-policy-${shortHash(arn)}`,
    ecsExec: `${p}ecs-exec`,
    queues: `${p}queues`,
    executionRole: `${p}execution-role`,
    executionPolicy: `${p}execution`,
    secrets: `${p}secrets`,
    logs: `${p}logs`,
    taskDefinition: `${p}task`,
  };
}

/** The log group a task's containers write to: a literal name, so container definitions are known at preview. */
export function taskLogGroupName(kind: TaskKind, family: string): string {
  return `/ecs/${pulumi.getProject()}/${pulumi.getStack()}/${kind === "job" ? `jobs/${family}` : family}`;
}

export interface TaskUnitArgs extends ClusterPlacement {
  kind: TaskKind;
  /** The task definition's family: the service's or job's name. */
  family: string;
  /** What IAM and EC2 show for the unit's parts (a security group description is its identity: changing it replaces the group). */
  describe: { securityGroup: string; taskRole: string; executionRole: string };
  /** The task's CPU units and MiB: at least its containers' sum. */
  cpu: number;
  memory: number;
  /** The container definitions, given the log group they write to. */
  containers: (logGroupName: string) => Record<string, unknown>[];
  /** Every secret of the task's containers: its own execution role reads exactly these. */
  secrets: Secret[];
  /** The private registries' credentials of its containers' images: read by its own execution role too. */
  registryCredentials: RegistryCredentials[];
  /** Customer managed KMS keys the secrets are encrypted with. */
  secretsKmsKeyArns: string[];
  /** Managed policies of the task role: the application's own AWS access. */
  taskPolicyArns: string[];
  /** Outbound rules beyond HTTPS, which every task has. */
  egressRules: EgressRule[];
  /** ECS Exec into running tasks: the task role gets the SSM messages permissions. @default false */
  ecsExec?: boolean;
  /** The task role's access to work queues (components/queue.ts queueAccessPolicy). Undefined: none. */
  queueAccess?: pulumi.Input<string>;
  /**
   * The cluster's shared execution role and its permissions, for a task without secrets (a service); a
   * task with secrets, or without a shared role (a job), gets one of its own.
   */
  sharedExecutionRole?: { arn: pulumi.Input<string>; permissions: pulumi.Input<pulumi.Resource>[] };
  tags: Record<string, string>;
}

export interface TaskUnit {
  securityGroup: aws.ec2.SecurityGroup;
  /** The security group's outbound rules. */
  rules: pulumi.Resource[];
  taskRole: aws.iam.Role;
  executionRoleArn: pulumi.Output<string>;
  /** The roles' policies: ECS assumes both roles as the first task starts. */
  permissions: pulumi.Input<pulumi.Resource>[];
  logGroup: aws.cloudwatch.LogGroup;
  taskDefinition: aws.ecs.TaskDefinition;
  /** The account and partition the unit's roles trust, for the composing component's own policies. */
  accountId: pulumi.Output<string>;
  partition: pulumi.Output<string>;
}

/**
 * What services and jobs share: a component whose task unit is made first, and whose outputs name the unit's
 * security group, roles and log group. Each subclass adds what differs (an ECS service and its route, a
 * schedule).
 */
export abstract class TaskComponent extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  protected readonly unit: TaskUnit;

  constructor(type: string, name: string, unit: TaskUnitArgs, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.unit = createTaskUnit(this, name, unit);
    this.securityGroupId = this.unit.securityGroup.id;
    this.taskRoleArn = this.unit.taskRole.arn;
    this.executionRoleArn = this.unit.executionRoleArn;
    this.logGroupName = this.unit.logGroup.name;
  }
}

/** The unit's resources, children of `parent` (the service's or job's component). */
export function createTaskUnit(parent: pulumi.ComponentResource, name: string, args: TaskUnitArgs): TaskUnit {
  const n = unitNames(args.kind, name);
  const tags = args.tags;

  // --- the wire: nothing in (a route admits what it needs); HTTPS and the configured rules out ---
  const securityGroup = new aws.ec2.SecurityGroup(n.securityGroup, {
    vpcId: args.vpcId,
    description: args.describe.securityGroup,
    tags: { ...tags, Name: n.securityGroupTag },
  }, { parent });
  const egress = (resourceName: string, rule: EgressRule) => new aws.vpc.SecurityGroupEgressRule(resourceName, {
    securityGroupId: securityGroup.id,
    description: rule.description,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    ...("vpc" in rule.to ? { cidrIpv4: args.vpcCidr } : "cidr" in rule.to ? { cidrIpv4: rule.to.cidr }
      : "securityGroupId" in rule.to ? { referencedSecurityGroupId: rule.to.securityGroupId } : { prefixListId: rule.to.prefixListId }),
  }, { parent: securityGroup });
  // The configured rules are named by content, so reordering the list replaces nothing.
  const rules: pulumi.Resource[] = [egress(n.httpsOut, BUILT_IN_HTTPS), ...args.egressRules.map((rule) => egress(n.egress(rule), rule))];

  // --- identities: the containers' own, and the one that starts them ---
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const trust = ecsTasksTrustPolicy(partition, args.region, accountId);
  const task = createRole(n.taskRole, {
    description: args.describe.taskRole,
    trust,
    // ECS Exec's channels are not resources IAM can scope; AWS documents "*" for these four actions.
    inline: [
      ...(args.ecsExec ? [{ name: n.ecsExec, policy: JSON.stringify(ECS_EXEC_POLICY) }] : []),
      ...(args.queueAccess ? [{ name: n.queues, policy: args.queueAccess }] : []),
    ],
    managed: args.taskPolicyArns.map((policyArn) => ({ name: n.taskPolicy(policyArn), policyArn })),
    bounds: args.roleBounds,
    tags,
  }, { parent });
  let execution: { arn: pulumi.Input<string>; permissions: pulumi.Input<pulumi.Resource>[] };
  const reads = [...args.secrets.map((s) => s.source), ...args.registryCredentials.map((c) => c.source)];
  if (args.sharedExecutionRole && reads.length === 0) {
    execution = args.sharedExecutionRole;
  } else {
    // A role of this task's own: a shared one would let every task start with every other's secrets.
    const own = createRole(n.executionRole, {
      description: args.describe.executionRole,
      trust,
      managed: [{ name: n.executionPolicy, policyArn: awsManagedPolicy(partition, "service-role/AmazonECSTaskExecutionRolePolicy") }],
      inline: reads.length > 0 ? [{ name: n.secrets, policy: JSON.stringify(secretsPolicy(reads, args.secretsKmsKeyArns)) }] : [],
      bounds: args.roleBounds,
      tags,
    }, { parent });
    execution = own;
  }

  // --- the task ---
  const logGroupName = taskLogGroupName(args.kind, args.family);
  const logGroup = new aws.cloudwatch.LogGroup(n.logs, { name: logGroupName, retentionInDays: args.logRetentionDays, tags }, { parent });
  const taskDefinition = new aws.ecs.TaskDefinition(n.taskDefinition, {
    family: args.family,
    networkMode: "awsvpc",
    requiresCompatibilities: ["EC2"],
    cpu: String(args.cpu),
    memory: String(args.memory),
    executionRoleArn: execution.arn,
    taskRoleArn: task.arn,
    containerDefinitions: pulumi.jsonStringify(args.containers(logGroupName)),
    tags,
  }, { parent, dependsOn: [logGroup] });

  return {
    securityGroup, rules, taskRole: task.role, executionRoleArn: pulumi.output(execution.arn),
    permissions: [...task.permissions, ...execution.permissions], logGroup, taskDefinition, accountId, partition,
  };
}

/** What ECS Exec needs of the task role. */
const ECS_EXEC_POLICY = {
  Version: "2012-10-17",
  Statement: [{
    Effect: "Allow",
    Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
    Resource: "*",
  }],
};
