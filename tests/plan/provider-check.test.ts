// The plan's provider-rules step (plan/provider-check.ts): what the AWS provider refuses before any API
// call fails the plan, named by resource, property, value, rule and source; the committed stacks and the
// program's features have no such input.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { providerProblems } from "../../plan/provider-check";
import { resourceEntries } from "../../plan/report";
import { listStacks } from "../../config/stack-files";
import { FIXTURES, planFixture, recordFixture, recordSeed } from "../helpers";

const BROKEN = "tests/fixtures/provider-refused-program.ts";
const SPOT = JSON.stringify(["c5.xlarge", "m5.xlarge"]);

describe("the plan refuses what the provider refuses (plan/provider-check.ts)", () => {
  describe("no input of the program is refused", () => {
    for (const stack of listStacks(FIXTURES)) {
      it(`the fixture stack ${stack}, as preview and as up`, async () => {
        for (const preview of [true, false]) assert.deepEqual(providerProblems(resourceEntries(await recordFixture(stack, {}, preview))), []);
      });
    }
    const variants: Record<string, Record<string, string>> = {
      "blue/green with autoscaling": { deploymentStrategy: "blueGreen", autoscaling: "true" },
      "canary and linear routed services and a worker": {
        services: JSON.stringify({
          v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: "canary" },
          v3: { imageUrl: "nginx", hostHeaders: ["v3.acme-api.dev"], priority: 200, deploymentStrategy: "linear", autoscaling: { minCount: 1, maxCount: 3 } },
          jobs: { imageUrl: "nginx", desiredCount: 1 },
        }),
      },
      "Spot beside on-demand": { spotInstanceTypes: SPOT, spotMaxSize: "4", onDemandBaseTasks: "1", spotWeight: "3" },
      "WAF, a domain, alarm email, access and flow logs, deletion protection": {
        waf: "true", domainName: "api.acme-api.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ", alarmEmail: "oncall@acme-api.dev", accessLogs: "true", flowLogs: "true", deletionProtection: "true",
      },
      "secrets, egress rules, ECS Exec, ENI trunking": {
        secrets: JSON.stringify({ DB_PASSWORD: "arn:aws:ssm:us-east-1:210987654321:parameter/orders/db-password" }),
        egressRules: JSON.stringify([{ port: 5432, cidr: "vpc" }]), ecsExec: "true", eniTrunking: "true",
      },
      "Service Connect: a worker and the default service calling a routed service, which calls a third": {
        talksTo: JSON.stringify(["api-v2"]),
        services: JSON.stringify({
          "api-v2": { imageUrl: "nginx", containerPort: 8080, pathPatterns: ["/v2/*"], priority: 100, talksTo: ["billing"] },
          billing: { imageUrl: "nginx", containerPort: 8081, pathPatterns: ["/billing/*"], priority: 110 },
          worker: { imageUrl: "busybox", desiredCount: 1, talksTo: ["api-v2"] },
        }),
      },
      "scheduled jobs: a nightly cron with a secret and an egress rule, and a rate": {
        jobs: JSON.stringify({
          report: { imageUrl: "busybox", command: ["sh", "-c", "echo report"], schedule: "cron(0 2 * * ? *)", secrets: { DATABASE_URL: "arn:aws:ssm:us-east-1:210987654321:parameter/orders/db-url" }, egressRules: [{ port: 5432, cidr: "vpc" }], taskPolicyArns: ["arn:aws:iam::210987654321:policy/reports"] },
          warmup: { imageUrl: "busybox", schedule: "rate(15 minutes)", containerCpu: 128, containerMemory: 128 },
        }),
        alarmEmail: "oncall@acme-api.dev",
      },
      "sidecars on the default service and on a services entry": {
        sidecars: JSON.stringify({ otel: { imageUrl: "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", containerPort: 4317, secrets: { OTEL_API_KEY: "arn:aws:ssm:us-east-1:210987654321:parameter/otel" } } }),
        services: JSON.stringify({ api: { imageUrl: "nginx", pathPatterns: ["/api/*"], priority: 10, sidecars: { envoy: { imageUrl: "envoyproxy/envoy:v1.31.0", essential: true } } } }),
      },
    };
    for (const [label, overrides] of Object.entries(variants)) {
      it(label, async () => assert.deepEqual(providerProblems(resourceEntries(await recordSeed(overrides))), []));
    }
    // Offline, the VPC's block is a lookup's result the plan cannot know, as preview and as up: the rule to
    // the VPC's block shows (known after up) and is not judged.
    it("an existing VPC (its subnets assumed), with an egress rule to the VPC, as preview and as up", async () => {
      const existing = {
        vpcId: "vpc-0a1b2c3d4e5f60718", publicSubnetIds: JSON.stringify(["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"]),
        privateSubnetIds: JSON.stringify(["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"]), egressRules: JSON.stringify([{ port: 5432, cidr: "vpc" }]),
      };
      for (const preview of [true, false]) assert.deepEqual(providerProblems(resourceEntries(await recordSeed(existing, preview))), []);
    });
  });

  it("fails a program whose alarm takes a percentile as statistic (StringInSlice, internal/service/cloudwatch/metric_alarm.go), naming resource, property, value, rule and source", async () => {
    const { code, out } = await planFixture("small", "--program", BROKEN);
    assert.equal(code, 1);
    assert.match(out, /^ {2}x web-p99-latency \(aws:cloudwatch\/metricAlarm:MetricAlarm\): statistic = "p99": .*SampleCount.*Maximum.*\[.*cloudwatch\/metric_alarm\.go.*\]$/m);
    assert.match(out.trim().split("\n").pop()!, /^FAILED: the provider refuses \d+ inputs? \(above\)/);
  });

  it("fails an alarm that has both period and metricQueries (ConflictsWith, internal/service/cloudwatch/metric_alarm.go), and --json carries each problem", async () => {
    const { code, out } = await planFixture("small", "--program", BROKEN, "--json", "--config", "deploymentStrategy=blueGreen");
    assert.equal(code, 1);
    const report = JSON.parse(out);
    assert.equal(report.ok, false);
    const conflict = report.providerRules.problems.find((p: { name: string; property: string }) => p.name === "web-target-5xx" && p.property === "period");
    assert.ok(conflict, JSON.stringify(report.providerRules.problems));
    assert.equal(conflict.value, 60);
    assert.match(`${conflict.rule.kind} ${conflict.rule.text}`, /conflict/i);
    assert.match(conflict.source, /metric_alarm\.go/);
  });

  it("with --against, refuses a capacity provider strategy change without forceNewDeployment as an update (capacityProviderStrategyCustomizeDiff, internal/service/ecs/service.go); the program's own change passes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-update-"));
    for (const [program, expected] of [[BROKEN, 1], ["index.ts", 0]] as const) {
      const before = await planFixture("small", "--json", "--program", program);
      const saved = path.join(dir, `${path.basename(program)}.json`);
      fs.writeFileSync(saved, before.out);
      const { code, out } = await planFixture("small", "--program", program, "--against", saved, "--config", `spotInstanceTypes=${SPOT}`, "--config", "spotMaxSize=4");
      assert.equal(code, expected, out);
      if (expected === 1) assert.match(out, /^ {2}x web-service \(aws:ecs\/service:Service\) as an update: capacityProviderStrategies = .*forceNewDeployment/m);
    }
  });
});
