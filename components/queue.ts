/**
 * A service's work queue: an SQS queue and its dead-letter queue, both encrypted and TLS only, the redrive
 * between them, and the alarms on a dead letter and on a message left waiting. The receiving service and
 * the services and jobs that send to it reach it through its QueueEndpoint: the URL in a variable of their
 * container (queueVariables), and a task role that may do exactly their part (queueAccessPolicy). A
 * receiver scales on the queue's backlog (backlogPerTask) and, with no task left, wakes on a message
 * (wakeOnMessage).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEAD_LETTER_RETENTION_SECONDS, queueArn, queueNames, queueUrl } from "../lib/queues";
import type { QueueSettings } from "../lib/shapes";
import { notifying } from "./alerts";

export interface WorkQueueArgs extends QueueSettings {
  /** The service that receives from the queue: the queues' names end in it. */
  serviceName: string;
  region: string;
  /** SNS topics the alarms notify, on alarm and on recovery. */
  alarmActions?: pulumi.Input<string>[];
  tags?: Record<string, string>;
}

/** A queue as a task reaches it. */
export interface QueueEndpoint {
  /** The service that receives from it. */
  service: string;
  /** Its literal name, and its URL and ARN made from it: known at preview. */
  name: string;
  url: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  /** The customer managed key both queues are encrypted with; undefined: SQS managed keys. */
  kmsKeyArn?: string;
  /** The queues, the redrive and the queue policies: a task that uses the queue starts after them. */
  ready: pulumi.Resource[];
}

/** A queue as a container sees it: the variable its URL is in. */
export interface QueueVariable {
  endpoint: QueueEndpoint;
  variable: string;
}

/**
 * The queue and its dead-letter queue. The dead-letter queue takes messages from this queue only (its
 * redriveAllowPolicy names it), so it is created after the queue and the redrive is a resource of its own
 * (aws.sqs.RedrivePolicy): a queue cannot name a dead-letter queue that names it back. The documents name
 * the queues by their literal ARNs, known at preview, where the plan shows them and the pack reads them.
 */
export class WorkQueue extends pulumi.ComponentResource {
  readonly endpoint: QueueEndpoint;
  readonly deadLetterQueueName: string;
  readonly queueUrl: pulumi.Output<string>;

  constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:messaging:WorkQueue", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    const names = queueNames(pulumi.getProject(), pulumi.getStack(), args.serviceName);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const arnOf = (queueName: string) => pulumi.all([partition, accountId]).apply(([p, id]) => queueArn(p, args.region, id, queueName));
    const arns = { queue: arnOf(names.queue), deadLetterQueue: arnOf(names.deadLetterQueue) };
    // SQS managed keys (SSE-SQS) unless a customer managed key is named; the provider takes one or the other.
    const encryption = args.kmsKeyArn ? { kmsMasterKeyId: args.kmsKeyArn } : { sqsManagedSseEnabled: true };
    const queue = new aws.sqs.Queue(`${name}-queue`, {
      name: names.queue,
      ...encryption,
      visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
      messageRetentionSeconds: args.messageRetentionSeconds,
      // Long polling by default (SQS's most, 20 s): a receive waits for a message instead of returning
      // empty, and an idle worker makes about 3 requests a minute, each billed.
      receiveWaitTimeSeconds: 20,
      tags,
    }, parent);
    const deadLetters = new aws.sqs.Queue(`${name}-dlq`, {
      name: names.deadLetterQueue,
      ...encryption,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [arns.queue] }),
      tags,
    }, { parent: this, dependsOn: [queue] });
    const redrive = new aws.sqs.RedrivePolicy(`${name}-redrive`, {
      queueUrl: queue.url,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: arns.deadLetterQueue, maxReceiveCount: args.maxReceiveCount }),
    }, { parent: queue, dependsOn: [deadLetters] });
    const tlsOnly = [
      new aws.sqs.QueuePolicy(`${name}-queue-tls-only`, { queueUrl: queue.url, policy: tlsOnlyPolicy(arns.queue) }, { parent: queue }),
      new aws.sqs.QueuePolicy(`${name}-dlq-tls-only`, { queueUrl: deadLetters.url, policy: tlsOnlyPolicy(arns.deadLetterQueue) }, { parent: deadLetters }),
    ];

    // --- alarms: a message given up on, and a message left waiting ---
    const alarm = (id: string, description: string, queueName: pulumi.Input<string>, metricName: string, threshold: number) => new aws.cloudwatch.MetricAlarm(`${name}-${id}`, {
      alarmDescription: description,
      namespace: "AWS/SQS",
      metricName,
      dimensions: { QueueName: queueName },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold,
      // SQS stops sending metrics of a queue that stays empty for hours: no data is no message.
      treatMissingData: "notBreaching",
      ...notifying(args.alarmActions),
      tags,
    }, parent);
    alarm("dead-letters", `Service ${args.serviceName}: a message is in the dead-letter queue (it failed ${args.maxReceiveCount} receives)`, deadLetters.name, "ApproximateNumberOfMessagesVisible", 0);
    alarm("oldest-message", `Service ${args.serviceName}: the oldest message has waited more than ${args.oldestMessageAlarmSeconds} s`, queue.name, "ApproximateAgeOfOldestMessage", args.oldestMessageAlarmSeconds);

    this.endpoint = {
      service: args.serviceName,
      name: names.queue,
      url: accountId.apply((id) => queueUrl(args.region, id, names.queue)),
      arn: arns.queue,
      ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}),
      ready: [queue, deadLetters, redrive, ...tlsOnly],
    };
    this.deadLetterQueueName = names.deadLetterQueue;
    this.queueUrl = queue.url;
    this.registerOutputs({ queueUrl: this.queueUrl, queueName: names.queue, deadLetterQueueName: names.deadLetterQueue });
  }
}

/**
 * A queue policy that refuses every request made without TLS (aws:SecureTransport false), whoever makes
 * it. A Deny of every action: allowing is left to the task roles' own policies.
 */
export function tlsOnlyPolicy(arn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [{
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: arn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }],
  });
}

/** What a receiver does with its own queue; DeleteMessage and ChangeMessageVisibility cover their batch forms. */
export const RECEIVE_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];
/** What a sender does with another's queue: its URL is given, so it looks nothing up. SendMessage covers SendMessageBatch. */
export const SEND_ACTIONS = ["sqs:SendMessage"];

/**
 * What a task role may do with work queues, each named by its ARN: receive from its own queue, send to the
 * others'. With customer managed keys: decrypt (a receiver), generate data keys and decrypt (a sender), only
 * through SQS in the stack's region (Amazon SQS Developer Guide, "Key management": producers need
 * kms:GenerateDataKey and kms:Decrypt, consumers kms:Decrypt). Undefined for a task that uses no queue.
 */
export function queueAccessPolicy(region: string, own: QueueEndpoint | undefined, sends: QueueEndpoint[]): pulumi.Output<string> | undefined {
  if (!own && sends.length === 0) return undefined;
  const throughSqs = { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } };
  const sendKeys = [...new Set(sends.flatMap((q) => (q.kmsKeyArn ? [q.kmsKeyArn] : [])))].sort();
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      ...(own ? [{ Sid: "ReceiveFromItsQueue", Effect: "Allow", Action: RECEIVE_ACTIONS, Resource: own.arn }] : []),
      ...(own?.kmsKeyArn ? [{ Sid: "DecryptItsQueue", Effect: "Allow", Action: ["kms:Decrypt"], Resource: own.kmsKeyArn, Condition: throughSqs }] : []),
      ...(sends.length > 0 ? [{ Sid: "SendToTheQueuesItNames", Effect: "Allow", Action: SEND_ACTIONS, Resource: sends.map((q) => q.arn) }] : []),
      ...(sendKeys.length > 0 ? [{ Sid: "EncryptForTheQueuesItNames", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: sendKeys, Condition: throughSqs }] : []),
    ],
  });
}

/** The container's variables of its queues: its own queue's URL, and each queue it sends to. */
export function queueVariables(own: QueueVariable | undefined, sends: QueueVariable[] = []): { name: string; value: pulumi.Output<string> }[] {
  return [...(own ? [own] : []), ...sends].map((q) => ({ name: q.variable, value: q.endpoint.url }));
}

/** Everything a task that uses these queues waits for. */
export const queuesReady = (own: QueueVariable | undefined, sends: QueueVariable[] = []): pulumi.Resource[] =>
  [...(own ? [own] : []), ...sends].flatMap((q) => q.endpoint.ready);

/**
 * A service's backlog per task, for target tracking: the queue's visible messages divided by the service's
 * running tasks (Container Insights), as AWS documents for a queue-driven ECS service (Application Auto
 * Scaling User Guide, "Create a target tracking scaling policy for Application Auto Scaling using metric
 * math", Example: Amazon SQS queue backlog per task:
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html).
 */
export function backlogPerTask(queueName: string, clusterName: pulumi.Input<string>, serviceName: pulumi.Input<string>): aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification {
  return {
    metrics: [
      {
        id: "visible", returnData: false, label: "Messages waiting in the queue",
        metricStat: { metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: queueName }] }, stat: "Sum" },
      },
      {
        id: "running", returnData: false, label: "Running tasks of the service",
        metricStat: {
          metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: [{ name: "ClusterName", value: clusterName }, { name: "ServiceName", value: serviceName }] },
          stat: "Average",
        },
      },
      { id: "backlog", expression: "visible / running", label: "Visible messages per running task", returnData: true },
    ],
  };
}

/**
 * Wakes a sleeping worker (minCount 0) on a message. Target tracking on the backlog per task cannot: with no
 * task running its denominator is 0 (ECS reports no metrics of a service without running tasks: Amazon ECS
 * Developer Guide, "Amazon ECS CloudWatch metrics"), the expression has no value, and a target tracking
 * policy takes no action on missing data. So a step scaling policy sets the worker to one task when messages
 * wait and none is in flight (ApproximateNumberOfMessagesNotVisible: received, not yet deleted): no task is
 * working on the queue. An alarm on waiting messages alone would act every minute while tasks work through a
 * backlog, against the target tracking policy; this one is quiet once a task receives. Exactly one task, not
 * one more: the alarm stays on while the first task waits for a host to boot, and one more each minute would
 * start as many hosts. Target tracking takes over from the first task, and scales the worker in to 0 once the
 * queue stays empty.
 */
export function wakeOnMessage(name: string, target: aws.appautoscaling.Target, queueName: string, tags?: Record<string, string>): void {
  const wake = new aws.appautoscaling.Policy(`${name}-wake-scaling`, {
    policyType: "StepScaling",
    serviceNamespace: target.serviceNamespace,
    scalableDimension: target.scalableDimension,
    resourceId: target.resourceId,
    stepScalingPolicyConfiguration: {
      adjustmentType: "ExactCapacity",
      cooldown: 60,
      metricAggregationType: "Maximum",
      stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
    },
  }, { parent: target });
  const sqsMetric = (id: string, metricName: string) => ({
    id, returnData: false,
    metric: { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, period: 60, stat: "Maximum" },
  });
  new aws.cloudwatch.MetricAlarm(`${name}-wake`, {
    alarmDescription: `Messages wait in ${queueName} and no task is working on it: start one`,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
    metricQueries: [
      sqsMetric("visible", "ApproximateNumberOfMessagesVisible"),
      sqsMetric("inflight", "ApproximateNumberOfMessagesNotVisible"),
      { id: "unattended", expression: "IF(FILL(inflight, 0) == 0, FILL(visible, 0), 0)", label: "Messages waiting with none in flight", returnData: true },
    ],
    alarmActions: [wake.arn],
    tags,
  }, { parent: wake });
}
