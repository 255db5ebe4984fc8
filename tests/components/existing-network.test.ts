// An existing VPC (issue 21): with vpcId, publicSubnetIds and privateSubnetIds the program creates no
// network, places the load balancer, hosts and tasks in the given subnets, and refuses, before its first
// resource, subnets that are not what the config calls them. The account's network is canned here
// (RunOptions.network); without it the mock engine assumes the config is right and says so.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Graph, ProgramError, Recording } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import type { MockNetwork } from "../../plan/mock-network";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { projectConfig } from "../../config/stack-files";
import main = require("../../index");
import brokenMain = require("../fixtures/broken-program");
import { fixturePack, planFixture } from "../helpers";
import * as pulumi from "@pulumi/pulumi";
import { showValue } from "../../plan/report";

const NS = "ecs-ec2-api";
const VPC = "vpc-0a1b2c3d4e5f60718";
const OTHER_VPC = "vpc-0f0f0f0f0f0f0f0f0";
const PUB = ["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"];
const PRIV = ["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"];
/** Another public subnet of the VPC (us-east-1c), and a private subnet of another VPC. */
const PUB_C = "subnet-0aaa0000000000003";
const FOREIGN = "subnet-0ccc0000000000001";

const NETWORK_TYPES = ["Vpc", "Subnet", "RouteTable", "Route", "RouteTableAssociation", "InternetGateway", "InternetGatewayAttachment", "Eip", "NatGateway", "VpcEndpoint", "FlowLog"]
  .map((t) => `aws:ec2/${t[0].toLowerCase()}${t.slice(1)}:${t}`);

/** A network team's VPC as EC2 describes it: two public subnets behind an IGW, two private ones behind a NAT gateway each. */
function account(change: (n: MockNetwork) => void = () => undefined): MockNetwork {
  const n: MockNetwork = {
    vpcs: { [VPC]: { cidrBlock: "10.20.0.0/16" }, [OTHER_VPC]: { cidrBlock: "10.30.0.0/16" } },
    subnets: {
      [PUB[0]]: { vpcId: VPC, availabilityZone: "us-east-1a", cidrBlock: "10.20.0.0/24", availableIpAddressCount: 250, mapPublicIpOnLaunch: true },
      [PUB[1]]: { vpcId: VPC, availabilityZone: "us-east-1b", cidrBlock: "10.20.1.0/24", availableIpAddressCount: 250, mapPublicIpOnLaunch: true },
      [PUB_C]: { vpcId: VPC, availabilityZone: "us-east-1c", cidrBlock: "10.20.2.0/24", availableIpAddressCount: 250, mapPublicIpOnLaunch: false },
      [PRIV[0]]: { vpcId: VPC, availabilityZone: "us-east-1a", cidrBlock: "10.20.16.0/20", availableIpAddressCount: 4000, mapPublicIpOnLaunch: false },
      [PRIV[1]]: { vpcId: VPC, availabilityZone: "us-east-1b", cidrBlock: "10.20.32.0/20", availableIpAddressCount: 4000, mapPublicIpOnLaunch: false },
      [FOREIGN]: { vpcId: OTHER_VPC, availabilityZone: "us-east-1b", cidrBlock: "10.30.16.0/20", availableIpAddressCount: 4000, mapPublicIpOnLaunch: false },
    },
    routeTables: {
      "rtb-0public": { vpcId: VPC, subnetIds: [PUB[0], PUB[1], PUB_C], routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0a1b2c3d" }] },
      "rtb-0private1": { vpcId: VPC, subnetIds: [PRIV[0]], routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0a1b2c3d4e5f60001" }] },
      "rtb-0private2": { vpcId: VPC, subnetIds: [PRIV[1]], routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0a1b2c3d4e5f60002" }] },
      "rtb-0main": { vpcId: VPC, main: true, subnetIds: [], routes: [] },
      "rtb-0other": { vpcId: OTHER_VPC, subnetIds: [FOREIGN], routes: [{ cidrBlock: "0.0.0.0/0", transitGatewayId: "tgw-0a1b2c3d4e5f60718" }] },
    },
  };
  change(n);
  return n;
}

/**
 * A stack with the three keys and Pulumi.yaml's values otherwise (one service, web), in us-east-1: these
 * tests measure what they set, whatever a team's own stack files hold.
 */
function existingVpcConfig(keys: { vpcId?: string; publicSubnetIds?: string[]; privateSubnetIds?: string[] } = {}, more: Record<string, string> = {}): Record<string, string> {
  const config: Record<string, string> = { ...projectConfig().values, "aws:region": "us-east-1" };
  const k = { vpcId: VPC, publicSubnetIds: PUB, privateSubnetIds: PRIV, ...keys };
  if (k.vpcId) config[`${NS}:vpcId`] = k.vpcId;
  if (k.publicSubnetIds.length) config[`${NS}:publicSubnetIds`] = JSON.stringify(k.publicSubnetIds);
  if (k.privateSubnetIds.length) config[`${NS}:privateSubnetIds`] = JSON.stringify(k.privateSubnetIds);
  for (const [key, value] of Object.entries(more)) config[`${NS}:${key}`] = value;
  return config;
}

/** The small fixture's pack config with the existing VPC's subnets, as a team that deploys into it would configure the pack. */
const PACK_CONFIG = {
  ...JSON.parse(fs.readFileSync(fixturePack("small"), "utf8")),
  "ecs-tasks-private-subnets": { externalPrivateSubnetIds: PRIV, externalPublicSubnetIds: PUB },
  "container-hosts-private": { externalPrivateSubnetIds: PRIV, externalPublicSubnetIds: PUB },
};

/** The ProgramError of a run the program refuses. */
async function refused(config: Record<string, string>, network: MockNetwork | undefined = account(), preview = true): Promise<ProgramError> {
  const error = await runProgram(main, { stack: "existing-vpc", config, preview, network }).then(() => undefined, (e) => e);
  assert.ok(error instanceof ProgramError, `expected the program to fail, got ${error}`);
  return error;
}

/** Nothing but the stack itself was registered: the check came before the first resource. */
function assertNothingCreated(recording: Recording): void {
  assert.deepEqual(recording.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
}

describe("an existing VPC (vpcId, publicSubnetIds, privateSubnetIds)", () => {
  for (const preview of [true, false]) {
    describe(`a stack in the network team's VPC, ${preview ? "in preview" : "at up"}`, () => {
      let g: Graph;
      before(async () => { g = new Graph(await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview, network: account() })); });

      it("creates no VPC, subnet, route table, route, gateway, Elastic IP, endpoint or flow log", () => {
        assert.deepEqual(g.cloudResources.filter((r) => NETWORK_TYPES.includes(r.type)).map((r) => r.name), []);
        assert.equal(g.ofType("ecs-ec2-api:network:ExistingNetwork").length, 1);
        assert.equal(g.ofType("ecs-ec2-api:network:Network").length, 0);
      });

      it("puts the load balancer in the public subnets, hosts and tasks in the private ones, every security group in the VPC", () => {
        assert.deepEqual(g.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets, PUB);
        assert.deepEqual(g.one("aws:autoscaling/group:Group").inputs.vpcZoneIdentifiers, PRIV);
        assert.deepEqual(g.one("aws:ecs/service:Service").inputs.networkConfiguration.subnets, PRIV);
        const groups = g.ofType("aws:ec2/securityGroup:SecurityGroup");
        assert.ok(groups.length >= 3, "the ALB's, the hosts' and the service's");
        for (const sg of groups) assert.equal(sg.inputs.vpcId, VPC, sg.name);
      });

      it("keeps the outputs' names: vpcId, publicSubnetIds, privateSubnetIds", () => {
        assert.deepEqual([g.recording.outputs.vpcId, g.recording.outputs.publicSubnetIds, g.recording.outputs.privateSubnetIds], [VPC, PUB, PRIV]);
      });

      it("looks up the VPC, every subnet and its route table", () => {
        const tokens = g.recording.invokes.map((i) => i.token);
        assert.ok(tokens.includes("aws:ec2/getVpc:getVpc"));
        assert.deepEqual(g.recording.invokes.filter((i) => i.token === "aws:ec2/getSubnet:getSubnet").map((i) => i.args.id).sort(), [...PUB, ...PRIV].sort());
        assert.equal(tokens.filter((t) => t === "aws:ec2/getRouteTable:getRouteTable").length, 4);
        assert.deepEqual(g.recording.assumptions, [], "canned facts: nothing assumed");
      });

      it("passes every mandatory policy with the pack config listing the subnets", async () => {
        assert.deepEqual(mandatoryFailures(await evaluatePolicies(g.recording, PACK_CONFIG)).map((v) => [v.policy, v.violations]), []);
      });
    });
  }

  it("reads the VPC's block for egress rules to `vpc` (getVpc), and shows it as known after up when only assumed", async () => {
    const more = { egressRules: JSON.stringify([{ port: 5432, cidr: "vpc" }]) };
    const rule = (r: Recording) => new Graph(r).ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find((x) => x.inputs.fromPort === 5432)!;
    assert.equal(rule(await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig({}, more), preview: true, network: account() })).inputs.cidrIpv4, "10.20.0.0/16");
    const assumed = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig({}, more), preview: true });
    assert.ok(pulumi.isUnknown(rule(assumed).inputs.cidrIpv4), "unknown offline: the plan shows (known after up)");
    assert.equal(showValue(rule(assumed).inputs.cidrIpv4), "(known after up)");
  });

  it("warns about a private subnet without a default route (images only through VPC endpoints)", async () => {
    const network = account((n) => { n.routeTables["rtb-0private2"].routes = []; });
    const recording = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: true, network });
    // Routes propagated from a VPN or Direct Connect gateway are invisible to the lookup (terraform-provider-aws
    // vpc_route_table_data_source.go dataSourceRoutesRead skips Origin EnableVgwRoutePropagation): the warning
    // says what the lookup shows, not that there is no route.
    const warning = recording.warnings.join("\n");
    assert.match(warning, /privateSubnetIds: subnet-0bbb0000000000002 \(route table rtb-0private2\) shows no default route through a NAT gateway, transit gateway or appliance \(routes propagated from a VPN or Direct Connect gateway are not visible to this lookup, so one may still exist\): if there is none, .*VPC endpoints/);
    assert.doesNotMatch(warning, /\bhas no default route\b/);
  });

  it("takes a private subnet without an association of its own through the VPC's main route table", async () => {
    const network = account((n) => { n.routeTables["rtb-0private2"].subnetIds = []; });
    const recording = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: true, network });
    assert.match(recording.warnings.join("\n"), /subnet-0bbb0000000000002 \(route table rtb-0main, the VPC's main table\) shows no default route/);
  });

  describe("refuses, before any resource, a network that is not what the config calls it", () => {
    it("a public subnet listed as private (it routes 0.0.0.0/0 to an internet gateway)", async () => {
      const e = await refused(existingVpcConfig({ privateSubnetIds: [PRIV[0], PUB_C] }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds: subnet-0aaa0000000000003 is public: route table rtb-0public routes 0\.0\.0\.0\/0 to internet gateway igw-0a1b2c3d/);
      assertNothingCreated(e.recording);
    });

    it("a private subnet that maps public IPs on launch", async () => {
      const e = await refused(existingVpcConfig(), account((n) => { n.subnets[PRIV[1]].mapPublicIpOnLaunch = true; }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds: subnet-0bbb0000000000002 maps a public IP to every instance launched in it/);
      assertNothingCreated(e.recording);
    });

    it("public subnets in one AZ", async () => {
      const e = await refused(existingVpcConfig(), account((n) => { n.subnets[PUB[1]].availabilityZone = "us-east-1a"; }));
      assert.match(e.message, /ecs-ec2-api:publicSubnetIds: subnet-0aaa0000000000001, subnet-0aaa0000000000002 are all in us-east-1a: an Application Load Balancer needs subnets in 2 AZs or more/);
      assertNothingCreated(e.recording);
    });

    it("a subnet of another VPC", async () => {
      const e = await refused(existingVpcConfig({ privateSubnetIds: [PRIV[0], FOREIGN] }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds: subnet-0ccc0000000000001 belongs to vpc-0f0f0f0f0f0f0f0f0, not to vpcId vpc-0a1b2c3d4e5f60718/);
      assertNothingCreated(e.recording);
    });

    it("a subnet or VPC that does not exist", async () => {
      const e = await refused(existingVpcConfig({ vpcId: "vpc-0123456789abcdef1", publicSubnetIds: [PUB[0], "subnet-0ddd0000000000009"] }));
      assert.match(e.message, /ecs-ec2-api:vpcId = "vpc-0123456789abcdef1" is not allowed: no such VPC in us-east-1 \(.*no matching EC2 VPC found\)/);
      assert.match(e.message, /ecs-ec2-api:publicSubnetIds: subnet-0ddd0000000000009 does not exist in us-east-1 \(.*no matching EC2 Subnet found\)/);
      assertNothingCreated(e.recording);
    });

    it("a public subnet that does not route to an internet gateway", async () => {
      const e = await refused(existingVpcConfig({ publicSubnetIds: [PUB[0], PRIV[1]], privateSubnetIds: [PRIV[0]] }));
      assert.match(e.message, /ecs-ec2-api:publicSubnetIds: subnet-0bbb0000000000002 does not route 0\.0\.0\.0\/0 to an internet gateway \(route table rtb-0private2 sends it to nat-0a1b2c3d4e5f60002\)/);
      assertNothingCreated(e.recording);
    });

    it("a private subnet in an AZ without a public one (the load balancer would not reach its tasks)", async () => {
      const e = await refused(existingVpcConfig(), account((n) => { n.subnets[PRIV[1]].availabilityZone = "us-east-1d"; }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds: subnet-0bbb0000000000002 is in us-east-1d, where publicSubnetIds has no subnet/);
    });

    it("private subnets without room for every host and task interface", async () => {
      const e = await refused(existingVpcConfig(), account((n) => { n.subnets[PRIV[0]].availableIpAddressCount = 2; n.subnets[PRIV[1]].availableIpAddressCount = 3; }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds: .* have 5 free addresses, fewer than the peak of \d+: \d+ hosts and \d+ task interfaces/);
      assertNothingCreated(e.recording);
    });

    it("two of the three keys (a config error, before any lookup)", async () => {
      const e = await refused(existingVpcConfig({ privateSubnetIds: [] }));
      assert.match(e.message, /ecs-ec2-api:privateSubnetIds = "\[\]" is not allowed: set with vpcId and publicSubnetIds: an existing network takes vpcId, publicSubnetIds and privateSubnetIds together/);
      assertNothingCreated(e.recording);
      assert.deepEqual(e.recording.invokes, []);
    });

    it("the keys of a created network set beside them (a small stack's own availabilityZones and natGateways)", async () => {
      const config = { ...existingVpcConfig(), [`${NS}:availabilityZones`]: "2", [`${NS}:natGateways`]: "single", [`${NS}:flowLogs`]: "true" };
      const e = await refused(config);
      for (const key of ["availabilityZones", "natGateways", "flowLogs"]) {
        assert.match(e.message, new RegExp(`ecs-ec2-api:${key} = "[^"]*" is not allowed: unset with vpcId: it describes the network the program creates`));
      }
      assertNothingCreated(e.recording);
    });
  });

  describe("the offline plan (no account: the network assumed to be what the config calls it)", () => {
    const keys = [
      "--config", `vpcId=${VPC}`, "--config", `publicSubnetIds=${JSON.stringify(PUB)}`, "--config", `privateSubnetIds=${JSON.stringify(PRIV)}`,
      "--config-rm", "availabilityZones", "--config-rm", "natGateways",
    ];
    let packFile: string;
    before(() => {
      packFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "existing-vpc-")), "small.json");
      fs.writeFileSync(packFile, JSON.stringify(PACK_CONFIG));
    });

    it("plans the small stack with the three keys: no network resource, the assumptions among the warnings, the ids in the settings, every mandatory policy passing", async () => {
      const { code, out } = await planFixture("small", ...keys, "--policy-config", packFile, "--json");
      const report = JSON.parse(out);
      assert.equal(code, 0, out.slice(0, 2000));
      assert.deepEqual(report.resources.filter((r: { type: string }) => NETWORK_TYPES.includes(r.type)), []);
      assert.match(report.warnings.join("\n"), /offline: the existing network's lookups were answered from the stack's config, not from an account: vpc-0a1b2c3d4e5f60718 exists; the public subnets \(subnet-0aaa0000000000001 in us-east-1a, subnet-0aaa0000000000002 in us-east-1b\)/);
      assert.match(report.warnings.join("\n"), /block and the subnets' sizes are unknown here \(known after up\)/);
      assert.match(report.settings.network.vpc, /^existing vpc-0a1b2c3d4e5f60718/);
      assert.match(report.settings.network["private subnets"], /subnet-0bbb0000000000001, subnet-0bbb0000000000002/);
      assert.match(report.settings.network.created, /^nothing/);
      assert.equal(report.cost.lines.some((l: { item: string }) => /NAT/.test(l.item)), false, "no NAT gateway to pay for");
    });

    it("with the stack's own pack config (no subnet listed), the private-subnet policies cannot prove the placement and fail", async () => {
      const { code, out } = await planFixture("small", ...keys);
      assert.equal(code, 1);
      assert.match(out, /web-service runs tasks in subnet "subnet-0bbb0000000000001", which is not managed in this stack \(list it in externalPrivateSubnetIds if it is private\)/);
    });

    it("rejects tasks placed in one of the existing VPC's public subnets (the broken program), by externalPublicSubnetIds", async () => {
      const { code, out } = await planFixture("small", ...keys, "--policy-config", packFile, "--program", "tests/fixtures/broken-program.ts");
      assert.equal(code, 1);
      assert.match(out, /web-service runs tasks in subnet "subnet-0aaa0000000000001", which is public \(externalPublicSubnetIds/);
      assert.match(out.trim().split("\n").pop()!, /^FAILED: .*ecs-tasks-private-subnets/);
    });
  });

  describe("public subnets behind a firewall (AWS Network Firewall or Gateway Load Balancer endpoints)", () => {
    // AWS's inspection layouts: the public subnet routes 0.0.0.0/0 to its AZ's firewall endpoint, and the
    // internet gateway's edge route table (a route table associated with the gateway) routes the subnet's
    // block back to the same endpoint ("Deployment models for AWS Network Firewall", AWS Network Firewall
    // Developer Guide; "Gateway route tables" / ingress routing, Amazon VPC User Guide). The provider reports
    // a route to such an endpoint as vpcEndpointId (terraform-provider-aws vpc_route_table_data_source.go
    // dataSourceRoutesRead: a GatewayId of vpce-...).
    const ENDPOINTS = ["vpce-0a1b2c3d4e5f60001", "vpce-0a1b2c3d4e5f60002"];
    const IGW = "igw-0a1b2c3d";
    const firewalled = (change: (n: MockNetwork) => void = () => undefined) => account((n) => {
      delete n.routeTables["rtb-0public"];
      n.routeTables["rtb-0pub1"] = { vpcId: VPC, subnetIds: [PUB[0]], routes: [{ cidrBlock: "0.0.0.0/0", vpcEndpointId: ENDPOINTS[0] }] };
      n.routeTables["rtb-0pub2"] = { vpcId: VPC, subnetIds: [PUB[1]], routes: [{ cidrBlock: "0.0.0.0/0", vpcEndpointId: ENDPOINTS[1] }] };
      n.routeTables["rtb-0edge"] = { vpcId: VPC, subnetIds: [], gatewayIds: [IGW], routes: [{ cidrBlock: "10.20.0.0/24", vpcEndpointId: ENDPOINTS[0] }, { cidrBlock: "10.20.1.0/24", vpcEndpointId: ENDPOINTS[1] }] };
      n.internetGateways = { [IGW]: { vpcId: VPC } };
      change(n);
    });

    it("accepts them, places the load balancer there, and says that public traffic is inspected", async () => {
      const recording = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: true, network: firewalled() });
      assert.deepEqual(new Graph(recording).one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets, PUB);
      for (const [i, id] of PUB.entries()) {
        assert.ok(recording.warnings.some((w) => w.startsWith(`ecs-ec2-api:publicSubnetIds: public traffic of ${id} is inspected: it routes 0.0.0.0/0 to endpoint ${ENDPOINTS[i]}`) && w.includes(`internet gateway ${IGW}'s edge route table rtb-0edge sends 10.20.${i}.0/24 back through it`)), recording.warnings.join("\n"));
      }
      assert.ok(recording.invokes.some((x) => x.token === "aws:ec2/getInternetGateway:getInternetGateway"), "the gateway and its edge table are looked up");
      const plain = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: true, network: account() });
      assert.ok(!plain.invokes.some((x) => x.token === "aws:ec2/getInternetGateway:getInternetGateway"), "only behind a firewall");
    });

    it("accepts an edge route that covers the subnet's block (one route for the VPC's public range)", async () => {
      const network = firewalled((n) => { n.routeTables["rtb-0pub2"].routes = [{ cidrBlock: "0.0.0.0/0", vpcEndpointId: ENDPOINTS[0] }]; n.routeTables["rtb-0edge"].routes = [{ cidrBlock: "10.20.0.0/23", vpcEndpointId: ENDPOINTS[0] }]; });
      const recording = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: false, network });
      assert.equal(recording.warnings.filter((w) => / is inspected: /.test(w)).length, 2);
    });

    it("refuses, before any resource, a firewall the replies would bypass (no edge route back through the endpoint) and a VPC without an internet gateway", async () => {
      const bypassed = await refused(existingVpcConfig(), firewalled((n) => { n.routeTables["rtb-0edge"].routes.pop(); }));
      assert.match(bypassed.message, /ecs-ec2-api:publicSubnetIds: subnet-0aaa0000000000002 routes 0\.0\.0\.0\/0 to endpoint vpce-0a1b2c3d4e5f60002 \(route table rtb-0pub2\) and internet gateway igw-0a1b2c3d, but its edge route table rtb-0edge has no route for 10\.20\.1\.0\/24 to vpce-0a1b2c3d4e5f60002: .*replies/);
      assert.doesNotMatch(bypassed.message, /subnet-0aaa0000000000001/, "the other subnet is inspected both ways");
      assertNothingCreated(bypassed.recording);
      const noGateway = await refused(existingVpcConfig(), firewalled((n) => { delete n.internetGateways; }));
      assert.match(noGateway.message, /ecs-ec2-api:publicSubnetIds: subnet-0aaa0000000000001 routes 0\.0\.0\.0\/0 to endpoint vpce-0a1b2c3d4e5f60001 \(route table rtb-0pub1\), but no internet gateway is attached to vpc-0a1b2c3d4e5f60718/);
      const noEdge = await refused(existingVpcConfig(), firewalled((n) => { n.routeTables["rtb-0edge"].gatewayIds = []; }));
      assert.match(noEdge.message, /and internet gateway igw-0a1b2c3d, but it has no edge route table/);
    });
  });

  describe("lookups the deploying role may not make (UnauthorizedOperation), and what the lookups cannot see", () => {
    // EC2 answers a call the role's policies do not allow with UnauthorizedOperation (EC2 API Reference,
    // "Error codes"); each lookup needs its Describe action (DescribeVpcs, DescribeSubnets,
    // DescribeRouteTables, DescribeInternetGateways), none of which takes resource-level permissions.
    const deny = (...actions: string[]) => account((n) => { n.denied = actions; });

    it("names the key being checked and the IAM action, before any resource, instead of a raw invoke error or a wrong verdict", async () => {
      const tables = await refused(existingVpcConfig(), deny("ec2:DescribeRouteTables"));
      assert.match(tables.message, /^the existing network could not be checked \(nothing was created\):/);
      assert.match(tables.message, /- ecs-ec2-api:publicSubnetIds: subnet-0aaa0000000000001, subnet-0aaa0000000000002 could not be checked: the deploying role may not call ec2:DescribeRouteTables \(UnauthorizedOperation\); grant it ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeRouteTables, ec2:DescribeInternetGateways/);
      assert.match(tables.message, /- ecs-ec2-api:privateSubnetIds: subnet-0bbb0000000000001, subnet-0bbb0000000000002 could not be checked: the deploying role may not call ec2:DescribeRouteTables/);
      assert.doesNotMatch(tables.message, /has no route table|invoking aws:/);
      assertNothingCreated(tables.recording);
      const vpcs = await refused(existingVpcConfig(), deny("ec2:DescribeVpcs"));
      assert.match(vpcs.message, /- ecs-ec2-api:vpcId: vpc-0a1b2c3d4e5f60718 could not be checked: the deploying role may not call ec2:DescribeVpcs/);
      assert.doesNotMatch(vpcs.message, /no such VPC/);
      const subnets = await refused(existingVpcConfig(), deny("ec2:DescribeSubnets"));
      assert.match(subnets.message, /ecs-ec2-api:publicSubnetIds: .* could not be checked: the deploying role may not call ec2:DescribeSubnets/);
      assert.doesNotMatch(subnets.message, /does not exist/);
    });

    it("says that a shared subnet's route table is the owner's (AWS RAM), not that it has none", async () => {
      // VPC sharing: participants cannot view or modify the owner's route tables (Amazon VPC User Guide,
      // "Share your VPC with other accounts": responsibilities and permissions of participants).
      const OWNER = "210987654321";
      const network = account((n) => {
        for (const id of [...PUB, ...PRIV]) n.subnets[id].ownerId = OWNER;
        for (const t of Object.values(n.routeTables)) t.ownerId = OWNER;
      });
      const recording = await runProgram(main, { stack: "existing-vpc", config: existingVpcConfig(), preview: true, network });
      const text = recording.warnings.join("\n");
      for (const id of [...PUB, ...PRIV]) assert.match(text, new RegExp(`Ids: ${id} is shared with this account by ${OWNER} \\(AWS RAM\\): its route table belongs to the owner, and a participant cannot describe it`), id);
      assert.doesNotMatch(text, /no route table found|has no route table/);
    });
  });

  it("the broken program in the existing VPC fails ecs-tasks-private-subnets at up too (ids known)", async () => {
    const recording = await runProgram(brokenMain, { stack: "existing-vpc", config: existingVpcConfig(), preview: false, network: account() });
    const failures = mandatoryFailures(await evaluatePolicies(recording, PACK_CONFIG));
    const tasks = failures.find((v) => v.policy === "ecs-tasks-private-subnets");
    assert.ok(tasks, JSON.stringify(failures.map((v) => v.policy)));
    assert.deepEqual(tasks.violations.map((v) => v.message).sort(), PUB.map((id) => `web-service runs tasks in subnet "${id}", which is public (externalPublicSubnetIds: a subnet of the existing VPC's load balancer)`));
  });
});
