// Work queues: encrypted at rest, a dead-letter queue behind every queue that is not one itself, and no
// request over plain HTTP. Encryption is a property of the queue (a resource policy); the redrive and the
// queue policy may be resources of their own (aws.sqs.RedrivePolicy, aws.sqs.QueuePolicy), so those two are
// stack policies that follow the graph: through `propertyDependencies` (which resource a value came from)
// in preview and at `up`, and at `up` also by the queue's URL.
import * as aws from "@pulumi/aws";
import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, Unknown, configOf, controls, isUnknown, read, schema, token, validateTypes } from "./util";

const QUEUE = token(aws.sqs.Queue);
const QUEUE_POLICY = token(aws.sqs.QueuePolicy);
const REDRIVE = token(aws.sqs.RedrivePolicy);

/** A value the program set: present, possibly unknown until the update. */
const isSet = (v: unknown): boolean => isUnknown(v) || (v !== undefined && v !== null && v !== "");

/** A JSON document given as a string (the usual case) or an object; UNKNOWN in preview; undefined when unset or not JSON. */
function document(value: unknown): Record<string, any> | Unknown | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value === "object" && value !== null) return value as Record<string, any>;
  if (typeof value !== "string" || value === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** True when `from`'s property `key` names `queue`: through the dependency graph, or at `up` by its URL. */
function names(from: PolicyResource, key: string, queue: PolicyResource): boolean {
  if ((from.propertyDependencies[key] ?? []).some((d) => d.urn === queue.urn)) return true;
  const url = read(() => queue.props.url);
  return typeof url === "string" && read(() => from.props[key]) === url;
}

/** True when an ARN (a dead-letter target) is `queue`'s: its ARN at `up`, or its name, which ends a queue's ARN. */
function arnOf(arn: unknown, queue: PolicyResource): boolean {
  if (typeof arn !== "string") return false;
  const known = read(() => queue.props.arn);
  const name = read(() => queue.props.name);
  return arn === known || (typeof name === "string" && arn.endsWith(`:${name}`));
}

/** The stack's queues, and those a stack policy judges (all but the exempted); not applicable without any. */
function queuesOf(args: StackValidationArgs, s: PolicyConfigSchema): { all: PolicyResource[]; judged: PolicyResource[] } {
  const all = args.resources.filter((r) => r.type === QUEUE);
  if (all.length === 0) args.notApplicable("The stack has no SQS queues");
  const { exemptResources } = configOf(args, s);
  return { all, judged: all.filter((q) => !exemptResources.includes(q.name)) };
}

const encryptedSchema = schema();

export const sqsQueueEncrypted: ResourceValidationPolicy = {
  name: "sqs-queue-encrypted",
  ...controls(
    "SQS queues must be encrypted at rest, with SQS managed keys (sqsManagedSseEnabled) or a KMS key (kmsMasterKeyId).",
    { fsbp: "SQS.1", checkov: "CKV_AWS_27" },
    "medium",
  ),
  enforcementLevel: "advisory",
  configSchema: encryptedSchema,
  validateResource: validateTypes([aws.sqs.Queue], encryptedSchema, (args, report) => {
    const sse = read(() => args.props.sqsManagedSseEnabled);
    const key = read(() => args.props.kmsMasterKeyId);
    if (sse === true || (isSet(key) && !isUnknown(key))) return;
    if (isUnknown(sse) || isUnknown(key)) return report("cannot verify in preview: sqsManagedSseEnabled or kmsMasterKeyId is unknown until the update");
    report(sse === false
      ? "sqsManagedSseEnabled is false and no kmsMasterKeyId is set, so the queue keeps its messages unencrypted; set sqsManagedSseEnabled to true or name a KMS key"
      : "sets neither sqsManagedSseEnabled nor kmsMasterKeyId, so the queue's encryption is left to SQS's default; set sqsManagedSseEnabled to true or name a KMS key");
  }),
};

const deadLetterSchema = schema();

export const sqsQueueDeadLetter: StackValidationPolicy = {
  name: "sqs-queue-dead-letter",
  // Checkov and FSBP have no dead-letter check (cdk-nag's AwsSolutions-SQS3 is this one); none is claimed.
  ...controls(
    "Every SQS queue must move the messages it cannot deliver to a dead-letter queue (its redrivePolicy, or an aws.sqs.RedrivePolicy), unless it is a dead-letter queue itself (a redrive names it, or it sets redriveAllowPolicy).",
    { fsbp: "none", checkov: "none" },
    "medium",
  ),
  enforcementLevel: "advisory",
  configSchema: deadLetterSchema,
  validateStack: (args, report) => {
    const { all: queues, judged } = queuesOf(args, deadLetterSchema);
    const redrives = args.resources.filter((r) => r.type === REDRIVE);
    // Every redrive of the stack: the queues it belongs to, and its dead-letter target (the document's ARN,
    // or the resources the document came from).
    const redriveOf = (from: PolicyResource[], value: unknown, deps: PolicyResource[]) => {
      const doc = document(value);
      return doc === undefined ? [] : [{ from, targetArn: isUnknown(doc) ? undefined : doc.deadLetterTargetArn, deps }];
    };
    const all = [
      ...redrives.flatMap((r) => redriveOf(queues.filter((q) => names(r, "queueUrl", q)), read(() => r.props.redrivePolicy), r.propertyDependencies.redrivePolicy ?? [])),
      ...queues.flatMap((q) => redriveOf([q], read(() => q.props.redrivePolicy), q.propertyDependencies.redrivePolicy ?? [])),
    ];
    for (const q of judged) {
      if (all.some((t) => t.from.includes(q))) continue;
      const isTarget = all.some((t) => t.deps.some((d) => d.urn === q.urn) || arnOf(t.targetArn, q));
      if (isTarget || isSet(read(() => q.props.redriveAllowPolicy))) continue;
      report(`queue ${q.name} has no dead-letter queue: a message no receiver can process comes back until it expires, and nobody sees it; redrive it (redrivePolicy, or an aws.sqs.RedrivePolicy) to a dead-letter queue after a few receives`, q.urn);
    }
  },
};

const tlsSchema = schema();

/** A statement that denies every request to the queue made without TLS. */
function deniesPlainHttp(s: any): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  const principal = s?.Principal;
  const everyone = principal === "*" || list(principal?.AWS).includes("*");
  const everything = list(s?.Action).some((a) => a === "*" || a === "sqs:*");
  const bool = s?.Condition?.Bool ?? s?.Condition?.BoolIfExists;
  return s?.Effect === "Deny" && everyone && everything && String(bool?.["aws:SecureTransport"]) === "false";
}

export const sqsQueueTlsOnly: StackValidationPolicy = {
  name: "sqs-queue-tls-only",
  // No FSBP control or Checkov check asks this of SQS (cdk-nag's AwsSolutions-SQS4 does); none is claimed.
  ...controls(
    "Every SQS queue's policy (its policy, or an aws.sqs.QueuePolicy) must deny every action to every principal when aws:SecureTransport is false, so no request reaches it over plain HTTP.",
    { fsbp: "none", checkov: "none" },
    "medium",
  ),
  enforcementLevel: "advisory",
  configSchema: tlsSchema,
  validateStack: (args, report) => {
    const { judged } = queuesOf(args, tlsSchema);
    const queuePolicies = args.resources.filter((r) => r.type === QUEUE_POLICY);
    for (const q of judged) {
      const docs = [read(() => q.props.policy), ...queuePolicies.filter((p) => names(p, "queueUrl", q)).map((p) => read(() => p.props.policy))].map(document).filter((d) => d !== undefined);
      if (docs.some((d) => !isUnknown(d) && [d!.Statement].flat().some(deniesPlainHttp))) continue;
      if (docs.some(isUnknown)) report(`cannot verify in preview: the policy of queue ${q.name} is unknown until the update`, q.urn);
      else if (docs.length === 0) report(`queue ${q.name} has no queue policy, so it takes requests over plain HTTP; add one that denies every action when aws:SecureTransport is false`, q.urn);
      else report(`the policy of queue ${q.name} does not deny requests made without TLS; add a statement that denies every action to every principal when aws:SecureTransport is false`, q.urn);
    }
  },
};

export const queuePolicies = [sqsQueueEncrypted, sqsQueueDeadLetter, sqsQueueTlsOnly];
