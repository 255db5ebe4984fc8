/**
 * Work queues: a service's `queue` (an SQS queue and its dead-letter queue that the service receives from
 * and scales on) and `sendsTo` (the services whose queues a service or a job sends to). Each problem names
 * the key as written, the value and what is allowed, and the service or job.
 */
import { DEFAULT_QUEUE_URL_VARIABLE, SQS_LIMITS, VISIBILITY_MARGIN_SECONDS, senderUrlVariable } from "../lib/queues";
import { didYouMean } from "../lib/suggest";
import { ARN_SHAPES, kmsKeyRegion } from "./arns";
import { ENV_NAME_RE, PROGRAM_ENV } from "./containers";
import { ConfigReader } from "./reader";
import { NAMESPACE, serviceKey } from "./schema";
import type { JobSpec, QueueSpec, ServiceSpec } from "./types";

/** The keys of `queue`. */
export const QUEUE_KEYS = ["maxReceiveCount", "visibilityTimeoutSeconds", "messageRetentionSeconds", "kmsKeyArn", "urlVariable", "messagesPerTask", "oldestMessageAlarmSeconds"] as const;

/** Their defaults, but the visibility timeout's, which follows the container's stop timeout. */
export const QUEUE_DEFAULTS = {
  maxReceiveCount: 5,
  messageRetentionSeconds: SQS_LIMITS.defaultRetentionSeconds,
  kmsKeyArn: "",
  urlVariable: DEFAULT_QUEUE_URL_VARIABLE,
  messagesPerTask: 10,
  oldestMessageAlarmSeconds: 900,
};

/** A service's `queue` (flat for the default service, or in a services entry); undefined when it has none. */
export function parseQueue(r: ConfigReader, service: string, stopTimeoutSeconds: number, region: string): QueueSpec | undefined {
  if (!r.has("queue")) return undefined;
  const q = r.nested(r.map("queue", "queue settings"), { ...QUEUE_DEFAULTS, visibilityTimeoutSeconds: stopTimeoutSeconds + VISIBILITY_MARGIN_SECONDS }, r.label("queue"));
  q.unknownKeys(QUEUE_KEYS, didYouMean);
  const L = SQS_LIMITS;
  const maxReceiveCount = q.int("maxReceiveCount", L.minReceiveCount, L.maxReceiveCount,
    `an integer from ${L.minReceiveCount} to ${L.maxReceiveCount} (receives of a message before SQS moves it to service ${service}'s dead-letter queue)`);
  const visibilityTimeoutSeconds = q.int("visibilityTimeoutSeconds", stopTimeoutSeconds, L.maxVisibilityTimeoutSeconds,
    `an integer from service ${service}'s stopTimeoutSeconds (${stopTimeoutSeconds}) to ${L.maxVisibilityTimeoutSeconds} (seconds, SQS's most): a task told to stop may work on its message that long, and SQS must not hand the message to another task meanwhile`);
  const messageRetentionSeconds = q.int("messageRetentionSeconds", L.minRetentionSeconds, L.maxRetentionSeconds,
    `an integer from ${L.minRetentionSeconds} to ${L.maxRetentionSeconds} (seconds, what SQS allows)`);
  const kmsKeyArn = q.str("kmsKeyArn") || undefined;
  if (kmsKeyArn) {
    const keyRegion = kmsKeyRegion(kmsKeyArn);
    if (!keyRegion) q.bad("kmsKeyArn", `empty (SQS managed keys), or ${ARN_SHAPES.kms}`);
    else if (keyRegion !== region) q.bad("kmsKeyArn", `a key in the stack's region ${region}: SQS encrypts with a key of the queue's region`);
  }
  const urlVariable = q.str("urlVariable");
  if (!ENV_NAME_RE.test(urlVariable) || PROGRAM_ENV.includes(urlVariable)) {
    q.bad("urlVariable", `a variable name of letters, digits and _ not starting with a digit, other than ${PROGRAM_ENV.join(", ")} (service ${service}'s container finds its queue's URL there)`);
  }
  const messagesPerTask = q.int("messagesPerTask", 1, 1000000, `an integer from 1 to 1000000 (visible messages per running task that service ${service}'s scaling holds)`);
  const oldestMessageAlarmSeconds = q.int("oldestMessageAlarmSeconds", 60, Math.max(60, messageRetentionSeconds - 1),
    `an integer from 60 to messageRetentionSeconds - 1 (${messageRetentionSeconds - 1}): a message older than the retention is gone, so a longer threshold never fires`);
  return { maxReceiveCount, visibilityTimeoutSeconds, messageRetentionSeconds, ...(kmsKeyArn ? { kmsKeyArn } : {}), urlVariable, messagesPerTask, oldestMessageAlarmSeconds };
}

/** `sendsTo` of a service or a job: distinct names (each is judged against every service in checkSends). */
export function parseSendsTo(r: ConfigReader): string[] {
  const sendsTo = r.strings("sendsTo");
  if (new Set(sendsTo).size !== sendsTo.length) r.bad("sendsTo", "distinct service names");
  return sendsTo;
}

/**
 * Every send of the services and jobs: to another service of the stack that has a queue (a service reaches
 * its own queue as its urlVariable), into a variable (<NAME>_QUEUE_URL) that the sender's own variables do
 * not already name. Sends may go both ways: a queue exists before any service, so they need no order.
 */
export function checkSends(services: ServiceSpec[], jobs: JobSpec[], problems: string[]): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const [main] = services;
  const senders = [
    ...services.map((s) => ({ what: `service ${s.name}`, name: s.name, label: serviceKey(s.name, s === main, "sendsTo"), sendsTo: s.sendsTo, own: s.queue?.urlVariable, taken: [...Object.keys(s.environment), ...s.secrets.map((x) => x.name)] })),
    ...jobs.map((j) => ({ what: `job ${j.name}`, name: j.name, label: `${NAMESPACE}:jobs.${j.name}.sendsTo`, sendsTo: j.sendsTo, own: undefined, taken: [...Object.keys(j.environment), ...j.secrets.map((x) => x.name)] })),
  ];
  for (const s of senders) {
    const value = `${s.label} = ${JSON.stringify(JSON.stringify(s.sendsTo))} is not allowed`;
    for (const t of s.sendsTo) {
      const target = byName.get(t);
      const variable = senderUrlVariable(t);
      if (t === s.name && target) problems.push(`${value}: ${s.what} sends to itself: it reaches its own queue as ${target.queue ? target.queue.urlVariable : "its queue's urlVariable (set queue)"}, not through sendsTo`);
      else if (!target) problems.push(`${value}: ${t} is not a service of this stack (its services: ${services.map((x) => x.name).join(", ")}), so ${s.what} cannot send to it`);
      else if (!target.queue) problems.push(`${value}: service ${t} has no queue (set ${serviceKey(t, t === main.name, "queue")}), so ${s.what} cannot send to it`);
      else if (variable === s.own || s.taken.includes(variable)) problems.push(`${value}: ${s.what} already has a variable ${variable}, where the URL of ${t}'s queue goes; rename its own`);
    }
  }
  for (const s of services) {
    if (s.queue && (s.queue.urlVariable in s.environment || s.secrets.some((x) => x.name === s.queue!.urlVariable))) {
      problems.push(`${serviceKey(s.name, s === main, "queue")}.urlVariable = ${JSON.stringify(s.queue.urlVariable)} is not allowed: service ${s.name} already has a variable of that name in environment or secrets`);
    }
  }
}
