// Issue "Many services, one cluster, one load balancer": a `services` map beside the flat keys (the default
// service), path- and host-routed APIs and workers on the same cluster and ALB, validated together.
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../config";
import { Graph } from "../../plan/mock-engine";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { ROOT } from "../../config/stack-files";
import { assertDependsOn, assertFedBy, fixturePack, json, planFixture, recordFixture, recordSeed } from "../helpers";

const T = {
  alb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  tg: "aws:lb/targetGroup:TargetGroup",
  service: "aws:ecs/service:Service",
  cluster: "aws:ecs/cluster:Cluster",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  td: "aws:ecs/taskDefinition:TaskDefinition",
  policy: "aws:appautoscaling/policy:Policy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

/** A second API on /v2/* and a queue worker, beside the default service. */
const SERVICES = {
  v2: { imageUrl: "public.ecr.aws/docker/library/nginx:1.27", containerPort: 8080, pathPatterns: ["/v2/*"], priority: 100, desiredCount: 2, healthCheckPath: "/v2/health" },
  worker: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", command: ["sh", "-c", "while true; do sleep 60; done"], desiredCount: 1, autoscaling: { minCount: 1, maxCount: 2, cpuTarget: 70 } },
};

const serviceNamed = (g: Graph, name: string) => g.ofType(T.service).find((s) => s.inputs.name === name)!;
const sgOf = (g: Graph, name: string) => g.one(T.sg, `${name}-service-sg`);

describe("a small stack with a path-routed second API and a worker", () => {
  const OVERRIDES = { services: JSON.stringify(SERVICES) };
  let g: Graph;
  before(async () => { g = await recordFixture("small", OVERRIDES); });

  it("plans one ALB, three ECS services on one cluster, two target groups, one listener rule, three service groups", () => {
    assert.equal(g.ofType(T.alb).length, 1);
    assert.equal(g.ofType(T.cluster).length, 1);
    assert.deepEqual(g.ofType(T.service).map((s) => s.inputs.name).sort(), ["v2", "web", "worker"]);
    for (const s of g.ofType(T.service)) assertFedBy(s, "cluster", g.one(T.cluster));
    assert.equal(g.ofType(T.tg).length, 2);
    assert.equal(g.ofType(T.rule).length, 1);
    assert.deepEqual(g.ofType(T.sg).filter((s) => s.name.endsWith("-service-sg")).map((s) => s.name).sort(), ["v2-service-sg", "web-service-sg", "worker-service-sg"]);
  });

  it("passes every mandatory policy of the pack, for every service (in preview and at up)", async () => {
    for (const preview of [true, false]) {
      const recording = (await recordFixture("small", OVERRIDES, preview)).recording;
      const verdicts = await evaluatePolicies(recording, fixturePack("small"));
      assert.deepEqual(mandatoryFailures(verdicts).map((v) => v.policy), [], `preview ${preview}`);
    }
  });

  it("routes /v2/* to the second API's target group by a rule of the serving listener, at its priority", () => {
    const rule = g.one(T.rule);
    assert.equal(rule.inputs.priority, 100);
    assert.deepEqual(rule.inputs.conditions, [{ pathPattern: { values: ["/v2/*"] } }]);
    assertFedBy(rule, "listenerArn", g.one(T.listener));
    const v2Tg = g.one(T.tg, "v2-tg");
    assert.equal(rule.inputs.actions[0].targetGroupArn, v2Tg.outputs.arn);
    assert.deepEqual([v2Tg.inputs.port, v2Tg.inputs.healthCheck.path], [8080, "/v2/health"]);
    assertDependsOn(serviceNamed(g, "v2"), rule);
  });

  it("keeps the default service on the listener's default action", () => {
    assert.equal(g.one(T.listener).inputs.defaultActions[0].targetGroupArn, g.one(T.tg, "web-tg").outputs.arn);
  });

  it("admits each routed service's port from the ALB only, and lets the ALB reach exactly those ports", () => {
    const alb = g.one(T.sg, "web-alb-sg");
    for (const [name, port] of [["web", 80], ["v2", 8080]] as const) {
      const ingress = g.ofType(T.ingress).filter((r) => r.parent === sgOf(g, name).urn);
      assert.deepEqual(ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort]), [[port, port]], name);
      assertFedBy(ingress[0], "referencedSecurityGroupId", alb);
      const out = g.ofType(T.egress).filter((r) => r.parent === alb.urn && (r.propertyDependencies.referencedSecurityGroupId ?? []).includes(sgOf(g, name).urn));
      assert.deepEqual(out.map((r) => r.inputs.fromPort), [port], `ALB -> ${name}`);
    }
  });

  it("runs the worker with no load balancer: no target group, no rule, a group that admits nothing", () => {
    const worker = serviceNamed(g, "worker");
    assert.deepEqual(worker.inputs.loadBalancers ?? [], []);
    assert.equal(worker.inputs.healthCheckGracePeriodSeconds, undefined, "ECS refuses a grace period without a load balancer");
    assert.equal(g.ofType(T.ingress).filter((r) => r.parent === sgOf(g, "worker").urn).length, 0);
    assert.equal(g.ofType(T.tg).filter((t) => t.name.startsWith("worker")).length, 0);
    assert.deepEqual(json(g.ofType(T.td).find((t) => t.inputs.family === "worker")!.inputs.containerDefinitions)[0].command, SERVICES.worker.command);
  });

  it("a worker's container maps no port and is not told PORT (nothing reaches it)", () => {
    const [worker] = json(g.ofType(T.td).find((t) => t.inputs.family === "worker")!.inputs.containerDefinitions);
    assert.equal(worker.portMappings, undefined, JSON.stringify(worker.portMappings));
    assert.deepEqual(worker.environment.map((e: { name: string }) => e.name), ["SERVICE_NAME", "SHUTDOWN_TIMEOUT_MS"]);
    const [v2] = json(g.ofType(T.td).find((t) => t.inputs.family === "v2")!.inputs.containerDefinitions);
    assert.deepEqual(v2.portMappings.map((p: { containerPort: number }) => p.containerPort), [8080]);
    assert.equal(v2.environment.find((e: { name: string }) => e.name === "PORT").value, "8080");
  });

  it("scales the worker on CPU only (there are no requests per target to track)", () => {
    const policies = g.ofType(T.policy).filter((p) => p.name.startsWith("worker-"));
    assert.deepEqual(policies.map((p) => p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType), ["ECSServiceAverageCPUUtilization"]);
  });

  it("gives every service its own task role, log group and (when routed) alarms", () => {
    for (const name of ["web", "v2", "worker"]) {
      assert.equal(g.ofType(T.role).filter((r) => r.name === `${name}-task-role`).length, 1, name);
      assert.equal(g.ofType(T.logGroup).filter((l) => l.inputs.name.endsWith(`/${name}`)).length, 1, name);
    }
    const serviceAlarms = g.ofType(T.alarm).filter((a) => /^(web|v2|worker)-/.test(a.name) && !a.name.includes("alb-5xx")).map((a) => a.name).sort();
    assert.deepEqual(serviceAlarms, ["v2-p99-latency", "v2-target-5xx", "v2-unhealthy-targets", "web-p99-latency", "web-target-5xx", "web-unhealthy-targets"]);
  });

  it("exports every service by name", () => {
    assert.deepEqual(Object.keys(g.recording.outputs.services).sort(), ["v2", "web", "worker"]);
    assert.equal(g.recording.outputs.services.worker.targetGroupArn, undefined);
  });

  it("the plan shows each service's route, port and tasks, and the cluster's room", async () => {
    // The small fixture: t3.medium hosts (2 task interfaces each), at most 4, the default service's 2 tasks.
    const { code, out } = await planFixture("small", "--config", `services=${JSON.stringify(SERVICES)}`);
    assert.equal(code, 0, out);
    assert.match(out, /service v2\n {4}route +rule priority 100: path \/v2\/\*\n/);
    assert.match(out, /service worker\n {4}route +none \(a worker: no load balancer, nothing in\)\n/);
    assert.match(out, /task +256 CPU \/ 512 MiB, port 8080; /);
    assert.match(out, /\n {4}tasks +5 desired, 6 at most, of 8 that 4 hosts hold\n/);
    assert.match(out, /\n {4}room at most +\d+ CPU, \d+ MiB, 2 task interfaces left on 4 hosts\n/);
  });
});

describe("a worker with a containerPort", () => {
  it("is refused: nothing would reach the port, and routing it takes pathPatterns or hostHeaders", () => {
    const worker = { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", containerPort: 9000 };
    assert.throws(() => parseConfig({ services: JSON.stringify({ worker }) }, "us-east-1", { rootDir: ROOT }),
      (e) => e instanceof ConfigError && /^ecs-ec2-api:services\.worker\.containerPort = "9000" is not allowed: unset for a worker: nothing reaches it/.test(e.problems[0]));
  });
});

describe("the plan shows a worker as a worker", () => {
  it("no port, no load balancer alarms: its task, deployment and stopping say so", async () => {
    const { code, out } = await planFixture("small", "--config", `services=${JSON.stringify({ worker: SERVICES.worker })}`);
    assert.equal(code, 0, out);
    const section = /\n {2}service worker\n((?: {4}.*\n)+)/.exec(out)?.[1] ?? "";
    assert.match(section, /\n {4}task +\d+ CPU \/ \d+ MiB, no port; /, section);
    assert.match(section, /\n {4}deployment +rolling, \d+\.\.\d+ %; circuit breaker rollback \(a worker has no load balancer alarms\)\n/, section);
    assert.doesNotMatch(section, /port \d|alarm rollback|p99|health check|drain/, section);
    const web = /\n {2}service web\n((?: {4}.*\n)+)/.exec(out)?.[1] ?? "";
    assert.match(web, /port \d+; .*\n(?:.*\n)*? {4}deployment +.*alarm rollback; p99 alarm at \d+ ms/, web);
  });
});

describe("adding services to a stack", () => {
  it("leaves every resource the stack had as it was (the dashboard aside, which shows them all)", async () => {
    const without = await recordFixture("small", { services: "{}" }, true);
    const withThem = await recordFixture("small", { services: JSON.stringify(SERVICES) }, true);
    const byUrn = new Map(withThem.resources.map((r) => [r.urn, r]));
    for (const r of without.cloudResources) {
      const after = byUrn.get(r.urn);
      assert.ok(after, `${r.name} is still planned`);
      if (r.type === "aws:cloudwatch/dashboard:Dashboard") continue;
      assert.deepEqual(after.inputs, r.inputs, `${r.name} keeps its inputs`);
    }
  });
});

describe("services: validated before any resource, errors naming the service and the key", () => {
  const problems = (services: unknown, raw: Record<string, string> = {}) => {
    try {
      parseConfig({ ...raw, services: JSON.stringify(services) }, "us-east-1", { rootDir: ROOT });
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.problems;
    }
    return [];
  };

  it("accepts a routed API by host header, and a worker", () => {
    assert.deepEqual(problems({ admin: { imageUrl: "nginx", hostHeaders: ["admin.acme.dev"], priority: 10 }, jobs: { imageUrl: "nginx" } }), []);
  });

  it("names the service and the key in each problem, with the near miss of a misspelt key", () => {
    const [message] = problems({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 5, containerPrt: 8080 } });
    assert.match(message, /^ecs-ec2-api:services\.v2\.containerPrt is not a known key \(did you mean containerPort\?\)/);
    assert.match(problems({ v2: { imageUrl: "nginx", containerCpu: 64 } })[0], /^ecs-ec2-api:services\.v2\.containerCpu = "64" is not allowed: an integer >= 128/);
  });

  it("needs an image, and refuses flat-only keys", () => {
    assert.match(problems({ v2: { pathPatterns: ["/v2/*"], priority: 5 } })[0], /services\.v2\.imageUrl = "" is not allowed: a container image reference \(or set appPath/);
    assert.match(problems({ v2: { imageUrl: "nginx", autoscalingMaxCount: 4 } })[0], /services\.v2\.autoscalingMaxCount is not a key here: in a services entry autoscaling is one map: autoscaling: \{minCount, maxCount/);
    assert.match(problems({ v2: { imageUrl: "nginx", maxSize: 4 } })[0], /services\.v2\.maxSize is not a key here: maxSize is the stack's, shared by every service/);
  });

  it("refuses a priority used twice, a routed service without one, and one on a worker", () => {
    const dup = problems({ a: { imageUrl: "nginx", pathPatterns: ["/a/*"], priority: 7 }, b: { imageUrl: "nginx", pathPatterns: ["/b/*"], priority: 7 } });
    assert.match(dup.join("\n"), /services\.b\.priority = 7 is not allowed: a has it/);
    assert.match(problems({ a: { imageUrl: "nginx", hostHeaders: ["a.acme.dev"] } })[0], /services\.a\.priority is not set/);
    assert.match(problems({ a: { imageUrl: "nginx", priority: 3 } })[0], /services\.a\.priority = "3" is not allowed: only with pathPatterns or hostHeaders/);
  });

  it("refuses names that clash with the default service, with another's first 20 characters, or with AWS's reserved prefixes", () => {
    assert.match(problems({ web: { imageUrl: "nginx" } })[0], /services\.web is not allowed: the default service \(serviceName\) already has this name/);
    const long = problems({ "orders-api-version-two": { imageUrl: "nginx" }, "orders-api-version-three": { imageUrl: "nginx" } });
    assert.match(long.join("\n"), /first 20 characters are those of orders-api-version-t/);
    assert.match(problems({ "sg-worker": { imageUrl: "nginx" } })[0], /services\.sg-worker is not allowed: service names are .* must not begin with internal-, sg-/);
  });

  it("refuses a set of services that fit one by one but not together, naming each service's figure", () => {
    // t3.medium hosts hold 2 task interfaces each; 4 hosts hold 8 tasks.
    const raw = { instanceType: "t3.medium", maxSize: "4", desiredCount: "4" };
    assert.deepEqual(problems({ a: { imageUrl: "nginx", desiredCount: 4 } }, raw), [], "8 tasks fit on 4 hosts");
    const [message] = problems({ a: { imageUrl: "nginx", desiredCount: 4 }, b: { imageUrl: "nginx", desiredCount: 1 } }, raw);
    assert.match(message, /^ecs-ec2-api:maxSize = "4" is not allowed: .*desired, the services need web 4 \+ a 4 \+ b 1 = 9 task network interfaces, and 4 t3\.medium hosts hold 8 \(2 each\)/);
  });

  it("counts each service's autoscaling maximum against the hosts, alone and together", () => {
    const raw = { instanceType: "t3.medium", maxSize: "4" };
    const scaling = (maxCount: number) => ({ a: { imageUrl: "nginx", desiredCount: 2, autoscaling: { minCount: 2, maxCount } } });
    assert.deepEqual(problems(scaling(6), raw), [], "web 2 + a 6 = 8 fit");
    assert.match(problems(scaling(8), raw)[0], /^ecs-ec2-api:maxSize = "4" is not allowed: .*at their most, the services need web 2 \+ a 8 = 10 task network interfaces/);
    assert.match(problems(scaling(9), raw)[0], /^ecs-ec2-api:services\.a\.autoscaling\.maxCount is not allowed: at most 8: one t3\.medium holds 2 task\(s\)/);
  });
});

describe("services: each one's resources, seen alone", () => {
  it("gives a host-routed service a rule with the host header condition", async () => {
    const g = await recordSeed({ services: JSON.stringify({ admin: { imageUrl: "nginx", hostHeaders: ["admin.acme-api.dev"], priority: 10 } }) });
    assert.deepEqual(g.one(T.rule).inputs.conditions, [{ hostHeader: { values: ["admin.acme-api.dev"] } }]);
  });

  it("builds an image per service with appPath", async () => {
    const g = await recordSeed({ services: JSON.stringify({ api2: { appPath: "app", pathPatterns: ["/api2/*"], priority: 20 } }) });
    assert.equal(g.ofType("awsx:ecr:Image").length, 1);
    assert.equal(g.one(T.tg, "api2-tg").inputs.port, 8080, "its Dockerfile's port");
  });
});
