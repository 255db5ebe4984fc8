/**
 * What the lookups of an existing VPC find (components/existing-network.ts reads them, config/
 * existing-network.ts judges them): the VPC, each subnet and the default routes of its route table.
 */

/**
 * Where a route sends its traffic, by the kind of its target. "endpoint": a VPC endpoint (vpce-...) as a
 * route target, which is an AWS Network Firewall endpoint or a Gateway Load Balancer endpoint (an
 * interface or gateway endpoint is no route target for 0.0.0.0/0).
 */
export type RouteTarget = "internet-gateway" | "nat-gateway" | "transit-gateway" | "endpoint" | "other";

/** A route of 0.0.0.0/0 or ::/0. */
export interface DefaultRoute {
  destination: "0.0.0.0/0" | "::/0";
  kind: RouteTarget;
  /** The target's id (igw-..., nat-..., tgw-..., eni-..., vpce-...). */
  target: string;
}

/** What the lookups found about one subnet. Undefined fields are unknown (the offline plan's assumptions). */
export interface SubnetFacts {
  id: string;
  /** Set when the lookup failed: no such subnet (the provider's message). */
  missing?: string;
  vpcId?: string;
  availabilityZone?: string;
  cidrBlock?: string;
  /** Free addresses now. */
  availableIpAddressCount?: number;
  mapPublicIpOnLaunch?: boolean;
  /** The route table the subnet uses (its own association, else the VPC's main table); undefined when none was found. */
  routeTable?: { id: string; main: boolean; defaultRoutes: DefaultRoute[] };
  /**
   * The account that owns the subnet, when it is not the deploying one: a subnet shared through AWS RAM,
   * whose route tables the owner keeps and participants cannot describe.
   */
  sharedBy?: string;
}

/** A route of the internet gateway's edge route table (the table associated with the gateway itself). */
export interface EdgeRoute {
  destination: string;
  target: string;
}

/**
 * The internet gateway attached to the VPC and its edge route table, looked up when a public subnet's
 * default route goes to an endpoint (a firewall's inspection layout). `id` undefined: none is attached.
 */
export interface InternetGatewayFacts {
  id?: string;
  /** The edge route table's id and routes; undefined when the gateway has none. */
  edgeTable?: { id: string; routes: EdgeRoute[] };
}

/** A lookup the deploying role may not make: the key and id it was for, the IAM action it needs. */
export interface DeniedLookup {
  key: "vpcId" | "publicSubnetIds" | "privateSubnetIds";
  id: string;
  action: string;
  message: string;
}

export interface NetworkFacts {
  vpc: { id: string; missing?: string; cidrBlock?: string };
  subnets: SubnetFacts[];
  internetGateway?: InternetGatewayFacts;
  /** Lookups refused for want of permission: the other facts are then incomplete. */
  denied?: DeniedLookup[];
}

/**
 * The IAM action behind each lookup of an existing network (components/existing-network.ts): what the
 * deploying role needs, read-only; a refusal names it (config/existing-network.ts).
 */
export const LOOKUP_ACTIONS = {
  getVpc: "ec2:DescribeVpcs",
  getSubnet: "ec2:DescribeSubnets",
  getRouteTables: "ec2:DescribeRouteTables",
  getRouteTable: "ec2:DescribeRouteTables",
  getInternetGateway: "ec2:DescribeInternetGateways",
} as const;

/** The error codes AWS answers a call the caller may not make with (EC2 UnauthorizedOperation, others AccessDenied). */
const PERMISSION_CODE_RE = /UnauthorizedOperation|AccessDenied|AuthFailure/i;

/** The permission error code in an AWS error's message, as it is written there; undefined when it names none. */
export function permissionErrorCode(message: string): string | undefined {
  return PERMISSION_CODE_RE.exec(message)?.[0];
}

/** An AWS error that says the caller may not make the call: one of those codes, or IAM's "not authorized to perform". */
export function isPermissionError(message: string): boolean {
  return PERMISSION_CODE_RE.test(message) || /not authorized to perform/i.test(message);
}

/** Decides where a route goes from its target's id (a route table lookup's fields). */
export function routeTarget(route: Record<string, unknown>): { kind: RouteTarget; target: string } | undefined {
  const str = (k: string) => (typeof route[k] === "string" && route[k] !== "" ? (route[k] as string) : undefined);
  const gateway = str("gatewayId");
  if (gateway?.startsWith("igw-")) return { kind: "internet-gateway", target: gateway };
  if (str("natGatewayId")) return { kind: "nat-gateway", target: str("natGatewayId")! };
  if (str("transitGatewayId")) return { kind: "transit-gateway", target: str("transitGatewayId")! };
  // The provider reports a route to a Network Firewall or Gateway Load Balancer endpoint as vpcEndpointId
  // (EC2 answers GatewayId vpce-...: terraform-provider-aws vpc_route_table_data_source.go dataSourceRoutesRead).
  const endpoint = str("vpcEndpointId") ?? (gateway?.startsWith("vpce-") ? gateway : undefined);
  if (endpoint) return { kind: "endpoint", target: endpoint };
  for (const k of ["networkInterfaceId", "vpcEndpointId", "coreNetworkArn", "vpcPeeringConnectionId", "egressOnlyGatewayId", "instanceId", "localGatewayId", "carrierGatewayId", "gatewayId"]) {
    if (str(k)) return { kind: "other", target: str(k)! };
  }
  return undefined;
}
