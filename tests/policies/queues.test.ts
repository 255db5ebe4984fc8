// The pack's work-queue policies: queues encrypted at rest (FSBP SQS.1, Checkov CKV_AWS_27), a dead-letter
// queue behind every queue that is not one, and queue policies that refuse requests made without TLS.
import assert from "node:assert/strict";
import { sqsQueueDeadLetter, sqsQueueEncrypted, sqsQueueTlsOnly } from "../../policy-pack/policies";
import type { RecordedResource } from "../../plan/mock-engine";
import { UNKNOWN, resource, verdict, violations } from "./helpers";

const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const REDRIVE = "aws:sqs/redrivePolicy:RedrivePolicy";
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:210987654321:${name}`;
const urlOf = (name: string) => `https://sqs.us-east-1.amazonaws.com/210987654321/${name}`;

/** A queue as recorded: its inputs, and at `up` the URL and ARN SQS gives it. */
const queue = (name: string, inputs: Record<string, unknown> = {}, preview = false): RecordedResource =>
  resource(QUEUE, name, { name, sqsManagedSseEnabled: true, ...inputs }, { preview, outputs: { name, sqsManagedSseEnabled: true, ...inputs, ...(preview ? {} : { url: urlOf(name), arn: arnOf(name) }) } });

/** A resource fed by `queue`'s URL: in preview known through the graph only, at `up` (here) by its value only. */
const onQueue = (type: string, name: string, q: RecordedResource, inputs: Record<string, unknown>, preview = false): RecordedResource =>
  resource(type, name, { queueUrl: preview ? UNKNOWN : urlOf(q.inputs.name), ...inputs }, { preview, propertyDependencies: preview ? { queueUrl: [q.urn] } : {} });

const tlsOnly = (arn: string) => JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }],
});

describe("sqs-queue-encrypted", () => {
  it("accepts a queue on SQS managed keys and one on a KMS key", async () => {
    assert.deepEqual(await violations(sqsQueueEncrypted, [
      queue("sse"),
      queue("kms", { sqsManagedSseEnabled: undefined, kmsMasterKeyId: "arn:aws:kms:us-east-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b" }),
    ]), []);
  });

  it("rejects a queue that turns SQS managed keys off without a key, and one that leaves its encryption to SQS's default", async () => {
    const v = await verdict(sqsQueueEncrypted, [queue("off", { sqsManagedSseEnabled: false }), queue("unset", { sqsManagedSseEnabled: undefined })]);
    assert.deepEqual(v.violations.map((x) => [x.resourceName, x.message.split(",")[0]]), [
      ["off", "sqsManagedSseEnabled is false and no kmsMasterKeyId is set"],
      ["unset", "sets neither sqsManagedSseEnabled nor kmsMasterKeyId"],
    ]);
  });

  it("says it cannot verify a key unknown in preview, instead of passing it", async () => {
    assert.deepEqual(await violations(sqsQueueEncrypted, [queue("later", { sqsManagedSseEnabled: undefined, kmsMasterKeyId: UNKNOWN }, true)], { preview: true }),
      ["cannot verify in preview: sqsManagedSseEnabled or kmsMasterKeyId is unknown until the update"]);
  });
});

describe("sqs-queue-dead-letter", () => {
  for (const preview of [true, false]) {
    it(`accepts a queue redriven by an aws.sqs.RedrivePolicy, and its dead-letter queue (${preview ? "preview: through the graph" : "up: by URL and ARN"})`, async () => {
      const main = queue("jobs", {}, preview);
      const dlq = queue("jobs-dlq", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arnOf("jobs")] }) }, preview);
      const redrive = onQueue(REDRIVE, "jobs-redrive", main, { redrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf("jobs-dlq"), maxReceiveCount: 5 }) }, preview);
      assert.deepEqual(await violations(sqsQueueDeadLetter, [main, dlq, redrive], { preview }), []);
    });
  }

  it("accepts a queue whose own redrivePolicy names its dead-letter queue, which needs none itself", async () => {
    const dlq = queue("orders-dlq");
    const main = queue("orders", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf("orders-dlq"), maxReceiveCount: 3 }) });
    assert.deepEqual(await violations(sqsQueueDeadLetter, [main, dlq]), []);
  });

  it("rejects a queue with no dead-letter queue, naming it", async () => {
    const v = await verdict(sqsQueueDeadLetter, [queue("lonely")]);
    assert.deepEqual(v.violations.map((x) => x.message.split(":")[0]), ["queue lonely has no dead-letter queue"]);
  });

  it("does not apply to a stack without queues", async () => {
    assert.equal((await verdict(sqsQueueDeadLetter, [resource("aws:sns/topic:Topic", "alerts", {})])).status, "not-applicable");
  });
});

describe("sqs-queue-tls-only", () => {
  for (const preview of [true, false]) {
    it(`accepts a queue whose aws.sqs.QueuePolicy denies every action over plain HTTP (${preview ? "preview" : "up"})`, async () => {
      const q = queue("jobs", {}, preview);
      assert.deepEqual(await violations(sqsQueueTlsOnly, [q, onQueue(QUEUE_POLICY, "jobs-tls-only", q, { policy: tlsOnly(arnOf("jobs")) }, preview)], { preview }), []);
    });
  }

  it("accepts a queue whose own policy does, as an object document with BoolIfExists and Principal {AWS: *}", async () => {
    const policy = { Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: ["*"], Resource: arnOf("q"), Condition: { BoolIfExists: { "aws:SecureTransport": false } } }] };
    assert.deepEqual(await violations(sqsQueueTlsOnly, [queue("q", { policy })]), []);
  });

  it("rejects a queue without a policy, and one whose policy denies only some actions or allows instead", async () => {
    const some = queue("some");
    const allows = queue("allows");
    const partial = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:SendMessage", Resource: arnOf("some"), Condition: { Bool: { "aws:SecureTransport": "false" } } }] });
    const allow = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sqs:SendMessage", Resource: arnOf("allows") }] });
    const v = await verdict(sqsQueueTlsOnly, [queue("bare"), some, onQueue(QUEUE_POLICY, "some-policy", some, { policy: partial }), allows, onQueue(QUEUE_POLICY, "allows-policy", allows, { policy: allow })]);
    assert.deepEqual(v.violations.map((x) => x.message.split(",")[0].split(";")[0]), [
      "queue bare has no queue policy",
      "the policy of queue some does not deny requests made without TLS",
      "the policy of queue allows does not deny requests made without TLS",
    ]);
  });

  it("says it cannot verify a policy unknown in preview", async () => {
    const q = queue("later", {}, true);
    assert.deepEqual(await violations(sqsQueueTlsOnly, [q, onQueue(QUEUE_POLICY, "later-policy", q, { policy: UNKNOWN }, true)], { preview: true }),
      ["cannot verify in preview: the policy of queue later is unknown until the update"]);
  });
});
