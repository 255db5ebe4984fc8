// Issue 32: queue-driven workers. A service's `queue` (an SQS queue and its dead-letter queue, the redrive,
// TLS-only policies, alarms, backlog scaling) and `sendsTo` (services and jobs that send to it), planned on
// the "queued" fixture (an API whose default service sends to a `mailer` worker) and on config built here.
import assert from "node:assert/strict";
import { parseConfig } from "../../config";
import { ROOT } from "../../config/stack-files";
import { RECEIVE_ACTIONS, SEND_ACTIONS } from "../../components/queue";
import { DEAD_LETTER_RETENTION_SECONDS, VISIBILITY_MARGIN_SECONDS, queueNames, senderUrlVariable } from "../../lib/queues";
import type { Graph, RecordedResource } from "../../plan/mock-engine";
import { checkResource } from "../../plan/provider-rules/check";
import { assertDependsOn, assertFedBy, configProblems, fixtureSpec, json, planFixture, recordFixture } from "../helpers";

const T = {
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  redrive: "aws:sqs/redrivePolicy:RedrivePolicy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  td: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  target: "aws:appautoscaling/target:Target",
  scaling: "aws:appautoscaling/policy:Policy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  topic: "aws:sns/topic:Topic",
};
const BUSYBOX = "public.ecr.aws/docker/library/busybox:1.36";
const KEY = "arn:aws:kms:us-east-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";

const servicesProblems = (services: unknown, more: Record<string, string> = {}) => configProblems({ services: JSON.stringify(services), ...more });

/** Every Allow statement's actions of the stack's inline policies, by the policy's name. */
const allows = (g: Graph): Record<string, { Action: string[]; Resource: unknown; Condition?: unknown }[]> => Object.fromEntries(
  g.ofType(T.rolePolicy).map((p) => [p.name, json(p.inputs.policy).Statement.filter((s: any) => s.Effect === "Allow").map((s: any) => ({ ...s, Action: [s.Action].flat() }))]));

/** A container's variables, by name. */
const variables = (g: Graph, family: string): Record<string, string> =>
  Object.fromEntries(json(g.ofType(T.td).find((t) => t.inputs.family === family)!.inputs.containerDefinitions)[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]));

describe("work queues: the queued fixture (web sends to the mailer worker's queue)", () => {
  const spec = fixtureSpec("queued");
  const mailer = spec.services.find((s) => s.name === "mailer")!;
  const names = queueNames("ecs-ec2-api", "queued", "mailer");
  let g: Graph;
  let queue: RecordedResource;
  let dlq: RecordedResource;
  before(async () => {
    g = await recordFixture("queued");
    queue = g.named("mailer-queue", T.queue);
    dlq = g.named("mailer-dlq", T.queue);
  });

  it("creates two queues for mailer, its queue and its dead-letter queue, named for the stack and the service", () => {
    assert.deepEqual(g.ofType(T.queue).map((q) => q.inputs.name).sort(), [names.deadLetterQueue, names.queue]);
  });

  it("encrypts both with SQS managed keys, and sets the queue's visibility timeout to the stop timeout and a margin, its retention to the default", () => {
    for (const q of [queue, dlq]) {
      assert.equal(q.inputs.sqsManagedSseEnabled, true, q.name);
      // The provider declares kms_master_key_id ConflictsWith sqs_managed_sse_enabled (sqs/queue.go).
      assert.equal(q.inputs.kmsMasterKeyId, undefined, q.name);
    }
    assert.equal(queue.inputs.visibilityTimeoutSeconds, mailer.stopTimeoutSeconds + VISIBILITY_MARGIN_SECONDS);
    assert.equal(queue.inputs.visibilityTimeoutSeconds, mailer.queue!.visibilityTimeoutSeconds);
    assert.equal(queue.inputs.messageRetentionSeconds, mailer.queue!.messageRetentionSeconds);
  });

  it("long-polls by default: a receive waits up to 20 s for a message, SQS's most (CreateQueue, ReceiveMessageWaitTimeSeconds 0 to 20)", () => {
    assert.equal(queue.inputs.receiveWaitTimeSeconds, 20);
  });

  it("exports each queue's URL and names under `queues`, by the service that receives from it", () => {
    assert.deepEqual(g.recording.outputs.queues, { mailer: { queueUrl: queue.outputs.url, queueName: names.queue, deadLetterQueueName: names.deadLetterQueue } });
  });

  it("redrives the queue to the dead-letter queue after maxReceiveCount receives (aws.sqs.RedrivePolicy), and the dead-letter queue admits that queue only, keeping messages 14 days", () => {
    const redrive = g.one(T.redrive);
    assertFedBy(redrive, "queueUrl", queue);
    assert.deepEqual(json(redrive.inputs.redrivePolicy), { deadLetterTargetArn: dlq.outputs.arn, maxReceiveCount: mailer.queue!.maxReceiveCount });
    // SQS: redrivePermission byQueue with sourceQueueArns (Amazon SQS API Reference, SetQueueAttributes, RedriveAllowPolicy).
    assert.deepEqual(json(dlq.inputs.redriveAllowPolicy), { redrivePermission: "byQueue", sourceQueueArns: [queue.outputs.arn] });
    assert.equal(dlq.inputs.messageRetentionSeconds, DEAD_LETTER_RETENTION_SECONDS);
    // Each after what its document names: the dead-letter queue after the queue, the redrive after both.
    assertDependsOn(dlq, queue);
    assertDependsOn(redrive, dlq);
  });

  it("gives each queue a policy that denies every request made without TLS", () => {
    for (const q of [queue, dlq]) {
      const [policy] = g.ofType(T.queuePolicy).filter((p) => p.propertyDependencies.queueUrl?.includes(q.urn));
      assert.ok(policy, `${q.name} has a queue policy`);
      assert.deepEqual(json(policy.inputs.policy).Statement, [{
        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: q.outputs.arn, Condition: { Bool: { "aws:SecureTransport": "false" } },
      }]);
    }
  });

  it("lets mailer's task role receive, delete, change visibility and read attributes on its queue only, and web's send to it only", () => {
    const policies = allows(g);
    assert.deepEqual(policies["mailer-queues"], [{ Sid: "ReceiveFromItsQueue", Effect: "Allow", Action: RECEIVE_ACTIONS, Resource: queue.outputs.arn }]);
    assert.deepEqual(policies["web-queues"], [{ Sid: "SendToTheQueuesItNames", Effect: "Allow", Action: SEND_ACTIONS, Resource: [queue.outputs.arn] }]);
    // No other inline policy touches SQS, and none grants a whole service's actions.
    const sqs = Object.entries(policies).filter(([, ss]) => ss.some((s) => s.Action.some((a) => a.startsWith("sqs:")))).map(([name]) => name).sort();
    assert.deepEqual(sqs, ["mailer-queues", "web-queues"]);
    for (const ss of Object.values(policies)) for (const s of ss) assert.ok(!s.Action.some((a) => /:\*$/.test(a)), JSON.stringify(s));
  });

  it("hands each container the queue's URL: mailer in QUEUE_URL, web in MAILER_QUEUE_URL", () => {
    assert.equal(variables(g, "mailer").QUEUE_URL, queue.outputs.url);
    assert.equal(variables(g, spec.services[0].name)[senderUrlVariable("mailer")], queue.outputs.url);
    assert.equal(variables(g, "mailer")[senderUrlVariable("mailer")], undefined);
  });

  it("starts both services after the queues, the redrive and the queue policies exist (their URLs are known before)", () => {
    for (const name of [spec.services[0].name, "mailer"]) {
      const service = g.named(`${name}-service`, T.service);
      for (const r of [queue, dlq, g.one(T.redrive), ...g.ofType(T.queuePolicy)]) assertDependsOn(service, r);
    }
  });

  it("scales mailer on its backlog: target tracking of visible messages per running task (AWS's metric math for SQS-driven ECS services), between its bounds", () => {
    const service = g.named("mailer-service", T.service);
    const target = g.ofType(T.target).find((t) => t.parent === service.urn)!;
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [mailer.autoscaling!.minCount, mailer.autoscaling!.maxCount]);
    // Without autoscaling settings, desiredCount to twice it (config/releases.ts queueScalingBounds).
    assert.deepEqual([mailer.autoscaling!.minCount, mailer.autoscaling!.maxCount], [mailer.desiredCount, 2 * mailer.desiredCount]);
    const backlog = g.named("mailer-backlog-scaling", T.scaling);
    const tt = backlog.inputs.targetTrackingScalingPolicyConfiguration;
    assert.equal(tt.targetValue, mailer.queue!.messagesPerTask);
    // Application Auto Scaling User Guide, "Create a target tracking scaling policy for Application Auto Scaling
    // using metric math", Example: Amazon SQS queue backlog per task.
    const [visible, running, backlogPerTask] = tt.customizedMetricSpecification.metrics;
    assert.deepEqual(visible.metricStat.metric, { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: names.queue }] });
    assert.deepEqual([running.metricStat.metric.namespace, running.metricStat.metric.metricName, running.metricStat.metric.dimensions.map((d: any) => d.name)], ["ECS/ContainerInsights", "RunningTaskCount", ["ClusterName", "ServiceName"]]);
    assert.equal(running.metricStat.metric.dimensions[1].value, service.inputs.name);
    assert.deepEqual([backlogPerTask.expression, backlogPerTask.returnData], [`${visible.id} / ${running.id}`, true]);
    assert.deepEqual(g.ofType(T.scaling).filter((p) => p.inputs.policyType === "StepScaling"), [], "a worker that never sleeps needs no wake policy");
  });

  it("alarms on a message in the dead-letter queue and on the oldest message waiting past its threshold", () => {
    const byName = (name: string) => g.named(name, T.alarm).inputs;
    assert.deepEqual([byName("mailer-dead-letters").metricName, byName("mailer-dead-letters").dimensions, byName("mailer-dead-letters").threshold], ["ApproximateNumberOfMessagesVisible", { QueueName: names.deadLetterQueue }, 0]);
    assert.deepEqual([byName("mailer-oldest-message").metricName, byName("mailer-oldest-message").dimensions, byName("mailer-oldest-message").threshold], ["ApproximateAgeOfOldestMessage", { QueueName: names.queue }, mailer.queue!.oldestMessageAlarmSeconds]);
  });

  it("shows the queue's depth, messages in flight, dead letters and oldest message on the dashboard", () => {
    const widgets = json(g.one(T.dashboard).inputs.dashboardBody).widgets;
    const sqs = widgets.flatMap((w: any) => w.properties.metrics).filter((m: any[]) => m[0] === "AWS/SQS").map((m: any[]) => `${m[1]} ${m[3]}`);
    assert.deepEqual(sqs.sort(), [
      `ApproximateAgeOfOldestMessage ${names.queue}`, `ApproximateNumberOfMessagesNotVisible ${names.queue}`,
      `ApproximateNumberOfMessagesVisible ${names.deadLetterQueue}`, `ApproximateNumberOfMessagesVisible ${names.queue}`,
    ]);
  });

  it("sends the provider nothing it refuses, in preview and as `up`", async () => {
    for (const preview of [true, false]) {
      const recorded = preview ? await recordFixture("queued", {}, true) : g;
      for (const r of recorded.cloudResources.filter((x) => x.type.startsWith("aws:sqs/") || [T.scaling, T.alarm].includes(x.type))) assert.deepEqual(checkResource(r.type, r.inputs), [], `${r.name} (${preview ? "preview" : "up"})`);
    }
  });

  it("the plan shows the queue: encryption, dead letters, visibility, who receives and who sends, the scaling rule in words, its cost", async () => {
    const { code, out } = await planFixture("queued");
    assert.equal(code, 0, out);
    const section = out.slice(out.indexOf("\n  queue mailer\n"));
    assert.match(section, new RegExp(`\\n {4}queue +${names.queue} \\(SQS standard\\): a received message stays hidden`));
    assert.match(section, new RegExp(`\\n {4}dead letters +${names.deadLetterQueue} takes a message after ${mailer.queue!.maxReceiveCount} receives`));
    assert.match(section, /\n {4}encryption +SQS managed keys \(SSE-SQS\), both queues\n/);
    assert.match(section, /\n {4}receives +service mailer, URL in QUEUE_URL: sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes on this queue only\n/);
    assert.match(section, new RegExp(`\\n {4}sends +service ${spec.services[0].name}, URL in MAILER_QUEUE_URL: sqs:SendMessage on this queue only\\n`));
    assert.match(section, new RegExp(`\\n {4}scaling +${mailer.autoscaling!.minCount}\\.\\.${mailer.autoscaling!.maxCount} tasks: target tracking holds ${mailer.queue!.messagesPerTask} visible messages per running task`));
    assert.match(out, /\n {2}SQS requests +\d+ × 0\.4 += +\d+\.\d\d {2}\(1 work queue × assumption sqsMillionRequestsPerQueueMonth\)/);
    for (const policy of ["sqs-queue-encrypted", "sqs-queue-dead-letter", "sqs-queue-tls-only"]) assert.match(out, new RegExp(`\\n {2}pass {2}${policy} \\(mandatory\\)`));
  });
});

describe("work queues: a worker that sleeps at 0 tasks", () => {
  const SLEEPER = { mailer: { imageUrl: BUSYBOX, desiredCount: 0, autoscaling: { minCount: 0, maxCount: 3 }, queue: {} } };
  let g: Graph;
  before(async () => { g = await recordFixture("queued", { services: JSON.stringify(SLEEPER) }); });

  it("wakes on a message: a step policy sets one task when messages wait and none is in flight (target tracking has no running tasks to divide by)", () => {
    const wake = g.named("mailer-wake-scaling", T.scaling);
    assert.equal(wake.inputs.policyType, "StepScaling");
    assert.deepEqual(wake.inputs.stepScalingPolicyConfiguration.stepAdjustments, [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }]);
    // Exactly one: the alarm stays on while the first task waits for a host, and must not add one a minute.
    assert.equal(wake.inputs.stepScalingPolicyConfiguration.adjustmentType, "ExactCapacity");
    const alarm = g.named("mailer-wake", T.alarm);
    assertFedBy(alarm, "alarmActions", wake);
    assert.deepEqual([alarm.inputs.comparisonOperator, alarm.inputs.threshold], ["GreaterThanThreshold", 0]);
    const metrics = alarm.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => `${q.metric.metricName} ${q.metric.dimensions.QueueName}`);
    const names = queueNames("ecs-ec2-api", "queued", "mailer");
    assert.deepEqual(metrics, [`ApproximateNumberOfMessagesVisible ${names.queue}`, `ApproximateNumberOfMessagesNotVisible ${names.queue}`]);
    assert.deepEqual(checkResource(T.alarm, alarm.inputs), []);
    assert.deepEqual(checkResource(T.scaling, wake.inputs), []);
  });

  it("shows it asleep at 0 in the plan, and counts it at its maximum for placement", async () => {
    const { out } = await planFixture("queued", "--config", `services=${JSON.stringify(SLEEPER)}`, "--json");
    const report = JSON.parse(out);
    assert.match(report.settings["queue mailer"].scaling, /^0\.\.3 tasks: .*; asleep at 0 tasks, a step policy starts one when messages wait and none is in flight$/);
    const c = parseConfig({ services: JSON.stringify(SLEEPER), sendsTo: '["mailer"]' }, "us-east-1", { rootDir: ROOT });
    assert.equal(c.capacity.peak.tasks, c.capacity.desired.tasks + 3);
  });
});

describe("work queues: a customer managed key, and a job that sends", () => {
  const SERVICES = { mailer: { imageUrl: BUSYBOX, queue: { kmsKeyArn: KEY } } };
  const JOBS = { digest: { imageUrl: BUSYBOX, schedule: "rate(1 day)", sendsTo: ["mailer"] } };
  let g: Graph;
  before(async () => { g = await recordFixture("queued", { services: JSON.stringify(SERVICES), jobs: JSON.stringify(JOBS) }); });

  it("encrypts both queues with the key, and lets the receiver decrypt and the senders generate data keys, through SQS only (SQS Developer Guide, Key management)", () => {
    for (const q of g.ofType(T.queue)) assert.deepEqual([q.inputs.kmsMasterKeyId, q.inputs.sqsManagedSseEnabled], [KEY, undefined], q.name);
    const viaSqs = { StringEquals: { "kms:ViaService": "sqs.us-east-1.amazonaws.com" } };
    const policies = allows(g);
    assert.deepEqual(policies["mailer-queues"].find((s) => s.Action.includes("kms:Decrypt")), { Sid: "DecryptItsQueue", Effect: "Allow", Action: ["kms:Decrypt"], Resource: KEY, Condition: viaSqs });
    for (const sender of [`${fixtureSpec("queued").services[0].name}-queues`, "digest-job-queues"]) {
      assert.deepEqual(policies[sender].find((s) => s.Action.some((a) => a.startsWith("kms:"))), { Sid: "EncryptForTheQueuesItNames", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [KEY], Condition: viaSqs }, sender);
    }
  });

  it("hands the job the queue's URL in MAILER_QUEUE_URL, and runs its schedule after the queue exists", () => {
    const queue = g.named("mailer-queue", T.queue);
    assert.equal(variables(g, "digest").MAILER_QUEUE_URL, queue.outputs.url);
    assertDependsOn(g.named("digest-schedule"), queue);
  });
});

describe("work queues: alarms go to the stack's alarm topics", () => {
  it("notifies the alarm topic of the dead-letter and oldest-message alarms, on alarm and on recovery", async () => {
    const g = await recordFixture("queued", { alarmEmail: "ops@acme-api.dev" });
    const topic = g.one(T.topic);
    for (const name of ["mailer-dead-letters", "mailer-oldest-message"]) {
      const alarm = g.named(name, T.alarm);
      assertFedBy(alarm, "alarmActions", topic);
      assertFedBy(alarm, "okActions", topic);
    }
  });
});

describe("work queues: a stack without queue or sendsTo plans as before", () => {
  it("registers no queue, and a service that does not send gets no queue variable, policy or dependency when another service has a queue", async () => {
    const without = await recordFixture("small");
    assert.deepEqual(without.cloudResources.filter((r) => r.type.startsWith("aws:sqs/")), []);
    assert.equal(without.recording.outputs.queues, undefined, "a stack without queues keeps exactly its outputs");
    const withWorker = await recordFixture("small", { services: JSON.stringify({ mailer: { imageUrl: BUSYBOX, queue: {} } }) });
    const web = fixtureSpec("small").services[0].name;
    const webParts = (g: Graph) => g.cloudResources.filter((r) => r.name.startsWith(`${web}-`)).map((r) => ({ name: r.name, type: r.type, inputs: r.inputs, dependencies: r.dependencies }));
    assert.deepEqual(webParts(withWorker), webParts(without));
  });
});

describe("work queues: bad input is refused before any resource, naming the key and the service", () => {
  it("refuses a visibility timeout below the container's stop timeout, and a maxReceiveCount outside 1..1000", () => {
    assert.match(servicesProblems({ mailer: { imageUrl: BUSYBOX, stopTimeoutSeconds: 60, queue: { visibilityTimeoutSeconds: 45 } } })[0],
      /^ecs-ec2-api:services\.mailer\.queue\.visibilityTimeoutSeconds = "45" is not allowed: an integer from service mailer's stopTimeoutSeconds \(60\) to 43200/);
    for (const n of [0, 1001]) {
      assert.match(servicesProblems({ mailer: { imageUrl: BUSYBOX, queue: { maxReceiveCount: n } } })[0],
        new RegExp(`^ecs-ec2-api:services\\.mailer\\.queue\\.maxReceiveCount = "${n}" is not allowed: an integer from 1 to 1000 .*service mailer's dead-letter queue`));
    }
  });

  it("refuses a send to an unknown service, to a service without a queue, and to itself, naming both", () => {
    assert.match(configProblems({ sendsTo: '["mailr"]', services: JSON.stringify({ mailer: { imageUrl: BUSYBOX, queue: {} } }) })[0],
      /^ecs-ec2-api:sendsTo = "\[\\"mailr\\"\]" is not allowed: mailr is not a service of this stack \(its services: web, mailer\), so service web cannot send to it/);
    assert.match(servicesProblems({ mailer: { imageUrl: BUSYBOX }, billing: { imageUrl: BUSYBOX, sendsTo: ["mailer"] } })[0],
      /^ecs-ec2-api:services\.billing\.sendsTo = "\[\\"mailer\\"\]" is not allowed: service mailer has no queue \(set ecs-ec2-api:services\.mailer\.queue\), so service billing cannot send to it/);
    assert.match(servicesProblems({ mailer: { imageUrl: BUSYBOX, queue: {}, sendsTo: ["mailer"] } })[0],
      /^ecs-ec2-api:services\.mailer\.sendsTo = "\[\\"mailer\\"\]" is not allowed: service mailer sends to itself: it reaches its own queue as QUEUE_URL/);
    assert.match(configProblems({ jobs: JSON.stringify({ digest: { imageUrl: BUSYBOX, schedule: "rate(1 day)", sendsTo: ["mailer"] } }) })[0],
      /^ecs-ec2-api:jobs\.digest\.sendsTo = "\[\\"mailer\\"\]" is not allowed: mailer is not a service of this stack \(its services: web\), so job digest cannot send to it/);
  });

  it("takes a cycle of sends: each queue exists before any service", () => {
    assert.deepEqual(servicesProblems({ mailer: { imageUrl: BUSYBOX, queue: {}, sendsTo: ["billing"] }, billing: { imageUrl: BUSYBOX, queue: {}, sendsTo: ["mailer"] } }), []);
  });

  it("refuses minCount 0 but for a worker with a queue (a routed service never sleeps; a worker without a queue has nothing to wake it)", () => {
    assert.deepEqual(servicesProblems({ mailer: { imageUrl: BUSYBOX, desiredCount: 0, autoscaling: { minCount: 0, maxCount: 2 }, queue: {} } }), []);
    assert.match(servicesProblems({ worker: { imageUrl: BUSYBOX, desiredCount: 0, autoscaling: { minCount: 0, maxCount: 2 } } })[0],
      /^ecs-ec2-api:services\.worker\.autoscaling\.minCount = "0" is not allowed: an integer >= 1 \(0 only for a worker with a queue/);
    assert.match(servicesProblems({ v2: { imageUrl: BUSYBOX, pathPatterns: ["/v2/*"], priority: 10, desiredCount: 0, autoscaling: { minCount: 0, maxCount: 2 }, queue: {} } })[0],
      /^ecs-ec2-api:services\.v2\.autoscaling\.minCount = "0" is not allowed: an integer >= 1/);
  });

  it("refuses a queue variable the container already has", () => {
    assert.match(configProblems({ sendsTo: '["mailer"]', environment: '{"MAILER_QUEUE_URL":"x"}', services: JSON.stringify({ mailer: { imageUrl: BUSYBOX, queue: {} } }) })[0],
      /^ecs-ec2-api:sendsTo = .* is not allowed: service web already has a variable MAILER_QUEUE_URL/);
    assert.match(servicesProblems({ mailer: { imageUrl: BUSYBOX, environment: { JOBS: "x" }, queue: { urlVariable: "JOBS" } } })[0],
      /^ecs-ec2-api:services\.mailer\.queue\.urlVariable = "JOBS" is not allowed: service mailer already has a variable of that name/);
  });

  it("counts a queue worker at its maximum in the placement check", () => {
    // t3.medium holds 2 tasks (network interfaces); 2 hosts hold 4: web's 2 and mailer's 2 at start fit, mailer's 4 at its most do not.
    const [p] = configProblems({ instanceType: "t3.medium", maxSize: "2", services: JSON.stringify({ mailer: { imageUrl: BUSYBOX, queue: {} } }) });
    assert.match(p, /^ecs-ec2-api:maxSize = "2" is not allowed: at least enough hosts for every service together: at their most, the services need web 2 \+ mailer 4 = 6 task network interfaces/);
  });

  it("refuses a stack with a bad queue before its first resource: the plan reports the error and no resource", async () => {
    const { code, out } = await planFixture("queued", "--config", `services=${JSON.stringify({ mailer: { imageUrl: BUSYBOX, queue: { maxReceiveCount: 0 } } })}`, "--json");
    assert.equal(code, 1);
    const report = JSON.parse(out);
    assert.equal(report.resources, undefined);
    assert.match(report.configErrors[0], /^ecs-ec2-api:services\.mailer\.queue\.maxReceiveCount = "0" is not allowed/);
  });
});
