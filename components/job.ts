import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EgressRule, RegistryCredentials, Secret } from "../lib/shapes";
import { notifying } from "./alerts";
import { queueAccessPolicy, queuesReady, queueVariables, type QueueVariable } from "./queue";
import { createRole, trustedBy } from "./role";
import { awslogs, repositoryCredentials } from "./task";
import { placementOf, TaskComponent, type ClusterPlacement, type TaskUnitArgs } from "./task-unit";

export interface ScheduledJobArgs extends ClusterPlacement {
  /** The job's name: its task family, container and log stream prefix. */
  jobName: string;
  /** The container image (a reference, or an image built and pushed by AppImage). */
  image: pulumi.Input<string>;
  /** Undefined: the image's CMD. */
  command?: string[];
  /** An EventBridge Scheduler expression: cron(...) with six fields, rate(...) or at(...), run in UTC. */
  scheduleExpression: string;
  /** The task's (its one container's) CPU units and MiB. */
  cpu: number;
  memory: number;
  /** Plain variables; JOB_NAME is set by the component. */
  environment: Record<string, string>;
  /** Variables from SSM or Secrets Manager: the job's own execution role reads exactly these. */
  secrets: Secret[];
  /** The private registry's credentials of the job's image; undefined: a public registry or ECR. */
  registryCredentials?: RegistryCredentials;
  /** Managed policies for the task role: the job's own AWS access. */
  taskPolicyArns: string[];
  /** Outbound rules beyond HTTPS (which every job has). */
  egressRules: EgressRule[];
  /** Services' queues the job sends to: each URL in its variable, the task role allowed to send to those only. */
  sendsTo?: QueueVariable[];
  /** Topics the failed-runs alarm notifies. */
  alarmActions?: pulumi.Input<string>[];
  tags?: Record<string, string>;
}

/** How often Scheduler retries a run it could not start, and for how long (seconds). */
export const JOB_RETRY_POLICY = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 };

/**
 * A scheduled job: an ECS task EventBridge Scheduler runs on the cluster at its schedule (UTC), through the
 * cluster's capacity providers, in the private subnets without a public IP. Its own task definition (family
 * = the job's name), log group, security group (nothing in; HTTPS and the configured rules out), task role
 * and execution role (reads exactly its secrets); a schedule group of its own, so the failed-runs alarm
 * (AWS/Scheduler InvocationDroppedCount + TargetErrorCount by ScheduleGroup) is this job's alone; and the
 * role Scheduler assumes, allowed ecs:RunTask on this family in this cluster only, iam:PassRole on this
 * job's two roles only, and ecs:TagResource on the tasks it starts (RunTask propagates the task
 * definition's tags).
 */
export class ScheduledJob extends TaskComponent {
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly scheduleArn: pulumi.Output<string>;
  readonly scheduleGroupName: pulumi.Output<string>;
  readonly schedulerRoleArn: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;

  constructor(name: string, args: ScheduledJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:ecs:ScheduledJob", name, jobTask(args), opts);
    const tags = { ...args.tags, job: args.jobName };
    const parent = { parent: this };
    const { unit } = this;
    const { partition, accountId } = unit;

    // --- who runs it: Scheduler, with a role for this job alone ---
    const group = new aws.scheduler.ScheduleGroup(`${name}-schedules`, { tags }, parent);
    const scheduler = createRole(`${name}-scheduler-role`, {
      description: `EventBridge Scheduler runs job ${args.jobName}'s task with this role`,
      trust: trustedBy("scheduler.amazonaws.com", accountId),
      inline: [{
        name: `${name}-scheduler-run-task`,
        policy: pulumi.jsonStringify(runTaskPolicy({
          taskDefinitionFamilyArn: pulumi.interpolate`arn:${partition}:ecs:${args.region}:${accountId}:task-definition/${args.jobName}:*`,
          clusterArn: args.clusterArn,
          tasksArn: pulumi.interpolate`arn:${partition}:ecs:${args.region}:${accountId}:task/${args.clusterName}/*`,
          passRoleArns: [unit.taskRole.arn, unit.executionRoleArn],
        })),
      }],
      bounds: args.roleBounds,
      tags,
    }, parent);

    const schedule = new aws.scheduler.Schedule(`${name}-schedule`, {
      groupName: group.name,
      description: `Runs job ${args.jobName} on the cluster`,
      scheduleExpression: args.scheduleExpression,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: args.clusterArn,
        roleArn: scheduler.arn,
        retryPolicy: JOB_RETRY_POLICY,
        ecsParameters: {
          taskDefinitionArn: unit.taskDefinition.arn,
          taskCount: 1,
          // The capacity providers, never a launch type: a task waiting for room makes a provider add hosts.
          capacityProviderStrategies: args.capacityProviderStrategies,
          networkConfiguration: { subnets: args.privateSubnetIds, securityGroups: [unit.securityGroup.id], assignPublicIp: false },
          enableEcsManagedTags: true,
          propagateTags: "TASK_DEFINITION",
        },
      },
    }, {
      parent: this,
      // The first run may come at once (rate, at): everything it needs exists before the schedule.
      dependsOn: [...scheduler.permissions, ...unit.permissions, ...unit.rules, ...(args.egress ?? []), ...(args.capacityProviders ? [args.capacityProviders] : []), ...queuesReady(undefined, args.sendsTo)],
    });

    // --- a run that never started: dropped after the retries, or refused by ECS (AWS/Scheduler, by ScheduleGroup) ---
    const metric = (id: string, metricName: string) => ({
      id, returnData: false,
      metric: { namespace: "AWS/Scheduler", metricName, dimensions: { ScheduleGroup: group.name }, period: 300, stat: "Sum" },
    });
    const alarm = new aws.cloudwatch.MetricAlarm(`${name}-failed-runs`, {
      alarmDescription: `Job ${args.jobName}: EventBridge Scheduler could not start its task (target errors or dropped runs)`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      threshold: 1,
      treatMissingData: "notBreaching",
      metricQueries: [
        metric("dropped", "InvocationDroppedCount"),
        metric("errors", "TargetErrorCount"),
        { id: "failed", expression: "FILL(dropped, 0) + FILL(errors, 0)", label: "Failed runs", returnData: true },
      ],
      ...notifying(args.alarmActions),
      tags,
    }, parent);

    this.taskDefinitionArn = unit.taskDefinition.arn;
    this.scheduleArn = schedule.arn;
    this.scheduleGroupName = group.name;
    this.schedulerRoleArn = scheduler.arn;
    this.alarmName = alarm.name;
    this.registerOutputs({
      taskDefinitionArn: this.taskDefinitionArn, scheduleArn: this.scheduleArn, securityGroupId: this.securityGroupId,
      taskRoleArn: this.taskRoleArn, executionRoleArn: this.executionRoleArn, schedulerRoleArn: this.schedulerRoleArn, logGroupName: this.logGroupName,
    });
  }
}

/** The job's task unit: its one container, its secrets (no customer keys), roles and egress. */
function jobTask(args: ScheduledJobArgs): TaskUnitArgs {
  return {
    ...placementOf(args),
    kind: "job",
    family: args.jobName,
    describe: {
      securityGroup: `Tasks of job ${args.jobName}: nothing in, HTTPS out`,
      taskRole: `Identity of job ${args.jobName}'s container`,
      executionRole: `Starts job ${args.jobName}'s tasks: pulls the image, writes logs${args.secrets.length || args.registryCredentials ? ", reads its secrets" : ""}`,
    },
    cpu: args.cpu,
    memory: args.memory,
    containers: (logGroupName) => [jobContainerDefinition(args, logGroupName)],
    secrets: args.secrets,
    registryCredentials: args.registryCredentials ? [args.registryCredentials] : [],
    secretsKmsKeyArns: [],
    taskPolicyArns: args.taskPolicyArns,
    egressRules: args.egressRules,
    queueAccess: queueAccessPolicy(args.region, undefined, (args.sendsTo ?? []).map((q) => q.endpoint)),
    tags: { ...args.tags, job: args.jobName },
  };
}

/** The job's one container: its image, size, command and variables (the URLs of the queues it sends to among them), logging to the job's log group. */
export function jobContainerDefinition(args: Pick<ScheduledJobArgs, "jobName" | "image" | "cpu" | "memory" | "command" | "environment" | "secrets" | "registryCredentials" | "region" | "sendsTo">, logGroupName: string): Record<string, unknown> {
  return {
    name: args.jobName,
    image: args.image,
    ...repositoryCredentials(args.registryCredentials),
    cpu: args.cpu,
    memory: args.memory,
    essential: true,
    ...(args.command ? { command: args.command } : {}),
    environment: [
      { name: "JOB_NAME", value: args.jobName },
      ...queueVariables(undefined, args.sendsTo),
      ...Object.keys(args.environment).sort().map((k) => ({ name: k, value: args.environment[k] })),
    ],
    ...(args.secrets.length > 0 ? { secrets: args.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) } : {}),
    logConfiguration: awslogs(logGroupName, args.region, args.jobName),
  };
}

/**
 * What Scheduler's role may do for one job: run its task definition family (any revision) in this cluster
 * only, hand over its two roles to ECS tasks only, and tag the tasks it starts in this cluster (RunTask
 * with propagated tags needs ecs:TagResource, conditioned on the RunTask create action).
 */
export function runTaskPolicy(p: {
  taskDefinitionFamilyArn: pulumi.Input<string>; clusterArn: pulumi.Input<string>; tasksArn: pulumi.Input<string>; passRoleArns: pulumi.Input<string>[];
}): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "RunTheJobsTask", Effect: "Allow", Action: "ecs:RunTask", Resource: p.taskDefinitionFamilyArn, Condition: { ArnEquals: { "ecs:cluster": p.clusterArn } } },
      { Sid: "PassTheJobsRoles", Effect: "Allow", Action: "iam:PassRole", Resource: p.passRoleArns, Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } },
      { Sid: "TagTheTasksItStarts", Effect: "Allow", Action: "ecs:TagResource", Resource: p.tasksArn, Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } } },
    ],
  };
}
