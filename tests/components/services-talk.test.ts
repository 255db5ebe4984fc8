// Issue #22: services that talk to each other, sidecars and scheduled jobs, from stack config.
import assert from "node:assert/strict";
import { parseConfig } from "../../config";
import { Graph, ProgramError } from "../../plan/mock-engine";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { ROOT } from "../../config/stack-files";
import { assertFedBy, configProblems, fixturePack, json, planFixture, recordSeed } from "../helpers";

const T = {
  td: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  role: "aws:iam/role:Role",
};

const problemsOf = configProblems;

const OTEL_SECRET = "arn:aws:ssm:us-east-1:210987654321:parameter/otel/api-key";
/** An OpenTelemetry collector beside the default service. */
const OTEL = { otel: { imageUrl: "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", containerCpu: 128, containerMemory: 256, containerPort: 4317, secrets: { OTEL_API_KEY: OTEL_SECRET } } };

const taskOf = (g: Graph, family: string) => g.ofType(T.td).find((t) => t.inputs.family === family)!;

describe("sidecars: more containers in a service's task", () => {
  let g: Graph;
  before(async () => { g = await recordSeed({ sidecars: JSON.stringify(OTEL) }); });

  it("puts the sidecar in the default service's task beside its container; the service's stays the essential one, the sidecar is not unless asked", () => {
    const containers = json(taskOf(g, "web").inputs.containerDefinitions);
    assert.deepEqual(containers.map((c: any) => [c.name, c.essential]), [["web", true], ["otel", false]]);
    assert.equal(containers[1].image, OTEL.otel.imageUrl);
    assert.deepEqual(containers[1].portMappings, [{ containerPort: 4317, hostPort: 4317, protocol: "tcp" }]);
  });

  it("sizes the task at least the containers' sum (ECS: task-level cpu and memory must cover every container's)", () => {
    const td = taskOf(g, "web");
    const containers = json(td.inputs.containerDefinitions);
    const sum = (k: string) => containers.reduce((n: number, c: any) => n + c[k], 0);
    assert.ok(Number(td.inputs.cpu) >= sum("cpu") && Number(td.inputs.memory) >= sum("memory"), `${td.inputs.cpu}/${td.inputs.memory} vs ${sum("cpu")}/${sum("memory")}`);
    assert.deepEqual([containers[0].cpu, containers[0].memory], [256, 512], "the service's own container keeps containerCpu/containerMemory");
  });

  it("logs the sidecar to the service's log group under its own stream prefix (the pack's container-logging-configured)", () => {
    const [web, otel] = json(taskOf(g, "web").inputs.containerDefinitions);
    assert.equal(otel.logConfiguration.options["awslogs-group"], web.logConfiguration.options["awslogs-group"]);
    assert.notEqual(otel.logConfiguration.options["awslogs-stream-prefix"], web.logConfiguration.options["awslogs-stream-prefix"]);
  });

  it("grants the sidecar's secrets to the service's own execution role, and only those", () => {
    const [, otel] = json(taskOf(g, "web").inputs.containerDefinitions);
    assert.deepEqual(otel.secrets, [{ name: "OTEL_API_KEY", valueFrom: OTEL_SECRET }]);
    const policy = json(g.one(T.rolePolicy, "web-secrets").inputs.policy);
    assert.deepEqual(policy.Statement.map((s: any) => [s.Action, s.Resource]), [["ssm:GetParameters", [OTEL_SECRET]]]);
    assert.equal(taskOf(g, "web").inputs.executionRoleArn, g.one(T.role, "web-execution-role").outputs.arn);
  });

  it("passes every mandatory policy of the pack", async () => {
    const verdicts = await evaluatePolicies(g.recording, fixturePack("small"));
    assert.deepEqual(mandatoryFailures(verdicts).map((v) => v.policy), []);
  });

  it("the plan shows the sidecar and the task's size", async () => {
    // The small fixture's service keeps the defaults (256 CPU, 512 MiB, port 80): the task is those plus the sidecar.
    const { code, out } = await planFixture("small", "--config", `sidecars=${JSON.stringify(OTEL)}`);
    assert.equal(code, 0, out);
    assert.match(out, /\n {4}sidecars +otel: public\.ecr\.aws\/aws-observability\/aws-otel-collector:v0\.40\.0, 128 CPU \/ 256 MiB, port 4317, not essential, secrets OTEL_API_KEY\n/);
    assert.match(out, /\n {4}task +384 CPU \/ 768 MiB, port 80; /);
  });

  it("works on a services entry too", async () => {
    const services = { api: { imageUrl: "nginx", pathPatterns: ["/api/*"], priority: 10, desiredCount: 1, sidecars: { envoy: { imageUrl: "envoyproxy/envoy:v1.31.0", essential: true } } } };
    const g2 = await recordSeed({ services: JSON.stringify(services) });
    assert.deepEqual(json(taskOf(g2, "api").inputs.containerDefinitions).map((c: any) => [c.name, c.essential]), [["api", true], ["envoy", true]]);
  });
});

describe("sidecars: validated before any resource, naming the service and the sidecar", () => {
  it("refuses a sidecar without an image, with an unknown key, or on the service's port", () => {
    assert.match(problemsOf({ sidecars: JSON.stringify({ otel: { containerCpu: 64 } }) }).join("\n"), /^ecs-ec2-api:sidecars\.otel\.imageUrl is not set: .* \(sidecar otel of service web\)$/m);
    assert.match(problemsOf({ sidecars: JSON.stringify({ otel: { imageUrl: "nginx", containerCpus: 64 } }) }).join("\n"), /sidecars\.otel\.containerCpus is not a known key \(did you mean containerCpu\?\).*\(sidecar otel of service web\)/);
    const entry = { v2: { imageUrl: "nginx", containerPort: 8080, sidecars: { proxy: { imageUrl: "nginx", containerPort: 8080 } } } };
    assert.match(problemsOf({ services: JSON.stringify(entry) }).join("\n"), /^ecs-ec2-api:services\.v2\.sidecars\.proxy\.containerPort = "8080" is not allowed: a port no other container of the task listens on .*\(sidecar proxy of service v2\)$/m);
  });

  it("refuses a sidecar named like its service, and one whose task no longer fits a host", () => {
    assert.match(problemsOf({ sidecars: JSON.stringify({ web: { imageUrl: "nginx" } }) })[0], /sidecars\.web is not allowed: .*other than the service's own name/);
    // t3.medium: 2 vCPU, 2048 CPU units; the service's 1024 and a 1536-unit sidecar need 2560.
    const found = problemsOf({ instanceType: "t3.medium", containerCpu: "1024", sidecars: JSON.stringify({ big: { imageUrl: "nginx", containerCpu: 1536 } }) });
    assert.match(found.join("\n"), /^ecs-ec2-api:sidecars = .* is not allowed: containers that fit one t3\.medium together .*needs 2560 CPU/m);
  });

  it("counts the sidecars in the placement check: tasks that fit alone do not with them", () => {
    // t3.medium: 2048 CPU units per host, 4 hosts; 8 tasks of 1024 need 8192: they fit, and 8 of 1024 + 128 do not.
    const raw = { instanceType: "t3.medium", maxSize: "4", containerCpu: "1024", desiredCount: "8" };
    assert.deepEqual(problemsOf(raw), []);
    assert.match(problemsOf({ ...raw, sidecars: JSON.stringify({ otel: { imageUrl: "nginx", containerCpu: 128 } }) })[0], /^ecs-ec2-api:desiredCount = "8" is not allowed: at most 4: one t3\.medium holds 1 task\(s\) of 1152 CPU/);
  });
});

/** The stack: a routed api-v2, a worker that calls it, an OpenTelemetry collector beside the default service. */
const TALK = {
  "api-v2": { imageUrl: "public.ecr.aws/docker/library/nginx:1.27", containerPort: 8080, pathPatterns: ["/v2/*"], priority: 100, desiredCount: 1 },
  worker: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", command: ["sh", "-c", "sleep 3600"], desiredCount: 1, talksTo: ["api-v2"] },
};
const T2 = {
  namespace: "aws:servicediscovery/httpNamespace:HttpNamespace",
  cluster: "aws:ecs/cluster:Cluster",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

describe("Service Connect: services that talk to each other (talksTo)", () => {
  let g: Graph;
  before(async () => { g = await recordSeed({ services: JSON.stringify(TALK), sidecars: JSON.stringify(OTEL) }); });
  const svc = (name: string) => g.ofType(T.service).find((s) => s.inputs.name === name)!;

  it("gives the stack one Cloud Map HTTP namespace, and none to a stack where no service talks", async () => {
    assert.equal(g.ofType(T2.namespace).length, 1);
    assert.equal((await recordSeed({ services: JSON.stringify({ "api-v2": TALK["api-v2"] }) })).ofType(T2.namespace).length, 0);
  });

  // The provider never clears a cluster's service_connect_defaults once set: resourceClusterUpdate sends
  // nothing when the block is removed (internal/service/ecs/cluster.go). A default would outlive talksTo.
  it("sets no cluster default: each service names the namespace, so turning talksTo off leaves nothing pointing at it", () => {
    assert.equal(g.one(T2.cluster).inputs.serviceConnectDefaults, undefined);
    const ns = g.one(T2.namespace);
    for (const s of g.ofType(T.service).filter((x) => x.inputs.serviceConnectConfiguration)) assertFedBy(s, "serviceConnectConfiguration", ns);
  });

  it("publishes the called service's container port under its own name (a named port mapping, as Service Connect requires), and makes the caller a client", () => {
    const ns = g.one(T2.namespace).outputs.arn;
    const api = svc("api-v2").inputs.serviceConnectConfiguration;
    assert.equal(api.enabled, true);
    assert.equal(api.namespace, ns);
    assert.deepEqual(api.services.map((s: any) => [s.portName, s.discoveryName, s.clientAlias]), [["api-v2", "api-v2", [{ port: 8080, dnsName: "api-v2" }]]]);
    const mapping = json(taskOf(g, "api-v2").inputs.containerDefinitions)[0].portMappings[0];
    assert.equal(mapping.name, "api-v2", "portName must name a port mapping of the task definition");
    const worker = svc("worker").inputs.serviceConnectConfiguration;
    assert.deepEqual([worker.enabled, worker.namespace, worker.services], [true, ns, undefined]);
    assert.equal(svc("web").inputs.serviceConnectConfiguration, undefined, "a service that neither calls nor is called stays out");
  });

  it("admits exactly the callers' security groups on the called service's port, and lets the caller send there", () => {
    const apiSg = g.one(T2.sg, "api-v2-service-sg");
    const workerSg = g.one(T2.sg, "worker-service-sg");
    const fromWorker = g.ofType(T2.ingress).filter((r) => r.parent === apiSg.urn && (r.propertyDependencies.referencedSecurityGroupId ?? []).includes(workerSg.urn));
    assert.deepEqual(fromWorker.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]), [["tcp", 8080, 8080]]);
    const sources = g.ofType(T2.ingress).filter((r) => r.parent === apiSg.urn).flatMap((r) => r.propertyDependencies.referencedSecurityGroupId ?? []).sort();
    assert.deepEqual(sources, [g.one(T2.sg, "web-alb-sg").urn, workerSg.urn].sort(), "the ALB and the worker, nobody else");
    const out = g.ofType(T2.egress).filter((r) => r.parent === workerSg.urn && (r.propertyDependencies.referencedSecurityGroupId ?? []).includes(apiSg.urn));
    assert.deepEqual(out.map((r) => r.inputs.fromPort), [8080]);
  });

  it("starts the caller after the service it calls (ECS: only tasks started after an endpoint exists can reach it)", () => {
    assert.ok(svc("worker").dependencies.includes(svc("api-v2").urn));
  });

  it("counts the Service Connect proxy's reserve in the task (AWS: at least 256 CPU units and 64 MiB for the agent)", () => {
    for (const name of ["api-v2", "worker"]) {
      const td = taskOf(g, name);
      const containers = json(td.inputs.containerDefinitions);
      assert.ok(Number(td.inputs.cpu) >= containers.reduce((n: number, c: any) => n + c.cpu, 0) + 256, name);
      assert.ok(Number(td.inputs.memory) >= containers.reduce((n: number, c: any) => n + c.memory, 0) + 64, name);
    }
  });

  it("keeps the default service's two containers (its OpenTelemetry sidecar) and passes every mandatory policy", async () => {
    assert.equal(json(taskOf(g, "web").inputs.containerDefinitions).length, 2);
    for (const preview of [true, false]) {
      const rec = (await recordSeed({ services: JSON.stringify(TALK), sidecars: JSON.stringify(OTEL) }, preview)).recording;
      const verdicts = await evaluatePolicies(rec, fixturePack("small"));
      assert.deepEqual(mandatoryFailures(verdicts).map((v) => v.policy), [], `preview ${preview}`);
    }
  });

  it("the plan shows the namespace, who publishes and who calls", async () => {
    const { code, out } = await planFixture("small", "--config", `services=${JSON.stringify(TALK)}`);
    assert.equal(code, 0, out);
    assert.match(out, /\n {4}service connect +Cloud Map HTTP namespace .*http:\/\/api-v2:8080\n/);
    // As the program builds it: the services name the namespace, the cluster has no serviceConnectDefaults.
    assert.match(out, /Cloud Map HTTP namespace \(each service that talks names it; the cluster holds no default\)/);
    assert.match(out, /\n {4}service connect +publishes http:\/\/api-v2:8080 to worker/);
    assert.match(out, /\n {4}service connect +calls http:\/\/api-v2:8080 \(a client\)/);
  });
});

describe("Service Connect: talksTo validated before any resource, naming both services", () => {
  it("refuses a name that is not a service, and a worker as target", () => {
    assert.match(problemsOf({ talksTo: '["api-v3"]' })[0], /^ecs-ec2-api:talksTo = .* is not allowed: api-v3 is not a service of this stack \(its services: web\), so web cannot call it$/);
    const toWorker = { ...TALK, caller: { imageUrl: "nginx", desiredCount: 1, talksTo: ["worker"] } };
    assert.match(problemsOf({ services: JSON.stringify(toWorker) }).join("\n"), /^ecs-ec2-api:services\.caller\.talksTo = .* is not allowed: worker is a worker .*publishes no port for caller to call$/m);
  });

  // ECS Service Connect: only tasks started after an endpoint exists resolve it (Amazon ECS Developer Guide,
  // "Service Connect concepts"): in a cycle one side's tasks start before the other's endpoint.
  it("refuses a cycle of calls, naming its services in order, and creates each service after those it calls", () => {
    const routed = (talksTo: string[], priority: number) => ({ imageUrl: "nginx", pathPatterns: [`/${priority}/*`], priority, talksTo });
    const two = problemsOf({ talksTo: '["billing"]', services: JSON.stringify({ billing: routed(["web"], 10) }) });
    assert.match(two.join("\n"), /ecs-ec2-api:talksTo = .* is not allowed: web -> billing -> web is a cycle of calls; .*through the load balancer/);
    const three = problemsOf({ services: JSON.stringify({ a: routed(["b"], 1), b: routed(["c"], 2), c: routed(["a"], 3) }) });
    assert.match(three.join("\n"), /: a -> b -> c -> a is a cycle of calls;/);
    const chain = parseConfig({ talksTo: '["a"]', services: JSON.stringify({ a: routed(["b"], 1), b: routed([], 2) }) }, "us-east-1", { rootDir: ROOT });
    assert.deepEqual(chain.serviceOrder, ["b", "a", "web"]);
  });

  it("counts the proxy in the placement check: tasks that fit without Service Connect do not with it", () => {
    // t3.medium: 2048 CPU units per host, 4 hosts. web (1024) and a (1024) x 4 fit; with the proxy's 256 on each, not.
    const raw = { instanceType: "t3.medium", maxSize: "4", containerCpu: "1024", desiredCount: "4" };
    const a = { imageUrl: "nginx", containerCpu: 1024, desiredCount: 4, pathPatterns: ["/a/*"], priority: 1 };
    assert.deepEqual(problemsOf({ ...raw, services: JSON.stringify({ a }) }), []);
    assert.match(problemsOf({ ...raw, talksTo: '["a"]', services: JSON.stringify({ a }) }).join("\n"), /^ecs-ec2-api:maxSize = "4" is not allowed: .*the services need web 5120 \+ a 5120 = 10240 CPU units, and 4 t3\.medium hosts hold 8192/m, "4 tasks of 1024 + 256 each");
  });
});

describe("Service Connect: a cycle of calls is refused before any resource, naming the services in call order", () => {
  // ECS resolves a Service Connect endpoint only in tasks started after it exists ("Existing tasks can't
  // resolve and connect to the new endpoint": Amazon ECS Developer Guide, "Amazon ECS Service Connect
  // components", service-connect-concepts-deploy.html): in a cycle one service always starts first.
  const routed = (priority: number, talksTo: string[]) => ({ imageUrl: "nginx", containerPort: 8080, pathPatterns: [`/p${priority}/*`], priority, desiredCount: 1, talksTo });

  it("orders a diamond and a chain, each service after those it calls, and finds the cycle behind a chain", () => {
    const diamond = parseConfig({ talksTo: '["a","b"]', services: JSON.stringify({ a: routed(10, ["c"]), b: routed(20, ["c"]), c: routed(30, []) }) }, "us-east-1", { rootDir: ROOT });
    for (const s of diamond.services) for (const t of s.talksTo) assert.ok(diamond.serviceOrder.indexOf(t) < diamond.serviceOrder.indexOf(s.name), `${t} before ${s.name}`);
    const behind = problemsOf({ talksTo: '["a"]', services: JSON.stringify({ a: routed(10, ["b"]), b: routed(20, ["a"]) }) });
    assert.deepEqual(behind.map((p) => /: (\S+(?: -> \S+)+) is a cycle/.exec(p)?.[1]), ["a -> b -> a"], "web calls into the cycle but is not in it");
  });

  it("refuses two services that call each other, naming the key, its value and the cycle", () => {
    const problems = problemsOf({ talksTo: '["billing"]', services: JSON.stringify({ billing: routed(10, ["web"]) }) });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^ecs-ec2-api:talksTo = "\[\\"billing\\"\]" is not allowed: web -> billing -> web is a cycle of calls; .*through the load balancer/);
  });

  it("refuses a longer cycle among services entries, naming each service once in order", () => {
    const services = { a: routed(10, ["b"]), b: routed(20, ["c"]), c: routed(30, ["a"]) };
    const problems = problemsOf({ services: JSON.stringify(services) });
    assert.deepEqual(problems.map((p) => /: (\S+(?: -> \S+)+) is a cycle/.exec(p)?.[1]), ["a -> b -> c -> a"]);
    assert.match(problems[0], /^ecs-ec2-api:services\.a\.talksTo = /);
  });

  it("the program registers nothing for a stack with a cycle (the error comes from config/)", async () => {
    const error = await recordSeed({ talksTo: '["billing"]', services: JSON.stringify({ billing: routed(10, ["web"]) }) }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, String(error));
    assert.deepEqual(error.recording.resources.map((r: { type: string }) => r.type), ["pulumi:pulumi:Stack"]);
    assert.match(error.message, /web -> billing -> web is a cycle of calls/);
  });
});
