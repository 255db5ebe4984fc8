// Issue #22, part 3: scheduled jobs, from stack config: one ECS task EventBridge Scheduler runs on the cluster.
import assert from "node:assert/strict";
import { addressNeed, parseConfig } from "../../config";
import { ROOT } from "../../config/stack-files";
import { runTaskPolicy } from "../../components/job";
import { describeSchedule, nextRun, parseSchedule } from "../../lib/schedule";
import { Graph } from "../../plan/mock-engine";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { jobSettings } from "../../plan/settings";
import { REPLACEMENTS } from "../../plan/replacements";
import { checkResource } from "../../plan/provider-rules/check";
import { configProblems, fixturePack, json, planFixture, recordFixture, recordSeed } from "../helpers";

const T = {
  schedule: "aws:scheduler/schedule:Schedule",
  group: "aws:scheduler/scheduleGroup:ScheduleGroup",
  td: "aws:ecs/taskDefinition:TaskDefinition",
  cluster: "aws:ecs/cluster:Cluster",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  subnet: "aws:ec2/subnet:Subnet",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

const SECRET = "arn:aws:ssm:us-east-1:210987654321:parameter/orders/db-url";
const POLICY = "arn:aws:iam::210987654321:policy/orders-reports";
/** A nightly report at 02:00 UTC, with a secret, a task policy and a database rule. */
const NIGHTLY = {
  report: {
    imageUrl: "public.ecr.aws/docker/library/busybox:1.36",
    command: ["sh", "-c", "echo report"],
    schedule: "cron(0 2 * * ? *)",
    containerCpu: 256,
    containerMemory: 512,
    environment: { REPORT_KIND: "daily" },
    secrets: { DATABASE_URL: SECRET },
    taskPolicyArns: [POLICY],
    egressRules: [{ port: 5432, cidr: "vpc" }],
  },
};

const problemsOf = configProblems;
const jobsProblems = (jobs: unknown, more: Record<string, string> = {}) => problemsOf({ jobs: JSON.stringify(jobs), ...more });

describe("scheduled jobs: a small stack with a nightly job", () => {
  let g: Graph;
  before(async () => { g = await recordFixture("small", { jobs: JSON.stringify(NIGHTLY) }); });

  it("plans one schedule, on the cluster, at its expression in UTC, without a flexible window, with retries", () => {
    const [schedule] = g.ofType(T.schedule);
    assert.equal(g.ofType(T.schedule).length, 1);
    const s = schedule.inputs;
    assert.equal(s.scheduleExpression, "cron(0 2 * * ? *)");
    assert.equal(s.scheduleExpressionTimezone, "UTC");
    assert.deepEqual(s.flexibleTimeWindow, { mode: "OFF" });
    assert.equal(s.target.arn, g.one(T.cluster).outputs.arn, "the target is the cluster");
    assert.deepEqual(s.target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
    assert.equal(s.groupName, g.one(T.group, "report-schedules").outputs.name, "its own schedule group");
    // Tagged as the job's, not the default service's.
    const td = g.ofType(T.td).find((t) => t.inputs.family === "report")!;
    assert.equal(td.inputs.tags.job, "report");
    assert.equal(td.inputs.tags.service, undefined);
  });

  it("runs the job's own task definition through the cluster's capacity providers, never a launch type", () => {
    const ecs = g.one(T.schedule).inputs.target.ecsParameters;
    const td = g.ofType(T.td).find((t) => t.inputs.family === "report")!;
    assert.equal(ecs.taskDefinitionArn, td.outputs.arn);
    assert.equal(ecs.launchType, undefined);
    const service = g.ofType("aws:ecs/service:Service")[0];
    assert.deepEqual(ecs.capacityProviderStrategies, service.inputs.capacityProviderStrategies);
    assert.deepEqual([td.inputs.networkMode, td.inputs.requiresCompatibilities, td.inputs.cpu, td.inputs.memory], ["awsvpc", ["EC2"], "256", "512"]);
  });

  it("places the task in the private subnets only, with no public IP, in the job's security group", () => {
    const nc = g.one(T.schedule).inputs.target.ecsParameters.networkConfiguration;
    assert.equal(nc.assignPublicIp, false);
    const privateIds = g.ofType(T.subnet).filter((s) => !s.inputs.mapPublicIpOnLaunch).map((s) => s.outputs.id ?? s.id);
    assert.ok(nc.subnets.length > 0);
    for (const id of nc.subnets) assert.ok(privateIds.includes(id), `${id} is not a private subnet`);
    const sg = g.one(T.sg, "report-job-sg");
    assert.deepEqual(nc.securityGroups, [sg.outputs.id ?? sg.id]);
  });

  it("its security group admits nothing, and sends HTTPS and its egress rules", () => {
    const sgId = g.one(T.sg, "report-job-sg").id;
    assert.deepEqual(g.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === sgId), []);
    const out = g.ofType(T.egress).filter((r) => r.inputs.securityGroupId === sgId).map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]).sort();
    assert.deepEqual(out, [[443, "0.0.0.0/0"], [5432, g.one("aws:ec2/vpc:Vpc").inputs.cidrBlock]].sort(), "HTTPS out, and 5432 to the VPC");
  });

  it("the scheduler role is trusted by Scheduler for this account, may RunTask only the job's family in this cluster, PassRole only its two roles", () => {
    const role = g.one(T.role, "report-scheduler-role");
    const trust = json(role.inputs.assumeRolePolicy).Statement;
    assert.deepEqual(trust.map((s: any) => [s.Principal.Service, s.Action, Object.keys(s.Condition.StringEquals)]), [["scheduler.amazonaws.com", "sts:AssumeRole", ["aws:SourceAccount"]]]);
    assert.equal(g.one(T.schedule).inputs.target.roleArn, role.outputs.arn);
    const statements = json(g.one(T.rolePolicy, "report-scheduler-run-task").inputs.policy).Statement;
    const byAction = Object.fromEntries(statements.map((s: any) => [s.Action, s]));
    assert.deepEqual(Object.keys(byAction).sort(), ["ecs:RunTask", "ecs:TagResource", "iam:PassRole"]);
    assert.match(byAction["ecs:RunTask"].Resource, /^arn:aws:ecs:us-east-1:\d{12}:task-definition\/report:\*$/);
    assert.deepEqual(byAction["ecs:RunTask"].Condition, { ArnEquals: { "ecs:cluster": g.one(T.cluster).outputs.arn } });
    const td = g.ofType(T.td).find((t) => t.inputs.family === "report")!;
    assert.deepEqual([...byAction["iam:PassRole"].Resource].sort(), [td.inputs.taskRoleArn, td.inputs.executionRoleArn].sort());
    assert.deepEqual(byAction["iam:PassRole"].Condition, { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    // RunTask propagates the task definition's tags: tagging on create needs ecs:TagResource, here only for RunTask in this cluster.
    assert.equal(g.one(T.schedule).inputs.target.ecsParameters.propagateTags, "TASK_DEFINITION");
    assert.deepEqual(byAction["ecs:TagResource"].Condition, { StringEquals: { "ecs:CreateAction": "RunTask" } });
  });

  it("its execution role reads exactly its secret; its task role has exactly its policy", () => {
    const td = g.ofType(T.td).find((t) => t.inputs.family === "report")!;
    assert.equal(td.inputs.executionRoleArn, g.one(T.role, "report-job-execution-role").outputs.arn);
    const policy = json(g.one(T.rolePolicy, "report-job-secrets").inputs.policy);
    assert.deepEqual(policy.Statement.map((s: any) => [s.Action, s.Resource]), [["ssm:GetParameters", [SECRET]]]);
    const attached = g.ofType(T.attachment).filter((a) => a.inputs.role === g.one(T.role, "report-job-task-role").outputs.name).map((a) => a.inputs.policyArn);
    assert.deepEqual(attached, [POLICY]);
  });

  it("its container logs to the job's own log group and runs its command with its variables", () => {
    const [c] = json(g.ofType(T.td).find((t) => t.inputs.family === "report")!.inputs.containerDefinitions);
    assert.equal(c.logConfiguration.options["awslogs-group"], "/ecs/ecs-ec2-api/small/jobs/report");
    assert.ok(g.ofType(T.logGroup).some((l) => l.inputs.name === "/ecs/ecs-ec2-api/small/jobs/report"));
    assert.deepEqual(c.command, NIGHTLY.report.command);
    assert.deepEqual(c.environment, [{ name: "JOB_NAME", value: "report" }, { name: "REPORT_KIND", value: "daily" }]);
    assert.deepEqual(c.secrets, [{ name: "DATABASE_URL", valueFrom: SECRET }]);
    assert.equal(c.portMappings, undefined);
  });

  it("alarms on failed runs (AWS/Scheduler by its schedule group) to the stack's topics", () => {
    const alarm = g.one(T.alarm, "report-failed-runs").inputs;
    const metrics = alarm.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.dimensions.ScheduleGroup]);
    const group = g.one(T.group, "report-schedules").outputs.name;
    assert.deepEqual(metrics, [["AWS/Scheduler", "InvocationDroppedCount", group], ["AWS/Scheduler", "TargetErrorCount", group]]);
    // The stack's topics: what every other alarm of the stack notifies.
    const other = g.ofType(T.alarm).find((a) => a.name !== "report-failed-runs")!.inputs;
    assert.deepEqual(alarm.alarmActions, other.alarmActions);
  });

  it("passes every mandatory policy of the pack", async () => {
    const verdicts = await evaluatePolicies(g.recording, fixturePack("small"));
    assert.deepEqual(mandatoryFailures(verdicts).map((v) => v.policy), []);
  });

  it("a schedule group or schedule renamed is a replacement (the provider's ForceNew)", () => {
    assert.deepEqual(REPLACEMENTS["aws:scheduler/schedule:Schedule"].forceNew, ["name", "namePrefix", "groupName"]);
    assert.ok(REPLACEMENTS["aws:scheduler/scheduleGroup:ScheduleGroup"]);
  });
});

describe("scheduled jobs: a job built from appPath", () => {
  it("runs the image built and pushed from the folder, and refuses imageUrl beside appPath", async () => {
    const g = await recordSeed({ jobs: JSON.stringify({ cleanup: { appPath: "app", command: ["node", "server.js", "--once"], schedule: "rate(1 hour)" } }) });
    const image = g.one("awsx:ecr:Image", "cleanup-image");
    const [c] = json(g.ofType(T.td).find((t) => t.inputs.family === "cleanup")!.inputs.containerDefinitions);
    assert.equal(c.image, image.outputs.imageUri);
    assert.match(jobsProblems({ cleanup: { appPath: "app", imageUrl: "busybox", schedule: "rate(1 hour)" } })[0], /^ecs-ec2-api:jobs\.cleanup\.imageUrl = "busybox" is not allowed: not set with appPath: the job runs the image built from appPath/);
  });
});

describe("scheduled jobs: bad entries are refused before any resource, naming the key", () => {
  it("refuses a schedule that is no EventBridge expression, showing the forms", () => {
    const [p] = jobsProblems({ report: { imageUrl: "busybox", schedule: "0 2 * * *" } });
    assert.match(p, /^ecs-ec2-api:jobs\.report\.schedule = "0 2 \* \* \*" is not allowed: .*cron\(minutes hours day-of-month month day-of-week year\).*rate\(.*at\(/);
    assert.match(jobsProblems({ report: { imageUrl: "busybox", schedule: "cron(0 2 * * *)" } })[0], /jobs\.report\.schedule .*5 cron fields/);
    assert.match(jobsProblems({ report: { imageUrl: "busybox" } })[0], /^ecs-ec2-api:jobs\.report\.schedule is not set: .*cron\(/);
  });

  it("refuses a bad image, environment, secret, task policy and egress rule, each naming its key", () => {
    const problems = jobsProblems({
      report: {
        imageUrl: "Not An Image", schedule: "rate(1 day)", environment: { JOB_NAME: "x" }, secrets: { DB: "arn:aws:ssm:eu-west-1:210987654321:parameter/x" },
        taskPolicyArns: ["AdministratorAccess"], egressRules: [{ port: 22, cidr: "0.0.0.0/0" }],
      },
    });
    for (const key of ["imageUrl", "environment", "secrets", "taskPolicyArns", "egressRules[0].cidr"]) {
      assert.ok(problems.some((p) => p.startsWith(`ecs-ec2-api:jobs.report.${key} = `)), `${key}: ${problems.join("\n")}`);
    }
  });

  it("refuses unknown keys, bad names, and a name a service has", () => {
    assert.match(jobsProblems({ report: { imageUrl: "busybox", schedule: "rate(1 day)", desiredCount: 1 } })[0], /^ecs-ec2-api:jobs\.report\.desiredCount is not a known key/);
    assert.match(jobsProblems({ Report: { imageUrl: "busybox", schedule: "rate(1 day)" } })[0], /^ecs-ec2-api:jobs\.Report is not allowed: job names are 1 to 32 lowercase/);
    assert.match(jobsProblems({ web: { imageUrl: "busybox", schedule: "rate(1 day)" } })[0], /^ecs-ec2-api:jobs\.web is not allowed: web is a service of this stack/);
    assert.match(jobsProblems({ report: "nightly" })[0], /^ecs-ec2-api:jobs\.report = "nightly" is not allowed: a map of the job's settings/);
  });

  it("refuses a job too large for one host", () => {
    assert.match(jobsProblems({ report: { imageUrl: "busybox", schedule: "rate(1 day)", containerCpu: 8192 } })[0], /^ecs-ec2-api:jobs\.report\.containerCpu = "8192" is not allowed: at most \d+ CPU units, what one c5\.xlarge offers/);
  });
});

describe("scheduled jobs: the placement check counts them", () => {
  it("refuses a job whose task does not fit beside the services at their most, and says so", () => {
    // One c5.xlarge host: web at its most (2 tasks of 1536 CPU) leaves 1024 - a 1024 job fits, a 2048 one does not.
    const base = { maxSize: "1", containerCpu: "1536", containerMemory: "512", desiredCount: "2" };
    assert.deepEqual(jobsProblems({ report: { imageUrl: "busybox", schedule: "rate(1 day)", containerCpu: 512 } }, base), []);
    const [p, ...rest] = jobsProblems({ report: { imageUrl: "busybox", schedule: "rate(1 day)", containerCpu: 2048 } }, base);
    assert.deepEqual(rest, []);
    assert.match(p, /^ecs-ec2-api:jobs\.report\.containerCpu = "2048" is not allowed: room for the job's task beside the services at their most: 1 c5\.xlarge hosts hold \d+ CPU units, the services need 3072 at their most, which leaves \d+, and the job's task needs 2048; raise maxSize/);
  });

  it("counts the job's network interface too", () => {
    // c5.xlarge: 3 task interfaces per host; web at its most takes all 3.
    const [p] = jobsProblems({ report: { imageUrl: "busybox", schedule: "rate(1 day)", containerCpu: 128, containerMemory: 64 } }, { maxSize: "1", containerCpu: "256", containerMemory: "256", desiredCount: "3" });
    assert.match(p, /^ecs-ec2-api:jobs\.report is not allowed: room for the job's task beside the services at their most: .* task network interfaces, the services need 3 at their most, which leaves 0.*eniTrunking/);
  });
});

describe("scheduled jobs: the private subnets' addresses count them", () => {
  it("adds one task address per job to what the services need at their peak", () => {
    const config = parseConfig({ jobs: JSON.stringify({ ...NIGHTLY, warmup: { imageUrl: "busybox", schedule: "rate(15 minutes)" } }) }, "us-east-1", { rootDir: ROOT });
    const without = addressNeed(config.maxSize, false, config.services);
    assert.equal(addressNeed(config.maxSize, false, config.services, config.jobs.length).tasks, without.tasks + 2);
  });
});

describe("scheduled jobs: the plan shows each job", () => {
  it("shows the image, size, schedule in words and next run (from a given now)", () => {
    const config = parseConfig({ jobs: JSON.stringify(NIGHTLY) }, "us-east-1", { rootDir: ROOT });
    const shown = jobSettings(config.jobs[0], 30, new Date("2026-12-03T11:00:00Z"));
    assert.equal(shown.image, "public.ecr.aws/docker/library/busybox:1.36");
    assert.match(shown.task, /^256 CPU \/ 512 MiB, no port; \d+ per host/);
    assert.equal(shown.schedule, "cron(0 2 * * ? *): at 02:00 UTC every day");
    assert.equal(shown["next run"], "2026-12-04T02:00:00 UTC");
  });

  it("npm run plan prints the job's section", async () => {
    const { code, out } = await planFixture("small", "--config", `jobs=${JSON.stringify(NIGHTLY)}`);
    assert.equal(code, 0, out);
    assert.match(out, /\n {2}job report\n/);
    assert.match(out, /\n {4}schedule +cron\(0 2 \* \* \? \*\): at 02:00 UTC every day\n/);
    const next = nextRun(parseSchedule("cron(0 2 * * ? *)") as Exclude<ReturnType<typeof parseSchedule>, { error: string }>, new Date())!;
    assert.match(out, new RegExp(`\\n {4}next run +${next.toISOString().slice(0, 16)}`));
    assert.ok(describeSchedule);
    // The failed-runs alarm watches two metrics, and CloudWatch bills an alarm per metric.
    assert.match(out, /CloudWatch alarms +\d+ × [\d.]+ += +[\d.]+ +\(\d+ alarms watching \d+ metrics, billed per metric\)/);
    assert.match(out, /not estimated: .*scheduled jobs: their tasks' runs/);
  });
});

describe("scheduled jobs: the scheduler role's policy as data", () => {
  it("names exactly the family, the cluster, the tasks and the roles it is given", () => {
    const p = runTaskPolicy({ taskDefinitionFamilyArn: "arn:aws:ecs:us-east-1:1:task-definition/report:*", clusterArn: "arn:c", tasksArn: "arn:aws:ecs:us-east-1:1:task/c/*", passRoleArns: ["arn:t", "arn:e"] }) as any;
    assert.deepEqual(p.Statement.map((s: any) => [s.Action, s.Resource]), [
      ["ecs:RunTask", "arn:aws:ecs:us-east-1:1:task-definition/report:*"], ["iam:PassRole", ["arn:t", "arn:e"]], ["ecs:TagResource", "arn:aws:ecs:us-east-1:1:task/c/*"],
    ]);
  });
});

describe("scheduled jobs: the provider's rules for a schedule (scheduler/schedule.go validators)", () => {
  const SCHEDULE = "aws:scheduler/schedule:Schedule";
  const ok = {
    scheduleExpression: "rate(1 day)", scheduleExpressionTimezone: "UTC", flexibleTimeWindow: { mode: "OFF" },
    target: { arn: "arn:aws:ecs:us-east-1:1:cluster/c", roleArn: "arn:aws:iam::1:role/r", retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 }, ecsParameters: { taskDefinitionArn: "arn:td", taskCount: 1 } },
  };

  it("accepts the program's schedule, and the recorded one of the nightly job", async () => {
    assert.deepEqual(checkResource(SCHEDULE, ok), []);
    const g = await recordFixture("small", { jobs: JSON.stringify(NIGHTLY) });
    assert.deepEqual(checkResource(SCHEDULE, g.one(SCHEDULE).inputs), []);
  });

  it("refuses what the provider refuses: a retry policy out of range, a bad window mode, too many tasks", () => {
    const bad = { ...ok, flexibleTimeWindow: { mode: "ON" }, target: { ...ok.target, retryPolicy: { maximumRetryAttempts: 200, maximumEventAgeInSeconds: 30 }, ecsParameters: { taskDefinitionArn: "arn:td", taskCount: 11 } } };
    assert.deepEqual(checkResource(SCHEDULE, bad).map((p) => p.property).sort(), [
      "flexibleTimeWindow.mode", "target.ecsParameters.taskCount", "target.retryPolicy.maximumEventAgeInSeconds", "target.retryPolicy.maximumRetryAttempts",
    ]);
  });
});
