import assert from "node:assert/strict";
import { Graph, ProgramError, RecordedResource } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { projectConfig } from "../../config/stack-files";
import main = require("../../index");
import { defaultRouteTarget, recordSeed, routeTableOf } from "../helpers";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  attach: "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
  rt: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
};

/** The network's cloud resources: everything under the Network component. */
function networkResources(g: Graph): RecordedResource[] {
  const root = g.one("ecs-ec2-api:network:Network");
  const under = (r: RecordedResource): boolean => r.parent === root.urn || (!!r.parent && under(g.byUrn.get(r.parent)!));
  return g.cloudResources.filter(under);
}
/** The one resource of `type` among `deps`. */
const one = (deps: RecordedResource[], type: string) => {
  const found = deps.filter((d) => d.type === type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.map((f) => f.name)}`);
  return found[0];
};
describe("Network with the seed's values (10.0.0.0/16, 2 AZs, a NAT gateway per AZ)", () => {
  let g: Graph;
  before(async () => { g = await recordSeed(); });

  it("registers the seed's 21 network resources plus the S3 gateway endpoint", () => {
    const counts: Record<string, number> = {};
    for (const r of networkResources(g)) counts[r.type] = (counts[r.type] ?? 0) + 1;
    assert.deepEqual(counts, {
      [T.vpc]: 1, [T.subnet]: 4, [T.igw]: 1, [T.attach]: 1, [T.rt]: 3, [T.route]: 3, [T.assoc]: 4,
      [T.eip]: 2, [T.nat]: 2, [T.endpoint]: 1,
    });
    assert.equal(networkResources(g).length, 22);
  });

  it("creates the VPC with DNS support and hostnames", () => {
    const vpc = g.one(T.vpc);
    assert.deepEqual([vpc.inputs.cidrBlock, vpc.inputs.enableDnsSupport, vpc.inputs.enableDnsHostnames], ["10.0.0.0/16", true, true]);
  });

  it("uses the seed's CIDRs, public first, one of each per AZ", () => {
    const subnets = g.ofType(T.subnet).map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch]);
    assert.deepEqual(subnets.sort(), [
      ["api-private-1", "10.0.128.0/18", "us-east-1a", false],
      ["api-private-2", "10.0.192.0/18", "us-east-1b", false],
      ["api-public-1", "10.0.0.0/18", "us-east-1a", true],
      ["api-public-2", "10.0.64.0/18", "us-east-1b", true],
    ]);
  });

  it("routes both public subnets through one table to the internet gateway", () => {
    const tables = ["api-public-1", "api-public-2"].map((n) => routeTableOf(g, g.named(n, T.subnet)));
    assert.equal(tables[0].urn, tables[1].urn);
    assert.equal(defaultRouteTarget(g, tables[0]).type, T.igw);
  });

  it("adds the public default route only after the gateway is attached", () => {
    const route = g.named("api-public-default");
    assert.ok(g.depsOf(route).some((d) => d.type === T.attach), "the public route depends on the attachment");
  });

  it("gives each private subnet its own table whose default route is its own AZ's NAT gateway", () => {
    for (const i of [1, 2]) {
      const table = routeTableOf(g, g.named(`api-private-${i}`, T.subnet));
      const nat = defaultRouteTarget(g, table);
      assert.equal(nat.name, `api-nat-${i}`);
      const natSubnet = one(g.depsOf(nat, "subnetId"), T.subnet);
      assert.equal(natSubnet.name, `api-public-${i}`, "a NAT gateway lives in the public subnet of its AZ");
      const eip = one(g.depsOf(nat, "allocationId"), T.eip);
      assert.equal(eip.inputs.domain, "vpc");
    }
    assert.notEqual(routeTableOf(g, g.named("api-private-1", T.subnet)).urn, routeTableOf(g, g.named("api-private-2", T.subnet)).urn);
  });

  it("never routes a private subnet to the internet gateway", () => {
    for (const s of g.ofType(T.subnet).filter((s) => !s.inputs.mapPublicIpOnLaunch)) {
      assert.notEqual(defaultRouteTarget(g, routeTableOf(g, s)).type, T.igw, s.name);
    }
  });

  it("puts the S3 gateway endpoint on every private route table", () => {
    const endpoint = g.one(T.endpoint);
    assert.equal(endpoint.inputs.serviceName, "com.amazonaws.us-east-1.s3");
    assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
    const tables = g.depsOf(endpoint, "routeTableIds").map((t) => t.name).sort();
    assert.deepEqual(tables, ["api-private-rt-1", "api-private-rt-2"]);
  });

  it("exports the VPC and subnet ids", () => {
    assert.equal(g.recording.outputs.vpcId, g.one(T.vpc).id);
    assert.deepEqual(g.recording.outputs.publicSubnetIds, [g.named("api-public-1", T.subnet).id, g.named("api-public-2", T.subnet).id]);
    assert.deepEqual(g.recording.outputs.privateSubnetIds, [g.named("api-private-1", T.subnet).id, g.named("api-private-2", T.subnet).id]);
  });

  it("has no flow logs unless asked", () => {
    assert.equal(g.ofType(T.flowLog).length, 0);
  });
});

describe("Network variants", () => {
  it("shares one NAT gateway between all private route tables when natGateways = single", async () => {
    const g = await recordSeed({ natGateways: "single", availabilityZones: "3" });
    assert.equal(g.ofType(T.nat).length, 1);
    assert.equal(g.ofType(T.eip).length, 1);
    const targets = [1, 2, 3].map((i) => defaultRouteTarget(g, routeTableOf(g, g.named(`api-private-${i}`, T.subnet))).name);
    assert.deepEqual(targets, ["api-nat-1", "api-nat-1", "api-nat-1"]);
    assert.equal(g.ofType(T.rt).length, 4, "still one private route table per AZ");
  });

  it("generalizes the plan to 3 AZs and another CIDR, one NAT gateway per AZ", async () => {
    const g = await recordSeed({ availabilityZones: "3", vpcCidr: "172.20.0.0/20" });
    const cidr = (n: string) => g.named(n, T.subnet).inputs.cidrBlock;
    assert.deepEqual([1, 2, 3].map((i) => cidr(`api-public-${i}`)), ["172.20.0.0/23", "172.20.2.0/23", "172.20.4.0/23"]);
    assert.deepEqual([1, 2, 3].map((i) => cidr(`api-private-${i}`)), ["172.20.8.0/23", "172.20.10.0/23", "172.20.12.0/23"]);
    assert.deepEqual([1, 2, 3].map((i) => g.named(`api-private-${i}`, T.subnet).inputs.availabilityZone), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.deepEqual([1, 2, 3].map((i) => defaultRouteTarget(g, routeTableOf(g, g.named(`api-private-${i}`, T.subnet))).name), ["api-nat-1", "api-nat-2", "api-nat-3"]);
  });

  it("sends flow logs of all traffic to a retained log group through a role scoped to it", async () => {
    const g = await recordSeed({ flowLogs: "true", logRetentionDays: "90" });
    const flow = g.one(T.flowLog);
    assert.equal(flow.inputs.trafficType, "ALL");
    const group = one(g.depsOf(flow, "logDestination"), "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(group.inputs.retentionInDays, 90);
    assert.equal(one(g.depsOf(flow, "vpcId"), T.vpc).type, T.vpc);
    const policy = g.one("aws:iam/rolePolicy:RolePolicy", "flow-logs");
    assert.deepEqual(JSON.parse(policy.inputs.policy).Statement[0].Resource, [group.outputs.arn, `${group.outputs.arn}:*`]);
  });
});

describe("Network AZ choice: subnets never move between runs (rule of the real path)", () => {
  // A subnet cannot change AZ: the replacement with the same CIDR is refused by EC2
  // (InvalidSubnet.Conflict) and would drag the NAT gateways, the ALB and the hosts along. So subnet i's
  // AZ must not depend on data that changes between runs: AZ availability, instance-type offerings.
  const config = { ...projectConfig().values, "aws:region": "us-east-1", "ecs-ec2-api:availabilityZones": "3" };
  const names = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
  const run = async (zones: { unavailable?: string[]; offering?: string[] }, overrides: Record<string, string> = {}) =>
    new Graph(await runProgram(main, { stack: "az", config: { ...config, ...overrides }, zones: { names, ...zones } }));
  /** Every subnet by name: its AZ and CIDR. */
  const layout = (g: Graph) => Object.fromEntries(g.ofType(T.subnet).map((s) => [s.name, [s.inputs.availabilityZone, s.inputs.cidrBlock]]));

  it("takes the region's first standard AZs by name", async () => {
    const g = await run({});
    assert.deepEqual([1, 2, 3].map((i) => g.named(`api-private-${i}`, T.subnet).inputs.availabilityZone), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.deepEqual([1, 2, 3].map((i) => g.named(`api-public-${i}`, T.subnet).inputs.availabilityZone), ["us-east-1a", "us-east-1b", "us-east-1c"]);
  });

  it("keeps every subnet's AZ and CIDR when an AZ is impaired (not \"available\")", async () => {
    assert.deepEqual(layout(await run({ unavailable: ["us-east-1b"] })), layout(await run({})));
  });

  it("keeps every subnet's AZ and CIDR when AWS adds or removes the instance type in an AZ", async () => {
    const before = layout(await run({ offering: ["us-east-1a", "us-east-1c", "us-east-1d"] }));
    assert.deepEqual(layout(await run({ offering: names })), before);
  });

  it("keeps every subnet's AZ and CIDR when instanceType changes to a type offered elsewhere", async () => {
    const before = layout(await run({ offering: ["us-east-1a", "us-east-1b", "us-east-1c"] }));
    assert.deepEqual(layout(await run({ offering: ["us-east-1b", "us-east-1c", "us-east-1d"] }, { "ecs-ec2-api:instanceType": "m7i.large" })), before);
  });

  it("uses availabilityZoneNames when set, as plain values known in preview", async () => {
    const g = await run({}, { "ecs-ec2-api:availabilityZoneNames": '["us-east-1d","us-east-1e","us-east-1f"]' });
    assert.deepEqual([1, 2, 3].map((i) => g.named(`api-private-${i}`, T.subnet).inputs.availabilityZone), ["us-east-1d", "us-east-1e", "us-east-1f"]);
  });

  it("launches hosts only in the AZs that offer the instance type, and says so", async () => {
    const recording = await runProgram(main, { stack: "az", config, zones: { names, offering: ["us-east-1a", "us-east-1c", "us-east-1d"] } });
    const g = new Graph(recording);
    const asg = g.one("aws:autoscaling/group:Group");
    assert.deepEqual(asg.inputs.vpcZoneIdentifiers, ["api-private-1-id", "api-private-3-id"]);
    assert.ok(recording.warnings.some((w) => /c5\.xlarge is not offered in us-east-1b: hosts launch only in us-east-1a, us-east-1c/.test(w)), recording.warnings.join("\n"));
  });

  it("fails in preview, naming the type and the AZs that offer it, when none of the stack's AZs does", async () => {
    const error = await runProgram(main, { stack: "az", config, preview: true, zones: { names, offering: ["us-east-1d", "us-east-1e"] } }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, `expected the program to fail, got ${error}`);
    assert.match(error.message, /instanceType c5\.xlarge is not offered in any of the stack's AZs \(us-east-1a, us-east-1b, us-east-1c\); .*availabilityZoneNames to AZs that offer it \(us-east-1d, us-east-1e\)/);
  });

  it("fails when the region has fewer standard AZs than asked for", async () => {
    const error = await runProgram(main, { stack: "az", config, zones: { names: ["us-east-1a", "us-east-1b"] } }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, `expected the program to fail, got ${error}`);
    assert.match(error.message, /availabilityZones = 3, but us-east-1 has 2 standard AZs: us-east-1a, us-east-1b/);
  });
});
