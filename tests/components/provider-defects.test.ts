// The four defects the provider found on the real path (issue "The plan refuses what the provider
// refuses"), each named by the provider's rule it broke, checked on the inputs the program records. The
// values asserted are the rules' (the provider's enum, its ConflictsWith, its CustomizeDiff), never just
// what the program happens to send.
import assert from "node:assert/strict";
import { ConfigError, DEPLOYMENT_SETTLE_MINUTES, MAX_RELEASE_MINUTES, parseConfig, releaseMinutes, type Deployment } from "../../config";
import { alarmStatistic } from "../../components/service-alarms";
import type { Graph } from "../../plan/mock-engine";
import { ROOT } from "../../config/stack-files";
import { recordSeed } from "../helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SERVICE = "aws:ecs/service:Service";
// internal/service/cloudwatch/metric_alarm.go: statistic is validation.StringInSlice of these;
// extended_statistic a percentile (pNN or pNN.N); period ConflictsWith metric_query.
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const PERCENTILE = /^p(\d{1,2}(\.\d{0,10})?|100)$/;

const routed = (strategy: string) => JSON.stringify({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: strategy } });

function assertAlarmsObeyTheProvider(g: Graph): void {
  const alarms = g.ofType(ALARM);
  assert.ok(alarms.length > 0);
  for (const a of alarms) {
    const { statistic, extendedStatistic, period, metricQueries } = a.inputs;
    if (statistic !== undefined) assert.ok(STATISTICS.includes(statistic), `${a.name}: statistic ${statistic} is not one of ${STATISTICS.join(", ")}`);
    if (extendedStatistic !== undefined) assert.match(extendedStatistic, PERCENTILE, `${a.name}: extendedStatistic`);
    assert.ok(!(statistic !== undefined && extendedStatistic !== undefined), `${a.name}: statistic ConflictsWith extended_statistic`);
    if (metricQueries !== undefined) {
      assert.equal(period, undefined, `${a.name}: period ConflictsWith metric_query`);
      for (const q of metricQueries) if (q.metric) assert.ok(q.metric.period > 0 && q.metric.stat, `${a.name}: a metric query's metric needs period and stat (Required)`);
    } else {
      assert.ok(statistic !== undefined || extendedStatistic !== undefined, `${a.name}: a metric alarm needs statistic or extended_statistic`);
    }
  }
}

describe("alarms the provider accepts (internal/service/cloudwatch/metric_alarm.go)", () => {
  it("puts a percentile in extendedStatistic, never in statistic (StringInSlice SampleCount..Maximum)", () => {
    assert.deepEqual(alarmStatistic("p99"), { extendedStatistic: "p99" });
    assert.deepEqual(alarmStatistic("p99.9"), { extendedStatistic: "p99.9" });
    for (const s of STATISTICS) assert.deepEqual(alarmStatistic(s), { statistic: s });
  });

  for (const strategy of ["rolling", "blueGreen", "canary", "linear"]) {
    it(`${strategy}: every alarm of a routed service obeys statistic's enum and period ConflictsWith metric_query`, async () => {
      assertAlarmsObeyTheProvider(await recordSeed({ services: routed(strategy) }));
    });
  }

  it("blueGreen on the default service: its combined alarms carry no period of their own", async () => {
    const g = await recordSeed({ deploymentStrategy: "blueGreen" });
    const combined = g.ofType(ALARM).filter((a) => a.inputs.metricQueries);
    assert.ok(combined.length >= 3, "the 5xx, unhealthy-targets and p99 alarms read both target groups");
    assertAlarmsObeyTheProvider(g);
  });
});

describe("a capacity provider strategy change the provider accepts (capacityProviderStrategyCustomizeDiff, internal/service/ecs/service.go)", () => {
  // The provider fails the plan of a deployed service whose capacity_provider_strategy changes unless
  // force_new_deployment is true. The program cannot see the deployed strategy, so every service must
  // carry it, with Spot or without: turning Spot on or off, or a new base or weight, is such a change.
  for (const [label, overrides] of [
    ["on-demand only", {}],
    ["with Spot", { spotInstanceTypes: JSON.stringify(["c5.xlarge", "m5.xlarge"]), spotMaxSize: "4", onDemandBaseTasks: "1", spotWeight: "3" }],
  ] as const) {
    it(`${label}: every service sets forceNewDeployment, so a strategy change is an update the provider takes`, async () => {
      const g = await recordSeed({ ...overrides, services: routed("rolling") });
      const services = g.ofType(SERVICE);
      assert.equal(services.length, 2);
      for (const s of services) assert.equal(s.inputs.forceNewDeployment, true, s.name);
    });
  }
});

describe("update timeouts that cover the release (the provider waits for the deployment, bake included: PR #43434)", () => {
  const spec = (d: Partial<Deployment>): Deployment => ({ strategy: "rolling", minimumHealthyPercent: 100, maximumPercent: 200, bakeTimeMinutes: 10, canaryPercent: 10, linearStepPercent: 10, shiftIntervalMinutes: 5, ...d });

  it("counts every wait of a release: linear's steps, canary's one shift, the bake and the drain", () => {
    assert.equal(releaseMinutes(spec({ strategy: "linear" }), 60), 10 * 5 + 10 + 1);
    assert.equal(releaseMinutes(spec({ strategy: "linear", linearStepPercent: 33 }), 0), 4 * 5 + 10, "ceil(100 / 33) shifts");
    assert.equal(releaseMinutes(spec({ strategy: "canary" }), 90), 5 + 10 + 2);
    assert.equal(releaseMinutes(spec({ strategy: "blueGreen" }), 0), 10);
    assert.equal(releaseMinutes(spec({ strategy: "rolling" }), 3630), 61, "a rolling release still drains its old targets");
  });

  it("gives a linear service's deployment its whole release, beyond the settle time", async () => {
    const g = await recordSeed({ services: JSON.stringify({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: "linear", linearStepPercent: 10, shiftIntervalMinutes: 5, bakeTimeMinutes: 10 } }) });
    const v2 = g.ofType(SERVICE).find((s) => s.inputs.name === "v2")!;
    const timeouts = v2.options.customTimeouts ?? {};
    const minutes = Number(/^(\d+)m$/.exec(timeouts.update ?? "")?.[1]);
    assert.ok(minutes >= DEPLOYMENT_SETTLE_MINUTES + 10 * 5 + 10, `update timeout ${timeouts.update} must outlast a 60-minute release`);
    assert.equal(timeouts.create, timeouts.update);
  });

  it(`refuses a release that cannot end within ${MAX_RELEASE_MINUTES} minutes, naming the key and the way out`, () => {
    let problems: string[] = [];
    try {
      parseConfig({ services: JSON.stringify({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: "linear", shiftIntervalMinutes: 1440 } }) }, "us-east-1", { rootDir: ROOT });
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      problems = e.problems;
    }
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /services\.v2\.shiftIntervalMinutes = "1440" is not allowed: a release that ends within 300 minutes: this linear release takes 14411 minutes .*raise linearStepPercent/);
  });
});
