// Issue "Run a real API without editing code": environment, secrets, task permissions, egress, the API's own
// domain, tunables, outputs, and the bundled example app. Each behaviour is read from the recorded program.
import assert from "node:assert/strict";
import * as http from "http";
import * as path from "path";
import { spawn } from "child_process";
import { Graph, ProgramError, RecordedResource } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { projectConfig } from "../../config/stack-files";
import { secretsPolicy } from "../../components/task";
import { parseSecretSource } from "../../config/arns";
import { assertDependsOn, assertFedBy, json, recordSeed } from "../helpers";
import main = require("../../index");

const T = {
  td: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  alb: "aws:lb/loadBalancer:LoadBalancer",
};

const ACCOUNT = "210987654321";
const SSM_DB = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/orders/db-url`;
const SM_TOKEN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/api-token-AbC123`;
const SM_KEYED = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/db-AbC123:password::`;
const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b`;
const READ_BUCKET = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const OWN_POLICY = `arn:aws:iam::${ACCOUNT}:policy/orders/queue-access`;

const container = (g: Graph) => json(g.one(T.td).inputs.containerDefinitions)[0];
const statementsOf = (policy: RecordedResource) => json(policy.inputs.policy).Statement;

describe("environment and secrets", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({
      environment: JSON.stringify({ LOG_LEVEL: "info", FEATURE_X: true, MAX_ITEMS: 50 }),
      secrets: JSON.stringify({ DATABASE_URL: SSM_DB, API_TOKEN: SM_TOKEN, DB_PASSWORD: SM_KEYED }),
      secretsKmsKeyArns: JSON.stringify([KMS]),
    });
  });

  it("passes plain variables after the program's own, as strings, sorted by name", () => {
    const env = container(g).environment.map((e: { name: string; value: string }) => [e.name, e.value]);
    assert.deepEqual(env, [["PORT", "80"], ["SERVICE_NAME", "web"], ["SHUTDOWN_TIMEOUT_MS", "25000"], ["FEATURE_X", "true"], ["LOG_LEVEL", "info"], ["MAX_ITEMS", "50"]]);
  });

  it("passes secrets as ECS secrets (valueFrom, the ARN as given), never as values", () => {
    assert.deepEqual(container(g).secrets, [
      { name: "DATABASE_URL", valueFrom: SSM_DB },
      { name: "API_TOKEN", valueFrom: SM_TOKEN },
      { name: "DB_PASSWORD", valueFrom: SM_KEYED },
    ]);
    const env = JSON.stringify(container(g).environment);
    for (const arn of [SSM_DB, SM_TOKEN]) assert.ok(!env.includes(arn), "no secret source in the plain environment");
  });

  it("starts the tasks with an execution role of the service's own, which may read exactly those secrets", () => {
    const role = g.one(T.role, "web-execution-role");
    assertFedBy(g.one(T.td), "executionRoleArn", role);
    const policy = g.one(T.rolePolicy, "web-secrets");
    assertFedBy(policy, "role", role);
    assert.deepEqual(statementsOf(policy), [
      { Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [SSM_DB] },
      // The JSON-key suffix is not part of the secret's ARN: IAM grants on the secret itself.
      { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/api-token-AbC123`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/db-AbC123`] },
      { Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: [KMS] },
    ]);
    assert.equal(g.ofType(T.attachment).filter((a) => /AmazonECSTaskExecutionRolePolicy$/.test(a.inputs.policyArn) && a.parent === role.urn).length, 1);
  });

  it("starts the service only once that role may read them (rule of the real path)", () => {
    assertDependsOn(g.one(T.service), g.one(T.rolePolicy, "web-secrets"));
  });

  it("keeps using the cluster's shared execution role when the service has no secrets", async () => {
    const plain = await recordSeed();
    assert.equal(plain.ofType(T.role).filter((r) => r.name.endsWith("execution-role")).length, 1, "only the cluster's");
    assertFedBy(plain.one(T.td), "executionRoleArn", plain.one(T.role, "api-execution-role"));
  });

  it("grants a partial secret ARN (no random suffix) as IAM matches it, <arn>-??????", () => {
    const partial = parseSecretSource(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/token`);
    assert.equal(partial?.resource, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/token-??????`);
    assert.deepEqual(secretsPolicy([], []).Statement, [], "no secrets, no statements");
  });
});

describe("the task role's permissions (taskPolicyArns)", () => {
  it("attaches each managed policy to the task role, named by the ARN so order does not matter", async () => {
    const g = await recordSeed({ taskPolicyArns: JSON.stringify([READ_BUCKET, OWN_POLICY]) });
    const taskRole = g.one(T.role, "web-task-role");
    const attached = g.ofType(T.attachment).filter((a) => a.parent === taskRole.urn);
    assert.deepEqual(attached.map((a) => a.inputs.policyArn).sort(), [READ_BUCKET, OWN_POLICY].sort());
    for (const a of attached) assertFedBy(a, "role", taskRole);
    const reordered = await recordSeed({ taskPolicyArns: JSON.stringify([OWN_POLICY, READ_BUCKET]) });
    assert.deepEqual(reordered.ofType(T.attachment).filter((a) => a.parent === reordered.one(T.role, "web-task-role").urn).map((a) => a.name).sort(), attached.map((a) => a.name).sort());
    assertDependsOn(g.one(T.service), attached[0]);
  });
});

describe("outbound rules for the tasks (egressRules)", () => {
  let g: Graph;
  const rules = [
    { port: 5432, cidr: "vpc", description: "Postgres in the VPC" },
    { fromPort: 6379, toPort: 6380, securityGroupId: "sg-0123456789abcdef0" },
    { port: 443, protocol: "tcp", prefixListId: "pl-0123456789abcdef0" },
    { port: 53, protocol: "udp", cidr: "10.1.0.0/16" },
  ];
  before(async () => { g = await recordSeed({ egressRules: JSON.stringify(rules) }); });

  const serviceEgress = () => {
    const sg = g.one(T.sg, "web-service-sg");
    return g.ofType(T.egress).filter((r) => r.parent === sg.urn && !r.name.endsWith("https-out"));
  };

  it("adds one rule per entry to the service's group, to the VPC's CIDR, a group or a prefix list", () => {
    const found = serviceEgress().map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId ?? r.inputs.prefixListId]);
    assert.deepEqual(found.sort(), [
      ["tcp", 443, 443, "pl-0123456789abcdef0"],
      ["tcp", 5432, 5432, "10.0.0.0/16"],
      ["tcp", 6379, 6380, "sg-0123456789abcdef0"],
      ["udp", 53, 53, "10.1.0.0/16"],
    ]);
    assert.ok(serviceEgress().some((r) => r.inputs.description === "Postgres in the VPC"));
  });

  it("opens the whole internet beyond HTTPS only on the rule's explicit allowInternet", async () => {
    const open = await recordSeed({ egressRules: JSON.stringify([{ port: 25, cidr: "0.0.0.0/0", allowInternet: true }]) });
    assert.ok(open.ofType(T.egress).some((r) => r.inputs.fromPort === 25 && r.inputs.cidrIpv4 === "0.0.0.0/0"));
  });
});

describe("the API's own domain (domainName + hostedZoneId)", () => {
  const ZONE = "Z0123456789ABCDEFGHIJ";
  let g: Graph;
  before(async () => { g = await recordSeed({ domainName: "api.acme-api.dev", hostedZoneId: ZONE }); });

  it("requests a DNS-validated certificate for the name", () => {
    const cert = g.one(T.certificate);
    assert.deepEqual([cert.inputs.domainName, cert.inputs.validationMethod], ["api.acme-api.dev", "DNS"]);
  });

  it("writes ACM's validation record in the zone, and waits for the validation", () => {
    const cert = g.one(T.certificate);
    const record = g.one(T.record, "web-certificate-validation");
    assert.equal(record.inputs.zoneId, ZONE);
    assertFedBy(record, "name", cert);
    assert.equal(record.inputs.type, "CNAME");
    const validation = g.one(T.validation);
    assertFedBy(validation, "certificateArn", cert);
    assertFedBy(validation, "validationRecordFqdns", record);
  });

  it("serves HTTPS with the validated certificate, and redirects HTTP", () => {
    const https = g.ofType(T.listener).find((l) => l.inputs.port === 443)!;
    assertFedBy(https, "certificateArn", g.one(T.validation));
    assert.equal(g.ofType(T.listener).find((l) => l.inputs.port === 80)!.inputs.defaultActions[0].type, "redirect");
  });

  it("points an alias A record at the load balancer, and url names the domain", () => {
    const alias = g.one(T.record, "web-alias");
    assert.deepEqual([alias.inputs.name, alias.inputs.type, alias.inputs.zoneId], ["api.acme-api.dev", "A", ZONE]);
    assertFedBy(alias, "aliases", g.one(T.alb));
    assert.equal(g.recording.outputs.url, "https://api.acme-api.dev");
  });

  it("with certificateArn too, uses that certificate and creates only the alias", async () => {
    const cert = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b`;
    const both = await recordSeed({ domainName: "api.acme-api.dev", hostedZoneId: ZONE, certificateArn: cert });
    assert.equal(both.ofType(T.certificate).length, 0);
    assert.equal(both.ofType(T.record).length, 1);
    assert.equal(both.ofType(T.listener).find((l) => l.inputs.port === 443)!.inputs.certificateArn, cert);
  });

  const config = { ...projectConfig().values, "aws:region": "us-east-1", "ecs-ec2-api:domainName": "api.acme-api.dev", "ecs-ec2-api:hostedZoneId": ZONE };
  for (const [why, zone, message] of [
    ["a zone that does not hold the name", { name: "other.dev" }, /domainName api\.acme-api\.dev is not in hostedZoneId Z0123456789ABCDEFGHIJ \(other\.dev\)/],
    ["a private zone, which ACM cannot validate through", { name: "acme-api.dev", privateZone: true }, /is a private zone/],
  ] as const) {
    it(`fails in preview, before any record, on ${why} (validation would wait until it times out)`, async () => {
      const error = await runProgram(main, { stack: "dns", config, preview: true, hostedZones: { [ZONE]: zone } }).then(() => undefined, (e) => e);
      assert.ok(error instanceof ProgramError, "the program must fail");
      assert.match(error.message, message);
      assert.equal(error.recording.resources.filter((r) => r.type === T.record).length, 0);
    });
  }
});

describe("tunables, each with the previous value as its default", () => {
  it("sets the health check's matcher, interval, timeout and thresholds", async () => {
    const g = await recordSeed({ healthCheckMatcher: "200-399", healthCheckIntervalSeconds: "15", healthCheckTimeoutSeconds: "10", healthyThresholdCount: "3", unhealthyThresholdCount: "4" });
    const hc = g.one(T.tg).inputs.healthCheck;
    assert.deepEqual([hc.matcher, hc.interval, hc.timeout, hc.healthyThreshold, hc.unhealthyThreshold], ["200-399", 15, 10, 3, 4]);
  });

  it("sets the deployment's minimum healthy and maximum percent", async () => {
    const s = (await recordSeed({ deploymentMinimumHealthyPercent: "100", deploymentMaximumPercent: "150" })).one(T.service);
    assert.deepEqual([s.inputs.deploymentMinimumHealthyPercent, s.inputs.deploymentMaximumPercent], [100, 150]);
  });

  it("overrides the command and adds a container health check", async () => {
    const c = container(await recordSeed({
      command: JSON.stringify(["nginx", "-g", "daemon off;"]),
      containerHealthCheck: JSON.stringify({ command: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], startPeriodSeconds: 20 }),
    }));
    assert.deepEqual(c.command, ["nginx", "-g", "daemon off;"]);
    assert.deepEqual(c.healthCheck, { command: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], interval: 30, timeout: 5, retries: 3, startPeriod: 20 });
  });

  it("leaves command and health check to the image when unset", async () => {
    const c = container(await recordSeed());
    assert.equal(c.command, undefined);
    assert.equal(c.healthCheck, undefined);
  });
});

describe("outputs other stacks and tools build on", () => {
  it("exports the load balancer, listener, target group, cluster, capacity provider, groups, roles, logs and network", async () => {
    const g = await recordSeed();
    const o = g.recording.outputs;
    for (const key of ["url", "loadBalancerArn", "loadBalancerDnsName", "loadBalancerZoneId", "listenerArn", "targetGroupArn", "clusterArn", "clusterName",
      "capacityProviderName", "serviceSecurityGroupId", "hostSecurityGroupId", "taskRoleArn", "executionRoleArn", "logGroupName", "vpcId", "serviceName"]) {
      assert.ok(typeof o[key] === "string" && o[key].length > 0, `${key}: ${o[key]}`);
    }
    assert.equal(o.listenerArn, g.ofType(T.listener)[0].outputs.arn);
    assert.equal(o.targetGroupArn, g.one(T.tg).outputs.arn);
    assert.equal(o.publicSubnetIds.length, 2);
    assert.deepEqual(Object.keys(o.services), ["web"]);
  });
});

describe("the bundled example app (appPath: app) works as planned", () => {
  let g: Graph;
  before(async () => { g = await recordSeed({ appPath: "app" }); });

  it("takes the port its Dockerfile EXPOSEs when containerPort is unset", () => {
    assert.equal(container(g).portMappings[0].containerPort, 8080);
    assert.equal(g.one(T.tg).inputs.port, 8080);
  });

  it("becomes healthy: started with the planned container's environment, it answers the planned health check", async function () {
    this.timeout(15000);
    const c = container(g);
    const env: Record<string, string> = Object.fromEntries(c.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
    const healthPath = g.one(T.tg).inputs.healthCheck.path;
    const child = spawn(process.execPath, [path.resolve(__dirname, "..", "..", "app", "server.js")], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => { out += d; if (out.includes('"msg":"listening"')) resolve(); });
        child.on("exit", () => reject(new Error(`the app exited: ${out}`)));
      });
      const status = await new Promise<number>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port: Number(env.PORT), path: healthPath }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on("error", reject);
      });
      assert.equal(status, 200, `GET ${healthPath} on port ${env.PORT}`);
      assert.equal(Number(env.PORT), c.portMappings[0].containerPort, "it listens where the task maps the port");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
