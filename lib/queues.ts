/**
 * Amazon SQS's limits and the names of a service's work queues: what config/ checks and the plan shows,
 * and what components/ creates and hands to the tasks, from one place.
 */
import { createHash } from "crypto";

/**
 * SQS's limits on a standard queue's attributes (Amazon SQS API Reference, CreateQueue, Attributes:
 * VisibilityTimeout 0 to 43,200 seconds, MessageRetentionPeriod 60 to 1,209,600 seconds with a default of
 * 345,600; RedrivePolicy maxReceiveCount 1 to 1,000: Amazon SQS Developer Guide, "Configuring a dead-letter
 * queue"; QueueName up to 80 letters, digits, hyphens and underscores).
 */
export const SQS_LIMITS = {
  maxVisibilityTimeoutSeconds: 43200,
  minRetentionSeconds: 60,
  maxRetentionSeconds: 1209600,
  defaultRetentionSeconds: 345600,
  minReceiveCount: 1,
  maxReceiveCount: 1000,
  maxNameLength: 80,
};

/**
 * A dead-letter queue keeps its messages the longest SQS allows (14 days): a standard queue's message keeps
 * its original enqueue time when it moves to the dead-letter queue, so a shorter retention there would drop
 * it early (Amazon SQS Developer Guide, "Using dead-letter queues").
 */
export const DEAD_LETTER_RETENTION_SECONDS = SQS_LIMITS.maxRetentionSeconds;

/**
 * Seconds a queue's default visibility timeout adds to the container's stop timeout: a task told to stop
 * finishes the message it holds within the stop timeout, and deletes it within the margin, before SQS hands
 * the message to another task.
 */
export const VISIBILITY_MARGIN_SECONDS = 30;

/** The variable a service's own queue URL reaches its container in, unless its queue names another. */
export const DEFAULT_QUEUE_URL_VARIABLE = "QUEUE_URL";

/** The variable another service's queue URL reaches a sender's container in: MAILER_QUEUE_URL for mailer. */
export const senderUrlVariable = (service: string): string => `${service.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_QUEUE_URL`;

/**
 * The literal names of a service's queue and dead-letter queue: `<project>-<stack>_<service>-queue` and
 * `...-dlq`. Service names have no underscore, so no two stacks or services of an account share a name; a
 * name SQS would find too long keeps its start and ends in a hash of the whole. Literal, so the queue's URL
 * and ARN are known at preview: in the container's variables, in the task roles' policies, in the plan.
 */
export function queueNames(project: string, stack: string, service: string): { queue: string; deadLetterQueue: string } {
  const base = `${project}-${stack}_${service}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const room = SQS_LIMITS.maxNameLength - "-queue".length;
  const fitted = base.length <= room ? base : `${base.slice(0, room - 9)}-${createHash("sha256").update(base).digest("hex").slice(0, 8)}`;
  return { queue: `${fitted}-queue`, deadLetterQueue: `${fitted}-dlq` };
}

/** A queue's URL in a region of the aws partition (Amazon SQS Developer Guide, "Amazon SQS queue and message identifiers"). */
export const queueUrl = (region: string, accountId: string, name: string): string => `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;

/** A queue's ARN. */
export const queueArn = (partition: string, region: string, accountId: string, name: string): string => `arn:${partition}:sqs:${region}:${accountId}:${name}`;
