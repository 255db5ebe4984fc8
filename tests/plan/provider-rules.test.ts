/**
 * The provider-rules checker (plan/provider-rules/check.ts): one deliberately bad input per rule kind, on a
 * real resource type, refused with the property and the rule named; the same resource made good passes.
 * Sources: hashicorp/terraform-provider-aws internal/service/cloudwatch/metric_alarm.go (MA) and
 * internal/service/ecs/service.go (SVC), autoscaling/group.go (ASG).
 */
import * as assert from "assert";
import { checkResource, checkUpdate, coverage } from "../../plan/provider-rules/check";
import { UNKNOWN_SENTINEL } from "../../plan/provider-rules/values";
import { REPLACEMENTS } from "../../plan/replacements";
import generated from "../../plan/provider-rules/rules.generated.json";
import { HAND_RULES } from "../../plan/provider-rules/rules.hand";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SERVICE = "aws:ecs/service:Service";
const goodAlarm = (): Record<string, unknown> => ({
  comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 5, metricName: "TargetResponseTime", namespace: "AWS/ApplicationELB",
  period: 60, extendedStatistic: "p99", threshold: 1, treatMissingData: "notBreaching", alarmDescription: "p99 latency",
});
const queryAlarm = (): Record<string, unknown> => ({
  comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 3, threshold: 5,
  metricQueries: [
    { id: "e1", expression: "100*m1/m2", returnData: true },
    { id: "m1", metric: { metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" } },
    { id: "m2", metric: { metricName: "RequestCount", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" } },
  ],
});
const goodService = (): Record<string, unknown> => ({
  name: "web", desiredCount: 2, forceNewDeployment: true, propagateTags: "SERVICE",
  capacityProviderStrategies: [{ capacityProvider: "cp-on-demand", base: 0, weight: 1 }],
  orderedPlacementStrategies: [{ type: "spread", field: "attribute:ecs.availability-zone" }, { type: "binpack", field: "cpu" }],
  deploymentCircuitBreaker: { enable: true, rollback: true },
  loadBalancers: [{ containerName: "web", containerPort: 80, targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1" }],
});

/** The one problem found, asserting the property and the rule kind. */
function refused(problems: ReturnType<typeof checkResource>, property: string, kind: string, text?: RegExp) {
  const p = problems.find((x) => x.property === property && x.rule.kind === kind);
  assert.ok(p, `expected ${kind} on ${property}, got ${JSON.stringify(problems.map((x) => [x.property, x.rule.kind, x.rule.text]))}`);
  if (text) assert.match(p.rule.text, text);
  assert.ok(p.source.length > 0);
  return p;
}

describe("provider rules: the good resources pass", () => {
  it("a percentile alarm, a metric-query alarm and the service as the program builds them", () => {
    assert.deepStrictEqual(checkResource(ALARM, goodAlarm()), []);
    assert.deepStrictEqual(checkResource(ALARM, queryAlarm()), []);
    assert.deepStrictEqual(checkResource(SERVICE, goodService()), []);
  });
});

describe("provider rules: one per kind (MA = cloudwatch/metric_alarm.go, SVC = ecs/service.go)", () => {
  it("enum (MA statistic, enum.Validate[types.Statistic]): p99 as statistic is refused", () => {
    const i = { ...goodAlarm(), extendedStatistic: undefined, statistic: "p99" };
    refused(checkResource(ALARM, i), "statistic", "enum", /SampleCount, Average, Sum, Minimum, Maximum/);
    assert.deepStrictEqual(checkResource(ALARM, { ...i, statistic: "Maximum" }), []);
  });
  it("int range (SVC capacity_provider_strategy.weight IntBetween(0, 1000))", () => {
    const i = goodService();
    (i.capacityProviderStrategies as any)[0].weight = 1001;
    refused(checkResource(SERVICE, i), "capacityProviderStrategies[0].weight", "intRange", /between 0 and 1000/);
  });
  it("int set (MA period: IntInSlice(10, 20, 30) or IntDivisibleBy(60))", () => {
    refused(checkResource(ALARM, { ...goodAlarm(), period: 45 }), "period", "any", /one of 10, 20, 30 or a multiple of 60/);
    assert.deepStrictEqual(checkResource(ALARM, { ...goodAlarm(), period: 30 }), []);
  });
  it("string length (MA alarm_description StringLenBetween(0, 1024))", () => {
    refused(checkResource(ALARM, { ...goodAlarm(), alarmDescription: "x".repeat(1025) }), "alarmDescription", "stringLength");
  });
  it("pattern (MA extended_statistic StringMatch percentile regex)", () => {
    refused(checkResource(ALARM, { ...goodAlarm(), extendedStatistic: "P99" }), "extendedStatistic", "pattern");
    assert.deepStrictEqual(checkResource(ALARM, { ...goodAlarm(), extendedStatistic: "p99.9" }), []);
  });
  it("ConflictsWith (MA period ConflictsWith metric_query)", () => {
    const p = refused(checkResource(ALARM, { ...queryAlarm(), period: 60 }), "period", "conflictsWith", /ConflictsWith metricQueries/);
    assert.strictEqual(p.value, 60);
  });
  it("ExactlyOneOf (ASG launch_configuration/launch_template/mixed_instances_policy: autoscaling/group.go, generated; one problem per group)", () => {
    const asg = { maxSize: 2, minSize: 1, launchTemplate: { id: "lt-1", version: "$Latest" } };
    assert.deepStrictEqual(checkResource("aws:autoscaling/group:Group", asg), []);
    const both = checkResource("aws:autoscaling/group:Group", { ...asg, mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" } } } });
    refused(both, "launchTemplate", "exactlyOneOf", /mixedInstancesPolicy/);
    const none = checkResource("aws:autoscaling/group:Group", { maxSize: 2, minSize: 1 });
    refused(none, "launchConfiguration", "exactlyOneOf");
    assert.strictEqual(none.filter((p) => p.rule.kind === "exactlyOneOf").length, 1);
  });
  it("CustomizeDiff (MA: one of statistic or extendedStatistic with metricName)", () => {
    refused(checkResource(ALARM, { ...goodAlarm(), extendedStatistic: undefined }), "statistic", "CustomizeDiff");
  });
  it("Required (ASG max_size, autoscaling/group.go); a Required the installed SDK declares optional is left out (MA comparison_operator)", () => {
    refused(checkResource("aws:autoscaling/group:Group", { minSize: 1, launchTemplate: { id: "lt-1" } }), "maxSize", "required");
    assert.deepStrictEqual(checkResource(ALARM, { ...goodAlarm(), comparisonOperator: undefined }), []);
  });
  it("RequiredWith (ec2/vpc_.go ipv4_netmask_length RequiredWith ipv4_ipam_pool_id)", () => {
    const vpc = "aws:ec2/vpc:Vpc";
    refused(checkResource(vpc, { ipv4NetmaskLength: 20 }), "ipv4NetmaskLength", "requiredWith", /ipv4IpamPoolId/);
    assert.deepStrictEqual(checkResource(vpc, { ipv4NetmaskLength: 20, ipv4IpamPoolId: "ipam-pool-1" }), []);
  });
  it("MinItems (ec2/vpc_endpoint.go dns_options.private_dns_specified_domains MinItems 1): an empty list is no list, as in Terraform", () => {
    const ep = "aws:ec2/vpcEndpoint:VpcEndpoint", base = { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3" };
    assert.deepStrictEqual(checkResource(ep, { ...base, dnsOptions: { privateDnsSpecifiedDomains: [] } }), []);
    refused(checkResource(ep, { ...base, dnsOptions: { privateDnsSpecifiedDomains: Array.from({ length: 11 }, (_, n) => `d${n}.example`) } }), "dnsOptions.privateDnsSpecifiedDomains", "maxItems");
  });
  it("CIDR network (ec2/vpc_.go cidr_block IsCIDRNetwork(16, 28)), enum (ec2/vpc_flow_log.go traffic_type, EC2 API Reference)", () => {
    refused(checkResource("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.1/16" }), "cidrBlock", "cidrNetwork");
    refused(checkResource("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/8" }), "cidrBlock", "cidrNetwork");
    assert.deepStrictEqual(checkResource("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }), []);
    refused(checkResource("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "all" }), "trafficType", "enum");
  });
  it("hand rules: security group rules (ExactlyOneOf, ports), capacity provider CustomizeDiff (ecs/capacity_provider.go)", () => {
    const ingress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const rule = { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" };
    assert.deepStrictEqual(checkResource(ingress, rule), []);
    refused(checkResource(ingress, { ...rule, referencedSecurityGroupId: "sg-2" }), "referencedSecurityGroupId", "ExactlyOneOf");
    refused(checkResource(ingress, { ...rule, toPort: 70000 }), "toPort", "intRange");
    const cp = "aws:ecs/capacityProvider:CapacityProvider", asg = { autoScalingGroupArn: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/a" };
    assert.deepStrictEqual(checkResource(cp, { autoScalingGroupProvider: asg }), []);
    refused(checkResource(cp, { autoScalingGroupProvider: asg, cluster: "c" }), "cluster", "CustomizeDiff");
    refused(checkResource(cp, {}), "autoScalingGroupProvider", "CustomizeDiff");
  });
  it("MaxItems (SVC ordered_placement_strategy MaxItems 5)", () => {
    const i = goodService();
    i.orderedPlacementStrategies = Array.from({ length: 6 }, () => ({ type: "spread", field: "instanceId" }));
    refused(checkResource(SERVICE, i), "orderedPlacementStrategies", "maxItems", /at most 5/);
  });
  it("nested block (MA metric_query.metric.stat: Statistic or a percentile; period required)", () => {
    const i = queryAlarm();
    (i.metricQueries as any)[1].metric.stat = "p99x";
    delete (i.metricQueries as any)[2].metric.period;
    refused(checkResource(ALARM, i), "metricQueries[1].metric.stat", "any");
    refused(checkResource(ALARM, i), "metricQueries[2].metric.period", "required");
    (i.metricQueries as any)[1].metric.stat = "p99";
    (i.metricQueries as any)[2].metric.period = 60;
    assert.deepStrictEqual(checkResource(ALARM, i), []);
  });
  it("update rule (SVC capacityProviderStrategyCustomizeDiff): a new strategy needs forceNewDeployment", () => {
    const old = goodService();
    const next = { ...goodService(), forceNewDeployment: false, capacityProviderStrategies: [{ capacityProvider: "cp-spot", weight: 1 }] };
    refused(checkUpdate(SERVICE, old, next), "capacityProviderStrategies", "CustomizeDiff (update)", /forceNewDeployment/);
    assert.deepStrictEqual(checkUpdate(SERVICE, old, { ...next, forceNewDeployment: true }), []);
    assert.deepStrictEqual(checkUpdate(SERVICE, { ...old, forceNewDeployment: false }, { ...old, forceNewDeployment: false, desiredCount: 3 }), []);
  });
});

describe("provider rules: the strategy update rule compares sets (SVC capacity_provider_strategy is schema.TypeSet, resourceService Schema)", () => {
  const strategies = [{ capacityProvider: "cp-on-demand", base: 1, weight: 1 }, { capacityProvider: "cp-spot", weight: 3 }];
  const svc = (s: unknown[], forceNewDeployment = false) => ({ ...goodService(), forceNewDeployment, capacityProviderStrategies: s });
  it("the same strategies in another order are no change: no forceNewDeployment needed", () => {
    assert.deepStrictEqual(checkUpdate(SERVICE, svc(strategies), svc([...strategies].reverse())), []);
  });
  it("an unset base or weight is 0 in the set (TypeInt zero value): no change", () => {
    const withZero = [strategies[0], { ...strategies[1], base: 0 }];
    assert.deepStrictEqual(checkUpdate(SERVICE, svc(strategies), svc(withZero)), []);
  });
  it("a changed weight, or an element more, is a change: refused without forceNewDeployment", () => {
    refused(checkUpdate(SERVICE, svc(strategies), svc([strategies[1], { ...strategies[0], weight: 2 }])), "capacityProviderStrategies", "CustomizeDiff (update)");
    refused(checkUpdate(SERVICE, svc(strategies.slice(0, 1)), svc(strategies)), "capacityProviderStrategies", "CustomizeDiff (update)");
    assert.deepStrictEqual(checkUpdate(SERVICE, svc(strategies.slice(0, 1)), svc(strategies, true)), []);
  });
});

describe("provider rules: unknowns and secrets", () => {
  it("skips unknown values (sentinel, pulumi.unknown, a saved plan's placeholder) and unwraps secrets", () => {
    const unknownObj = { __pulumiUnknown: true };
    for (const u of [UNKNOWN_SENTINEL, unknownObj, "(known after up)"]) {
      assert.deepStrictEqual(checkResource(ALARM, { ...goodAlarm(), statistic: undefined, extendedStatistic: u }), [], String(u));
      assert.deepStrictEqual(checkResource(ALARM, { ...goodAlarm(), comparisonOperator: u }), []);
      assert.deepStrictEqual(checkResource(ALARM, { ...queryAlarm(), metricQueries: u }), []);
      const svc = { ...goodService(), capacityProviderStrategies: u };
      assert.deepStrictEqual(checkUpdate(SERVICE, goodService(), { ...svc, forceNewDeployment: false }), []);
    }
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "p99" };
    refused(checkResource(ALARM, { ...goodAlarm(), extendedStatistic: undefined, statistic: secret }), "statistic", "enum");
  });
});

describe("provider rules: coverage", () => {
  it("every type in REPLACEMENTS (but awsx components) has an entry, with rules or a note", () => {
    const cov = coverage();
    const missing = Object.keys(REPLACEMENTS).filter((t) => !t.startsWith("awsx:") && !cov[t]);
    assert.deepStrictEqual(missing, []);
    for (const [t, c] of Object.entries(cov)) assert.ok(c.generated + c.hand > 0 || c.note, t);
    // Every type whose schema file was read names it (source), and its rules say where they come from.
    for (const [t, e] of Object.entries(generated.types as Record<string, { source?: string; note?: string; rules?: { tfPath?: string }[] }>)) {
      if (e.note) continue;
      assert.match(e.source ?? "", /^internal\/service\/\w+\/\w+\.go$/, t);
      for (const r of e.rules ?? []) assert.ok(r.tfPath, `${t}: rule without tfPath`);
    }
    for (const [t, rules] of Object.entries(HAND_RULES)) for (const h of rules) assert.match(h.source, /internal\/service\/\w+\/\w+\.go|API Reference/, t);
    assert.ok(cov[ALARM].generated > 0 && cov[SERVICE].hand > 0);
  });
});

describe("provider rules: load balancer listeners and rules, task definition, launch template (provider-rules-3)", () => {
  const LISTENER = "aws:lb/listener:Listener", RULE = "aws:lb/listenerRule:ListenerRule";
  const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
  const listener = (): Record<string, unknown> => ({
    loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1", port: 443, protocol: "HTTPS",
    defaultActions: [{ type: "forward", targetGroupArn: tg }],
  });
  it("enum: the listener's default action type (elbv2/listener.go default_action.type, StringInSlice(elbv2.ActionTypeEnum_Values(), true), ELBv2 API Reference)", () => {
    assert.deepStrictEqual(checkResource(LISTENER, listener()), []);
    assert.deepStrictEqual(checkResource(LISTENER, { ...listener(), defaultActions: [{ type: "Forward", targetGroupArn: tg }] }), [], "any case");
    refused(checkResource(LISTENER, { ...listener(), defaultActions: [{ type: "forwards", targetGroupArn: tg }] }), "defaultActions[0].type", "enum", /forward, authenticate-oidc/);
    const redirect = { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "301" } };
    refused(checkResource(LISTENER, { ...listener(), defaultActions: [redirect] }), "defaultActions[0].redirect.statusCode", "enum", /HTTP_301, HTTP_302/);
  });
  it("int range: the listener's port (elbv2/listener.go port, validation.IsPortNumber: 1 to 65535)", () => {
    refused(checkResource(LISTENER, { ...listener(), port: 0 }), "port", "intRange", /between 1 and 65535/);
    refused(checkResource(LISTENER, { ...listener(), port: 70000 }), "port", "intRange");
  });
  it("MaxItems/MinItems and a nested range: forward target groups (elbv2/listener.go default_action.forward.target_group MinItems 1, MaxItems 5; weight IntBetween(0, 999))", () => {
    const forward = (n: number, weight = 1) => ({ ...listener(), defaultActions: [{ type: "forward", forward: { targetGroups: Array.from({ length: n }, (_, k) => ({ arn: `${tg}${k}`, weight })) } }] });
    assert.deepStrictEqual(checkResource(LISTENER, forward(2)), []);
    refused(checkResource(LISTENER, forward(6)), "defaultActions[0].forward.targetGroups", "maxItems", /at most 5/);
    refused(checkResource(LISTENER, forward(1, 1000)), "defaultActions[0].forward.targetGroups[0].weight", "intRange");
  });
  it("listener rule: priority (elbv2/listener_rule.go validListenerRulePriority, hand rule), condition values length (StringLenBetween(1, 128)), action order (IntBetween(listenerActionOrderMin, listenerActionOrderMax), constants resolved)", () => {
    const rule = { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2", priority: 100, actions: [{ type: "forward", targetGroupArn: tg }], conditions: [{ pathPattern: { values: ["/v2/*"] } }] };
    assert.deepStrictEqual(checkResource(RULE, rule), []);
    assert.deepStrictEqual(checkResource(RULE, { ...rule, priority: 99999 }), []);
    refused(checkResource(RULE, { ...rule, priority: 50001 }), "priority", "intRange", /99999/);
    refused(checkResource(RULE, { ...rule, conditions: [{ pathPattern: { values: ["/" + "x".repeat(128)] } }] }), "conditions[0].pathPattern.values[0]", "stringLength");
    refused(checkResource(RULE, { ...rule, actions: [{ type: "forward", targetGroupArn: tg, order: 50001 }] }), "actions[0].order", "intRange", /between 1 and 50000/);
  });
  it("task definition: family pattern and network mode enum (ecs/task_definition.go family StringMatch ^[0-9A-Za-z_-]+$; network_mode StringInSlice(ecs.NetworkMode_Values(), false), ECS API Reference)", () => {
    const TD = "aws:ecs/taskDefinition:TaskDefinition";
    const td = { family: "orders-web", containerDefinitions: "[]", networkMode: "awsvpc", requiresCompatibilities: ["EC2"] };
    assert.deepStrictEqual(checkResource(TD, td), []);
    refused(checkResource(TD, { ...td, family: "orders.web" }), "family", "pattern");
    refused(checkResource(TD, { ...td, networkMode: "AWSVPC" }), "networkMode", "enum", /bridge, host, awsvpc, none/);
    refused(checkResource(TD, { ...td, requiresCompatibilities: ["EC2", "LAMBDA"] }), "requiresCompatibilities[1]", "enum");
    refused(checkResource(TD, { ...td, containerDefinitions: undefined }), "containerDefinitions", "required");
  });
  it("launch template: metadata options enum and hop limit (ec2/ec2_launch_template.go metadata_options.http_tokens StringInSlice(ec2.LaunchTemplateHttpTokensState_Values()), http_put_response_hop_limit IntBetween(1, 64)); instance_type ConflictsWith instance_requirements", () => {
    const LT = "aws:ec2/launchTemplate:LaunchTemplate";
    const lt = { imageId: "ami-1", instanceType: "t3.medium", metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 } };
    assert.deepStrictEqual(checkResource(LT, lt), []);
    refused(checkResource(LT, { ...lt, metadataOptions: { httpTokens: "Required" } }), "metadataOptions.httpTokens", "enum", /optional, required/);
    refused(checkResource(LT, { ...lt, metadataOptions: { httpPutResponseHopLimit: 65 } }), "metadataOptions.httpPutResponseHopLimit", "intRange");
    refused(checkResource(LT, { ...lt, instanceRequirements: { vcpuCount: { min: 2 }, memoryMib: { min: 4096 } } }), "instanceType", "conflictsWith", /instanceRequirements/);
    refused(checkResource(LT, { ...lt, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp4" } }] }), "blockDeviceMappings[0].ebs.volumeType", "enum");
  });
  it("cluster capacity providers: default strategy weight and base (ecs/cluster_capacity_providers.go IntBetween(0, 1000), IntBetween(0, 100000))", () => {
    const CCP = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders";
    const ccp = { clusterName: "orders", capacityProviders: ["cp"], defaultCapacityProviderStrategies: [{ capacityProvider: "cp", base: 1, weight: 1 }] };
    assert.deepStrictEqual(checkResource(CCP, ccp), []);
    refused(checkResource(CCP, { ...ccp, defaultCapacityProviderStrategies: [{ capacityProvider: "cp", weight: 1001 }] }), "defaultCapacityProviderStrategies[0].weight", "intRange");
  });
});

describe("provider rules: IAM and S3 (provider-rules-3)", () => {
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  it("JSON document (iam/role.go assume_role_policy validation.StringIsJSON; s3/bucket_policy.go policy StringIsJSON; iam/role_policy.go verify.ValidIAMPolicyJSON read as JSON)", () => {
    const ROLE = "aws:iam/role:Role";
    assert.deepStrictEqual(checkResource(ROLE, { assumeRolePolicy: trust }), []);
    refused(checkResource(ROLE, { assumeRolePolicy: trust.slice(0, -1) }), "assumeRolePolicy", "json", /JSON/);
    refused(checkResource("aws:s3/bucketPolicy:BucketPolicy", { bucket: "logs", policy: "{'Version': '2012-10-17'}" }), "policy", "json");
    refused(checkResource("aws:iam/rolePolicy:RolePolicy", { role: "r", policy: "not json" }), "policy", "json");
    assert.deepStrictEqual(checkResource(ROLE, { assumeRolePolicy: UNKNOWN_SENTINEL }), [], "unknown skipped");
  });
  it("int range and string rules (iam/role.go max_session_duration IntBetween(3600, 43200), description StringDoesNotMatch curly quotes)", () => {
    const ROLE = "aws:iam/role:Role";
    refused(checkResource(ROLE, { assumeRolePolicy: trust, maxSessionDuration: 60 }), "maxSessionDuration", "intRange");
    refused(checkResource(ROLE, { assumeRolePolicy: trust, description: "the “web” role" }), "description", "notPattern");
  });
  it("S3 enums (s3/bucket_ownership_controls.go object_ownership, s3/bucket_server_side_encryption_configuration.go sse_algorithm: S3 API Reference)", () => {
    const OWN = "aws:s3/bucketOwnershipControls:BucketOwnershipControls", SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    assert.deepStrictEqual(checkResource(OWN, { bucket: "logs", rule: { objectOwnership: "BucketOwnerEnforced" } }), []);
    refused(checkResource(OWN, { bucket: "logs", rule: { objectOwnership: "BucketOwner" } }), "rule.objectOwnership", "enum");
    const sse = (alg: string) => ({ bucket: "logs", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: alg } }] });
    assert.deepStrictEqual(checkResource(SSE, sse("AES256")), []);
    refused(checkResource(SSE, sse("aes256")), "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "enum", /AES256, aws:kms/);
  });
});

describe("provider rules: SNS, dashboard, scaling target (provider-rules-3)", () => {
  it("enum from the provider's own values (sns/topic_subscription.go protocol StringInSlice(subscriptionProtocol_Values()), consts.go); JSON (cloudwatch/dashboard.go dashboard_body StringIsJSON); Required (appautoscaling/target.go)", () => {
    const SUB = "aws:sns/topicSubscription:TopicSubscription";
    const sub = { topic: "arn:aws:sns:us-east-1:123456789012:alarms", protocol: "email", endpoint: "oncall@acme-api.dev" };
    assert.deepStrictEqual(checkResource(SUB, sub), []);
    refused(checkResource(SUB, { ...sub, protocol: "Email" }), "protocol", "enum", /email-json/);
    refused(checkResource(SUB, { ...sub, filterPolicy: "{" }), "filterPolicy", "json");
    refused(checkResource("aws:cloudwatch/dashboard:Dashboard", { dashboardName: "orders", dashboardBody: "{widgets: []}" }), "dashboardBody", "json");
    refused(checkResource("aws:appautoscaling/target:Target", { minCapacity: 1, resourceId: "service/c/s", scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs" }), "maxCapacity", "required");
  });
});

describe("provider rules: read anew from the bridged provider's files (schema copies of 2026 and v6.x; see the manifest in rules.generated.json)", () => {
  const TD = "aws:ecs/taskDefinition:TaskDefinition";
  const td = { family: "orders-web", containerDefinitions: "[]", networkMode: "awsvpc" };
  it("task definition requires_compatibilities accepts MANAGED_INSTANCES (ecs/task_definition.go, 2026 copy: StringInSlice EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES)", () => {
    assert.deepStrictEqual(checkResource(TD, { ...td, requiresCompatibilities: ["MANAGED_INSTANCES", "EC2"] }), []);
    refused(checkResource(TD, { ...td, requiresCompatibilities: ["LAMBDA"] }), "requiresCompatibilities[0]", "enum", /MANAGED_INSTANCES/);
  });
  it("task definition EFS transit_encryption_port takes 0 (ecs/task_definition.go resourceTaskDefinitionVolumeSchema: validation.IsPortNumberOrZero)", () => {
    const efs = (port: number) => ({ ...td, volumes: [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryptionPort: port } }] });
    assert.deepStrictEqual(checkResource(TD, efs(0)), []);
    refused(checkResource(TD, efs(65536)), "volumes[0].efsVolumeConfiguration.transitEncryptionPort", "intRange", /between 0 and 65535/);
  });
  it("service connect (ecs/service.go resourceService service_connect_configuration): client_alias.port IntBetween(0, 65535), port_name Required, log_driver enum.Validate[LogDriver], timeouts IntBetween(0, MaxInt32)", () => {
    const sc = (service: Record<string, unknown>, logDriver = "awslogs") => ({
      ...goodService(),
      serviceConnectConfiguration: { enabled: true, namespace: "ns", logConfiguration: { logDriver }, services: [{ portName: "http", clientAlias: [{ port: 8080 }], ...service }] },
    });
    assert.deepStrictEqual(checkResource(SERVICE, sc({ timeout: { idleTimeoutSeconds: 0, perRequestTimeoutSeconds: 30 } })), []);
    refused(checkResource(SERVICE, sc({ clientAlias: [{ port: 65536 }] })), "serviceConnectConfiguration.services[0].clientAlias[0].port", "intRange", /between 0 and 65535/);
    refused(checkResource(SERVICE, sc({ portName: undefined })), "serviceConnectConfiguration.services[0].portName", "required");
    refused(checkResource(SERVICE, sc({}, "cloudwatch")), "serviceConnectConfiguration.logConfiguration.logDriver", "enum", /awslogs/);
    refused(checkResource(SERVICE, sc({ timeout: { idleTimeoutSeconds: -1 } })), "serviceConnectConfiguration.services[0].timeout.idleTimeoutSeconds", "intRange");
    refused(checkResource(SERVICE, sc({ clientAlias: [{ port: 80 }, { port: 81 }] })), "serviceConnectConfiguration.services[0].clientAlias", "maxItems", /at most 1/);
  });
  it("Auto Scaling group warm pool (autoscaling/group.go warm_pool: min_size IntAtLeast(0), max_group_prepared_capacity IntAtLeast(-1), pool_state enum.Validate[WarmPoolState])", () => {
    const ASG = "aws:autoscaling/group:Group", asg = { maxSize: 2, minSize: 0, launchTemplate: { id: "lt-1" } };
    assert.deepStrictEqual(checkResource(ASG, { ...asg, warmPool: { minSize: 1, maxGroupPreparedCapacity: -1, poolState: "Hibernated" } }), []);
    refused(checkResource(ASG, { ...asg, warmPool: { minSize: -1 } }), "warmPool.minSize", "intRange");
    refused(checkResource(ASG, { ...asg, warmPool: { maxGroupPreparedCapacity: -2 } }), "warmPool.maxGroupPreparedCapacity", "intRange");
    refused(checkResource(ASG, { ...asg, warmPool: { poolState: "Warm" } }), "warmPool.poolState", "enum", /Stopped, Running, Hibernated/);
  });
});

describe("provider rules: the types the program and the bootstrap register (each file's function named in the test)", () => {
  it("Route 53 record (route53/record.go resourceRecord): alias ExactlyOneOf records, ttl ConflictsWith alias, type enum.Validate[RRType]", () => {
    const R = "aws:route53/record:Record", base = { zoneId: "Z1", name: "api.example.com", type: "A" };
    const alias = { name: "lb.example.com", zoneId: "Z2", evaluateTargetHealth: true };
    assert.deepStrictEqual(checkResource(R, { ...base, aliases: [alias] }), []);
    assert.deepStrictEqual(checkResource(R, { ...base, type: "CNAME", records: ["x.example.com"], ttl: 60 }), []);
    refused(checkResource(R, { ...base, aliases: [alias], records: ["1.2.3.4"] }), "aliases", "exactlyOneOf");
    refused(checkResource(R, { ...base, aliases: [alias], ttl: 60 }), "ttl", "conflictsWith");
    refused(checkResource(R, { ...base, type: "ALIAS", records: ["x"] }), "type", "enum");
  });
  it("WAF web ACL (wafv2/web_acl.go resourceWebACL, visibilityConfigSchema): scope enum, metric name 1..128 of [0-9A-Za-z_-]", () => {
    const W = "aws:wafv2/webAcl:WebAcl", vis = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const acl = { scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig: vis("api-waf") };
    assert.deepStrictEqual(checkResource(W, acl), []);
    refused(checkResource(W, { ...acl, scope: "GLOBAL" }), "scope", "enum");
    refused(checkResource(W, { ...acl, visibilityConfig: vis("api waf") }), "visibilityConfig.metricName", "pattern");
    refused(checkResource(W, { ...acl, rules: [{ name: "r", priority: 0, visibilityConfig: vis("x".repeat(129)) }] }), "rules[0].visibilityConfig.metricName", "stringLength");
  });
  it("SQS queue (sqs/queue.go queueSchema: delay_seconds IntBetween(0, 900); resourceQueueCustomizeDiff: FIFO name and content-based deduplication)", () => {
    const Q = "aws:sqs/queue:Queue";
    assert.deepStrictEqual(checkResource(Q, { name: "jobs.fifo", fifoQueue: true, contentBasedDeduplication: true, delaySeconds: 900 }), []);
    refused(checkResource(Q, { delaySeconds: 901 }), "delaySeconds", "intRange");
    refused(checkResource(Q, { name: "jobs", fifoQueue: true }), "name", "CustomizeDiff", /queue name/);
    refused(checkResource(Q, { name: "jobs", contentBasedDeduplication: true }), "contentBasedDeduplication", "CustomizeDiff");
    refused(checkResource("aws:sqs/redrivePolicy:RedrivePolicy", { queueUrl: "https://sqs", redrivePolicy: "{" }), "redrivePolicy", "json");
    refused(checkResource("aws:sqs/queuePolicy:QueuePolicy", { queueUrl: "https://sqs" }), "policy", "required");
  });
  it("SNS topic (sns/topic.go topicSchema: signature_version IntBetween(1, 2); resourceTopicCustomizeDiff: archive policy only on FIFO topics)", () => {
    const T = "aws:sns/topic:Topic";
    assert.deepStrictEqual(checkResource(T, { name: "alarms", signatureVersion: 2 }), []);
    refused(checkResource(T, { signatureVersion: 3 }), "signatureVersion", "intRange");
    refused(checkResource(T, { name: "alarms", archivePolicy: "{}" }), "archivePolicy", "CustomizeDiff");
  });
  it("KMS key and alias (kms/key.go resourceKey: deletion_window_in_days IntBetween(7, 30), rotation_period_in_days RequiredWith enable_key_rotation; kms/alias.go target_key_id Required)", () => {
    const K = "aws:kms/key:Key";
    assert.deepStrictEqual(checkResource(K, { deletionWindowInDays: 7, enableKeyRotation: true, rotationPeriodInDays: 365 }), []);
    refused(checkResource(K, { deletionWindowInDays: 6 }), "deletionWindowInDays", "intRange");
    refused(checkResource(K, { rotationPeriodInDays: 365 }), "rotationPeriodInDays", "requiredWith", /enableKeyRotation/);
    refused(checkResource("aws:kms/alias:Alias", { name: "alias/jobs" }), "targetKeyId", "required");
  });
  it("IAM policy and OIDC provider (iam/policy.go policy verify.ValidIAMPolicyJSON read as JSON; iam/openid_connect_provider.go thumbprint_list StringLenBetween(40, 40))", () => {
    refused(checkResource("aws:iam/policy:Policy", { policy: "{Version: 1}" }), "policy", "json");
    const O = "aws:iam/openIdConnectProvider:OpenIdConnectProvider", oidc = { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] };
    assert.deepStrictEqual(checkResource(O, { ...oidc, thumbprintLists: ["a".repeat(40)] }), []);
    refused(checkResource(O, { ...oidc, thumbprintLists: ["abc"] }), "thumbprintLists[0]", "stringLength");
  });
  it("S3 versioning (s3/bucket_versioning.go: status StringInSlice(bucketVersioningStatus_Values()); inline CustomizeDiff: no way back to Disabled) and lifecycle configuration (bucket_lifecycle_configuration.go, plugin framework)", () => {
    const V = "aws:s3/bucketVersioning:BucketVersioning", v = (status: string) => ({ bucket: "logs", versioningConfiguration: { status } });
    assert.deepStrictEqual(checkResource(V, v("Enabled")), []);
    refused(checkResource(V, v("On")), "versioningConfiguration.status", "enum");
    refused(checkUpdate(V, v("Enabled"), v("Disabled")), "versioningConfiguration.status", "CustomizeDiff (update)");
    assert.deepStrictEqual(checkUpdate(V, v("Enabled"), v("Suspended")), []);
    const L = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
    const rule = { id: "expire", status: "Enabled", filter: {}, expiration: { days: 30 } };
    assert.deepStrictEqual(checkResource(L, { bucket: "logs", rules: [rule] }), []);
    refused(checkResource(L, { bucket: "logs", rules: [] }), "rules", "required");
    refused(checkResource(L, { bucket: "logs", rules: [{ ...rule, status: "enabled" }] }), "rules[0].status", "enum");
    refused(checkResource(L, { bucket: "logs", rules: [{ ...rule, transitions: [{ days: 30, storageClass: "COLD" }] }] }), "rules[0].transitions[0].storageClass", "enum");
  });
  it("ECR repository (ecr/repository.go: image_tag_mutability enum.Validate[ImageTagMutability]; validateImageTagMutabilityExclusionFilterUsage)", () => {
    const E = "aws:ecr/repository:Repository", filters = [{ filter: "latest*", filterType: "WILDCARD" }];
    assert.deepStrictEqual(checkResource(E, { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters }), []);
    refused(checkResource(E, { imageTagMutability: "immutable" }), "imageTagMutability", "enum");
    refused(checkResource(E, { imageTagMutability: "IMMUTABLE", imageTagMutabilityExclusionFilters: filters }), "imageTagMutabilityExclusionFilters", "CustomizeDiff");
  });
  it("S3 bucket (s3/bucket.go resourceBucket: bucket StringLenBetween(0, 63) ConflictsWith bucket_prefix; bucket_prefix at most 63 less the 26-character unique suffix)", () => {
    const B = "aws:s3/bucket:Bucket";
    assert.deepStrictEqual(checkResource(B, { bucketPrefix: "api-alb-logs-" }), []);
    refused(checkResource(B, { bucket: "b".repeat(64) }), "bucket", "stringLength");
    refused(checkResource(B, { bucketPrefix: "p".repeat(38) }), "bucketPrefix", "stringLength", /0 and 37/);
    refused(checkResource(B, { bucket: "logs", bucketPrefix: "logs-" }), "bucket", "conflictsWith");
  });
  it("S3 object (s3/object.go resourceObject: bucket Required; content ConflictsWith source and content_base64, etag ConflictsWith kms_key_id; acl enum.Validate[ObjectCannedACL], storage_class enum.Validate[ObjectStorageClass])", () => {
    const O = "aws:s3/bucketObjectv2:BucketObjectv2", layout = { bucket: "state", key: ".pulumi/meta.yaml", content: "version: 1\n", contentType: "text/yaml" };
    assert.deepStrictEqual(checkResource(O, layout), []);
    refused(checkResource(O, { key: "k", content: "x" }), "bucket", "required");
    refused(checkResource(O, { ...layout, contentBase64: "eA==" }), "content", "conflictsWith", /contentBase64/);
    refused(checkResource(O, { ...layout, etag: "abc", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1" }), "etag", "conflictsWith");
    refused(checkResource(O, { ...layout, acl: "bucket-owner" }), "acl", "enum");
    refused(checkResource(O, { ...layout, storageClass: "COLD" }), "storageClass", "enum");
  });
});
