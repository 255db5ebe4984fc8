/**
 * The mock engine's answers to the lookups of an existing network (a VPC, its subnets, their route tables):
 * canned facts for tests, or the network a project's config describes, as the offline plan assumes it.
 */
import * as pulumi from "@pulumi/pulumi";

/** The account the mock engine deploys as (getCallerIdentity; the owner of what it describes unless told otherwise). */
export const ACCOUNT_ID = "123456789012";

/** An account's network as EC2 would describe it: what the existing-network lookups read. */
export interface MockNetwork {
  vpcs: Record<string, { cidrBlock?: string }>;
  /** `ownerId`: the account that owns the subnet (default: the mock's own, ACCOUNT_ID); another one shares it through AWS RAM. */
  subnets: Record<string, { vpcId: string; availabilityZone: string; cidrBlock?: string; availableIpAddressCount?: number; mapPublicIpOnLaunch: boolean; ownerId?: string }>;
  /**
   * Route tables: the VPC whose main table it is (if it is), the subnets associated, the gateways associated
   * (an internet gateway's edge route table), and the routes. `ownerId`: a table another account owns (a
   * RAM-shared VPC's), which the deploying account cannot describe.
   */
  routeTables: Record<string, { vpcId: string; main?: boolean; subnetIds: string[]; gatewayIds?: string[]; routes: Record<string, string>[]; ownerId?: string }>;
  /** Internet gateways and the VPC each is attached to. */
  internetGateways?: Record<string, { vpcId: string }>;
  /** IAM actions the deploying role may not call (ec2:DescribeRouteTables, ...): their lookups fail as EC2 refuses them. */
  denied?: string[];
}

/** The IAM action each lookup needs (EC2 API Reference: DescribeVpcs, DescribeSubnets, DescribeRouteTables, DescribeInternetGateways). */
const ACTION_OF: Record<string, string> = {
  "aws:ec2/getVpc:getVpc": "ec2:DescribeVpcs",
  "aws:ec2/getSubnet:getSubnet": "ec2:DescribeSubnets",
  "aws:ec2/getRouteTables:getRouteTables": "ec2:DescribeRouteTables",
  "aws:ec2/getRouteTable:getRouteTable": "ec2:DescribeRouteTables",
  "aws:ec2/getInternetGateway:getInternetGateway": "ec2:DescribeInternetGateways",
};

/**
 * The network an existing network's ids describe, as the offline plan assumes it: the VPC exists; the i-th
 * public and the i-th private subnet are in it, in the region's i-th AZ (of `zones`); the public ones route
 * 0.0.0.0/0 to an internet gateway, the private ones to a NAT gateway and map no public IPs. The VPC's block
 * and the subnets' sizes are not assumed: unknown, as only a lookup in the account knows them. The project
 * says which of its keys hold the ids.
 */
export function assumedNetwork(ids: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] }, zones: string[]): { network: MockNetwork; assumptions: string[] } {
  const { vpcId } = ids;
  const publics = ids.publicSubnetIds;
  const privates = ids.privateSubnetIds;
  const zoneOf = (i: number) => zones[i % zones.length];
  const network: MockNetwork = {
    vpcs: { [vpcId]: {} },
    subnets: Object.fromEntries([
      ...publics.map((id, i) => [id, { vpcId, availabilityZone: zoneOf(i), mapPublicIpOnLaunch: true }] as const),
      ...privates.map((id, i) => [id, { vpcId, availabilityZone: zoneOf(i), mapPublicIpOnLaunch: false }] as const),
    ]),
    routeTables: {
      "rtb-assumedpublic": { vpcId, subnetIds: publics, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-assumed" }] },
      "rtb-assumedprivate": { vpcId, subnetIds: privates, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-assumed" }] },
    },
  };
  const where = (subnets: string[]) => subnets.map((id, i) => `${id} in ${zoneOf(i)}`).join(", ");
  const assumptions = [
    `offline: the existing network's lookups were answered from the stack's config, not from an account: ${vpcId} exists; `
      + `the public subnets (${where(publics)}) are in it and route 0.0.0.0/0 to an internet gateway; the private subnets (${where(privates)}) are in it, `
      + "route 0.0.0.0/0 to a NAT gateway and map no public IPs. `pulumi preview` looks each one up and refuses a subnet that is not what the config calls it",
    `offline: ${vpcId}'s block and the subnets' sizes are unknown here (known after up): the address-room checks run in \`pulumi preview\``,
  ];
  return { network, assumptions };
}

/** EC2's answer to a lookup of `network`, or an error as the provider reports a failed one. */
export function lookUp(network: MockNetwork | undefined, token: string, inputs: Record<string, any>, preview: boolean): Record<string, any> {
  // Facts the mock does not know are unknown, as in preview; a plain invoke at up reads them as undefined.
  const fact = <T>(v: T | undefined) => (v === undefined ? pulumi.unknown : v);
  const fail = (what: string) => {
    const message = `invoking ${token}: 1 error occurred: * ${what}`;
    throw Object.assign(new Error(message), { details: message });
  };
  const net = network ?? { vpcs: {}, subnets: {}, routeTables: {} };
  const filter = (name: string) => (inputs.filters ?? []).find((f: any) => f.name === name)?.values?.[0];
  const action = ACTION_OF[token];
  if (action && net.denied?.includes(action)) {
    // What the provider reports for an EC2 call the role's policies do not allow (AWS SDK for Go v2's form).
    const operation = action.replace(/^ec2:/, "");
    fail(`reading EC2: operation error EC2: ${operation}, https response error StatusCode: 403, RequestID: 3f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b, api error UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/deploy/ci is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
  }
  // A RAM participant describes only its own route tables: the owner's are not in its answers.
  const visible = Object.entries(net.routeTables).filter(([, t]) => (t.ownerId ?? ACCOUNT_ID) === ACCOUNT_ID);
  switch (token) {
    case "aws:ec2/getVpc:getVpc": {
      const vpc = net.vpcs[inputs.id];
      if (!vpc) fail("no matching EC2 VPC found");
      // At up the SDK hands an invoke's unknowns to the program as undefined, and the rules to the VPC's
      // block would lose their destination: the plan's own placeholder for a value it cannot know stands in.
      return { id: inputs.id, cidrBlock: vpc.cidrBlock ?? (preview ? pulumi.unknown : "(known after up)") }; // report.ts KNOWN_AFTER_UP
    }
    case "aws:ec2/getSubnet:getSubnet": {
      const s = net.subnets[inputs.id];
      if (!s) fail("no matching EC2 Subnet found");
      return { id: inputs.id, vpcId: s.vpcId, availabilityZone: s.availabilityZone, cidrBlock: fact(s.cidrBlock), availableIpAddressCount: fact(s.availableIpAddressCount), mapPublicIpOnLaunch: s.mapPublicIpOnLaunch, ownerId: s.ownerId ?? ACCOUNT_ID };
    }
    case "aws:ec2/getRouteTables:getRouteTables": {
      const subnet = filter("association.subnet-id");
      const gateway = filter("association.gateway-id");
      const main = filter("association.main") === "true";
      const ids = visible
        .filter(([, t]) => (subnet !== undefined ? t.subnetIds.includes(subnet) : gateway !== undefined ? (t.gatewayIds ?? []).includes(gateway) : main && t.main === true && t.vpcId === inputs.vpcId))
        .map(([id]) => id);
      return { id: "route-tables", ids };
    }
    case "aws:ec2/getRouteTable:getRouteTable": {
      const t = visible.find(([id]) => id === inputs.routeTableId)?.[1];
      if (!t) fail("no matching Route Table found");
      return { id: inputs.routeTableId, routeTableId: inputs.routeTableId, vpcId: t!.vpcId, routes: t!.routes };
    }
    case "aws:ec2/getInternetGateway:getInternetGateway": {
      const vpcId = filter("attachment.vpc-id");
      const found = Object.entries(net.internetGateways ?? {}).find(([, g]) => g.vpcId === vpcId);
      if (!found) fail("no matching EC2 Internet Gateway found");
      return { id: found![0], internetGatewayId: found![0], attachments: [{ vpcId, state: "available" }] };
    }
    default:
      return fail(`unexpected lookup ${token}`);
  }
}
