// The rules of the real path: what AWS and the Pulumi engine enforce and Pulumi's mock engine does not
// (it accepts any value, any order, any update). Each test names the rule it encodes and where it comes
// from, so a change that breaks a real `pulumi up` fails here first. Rules tested elsewhere: stable subnet
// AZs (network.test.ts), task cpu >= 128, /image_id AMI parameters, reserved name prefixes, placeholders
// (config.test.ts), the image tag per platform (image.test.ts).
import assert from "node:assert/strict";
import * as path from "path";
import { spawn } from "child_process";
import { Graph, RecordedResource } from "../../plan/mock-engine";
import { renderUserData } from "../../components/user-data";
import { assertDependsOn, json, recordSeed } from "../helpers";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  attachment: "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
  route: "aws:ec2/route:Route",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  service: "aws:ecs/service:Service",
  td: "aws:ecs/taskDefinition:TaskDefinition",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  accountSetting: "aws:ecs/accountSettingDefault:AccountSettingDefault",
  bucket: "aws:s3/bucket:Bucket",
  repo: "awsx:ecr:Repository",
};

const publicDefaultRoute = (g: Graph) => g.ofType(T.route).filter((r) => r.inputs.gatewayId !== undefined);

describe("rule: an internet-facing load balancer waits for the internet gateway's attachment", () => {
  // CreateLoadBalancer (internet-facing) fails with "InvalidSubnet: VPC ... has no internet gateway" when
  // the gateway is not attached yet; the Terraform AWS provider's own acceptance tests add this edge.
  let g: Graph;
  before(async () => { g = await recordSeed(); });

  it("depends on the public default route and the public subnets' route table associations", () => {
    const alb = g.one(T.alb);
    const [route] = publicDefaultRoute(g);
    assertDependsOn(alb, route);
    for (const assoc of g.ofType(T.rtAssoc).filter((a) => a.name.startsWith("api-public-"))) assertDependsOn(alb, assoc);
  });

  it("so it is created after the gateway is attached to the VPC", () => {
    assert.ok(g.dependsOn(g.one(T.alb), g.one(T.attachment)), "the ALB waits for the gateway attachment");
  });
});

describe("rule: whatever assumes a role starts after the role's permissions exist", () => {
  // IAM is eventually consistent and the services assume the role at once: a flow log created before its
  // role's policy fails its first deliveries, a service started before its roles' policies fails its first
  // image pulls, log writes and ECS Exec sessions with access errors.
  it("the VPC flow log waits for its role's policy", async () => {
    const g = await recordSeed({ flowLogs: "true" });
    assertDependsOn(g.one(T.flowLog), g.one(T.rolePolicy, "flow-logs"));
  });

  it("the ECS service waits for the execution role's policy attachment", async () => {
    const g = await recordSeed();
    const execution = g.ofType(T.rolePolicyAttachment).filter((a) => /AmazonECSTaskExecutionRolePolicy$/.test(a.inputs.policyArn));
    assert.equal(execution.length, 1);
    assertDependsOn(g.one(T.service), execution[0]);
  });

  it("the ECS service waits for the task role's policies (ECS Exec)", async () => {
    const g = await recordSeed({ ecsExec: "true" });
    assertDependsOn(g.one(T.service), g.one(T.rolePolicy, "ecs-exec"));
  });
});

describe("rule: derived names obey every AWS service's naming rules", () => {
  // Pulumi auto-names a resource "<logical name>-<7 random characters>"; an explicit name is used as is.
  // The rules, from each service's API reference (CreateSecurityGroup, S3 bucket naming rules,
  // CreateLoadBalancer, CreateTargetGroup, CreateRole, CreateCapacityProvider, ...).
  interface Rule { max: number; re?: RegExp; forbiddenPrefixes?: string[]; forbiddenSuffixes?: string[] }
  const RULES: Record<string, { name: (r: RecordedResource) => string | undefined; rule: Rule }> = {};
  const auto = (r: RecordedResource) => `${r.name}-1a2b3c4`;
  const rule = (type: string, r: Rule, name: (x: RecordedResource) => string | undefined = (x) => x.inputs.name ?? auto(x)) => (RULES[type] = { name, rule: r });
  rule("aws:ec2/securityGroup:SecurityGroup", { max: 255, forbiddenPrefixes: ["sg-"] });
  rule(T.bucket, { max: 63, re: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, forbiddenPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"], forbiddenSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] }, (x) => x.inputs.bucket ?? auto(x));
  rule(T.alb, { max: 32, re: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, forbiddenPrefixes: ["internal-"] });
  rule(T.tg, { max: 32, re: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/ });
  rule("aws:iam/role:Role", { max: 64, re: /^[\w+=,.@-]+$/ });
  rule("aws:iam/instanceProfile:InstanceProfile", { max: 128, re: /^[\w+=,.@-]+$/ });
  rule(T.rolePolicy, { max: 128, re: /^[\w+=,.@-]+$/ });
  rule("aws:ecs/cluster:Cluster", { max: 255, re: /^[A-Za-z0-9_-]+$/ });
  rule(T.service, { max: 255, re: /^[A-Za-z0-9_-]+$/ });
  rule(T.td, { max: 255, re: /^[A-Za-z0-9_-]+$/ }, (x) => x.inputs.family);
  rule("aws:ecs/capacityProvider:CapacityProvider", { max: 255, re: /^[A-Za-z0-9_-]+$/, forbiddenPrefixes: ["aws", "ecs", "fargate"] });
  rule(T.asg, { max: 255 });
  rule(T.lt, { max: 128, re: /^[A-Za-z0-9().\-/_]{3,}$/ });
  rule("aws:cloudwatch/logGroup:LogGroup", { max: 512, re: /^[.\-_/#A-Za-z0-9]+$/ });
  rule("aws:cloudwatch/metricAlarm:MetricAlarm", { max: 255 });

  const violations = (g: Graph): string[] => {
    const found: string[] = [];
    for (const r of g.cloudResources) {
      const entry = RULES[r.type];
      if (!entry) continue;
      const name = entry.name(r);
      if (name === undefined) continue;
      const { rule: x } = entry;
      const lower = name.toLowerCase();
      if (name.length > x.max) found.push(`${r.type} ${name}: longer than ${x.max}`);
      if (x.re && !x.re.test(name)) found.push(`${r.type} ${name}: not ${x.re}`);
      for (const p of x.forbiddenPrefixes ?? []) if (lower.startsWith(p)) found.push(`${r.type} ${name}: begins with ${p}`);
      for (const s of x.forbiddenSuffixes ?? []) if (lower.endsWith(s)) found.push(`${r.type} ${name}: ends with ${s}`);
    }
    return found;
  };

  for (const serviceName of ["a-very-long-service-name-32chars", "s", "sgx", "xn-a", "sthreex"]) {
    it(`holds for every named resource with serviceName ${serviceName} (and access logs, flow logs, ECS Exec, an image)`, async () => {
      const g = await recordSeed({ serviceName, accessLogs: "true", flowLogs: "true", ecsExec: "true", appPath: "app", containerPort: "8080" });
      assert.deepEqual(violations(g), []);
    });
  }
});

describe("rule: targets drain before their tasks stop, and the app stops gracefully on SIGTERM", () => {
  // ECS stops a task behind a load balancer in two steps: it deregisters the target and waits for the
  // target group's deregistration delay (the ALB lets in-flight requests finish), then sends SIGTERM and,
  // stopTimeout later, SIGKILL. The seed's delay of 0 cut in-flight requests on every deploy and scale-in.
  let g: Graph;
  before(async () => { g = await recordSeed(); });

  it("drains targets for 30 s by default (deregistrationDelaySeconds)", () => {
    assert.equal(g.one(T.tg).inputs.deregistrationDelay, 30);
  });

  it("gives the container its stop timeout and tells it to finish 5 s sooner (SHUTDOWN_TIMEOUT_MS)", async () => {
    const container = json(g.one(T.td).inputs.containerDefinitions)[0];
    assert.equal(container.stopTimeout, 30);
    assert.deepEqual(container.environment.find((e: { name: string }) => e.name === "SHUTDOWN_TIMEOUT_MS"), { name: "SHUTDOWN_TIMEOUT_MS", value: "25000" });
    const custom = json((await recordSeed({ stopTimeoutSeconds: "60", deregistrationDelaySeconds: "120" })).one(T.td).inputs.containerDefinitions)[0];
    assert.equal(custom.stopTimeout, 60);
    assert.equal(custom.environment.find((e: { name: string }) => e.name === "SHUTDOWN_TIMEOUT_MS").value, "55000");
  });

  it("the example app, started with the container's environment, exits 0 on SIGTERM within its shutdown timeout", async function () {
    this.timeout(15000);
    const container = json(g.one(T.td).inputs.containerDefinitions)[0];
    const env: Record<string, string> = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
    const child = spawn(process.execPath, [path.resolve(__dirname, "..", "..", "app", "server.js")], { env: { ...process.env, ...env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => { out += d; if (out.includes('"msg":"listening"')) resolve(); });
      child.on("exit", () => reject(new Error(`the app exited before listening: ${out}`)));
    });
    const started = Date.now();
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    assert.equal(code, 0, out);
    assert.ok(Date.now() - started < Number(env.SHUTDOWN_TIMEOUT_MS), "it stopped before its shutdown timeout");
    assert.match(out, /"msg":"shutting down","signal":"SIGTERM","timeoutMs":25000/);
  });

  it("makes the ALB idle timeout configurable, the seed's 30 s by default", async () => {
    assert.equal(g.one(T.alb).inputs.idleTimeout, 30);
    assert.equal((await recordSeed({ albIdleTimeoutSeconds: "60" })).one(T.alb).inputs.idleTimeout, 60);
  });
});

describe("rule: a protected stack refuses a destroy or a replacement before deleting anything", () => {
  // ALB deletion protection fails the delete call itself, after `pulumi destroy` has deleted the service,
  // listeners, alarms and cluster. Pulumi's `protect` is checked in the step's Apply, which `pulumi
  // destroy`'s preview runs first (pulumi/pulumi pkg/resource/deploy/step.go, DeleteStep.Apply, before
  // its DryRun check; step_generator.go refuses to replace a protected resource): the preview fails and
  // nothing is deleted.
  // What holds the stack's addresses, names and data; nothing else, so ordinary changes (routes, NAT
  // layout, flow logs, listeners, bucket settings) still apply. Children inherit `protect` unless they say
  // otherwise, so the others must say protect: false.
  const IDENTITY = [T.vpc, "aws:ec2/subnet:Subnet", T.alb, T.bucket, T.repo];
  const protectedTypes = (g: Graph) => [...new Set(g.resources.filter((r) => r.options.protect).map((r) => r.type))].sort();

  it("protects the VPC, subnets, load balancer, image repository and log bucket when deletionProtection is on", async () => {
    const g = await recordSeed({ deletionProtection: "true", accessLogs: "true", appPath: "app", containerPort: "8080" });
    assert.deepEqual(protectedTypes(g), [...IDENTITY].sort());
    assert.equal(g.one(T.alb).inputs.enableDeletionProtection, true);
  });

  it("protects nothing otherwise, so dev and staging destroy cleanly", async () => {
    const g = await recordSeed({ accessLogs: "true", appPath: "app", containerPort: "8080" });
    assert.deepEqual(protectedTypes(g), []);
  });
});

describe("rule: turning ENI trunking on reaches the running hosts", () => {
  // The account setting awsvpcTrunking applies to container instances registered after it is on (ECS
  // developer guide, "Elastic network interface trunking"): the hosts must be replaced. A change of the
  // user data is a new launch template version, which the group's instance refresh rolls out.
  it("changes the hosts' user data, hence the launch template version the group rolls out", async () => {
    const off = await recordSeed({ instanceType: "c6i.large" });
    const on = await recordSeed({ instanceType: "c6i.large", eniTrunking: "true" });
    assert.notEqual(on.one(T.lt).inputs.userData, off.one(T.lt).inputs.userData);
    assert.match(renderUserData({ clusterName: "c", eniTrunking: true }), /^# awsvpcTrunking: enabled/m);
    assert.ok(on.one(T.asg).inputs.instanceRefresh, "the group refreshes its instances on a new launch template version");
  });

  it("launches hosts from the new template only after the account setting is on", async () => {
    const g = await recordSeed({ instanceType: "c6i.large", eniTrunking: "true" });
    assertDependsOn(g.one(T.lt), g.one(T.accountSetting));
  });
});
