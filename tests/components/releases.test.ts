// Issue "Safe releases and day-2 operations": ECS native blue/green, canary and linear deployments, alarms
// that reach a person, the dashboard, WAF and Spot capacity, read from the recorded program.
import assert from "node:assert/strict";
import { parseConfig } from "../../config";
import { dashboardBody } from "../../components/dashboard";
import { WAF_MANAGED_RULE_GROUPS } from "../../lib/waf-rules";
import { renderUserData } from "../../components/user-data";
import { Graph } from "../../plan/mock-engine";
import { ROOT } from "../../config/stack-files";
import { assertDependsOn, assertFedBy, configProblems, json, recordSeed } from "../helpers";

const T = {
  tg: "aws:lb/targetGroup:TargetGroup",
  rule: "aws:lb/listenerRule:ListenerRule",
  listener: "aws:lb/listener:Listener",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  cp: "aws:ecs/capacityProvider:CapacityProvider",
  association: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
};

const problems = configProblems;

describe("blue/green deployments of the default service (deploymentStrategy: blueGreen)", () => {
  let g: Graph;
  before(async () => { g = await recordSeed({ deploymentStrategy: "blueGreen", bakeTimeMinutes: "15", autoscaling: "true" }); });
  const service = () => g.one(T.service);

  it("creates a second target group, like the first", () => {
    const [blue, green] = [g.one(T.tg, "web-tg"), g.one(T.tg, "web-tg2")];
    assert.deepEqual(green.inputs.healthCheck, blue.inputs.healthCheck);
    assert.equal(green.inputs.port, blue.inputs.port);
  });

  it("routes every request through a catch-all production rule whose weighted forward ECS shifts, and the listener answers 404 otherwise", () => {
    const rule = g.one(T.rule);
    assert.equal(rule.inputs.priority, 50000, "after every other service's rule");
    assert.deepEqual(rule.inputs.conditions, [{ pathPattern: { values: ["/*"] } }]);
    assert.deepEqual(rule.inputs.actions[0].forward.targetGroups, [
      { arn: g.one(T.tg, "web-tg").outputs.arn, weight: 100 },
      { arn: g.one(T.tg, "web-tg2").outputs.arn, weight: 0 },
    ]);
    // ECS owns the weights after its first deployment; only they are ignored, so a switch from rolling still
    // sends the weighted forward.
    assert.deepEqual(rule.options.ignoreChanges, ["actions[0].forward.targetGroups[0].weight", "actions[0].forward.targetGroups[1].weight"]);
    assert.equal(g.one(T.listener).inputs.defaultActions[0].type, "fixed-response");
  });

  it("configures ECS's native blue/green with the bake time and the load balancer's advanced configuration", () => {
    assert.deepEqual(service().inputs.deploymentConfiguration, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "15" });
    const [lb] = service().inputs.loadBalancers;
    assert.equal(lb.targetGroupArn, g.one(T.tg, "web-tg").outputs.arn);
    assert.deepEqual(lb.advancedConfiguration, {
      alternateTargetGroupArn: g.one(T.tg, "web-tg2").outputs.arn,
      productionListenerRule: g.one(T.rule).outputs.arn,
      roleArn: g.one(T.role, "web-ecs-infrastructure").outputs.arn,
    });
  });

  it("lets ECS change exactly that rule, its listener and the two groups, through a role only ECS of this account assumes", () => {
    const role = g.one(T.role, "web-ecs-infrastructure");
    const trust = json(role.inputs.assumeRolePolicy).Statement[0];
    assert.deepEqual([trust.Principal, trust.Action, trust.Condition.StringEquals["aws:SourceAccount"]], [{ Service: "ecs.amazonaws.com" }, "sts:AssumeRole", "123456789012"]);
    const policy = g.one(T.rolePolicy, "web-ecs-infrastructure");
    const byId = Object.fromEntries(json(policy.inputs.policy).Statement.map((s: { Sid: string; Resource: unknown }) => [s.Sid, s.Resource]));
    assert.deepEqual(byId.TargetGroups, [g.one(T.tg, "web-tg").outputs.arn, g.one(T.tg, "web-tg2").outputs.arn]);
    assert.equal(byId.ProductionRule, g.one(T.rule).outputs.arn);
    assert.equal(byId.Listener, g.one(T.listener).outputs.arn);
    assert.equal(byId.Read, "*", "the Describe calls have no resource-level permissions");
    for (const from of [g.one(T.rule), g.one(T.listener), g.one(T.tg, "web-tg"), g.one(T.tg, "web-tg2")]) assertFedBy(policy, "policy", from);
    assertDependsOn(service(), policy);
  });

  it("rolls a bad release back during the bake: the rollback alarms read both target groups", () => {
    const rollbackNames = service().inputs.alarms.alarmNames;
    for (const name of ["web-target-5xx", "web-unhealthy-targets"]) {
      const alarm = g.one(T.alarm, name);
      assert.ok(rollbackNames.includes(alarm.outputs.name), `${name} rolls back`);
      const queries = alarm.inputs.metricQueries;
      assert.deepEqual(queries.filter((q: { metric?: unknown }) => q.metric).map((q: any) => q.metric.dimensions.TargetGroup), [
        g.one(T.tg, "web-tg").outputs.arnSuffix, g.one(T.tg, "web-tg2").outputs.arnSuffix,
      ]);
      assert.equal(queries.filter((q: { returnData: boolean }) => q.returnData).length, 1);
    }
  });

  it("scales on requests per target of whichever group is live", () => {
    const requests = g.ofType(T.scalingPolicy).find((p) => p.name === "web-requests-scaling")!;
    const metrics = requests.inputs.targetTrackingScalingPolicyConfiguration.customizedMetricSpecification.metrics;
    assert.deepEqual(metrics.map((m: { id: string }) => m.id), ["m0", "m1", "perTarget"]);
    assert.equal(metrics[2].expression, "FILL(m0, 0) + FILL(m1, 0)");
  });

  it("keeps rolling deployments as they were: one group, the default action, strategy ROLLING", async () => {
    const rolling = await recordSeed();
    assert.equal(rolling.ofType(T.tg).length, 1);
    assert.equal(rolling.ofType(T.rule).length, 0);
    assert.deepEqual(rolling.one(T.service).inputs.deploymentConfiguration, { strategy: "ROLLING" });
    assert.equal(rolling.one(T.listener).inputs.defaultActions[0].type, "forward");
  });
});

describe("canary and linear deployments of a routed service", () => {
  const routed = (strategy: string) => JSON.stringify({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: strategy, canaryPercent: 5, linearStepPercent: 20, shiftIntervalMinutes: 3, bakeTimeMinutes: 30 } });

  it("canary: sends canaryPercent first and the rest after shiftIntervalMinutes, through the service's own rule", async () => {
    const g = await recordSeed({ services: routed("canary") });
    const v2 = g.ofType(T.service).find((s) => s.inputs.name === "v2")!;
    assert.deepEqual(v2.inputs.deploymentConfiguration, { strategy: "CANARY", bakeTimeInMinutes: "30", canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: "3" } });
    const rule = g.one(T.rule);
    assert.equal(rule.inputs.priority, 100);
    assert.equal(v2.inputs.loadBalancers[0].advancedConfiguration.productionListenerRule, rule.outputs.arn);
    assert.equal(g.one(T.listener).inputs.defaultActions[0].type, "forward", "the default service still rolls, on the default action");
  });

  it("linear: moves linearStepPercent every shiftIntervalMinutes", async () => {
    const g = await recordSeed({ services: routed("linear") });
    const v2 = g.ofType(T.service).find((s) => s.inputs.name === "v2")!;
    assert.deepEqual(v2.inputs.deploymentConfiguration.linearConfiguration, { stepPercent: 20, stepBakeTimeInMinutes: "3" });
  });

  it("is refused for a worker, and where the hosts cannot hold twice the tasks", () => {
    assert.match(problems({ services: JSON.stringify({ jobs: { imageUrl: "nginx", deploymentStrategy: "blueGreen" } }) })[0], /services\.jobs\.deploymentStrategy = "blueGreen" is not allowed: rolling for a worker/);
    const [message] = problems({ instanceType: "t3.medium", maxSize: "2", desiredCount: "3", deploymentStrategy: "canary" });
    assert.match(message, /^ecs-ec2-api:deploymentStrategy = "canary" is not allowed: rolling, or room for twice the tasks: a canary deployment runs 3 new tasks beside the 3 old ones, and the hosts hold 4/);
  });
});

describe("alarms that reach a person (alarmEmail, alarmTopicArn)", () => {
  const TOPIC = "arn:aws:sns:us-east-1:210987654321:chat-alerts";
  let g: Graph;
  before(async () => { g = await recordSeed({ alarmEmail: "oncall@acme-api.dev", alarmTopicArn: TOPIC }); });

  it("creates a topic with an email subscription, open to this account's CloudWatch alarms and over TLS only", () => {
    const topic = g.one(T.topic);
    const sub = g.one(T.subscription);
    assert.deepEqual([sub.inputs.protocol, sub.inputs.endpoint], ["email", "oncall@acme-api.dev"]);
    assertFedBy(sub, "topic", topic);
    const statements = json(g.one(T.topicPolicy).inputs.policy).Statement;
    const cloudwatch = statements.find((s: { Sid: string }) => s.Sid === "CloudWatchAlarmsOfThisAccount");
    assert.deepEqual([cloudwatch.Principal, cloudwatch.Action], [{ Service: "cloudwatch.amazonaws.com" }, "sns:Publish"]);
    assert.equal(cloudwatch.Condition.StringEquals["aws:SourceAccount"], "123456789012");
    assert.ok(statements.some((s: { Effect: string; Condition?: any }) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
  });

  it("has every alarm of the stack notify both topics, on alarm and on recovery", () => {
    const alarms = g.ofType(T.alarm);
    assert.ok(alarms.length >= 5, alarms.map((a) => a.name).join());
    for (const a of alarms) {
      assert.deepEqual(a.inputs.alarmActions, [g.one(T.topic).outputs.arn, TOPIC], a.name);
      assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions, a.name);
    }
  });

  it("adds the alarms users feel: p99 latency above the threshold, load balancer 5xx, capacity reservation stuck at 100 %", async () => {
    const custom = await recordSeed({ p99LatencyAlarmMs: "250" });
    const p99 = custom.one(T.alarm, "web-p99-latency");
    assert.deepEqual([p99.inputs.metricName, p99.inputs.threshold], ["TargetResponseTime", 0.25]);
    // A percentile is an extended statistic: the provider's `statistic` is StringInSlice(SampleCount,
    // Average, Sum, Minimum, Maximum) (internal/service/cloudwatch/metric_alarm.go).
    assert.equal(p99.inputs.extendedStatistic, "p99");
    assert.equal(p99.inputs.statistic, undefined);
    assert.equal(custom.one(T.alarm, "web-alb-5xx").inputs.metricName, "HTTPCode_ELB_5XX_Count");
    const full = custom.one(T.alarm, "api-capacity-full");
    assert.deepEqual([full.inputs.namespace, full.inputs.metricName, full.inputs.comparisonOperator, full.inputs.threshold], ["AWS/ECS/ManagedScaling", "CapacityProviderReservation", "GreaterThanOrEqualToThreshold", 100]);
    assertFedBy(full, "dimensions", custom.one(T.cp));
  });

  it("notifies nobody, and creates no topic, when neither is set (the alarms still roll deployments back)", async () => {
    const quiet = await recordSeed();
    assert.equal(quiet.ofType(T.topic).length, 0);
    for (const a of quiet.ofType(T.alarm)) assert.equal(a.inputs.alarmActions, undefined, a.name);
  });
});

describe("the dashboard", () => {
  it("shows requests, p50/p99, 4xx/5xx, healthy targets per service, tasks, CPU/memory, hosts and reservation", () => {
    const body = JSON.parse(dashboardBody({ region: "us-east-1", loadBalancer: "app/web/1", cluster: "api-cluster", capacityProviders: ["cp-1", "cp-spot"], services: [{ name: "web", targetGroups: ["targetgroup/web-tg/1"] }, { name: "jobs", targetGroups: [] }] }));
    const titles = body.widgets.map((w: { properties: { title: string } }) => w.properties.title);
    assert.deepEqual(titles, ["Requests", "Latency (target response time)", "4xx and 5xx", "Healthy targets", "Tasks: running and desired", "CPU and memory (percent of reserved)", "Hosts and capacity reservation"]);
    const metricsOf = (title: string) => body.widgets.find((w: { properties: { title: string } }) => w.properties.title === title).properties.metrics.map((m: unknown[]) => m.slice(0, 2).join(" "));
    assert.deepEqual(metricsOf("Latency (target response time)"), ["AWS/ApplicationELB TargetResponseTime", "AWS/ApplicationELB TargetResponseTime"]);
    assert.deepEqual(metricsOf("Tasks: running and desired"), ["ECS/ContainerInsights RunningTaskCount", "ECS/ContainerInsights RunningTaskCount", "ECS/ContainerInsights DesiredTaskCount", "ECS/ContainerInsights DesiredTaskCount"]);
    assert.equal(metricsOf("Healthy targets").length, 1, "one line per target group; a worker has none");
    assert.equal(metricsOf("Hosts and capacity reservation").length, 3);
  });

  it("is one dashboard per stack, named after it, whose URL the stack exports", async () => {
    const g = await recordSeed();
    const d = g.one(T.dashboard);
    assert.equal(d.inputs.dashboardName, "ecs-ec2-api-seed");
    assert.equal(g.recording.outputs.dashboardUrl, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/ecs-ec2-api-seed");
    const widgets = JSON.parse(d.inputs.dashboardBody).widgets;
    assert.ok(JSON.stringify(widgets).includes(g.one(T.alb).outputs.arnSuffix), "it reads the stack's load balancer");
  });
});

describe("WAF in front of the public API (waf)", () => {
  let g: Graph;
  before(async () => { g = await recordSeed({ waf: "true", wafRateLimit: "500", wafCountRules: JSON.stringify(["SizeRestrictions_BODY"]) }); });

  it("a regional web ACL: the per-IP rate limit, then the IP reputation, known bad inputs and common rules, metrics and samples on", () => {
    const acl = g.one(T.webAcl);
    assert.equal(acl.inputs.scope, "REGIONAL");
    assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
    const [rate, ...managed] = acl.inputs.rules;
    assert.deepEqual(rate.statement.rateBasedStatement, { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 });
    assert.deepEqual(rate.action, { block: {} });
    assert.deepEqual(managed.map((r: any) => r.statement.managedRuleGroupStatement.name), WAF_MANAGED_RULE_GROUPS);
    for (const r of acl.inputs.rules) assert.deepEqual([r.visibilityConfig.cloudwatchMetricsEnabled, r.visibilityConfig.sampledRequestsEnabled], [true, true], r.name);
  });

  it("counts the listed rules in their own group only (WAF refuses an override of a rule a group lacks)", () => {
    const overrides = Object.fromEntries(g.one(T.webAcl).inputs.rules.slice(1).map((r: any) => [r.name, r.statement.managedRuleGroupStatement.ruleActionOverrides.map((o: { name: string }) => o.name)]));
    assert.deepEqual(overrides, { AWSManagedRulesAmazonIpReputationList: [], AWSManagedRulesKnownBadInputsRuleSet: [], AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] });
  });

  it("is associated with the load balancer", () => {
    const association = g.one(T.webAclAssociation);
    assertFedBy(association, "resourceArn", g.one(T.alb));
    assertFedBy(association, "webAclArn", g.one(T.webAcl));
  });
});

describe("Spot capacity beside on-demand (spotInstanceTypes)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ spotInstanceTypes: JSON.stringify(["c5.xlarge", "c6i.xlarge", "m5.xlarge"]), spotMaxSize: "6", onDemandBaseTasks: "2", onDemandWeight: "1", spotWeight: "3" });
  });
  const spotGroup = () => g.one(T.asg, "spot-hosts");
  const spotTemplate = () => g.one(T.lt, "spot-hosts");

  it("adds a group of Spot hosts only: a mixed-instances policy over the types, price-capacity-optimized", () => {
    const policy = spotGroup().inputs.mixedInstancesPolicy;
    assert.deepEqual(policy.instancesDistribution, { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: "price-capacity-optimized" });
    assert.deepEqual(policy.launchTemplate.overrides.map((o: { instanceType: string }) => o.instanceType), ["c5.xlarge", "c6i.xlarge", "m5.xlarge"]);
    assertFedBy(spotGroup(), "mixedInstancesPolicy", spotTemplate());
    assert.equal(spotGroup().inputs.maxSize, 6);
  });

  it("hardens the Spot hosts as the on-demand ones, and drains their tasks on an interruption notice", () => {
    const lt = spotTemplate();
    const onDemand = g.one(T.lt, "api-hosts");
    for (const key of ["metadataOptions", "blockDeviceMappings", "iamInstanceProfile", "vpcSecurityGroupIds"]) assert.deepEqual(lt.inputs[key], onDemand.inputs[key], key);
    const userData = Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");
    assert.match(userData, /^ECS_ENABLE_SPOT_INSTANCE_DRAINING=true$/m);
    assert.doesNotMatch(renderUserData({ clusterName: "c" }), /SPOT/, "not on on-demand hosts");
  });

  it("gives the Spot group its own capacity provider, in the cluster's association", () => {
    const spotCp = g.one(T.cp, "spot-capacity");
    assertFedBy(spotCp, "autoScalingGroupProvider", spotGroup());
    assert.equal(g.one(T.association).inputs.capacityProviders.length, 2);
  });

  it("places each service's first tasks on on-demand hosts, the rest by the weights", () => {
    const strategies = g.one(T.service).inputs.capacityProviderStrategies;
    const [onDemand, spot] = strategies;
    assert.deepEqual([onDemand.base, onDemand.weight, spot.base, spot.weight], [2, 1, 0, 3]);
    assert.equal(spot.capacityProvider, g.one(T.cp, "spot-capacity").outputs.name);
  });

  it("counts what the Spot hosts hold at their smallest type", () => {
    const c = parseConfig({ instanceType: "c5.large", maxSize: "2", spotInstanceTypes: JSON.stringify(["c5.large", "c5.xlarge"]), spotMaxSize: "3", desiredCount: "10" }, "us-east-1", { rootDir: ROOT });
    // c5.large: 2 task interfaces per host; 2 on-demand + 3 Spot hosts hold 10.
    assert.equal(c.capacity.spot?.perHost.tasks, 2);
    assert.match(problems({ instanceType: "c5.large", maxSize: "2", spotInstanceTypes: JSON.stringify(["c5.large"]), spotMaxSize: "3", desiredCount: "11" })[0], /at most 10: .* and the Spot hosts 6 more/);
  });

  it("launches no Spot hosts without the key", async () => {
    const plain = await recordSeed();
    assert.equal(plain.ofType(T.asg).length, 1);
    assert.equal(plain.one(T.service).inputs.capacityProviderStrategies.length, 1);
  });
});

