// Issue "The load-balanced service": the whole program under the mock engine, asserting the service's
// resources, their inputs and the dependency graph the engine would see, for the seed and each variant.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Graph, RecordedResource } from "../scripts/mock-engine";
import { ROOT } from "../scripts/stack-config";
import { TLS_POLICY } from "../components/edge";
import { assertDependsOn, assertFedBy, fedBy, json, privateDefaultRoutes, recordSeed, subnetsByTier } from "./helpers";

const T = {
  component: "ecs-ec2-api:ecs:LoadBalancedService",
  clusterComponent: "ecs-ec2-api:ecs:Ec2Cluster",
  cluster: "aws:ecs/cluster:Cluster",
  cp: "aws:ecs/capacityProvider:CapacityProvider",
  association: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  service: "aws:ecs/service:Service",
  td: "aws:ecs/taskDefinition:TaskDefinition",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  tg: "aws:lb/targetGroup:TargetGroup",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  route: "aws:ec2/route:Route",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  repository: "awsx:ecr:Repository",
  image: "awsx:ecr:Image",
};

const CERTIFICATE = "arn:aws:acm:us-east-1:210987654321:certificate/11111111-2222-3333-4444-555555555555";
const ARM64_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";
/** The Elastic Load Balancing account that delivers access logs in us-east-1. */
const US_EAST_1_ELB = "arn:aws:iam::127311923021:root";

// --- graph helpers ---

const service = (g: Graph) => g.one(T.service);
const td = (g: Graph) => g.one(T.td);
const container = (g: Graph) => {
  const defs = json(td(g).inputs.containerDefinitions);
  assert.equal(defs.length, 1, "one container");
  return defs[0];
};
const httpListener = (g: Graph) => g.ofType(T.listener).find((l) => l.inputs.port === 80)!;
const httpsListener = (g: Graph) => g.ofType(T.listener).find((l) => l.inputs.port === 443);

/** The ALB's security group, found through the ALB's `securityGroups` input. */
function albSg(g: Graph): RecordedResource {
  const sgs = g.depsOf(g.one(T.alb), "securityGroups").filter((r) => r.type === T.sg);
  assert.equal(sgs.length, 1);
  return sgs[0];
}
/** The tasks' security group, found through the service's `networkConfiguration` input. */
function serviceSg(g: Graph): RecordedResource {
  const sgs = g.depsOf(service(g), "networkConfiguration").filter((r) => r.type === T.sg);
  assert.equal(sgs.length, 1);
  return sgs[0];
}

// --- security group rules, normalized across the four ways to write them ---

interface Rule {
  source: string;
  direction: "ingress" | "egress";
  /** Group the rule belongs to: its id as recorded. */
  groupId: string | undefined;
  protocol: string;
  from: number | undefined;
  to: number | undefined;
  cidrs: string[];
  /** Peer security group(s) (referenced / source / inline securityGroups). */
  peers: string[];
}

function allRules(g: Graph): Rule[] {
  const rules: Rule[] = [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
  for (const sg of g.ofType(T.sg)) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const r of (sg.inputs[direction] ?? []) as any[]) {
        rules.push({
          source: `${sg.name} inline ${direction}`, direction, groupId: sg.id, protocol: String(r.protocol),
          from: r.fromPort, to: r.toPort, cidrs: [...list(r.cidrBlocks), ...list(r.ipv6CidrBlocks)],
          peers: [...list(r.securityGroups), ...(r.self ? [sg.id ?? ""] : [])],
        });
      }
    }
  }
  for (const [type, direction] of [[T.ingress, "ingress"], [T.egress, "egress"]] as const) {
    for (const r of g.ofType(type)) {
      rules.push({
        source: r.name, direction, groupId: r.inputs.securityGroupId, protocol: String(r.inputs.ipProtocol),
        from: r.inputs.fromPort, to: r.inputs.toPort, cidrs: [...list(r.inputs.cidrIpv4), ...list(r.inputs.cidrIpv6)],
        peers: [...list(r.inputs.referencedSecurityGroupId), ...list(r.inputs.prefixListId)],
      });
    }
  }
  for (const r of g.ofType(T.sgRule)) {
    rules.push({
      source: r.name, direction: r.inputs.type, groupId: r.inputs.securityGroupId, protocol: String(r.inputs.protocol),
      from: r.inputs.fromPort, to: r.inputs.toPort, cidrs: [...list(r.inputs.cidrBlocks), ...list(r.inputs.ipv6CidrBlocks)],
      peers: [...list(r.inputs.sourceSecurityGroupId), ...list(r.inputs.prefixListIds), ...(r.inputs.self ? [r.inputs.securityGroupId] : [])],
    });
  }
  return rules;
}

const WORLD = ["0.0.0.0/0", "::/0"];
const describeRule = (r: Rule) => `${r.protocol}/${r.from}-${r.to} ${r.direction === "ingress" ? "from" : "to"} ${[...r.cidrs, ...r.peers].join(",")}`;

/** Registers the least-privilege checks of every security group rule in the program `graph()` records. */
function itKeepsTheWireLeastPrivilege(graph: () => Graph, https: boolean, containerPort = 80): void {
  it("has no security group rule for all protocols (-1) anywhere in the program", () => {
    const rules = allRules(graph());
    assert.ok(rules.length >= 5, `only ${rules.length} rules found: the checks below would prove nothing`);
    assert.deepEqual(rules.filter((r) => r.protocol === "-1" || r.protocol.toLowerCase() === "all").map((r) => r.source), []);
  });

  it("opens no port to the internet (0.0.0.0/0, ::/0) other than 80 and 443", () => {
    const open = allRules(graph()).filter((r) => r.direction === "ingress" && r.cidrs.some((c) => WORLD.includes(c)));
    assert.ok(open.length >= 1, "the ALB does admit the internet");
    for (const r of open) {
      assert.equal(r.protocol, "tcp", r.source);
      assert.equal(r.from, r.to, `${r.source} opens a port range`);
      assert.ok([80, 443].includes(Number(r.from)), `${r.source} opens ${describeRule(r)}`);
    }
  });

  it(`admits only ${https ? "TCP 80 and 443" : "TCP 80"} from anywhere into the ALB`, () => {
    const g = graph();
    const sg = albSg(g);
    const ingress = allRules(g).filter((r) => r.direction === "ingress" && r.groupId === sg.id).map(describeRule).sort();
    assert.deepEqual(ingress, (https ? ["tcp/443-443 from 0.0.0.0/0", "tcp/80-80 from 0.0.0.0/0"] : ["tcp/80-80 from 0.0.0.0/0"]));
    for (const r of g.ofType(T.ingress).filter((x) => x.inputs.securityGroupId === sg.id)) assertFedBy(r, "securityGroupId", sg);
  });

  it("lets the ALB out only to the service's security group on the container port", () => {
    const g = graph();
    const alb = albSg(g);
    const svc = serviceSg(g);
    const egress = allRules(g).filter((r) => r.direction === "egress" && r.groupId === alb.id);
    assert.deepEqual(egress.map((r) => [r.protocol, r.from, r.to, r.cidrs, r.peers]), [["tcp", containerPort, containerPort, [], [svc.id]]]);
    const [rule] = g.ofType(T.egress).filter((r) => r.inputs.securityGroupId === alb.id);
    assertFedBy(rule, "referencedSecurityGroupId", svc);
  });

  it("admits into the tasks only the container port, from the ALB's security group", () => {
    const g = graph();
    const alb = albSg(g);
    const svc = serviceSg(g);
    const ingress = allRules(g).filter((r) => r.direction === "ingress" && r.groupId === svc.id);
    assert.deepEqual(ingress.map((r) => [r.protocol, r.from, r.to, r.cidrs, r.peers]), [["tcp", containerPort, containerPort, [], [alb.id]]]);
    const [rule] = g.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === svc.id);
    assertFedBy(rule, "referencedSecurityGroupId", alb);
  });
}

// --- the seed ---

describe("LoadBalancedService with the seed's values (web, nginx, 256 CPU / 512 MiB, port 80, 2 tasks)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed();
  });

  describe("the task definition", () => {
    it("is the family web, awsvpc, EC2 only, 256 CPU units and 512 MiB", () => {
      const t = td(g);
      assert.equal(t.inputs.family, "web");
      assert.equal(t.inputs.networkMode, "awsvpc");
      assert.deepEqual(t.inputs.requiresCompatibilities, ["EC2"]);
      assert.deepEqual([t.inputs.cpu, t.inputs.memory], ["256", "512"]);
    });

    it("starts tasks with the cluster's execution role", () => {
      const t = td(g);
      const [role] = g.depsOf(t, "executionRoleArn");
      assert.equal(role.type, T.role);
      assert.equal(g.byUrn.get(role.parent!)?.type, T.clusterComponent, "the execution role is the cluster's");
      assert.equal(t.inputs.executionRoleArn, role.outputs.arn);
    });

    it("gives the containers a task role of their own, not the execution role", () => {
      const t = td(g);
      const [execution] = g.depsOf(t, "executionRoleArn");
      const [task] = g.depsOf(t, "taskRoleArn");
      assert.equal(task.type, T.role);
      assert.notEqual(task.urn, execution.urn);
      assert.equal(t.inputs.taskRoleArn, task.outputs.arn);
      assert.notEqual(t.inputs.taskRoleArn, t.inputs.executionRoleArn);
      const trust = json(task.inputs.assumeRolePolicy).Statement[0];
      assert.deepEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
      assert.ok(trust.Condition?.StringEquals?.["aws:SourceAccount"], "the task role is guarded against the confused deputy too");
    });

    it("runs one container named web from imageUrl, mapping container and host port 80", () => {
      const c = container(g);
      assert.equal(c.name, "web");
      assert.equal(c.image, "public.ecr.aws/docker/library/nginx:latest");
      assert.deepEqual(c.portMappings.map((p: any) => [p.containerPort, p.hostPort]), [[80, 80]]);
    });

    it("logs through awslogs, non-blocking with a 25m buffer, stream prefix web, into the service's log group", () => {
      const { logDriver, options } = container(g).logConfiguration;
      const logGroup = g.one(T.logGroup, "web-logs");
      assert.equal(logDriver, "awslogs");
      assert.equal(options.mode, "non-blocking");
      assert.equal(options["max-buffer-size"], "25m");
      assert.equal(options["awslogs-stream-prefix"], "web");
      assert.ok(logGroup.outputs.name, "the log group has a name");
      assert.equal(options["awslogs-group"], logGroup.outputs.name);
      assert.equal(options["awslogs-region"], "us-east-1");
      // The task definition waits for the group, by input or by dependsOn: the agent does not create it.
      assertDependsOn(td(g), logGroup);
    });

    it("keeps the container logs 30 days", () => {
      assert.equal(g.one(T.logGroup, "web-logs").inputs.retentionInDays, 30);
    });
  });

  describe("the ECS service", () => {
    it("places tasks through the cluster's capacity provider, base 0 weight 1, never a launch type", () => {
      const s = service(g);
      const cp = g.one(T.cp);
      assert.deepEqual(s.inputs.capacityProviderStrategies, [{ capacityProvider: cp.outputs.name, base: 0, weight: 1 }]);
      assertFedBy(s, "capacityProviderStrategies", cp);
      assert.equal(s.inputs.launchType, undefined);
    });

    it("runs in the cluster with the task definition, 2 tasks", () => {
      const s = service(g);
      assert.equal(s.inputs.cluster, g.one(T.cluster).outputs.arn);
      assert.equal(s.inputs.taskDefinition, td(g).outputs.arn);
      assertFedBy(s, "taskDefinition", td(g));
      assert.equal(s.inputs.desiredCount, 2);
    });

    it("spreads tasks across AZs, then bin-packs on CPU", () => {
      assert.deepEqual(service(g).inputs.orderedPlacementStrategies, [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "cpu" },
      ]);
    });

    it("runs tasks in the private subnets only, without public IPs, in the service security group", () => {
      const s = service(g);
      const { publicSubnets, privateSubnets } = subnetsByTier(g);
      const net = s.inputs.networkConfiguration;
      assert.deepEqual(net.subnets, privateSubnets.map((x) => x.id));
      for (const p of publicSubnets) assert.ok(!net.subnets.includes(p.id), `public subnet ${p.name}`);
      assert.equal(net.assignPublicIp, false);
      assert.deepEqual(net.securityGroups, [serviceSg(g).id]);
      const fed = new Set(s.propertyDependencies.networkConfiguration);
      for (const p of privateSubnets) assert.ok(fed.has(p.urn), `${p.name} is not a dependency of the network configuration`);
      for (const p of publicSubnets) assert.ok(!fed.has(p.urn), `${p.name} feeds the network configuration`);
    });

    it("deploys up to 200 % and keeps at least 75 % healthy", () => {
      const s = service(g);
      assert.equal(s.inputs.deploymentMaximumPercent, 200);
      assert.ok(s.inputs.deploymentMinimumHealthyPercent >= 75, String(s.inputs.deploymentMinimumHealthyPercent));
    });

    it("registers container web on port 80 in the target group", () => {
      const s = service(g);
      const tg = g.one(T.tg);
      assert.deepEqual(s.inputs.loadBalancers, [{ targetGroupArn: tg.outputs.arn, containerName: "web", containerPort: 80 }]);
      assertFedBy(s, "loadBalancers", tg);
    });

    it("waits for the HTTP listener, the capacity-provider association and the private routes", () => {
      const s = service(g);
      const routes = privateDefaultRoutes(g);
      assert.equal(routes.length, 2);
      for (const needed of [httpListener(g), g.one(T.association), ...routes]) {
        assertDependsOn(s, needed);
      }
    });

    it("rolls a failing deployment back: circuit breaker, and alarms on target 5xx and unhealthy targets", () => {
      const s = service(g);
      assert.deepEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
      const alarms = g.ofType(T.alarm).filter((a) => fedBy(s, "alarms", a));
      assert.deepEqual(alarms.map((a) => a.inputs.metricName).sort(), ["HTTPCode_Target_5XX_Count", "UnHealthyHostCount"]);
      assert.deepEqual(s.inputs.alarms, { alarmNames: alarms.map((a) => a.outputs.name), enable: true, rollback: true });
      for (const a of alarms) {
        assert.deepEqual(a.inputs.dimensions, { LoadBalancer: g.one(T.alb).outputs.arnSuffix, TargetGroup: g.one(T.tg).outputs.arnSuffix }, a.name);
      }
    });

    it("gives new tasks 60 s before ALB health checks count and propagates tags to tasks", () => {
      const s = service(g);
      assert.equal(s.inputs.healthCheckGracePeriodSeconds, 60);
      assert.ok(["SERVICE", "TASK_DEFINITION"].includes(s.inputs.propagateTags), String(s.inputs.propagateTags));
    });

    it("has no ECS Exec and no SSM permissions on the task role", () => {
      assert.equal(service(g).inputs.enableExecuteCommand, false);
      assert.deepEqual(g.ofType(T.rolePolicy).filter((p) => String(p.inputs.policy).includes("ssmmessages")).map((p) => p.name), []);
    });

    it("keeps desiredCount under Pulumi's control without autoscaling", () => {
      const ignored = service(g).options.ignoreChanges;
      assert.ok(!ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
      assert.deepEqual(g.ofType(T.scalingTarget), []);
      assert.deepEqual(g.ofType(T.scalingPolicy), []);
    });
  });

  describe("the load balancer", () => {
    it("health-checks ip targets over HTTP on port 80 at / every 6 s (timeout 5, healthy 2, unhealthy 10), draining 30 s", () => {
      const tg = g.one(T.tg);
      assert.equal(tg.inputs.targetType, "ip");
      assert.equal(tg.inputs.protocol, "HTTP");
      assert.equal(tg.inputs.port, 80);
      assert.equal(tg.inputs.deregistrationDelay, 30);
      const hc = tg.inputs.healthCheck;
      assert.deepEqual([hc.path, hc.interval, hc.timeout, hc.healthyThreshold, hc.unhealthyThreshold], ["/", 6, 5, 2, 10]);
      assertFedBy(tg, "vpcId", g.one(T.vpc));
    });

    it("is internet-facing in the public subnets exactly", () => {
      const alb = g.one(T.alb);
      const { publicSubnets } = subnetsByTier(g);
      assert.equal(alb.inputs.internal, false);
      assert.equal(alb.inputs.loadBalancerType, "application");
      assert.equal(publicSubnets.length, 2);
      assert.deepEqual(alb.inputs.subnets, publicSubnets.map((s) => s.id));
      assert.deepEqual(new Set(alb.propertyDependencies.subnets), new Set(publicSubnets.map((s) => s.urn)));
    });

    it("times idle connections out after 30 s and drops invalid header fields", () => {
      const alb = g.one(T.alb);
      assert.equal(alb.inputs.idleTimeout, 30);
      assert.equal(alb.inputs.dropInvalidHeaderFields, true);
    });

    it("is not deletion-protected and writes no access logs by default", () => {
      const alb = g.one(T.alb);
      assert.equal(alb.inputs.enableDeletionProtection, false);
      assert.ok(!alb.inputs.accessLogs?.enabled, JSON.stringify(alb.inputs.accessLogs));
      assert.deepEqual(g.ofType(T.bucket), []);
    });

    it("listens for HTTP on 80 and forwards to the target group", () => {
      const l = httpListener(g);
      const tg = g.one(T.tg);
      assert.equal(l.inputs.protocol, "HTTP");
      assert.equal(l.inputs.loadBalancerArn, g.one(T.alb).outputs.arn);
      assert.deepEqual(l.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.outputs.arn }]);
      assertFedBy(l, "defaultActions", tg);
      assert.equal(g.ofType(T.listener).length, 1, "no HTTPS listener without a certificate");
    });

    it("exports an http:// URL to the ALB's DNS name", () => {
      assert.equal(g.recording.outputs.url, `http://${g.one(T.alb).outputs.dnsName}`);
    });
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, false);
  });
});

// --- variants ---

describe("LoadBalancedService with another name, image, port and size (api, httpd, 8080, 512 CPU / 1024 MiB, /health)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({
      serviceName: "api", imageUrl: "public.ecr.aws/docker/library/httpd:2.4", containerPort: "8080",
      containerCpu: "512", containerMemory: "1024", healthCheckPath: "/health",
    });
  });

  it("names the service, the task family, the container and the log stream prefix after serviceName", () => {
    assert.equal(service(g).inputs.name, "api");
    assert.equal(td(g).inputs.family, "api");
    assert.equal(container(g).name, "api");
    assert.equal(container(g).logConfiguration.options["awslogs-stream-prefix"], "api");
    assert.equal(service(g).inputs.loadBalancers[0].containerName, "api");
  });

  it("runs imageUrl with the configured CPU and memory", () => {
    assert.equal(container(g).image, "public.ecr.aws/docker/library/httpd:2.4");
    assert.deepEqual([td(g).inputs.cpu, td(g).inputs.memory], ["512", "1024"]);
  });

  it("maps, registers and health-checks the container port 8080 at /health", () => {
    assert.deepEqual(container(g).portMappings.map((p: any) => [p.containerPort, p.hostPort]), [[8080, 8080]]);
    assert.equal(service(g).inputs.loadBalancers[0].containerPort, 8080);
    const tg = g.one(T.tg);
    assert.equal(tg.inputs.port, 8080);
    assert.equal(tg.inputs.healthCheck.path, "/health");
  });

  it("still listens on 80 for clients", () => {
    assert.deepEqual(g.ofType(T.listener).map((l) => l.inputs.port), [80]);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, false, 8080);
  });
});

describe("LoadBalancedService with ECS Exec (ecsExec: true)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ ecsExec: "true" });
  });

  it("enables execute-command on the service", () => {
    assert.equal(service(g).inputs.enableExecuteCommand, true);
  });

  it("lets the task role, and only it, open the SSM message channels", () => {
    const [taskRole] = g.depsOf(td(g), "taskRoleArn");
    const policies = g.ofType(T.rolePolicy).filter((p) => String(p.inputs.policy).includes("ssmmessages"));
    assert.equal(policies.length, 1);
    assertFedBy(policies[0], "role", taskRole);
    const actions = json(policies[0].inputs.policy).Statement.flatMap((s: any) => [s.Action].flat());
    assert.deepEqual([...actions].sort(), [
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ]);
  });

  it("runs an init process in the container to reap the exec shells", () => {
    assert.equal(container(g).linuxParameters.initProcessEnabled, true);
  });
});

describe("LoadBalancedService with a certificate (HTTPS)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ certificateArn: CERTIFICATE });
  });

  it("listens for HTTPS on 443 with the TLS 1.2+ policy and the certificate, forwarding to the target group", () => {
    const l = httpsListener(g);
    assert.ok(l, "an HTTPS listener");
    const tg = g.one(T.tg);
    assert.equal(l.inputs.protocol, "HTTPS");
    assert.equal(l.inputs.sslPolicy, TLS_POLICY);
    assert.match(TLS_POLICY, /^ELBSecurityPolicy-TLS13-1-2-/);
    assert.equal(l.inputs.certificateArn, CERTIFICATE);
    assert.equal(l.inputs.loadBalancerArn, g.one(T.alb).outputs.arn);
    assert.deepEqual(l.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.outputs.arn }]);
    assertFedBy(l, "defaultActions", tg);
  });

  it("redirects HTTP to HTTPS 443 with a 301", () => {
    assert.deepEqual(httpListener(g).inputs.defaultActions, [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }]);
  });

  it("starts the service only after the HTTPS listener exists (its target group joins the ALB there)", () => {
    const https = httpsListener(g);
    assert.ok(https, "an HTTPS listener");
    assertDependsOn(service(g), https);
    assertDependsOn(service(g), httpListener(g));
  });

  it("exports an https:// URL", () => {
    assert.equal(g.recording.outputs.url, `https://${g.one(T.alb).outputs.dnsName}`);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, true);
  });
});

describe("LoadBalancedService with autoscaling (2..7 tasks, CPU 55 %, 500 requests per task)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({
      autoscaling: "true", autoscalingMinCount: "2", autoscalingMaxCount: "7", autoscalingCpuTarget: "55",
      autoscalingRequestsPerTarget: "500", desiredCount: "3",
    });
  });

  it("registers the service's desired count as a scalable target between the configured bounds", () => {
    const target = g.one(T.scalingTarget);
    const s = service(g);
    const cluster = g.one(T.cluster);
    assert.equal(target.inputs.serviceNamespace, "ecs");
    assert.equal(target.inputs.scalableDimension, "ecs:service:DesiredCount");
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [2, 7]);
    assert.equal(target.inputs.resourceId, `service/${cluster.outputs.name}/${s.outputs.name}`);
    assertFedBy(target, "resourceId", s);
    assertFedBy(target, "resourceId", cluster);
  });

  it("tracks average CPU at the configured target", () => {
    const target = g.one(T.scalingTarget);
    const cpu = g.ofType(T.scalingPolicy).filter((p) => p.inputs.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification?.predefinedMetricType === "ECSServiceAverageCPUUtilization");
    assert.equal(cpu.length, 1);
    assert.equal(cpu[0].inputs.policyType, "TargetTrackingScaling");
    assert.equal(cpu[0].inputs.targetTrackingScalingPolicyConfiguration.targetValue, 55);
    assert.equal(cpu[0].inputs.resourceId, target.inputs.resourceId);
    assertFedBy(cpu[0], "resourceId", target);
  });

  it("tracks ALB requests per target on <alb arnSuffix>/<target group arnSuffix>", () => {
    const target = g.one(T.scalingTarget);
    const alb = g.one(T.alb);
    const tg = g.one(T.tg);
    const requests = g.ofType(T.scalingPolicy).filter((p) => p.inputs.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification?.predefinedMetricType === "ALBRequestCountPerTarget");
    assert.equal(requests.length, 1);
    const config = requests[0].inputs.targetTrackingScalingPolicyConfiguration;
    assert.equal(requests[0].inputs.policyType, "TargetTrackingScaling");
    assert.equal(config.targetValue, 500);
    assert.equal(config.predefinedMetricSpecification.resourceLabel, `${alb.outputs.arnSuffix}/${tg.outputs.arnSuffix}`);
    assertFedBy(requests[0], "targetTrackingScalingPolicyConfiguration", alb);
    assertFedBy(requests[0], "targetTrackingScalingPolicyConfiguration", tg);
    assertFedBy(requests[0], "resourceId", target);
    assert.equal(g.ofType(T.scalingPolicy).length, 2);
  });

  it("starts with desiredCount and then leaves it to the scaler (ignoreChanges)", () => {
    assert.equal(service(g).inputs.desiredCount, 3);
    const ignored = service(g).options.ignoreChanges;
    assert.ok(ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
  });
});

describe("LoadBalancedService with access logs (accessLogs: true, 90-day retention)", () => {
  let g: Graph;
  let bucket: RecordedResource;
  /** The one resource of `type` configuring the log bucket. */
  const onBucket = (type: string) => {
    const found = g.ofType(type).filter((r) => fedBy(r, "bucket", bucket));
    assert.equal(found.length, 1, `${type} on the log bucket`);
    return found[0];
  };
  before(async () => {
    g = await recordSeed({ accessLogs: "true", logRetentionDays: "90" });
    bucket = g.one(T.bucket);
  });

  it("blocks every kind of public access to the log bucket", () => {
    const block = onBucket(T.publicAccess);
    assert.deepEqual([block.inputs.blockPublicAcls, block.inputs.blockPublicPolicy, block.inputs.ignorePublicAcls, block.inputs.restrictPublicBuckets], [true, true, true, true]);
  });

  it("encrypts logs with SSE-S3 (AES256, what ALB log delivery supports)", () => {
    assert.deepEqual(onBucket(T.encryption).inputs.rules.map((r: any) => r.applyServerSideEncryptionByDefault.sseAlgorithm), ["AES256"]);
  });

  it("disables ACLs (BucketOwnerEnforced)", () => {
    assert.equal(onBucket(T.ownership).inputs.rule.objectOwnership, "BucketOwnerEnforced");
  });

  it("expires logs after logRetentionDays", () => {
    const rules = onBucket(T.lifecycle).inputs.rules;
    assert.equal(rules.length, 1);
    assert.equal(rules[0].status, "Enabled");
    assert.equal(rules[0].expiration.days, 90);
  });

  it("lets only the us-east-1 ELB account put objects, and denies any request without TLS", () => {
    const policy = json(onBucket(T.bucketPolicy).inputs.policy);
    const allow = policy.Statement.filter((s: any) => s.Effect === "Allow");
    assert.equal(allow.length, 1);
    assert.deepEqual(allow[0].Principal, { AWS: US_EAST_1_ELB });
    assert.deepEqual([allow[0].Action].flat(), ["s3:PutObject"]);
    for (const resource of [allow[0].Resource].flat()) assert.ok(String(resource).startsWith(`${bucket.outputs.arn}/`), resource);
    const deny = policy.Statement.filter((s: any) => s.Effect === "Deny");
    assert.equal(deny.length, 1);
    assert.equal(deny[0].Condition.Bool["aws:SecureTransport"], "false");
    assert.deepEqual([deny[0].Action].flat(), ["s3:*"]);
    assert.deepEqual([deny[0].Resource].flat().sort(), [bucket.outputs.arn, `${bucket.outputs.arn}/*`]);
  });

  it("turns ALB access logs on into that bucket, after its policy allows delivery", () => {
    const alb = g.one(T.alb);
    assert.equal(alb.inputs.accessLogs.enabled, true);
    assert.equal(alb.inputs.accessLogs.bucket, bucket.outputs.bucket);
    assertFedBy(alb, "accessLogs", bucket);
    assertDependsOn(alb, onBucket(T.bucketPolicy));
  });

  it("keeps the container log group for the same retention", () => {
    assert.equal(g.one(T.logGroup, "web-logs").inputs.retentionInDays, 90);
  });
});

describe("LoadBalancedService with deletion protection (deletionProtection: true)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ deletionProtection: "true" });
  });

  it("protects the ALB from deletion", () => {
    assert.equal(g.one(T.alb).inputs.enableDeletionProtection, true);
  });
});

describe("LoadBalancedService running the team's own image (appPath)", () => {
  let appPath: string;
  let context: string;
  let tmp: string | undefined;
  before(() => {
    if (fs.existsSync(path.join(ROOT, "app", "Dockerfile"))) {
      appPath = "app";
      context = path.join(ROOT, "app");
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-ec2-api-app-"));
      fs.writeFileSync(path.join(tmp, "Dockerfile"), "FROM public.ecr.aws/docker/library/nginx:latest\n");
      appPath = context = tmp;
    }
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("on x86_64 hosts (c5.xlarge)", () => {
    let g: Graph;
    before(async () => {
      g = await recordSeed({ appPath, containerPort: "8080" });
    });

    it("creates an ECR repository that scans on push, has immutable tags and a lifecycle policy", () => {
      const repo = g.one(T.repository);
      assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
      assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
      assert.ok(repo.inputs.lifecyclePolicy?.rules?.length >= 1, JSON.stringify(repo.inputs.lifecyclePolicy));
    });

    it("builds the image from the appPath folder for linux/amd64 and pushes it to that repository", () => {
      const image = g.one(T.image);
      const repo = g.one(T.repository);
      assert.equal(image.inputs.context, context);
      assert.equal(image.inputs.platform, "linux/amd64");
      assert.equal(image.inputs.repositoryUrl, repo.outputs.url);
      assertFedBy(image, "repositoryUrl", repo);
    });

    it("runs the pushed image (its imageUri), not imageUrl", () => {
      const image = g.one(T.image);
      assert.ok(image.outputs.imageUri, "the mock image has a URI");
      assert.equal(container(g).image, image.outputs.imageUri);
      assertFedBy(td(g), "containerDefinitions", image);
    });
  });

  describe("on Graviton hosts (c7g.large, arm64 AMI)", () => {
    let g: Graph;
    before(async () => {
      g = await recordSeed({ appPath, containerPort: "8080", instanceType: "c7g.large", ecsAmiParameter: ARM64_AMI_PARAMETER });
    });

    it("builds the image for linux/arm64", () => {
      assert.equal(g.one(T.image).inputs.platform, "linux/arm64");
      assert.equal(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, "c7g.large");
      assert.equal(container(g).image, g.one(T.image).outputs.imageUri);
    });
  });
});

describe("the service in a prod-shaped stack (3 AZs, HTTPS, autoscaling, access logs, deletion protection)", () => {
  let g: Graph;
  const config = {
    "ecs-ec2-api:availabilityZones": "3", "ecs-ec2-api:certificateArn": CERTIFICATE, "ecs-ec2-api:autoscaling": "true",
    "ecs-ec2-api:autoscalingMinCount": "3", "ecs-ec2-api:autoscalingMaxCount": "12", "ecs-ec2-api:desiredCount": "3",
    "ecs-ec2-api:accessLogs": "true", "ecs-ec2-api:deletionProtection": "true",
  };
  before(async () => {
    g = await recordSeed(Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace("ecs-ec2-api:", ""), v])));
  });

  it("spans 3 public and 3 private subnets: the ALB in the public ones, the tasks in the private ones", () => {
    const { publicSubnets, privateSubnets } = subnetsByTier(g);
    assert.equal(publicSubnets.length, 3);
    assert.equal(privateSubnets.length, 3);
    assert.deepEqual(g.one(T.alb).inputs.subnets, publicSubnets.map((s) => s.id));
    assert.deepEqual(service(g).inputs.networkConfiguration.subnets, privateSubnets.map((s) => s.id));
    assert.equal(service(g).inputs.networkConfiguration.assignPublicIp, false);
  });

  it("serves HTTPS with the stack's certificate and redirects HTTP", () => {
    const l = httpsListener(g);
    assert.ok(l, "an HTTPS listener");
    assert.equal(l.inputs.certificateArn, config["ecs-ec2-api:certificateArn"]);
    assert.equal(l.inputs.sslPolicy, TLS_POLICY);
    assert.equal(httpListener(g).inputs.defaultActions[0].type, "redirect");
    assert.match(g.recording.outputs.url, /^https:\/\//);
  });

  it("autoscales the service within the stack's bounds", () => {
    const target = g.one(T.scalingTarget);
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity],
      [Number(config["ecs-ec2-api:autoscalingMinCount"]), Number(config["ecs-ec2-api:autoscalingMaxCount"])]);
    assert.equal(g.ofType(T.scalingPolicy).length, 2);
    const ignored = service(g).options.ignoreChanges;
    assert.ok(ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
  });

  it("writes ALB access logs to the stack's bucket", () => {
    const alb = g.one(T.alb);
    assert.equal(alb.inputs.accessLogs.enabled, true);
    assert.equal(alb.inputs.accessLogs.bucket, g.one(T.bucket).outputs.bucket);
  });

  it("protects the ALB from deletion", () => {
    assert.equal(g.one(T.alb).inputs.enableDeletionProtection, true);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, true);
  });
});

describe("LoadBalancedService with the longest service name the config allows (32 characters)", () => {
  it("keeps the load balancer's and target group's auto-names within AWS's 32 characters", async () => {
    const g = await recordSeed({ serviceName: "a-very-long-service-name-32chars" });
    for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"]) {
      const [r] = g.ofType(type);
      // Pulumi auto-names a resource "<logical name>-<7 random characters>".
      assert.ok(r.name.length + 8 <= 32, `${type} logical name ${r.name} leaves no room for the auto-name suffix`);
    }
    assert.equal(g.one("aws:ecs/service:Service").inputs.name, "a-very-long-service-name-32chars");
  });
});

describe("LoadBalancedService access logs under deletion protection", () => {
  it("leaves the log bucket and its settings in place on destroy only when the stack is protected", async () => {
    const kept = await recordSeed({ accessLogs: "true", deletionProtection: "true" });
    const bucketFamily = (g: Awaited<ReturnType<typeof recordSeed>>) => g.cloudResources.filter((r) => r.type.startsWith("aws:s3/"));
    assert.equal(bucketFamily(kept).length, 6, "bucket, public access block, ownership, encryption, lifecycle, policy");
    for (const r of bucketFamily(kept)) assert.equal(r.options.retainOnDelete, true, `${r.type} is retained`);
    assert.equal(kept.one("aws:s3/bucket:Bucket").inputs.forceDestroy, false);
    const plain = await recordSeed({ accessLogs: "true" });
    for (const r of bucketFamily(plain)) assert.equal(r.options.retainOnDelete, false, `${r.type} is deleted with the stack`);
    assert.equal(plain.one("aws:s3/bucket:Bucket").inputs.forceDestroy, true);
  });
});
