// What the service tests share: type tokens, fixtures and the least-privilege wire check.
import assert from "node:assert/strict";
import { Graph, RecordedResource } from "../../plan/mock-engine";
import { assertFedBy, json } from "../helpers";

export const T = {
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

export const CERTIFICATE = "arn:aws:acm:us-east-1:210987654321:certificate/11111111-2222-3333-4444-555555555555";
export const ARM64_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";
/** The Elastic Load Balancing account that delivers access logs in us-east-1. */
export const US_EAST_1_ELB = "arn:aws:iam::127311923021:root";

// --- graph helpers ---

export const service = (g: Graph) => g.one(T.service);
export const td = (g: Graph) => g.one(T.td);
export const container = (g: Graph) => {
  const defs = json(td(g).inputs.containerDefinitions);
  assert.equal(defs.length, 1, "one container");
  return defs[0];
};
export const httpListener = (g: Graph) => g.ofType(T.listener).find((l) => l.inputs.port === 80)!;
export const httpsListener = (g: Graph) => g.ofType(T.listener).find((l) => l.inputs.port === 443);

/** The ALB's security group, found through the ALB's `securityGroups` input. */
export function albSg(g: Graph): RecordedResource {
  const sgs = g.depsOf(g.one(T.alb), "securityGroups").filter((r) => r.type === T.sg);
  assert.equal(sgs.length, 1);
  return sgs[0];
}
/** The tasks' security group, found through the service's `networkConfiguration` input. */
export function serviceSg(g: Graph): RecordedResource {
  const sgs = g.depsOf(service(g), "networkConfiguration").filter((r) => r.type === T.sg);
  assert.equal(sgs.length, 1);
  return sgs[0];
}

// --- security group rules, normalized across the four ways to write them ---

export interface Rule {
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

export function allRules(g: Graph): Rule[] {
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

export const WORLD = ["0.0.0.0/0", "::/0"];
export const describeRule = (r: Rule) => `${r.protocol}/${r.from}-${r.to} ${r.direction === "ingress" ? "from" : "to"} ${[...r.cidrs, ...r.peers].join(",")}`;

/** Registers the least-privilege checks of every security group rule in the program `graph()` records. */
export function itKeepsTheWireLeastPrivilege(graph: () => Graph, https: boolean, containerPort = 80): void {
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
