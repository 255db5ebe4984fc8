/**
 * What the lookups of an existing VPC find (components/existing-network.ts reads them, config/
 * existing-network.ts judges them): the VPC, each subnet and the default routes of its route table.
 */

/** Where a route sends its traffic, by the kind of its target. */
export type RouteTarget = "internet-gateway" | "nat-gateway" | "transit-gateway" | "other";

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
}

export interface NetworkFacts {
  vpc: { id: string; missing?: string; cidrBlock?: string };
  subnets: SubnetFacts[];
}

/** Decides where a route goes from its target's id (a route table lookup's fields). */
export function routeTarget(route: Record<string, unknown>): { kind: RouteTarget; target: string } | undefined {
  const str = (k: string) => (typeof route[k] === "string" && route[k] !== "" ? (route[k] as string) : undefined);
  const gateway = str("gatewayId");
  if (gateway?.startsWith("igw-")) return { kind: "internet-gateway", target: gateway };
  if (str("natGatewayId")) return { kind: "nat-gateway", target: str("natGatewayId")! };
  if (str("transitGatewayId")) return { kind: "transit-gateway", target: str("transitGatewayId")! };
  for (const k of ["networkInterfaceId", "vpcEndpointId", "coreNetworkArn", "vpcPeeringConnectionId", "egressOnlyGatewayId", "instanceId", "localGatewayId", "carrierGatewayId", "gatewayId"]) {
    if (str(k)) return { kind: "other", target: str(k)! };
  }
  return undefined;
}
