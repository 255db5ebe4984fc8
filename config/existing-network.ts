/**
 * An existing VPC (vpcId, publicSubnetIds, privateSubnetIds): what its lookups found, judged before the
 * program registers its first resource. Pure: the lookups are components/existing-network.ts's, this
 * decides. Every problem names the key and the subnet; a subnet that is not what the config calls it is
 * refused, a private subnet without a way out is warned about.
 */
import { covers, parseCidr } from "../lib/cidr";
import { ALB_MIN_FREE_ADDRESSES, ALB_MIN_SUBNET_PREFIX, addressNeed, networkWarnings } from "./network";
import { NAMESPACE } from "./schema";
import { ConfigError, type ExistingNetworkSpec, type StackConfig } from "./types";
import { LOOKUP_ACTIONS, permissionErrorCode, type DeniedLookup, type InternetGatewayFacts, type NetworkFacts, type SubnetFacts } from "../lib/network-facts";

export type { DefaultRoute, DeniedLookup, InternetGatewayFacts, NetworkFacts, RouteTarget, SubnetFacts } from "../lib/network-facts";

/** What the judged network gives the program. */
export interface CheckedNetwork {
  /** The VPC's IPv4 block; undefined when unknown (offline). */
  vpcCidr?: string;
  /** The AZ of each private subnet, in privateSubnetIds order. */
  privateZones: string[];
  publicZones: string[];
  warnings: string[];
}

const key = (k: keyof ExistingNetworkSpec) => `${NAMESPACE}:${k}`;
const via = (t: { id: string; main: boolean }) => `route table ${t.id}${t.main ? ", the VPC's main table" : ""}`;

/**
 * Judges the facts the lookups found against what the config calls them; throws a ConfigError listing
 * every problem, each naming the key and the subnet.
 */
export function checkExistingNetwork(config: Pick<StackConfig, "existingNetwork" | "maxSize" | "eniTrunking" | "services" | "region"> & Partial<Pick<StackConfig, "jobs">>, facts: NetworkFacts): CheckedNetwork {
  const spec = config.existingNetwork;
  if (!spec) throw new Error("checkExistingNetwork: the stack has no existing network");
  const problems: string[] = [];
  const warnings: string[] = [];
  // Lookups the role may not make leave the facts incomplete: say which, and judge nothing else.
  if (facts.denied && facts.denied.length > 0) throw new ConfigError(deniedProblems(facts.denied), "the existing network could not be checked (nothing was created)");
  const byId = new Map(facts.subnets.map((s) => [s.id, s]));
  if (facts.vpc.missing) problems.push(`${key("vpcId")} = ${JSON.stringify(spec.vpcId)} is not allowed: no such VPC in ${config.region} (${facts.vpc.missing})`);

  /** The subnets of one key that exist in the VPC; the others reported. */
  const found = (k: "publicSubnetIds" | "privateSubnetIds"): SubnetFacts[] => spec[k].flatMap((id) => {
    const s = byId.get(id);
    if (!s || s.missing) {
      problems.push(`${key(k)}: ${id} does not exist in ${config.region}${s?.missing ? ` (${s.missing})` : ""}`);
      return [];
    }
    if (s.vpcId !== undefined && s.vpcId !== spec.vpcId) {
      problems.push(`${key(k)}: ${id} belongs to ${s.vpcId}, not to vpcId ${spec.vpcId}: every subnet must be in the stack's VPC`);
      return [];
    }
    return [s];
  });
  const publics = found("publicSubnetIds");
  const privates = found("privateSubnetIds");

  // --- the load balancer's subnets ---
  const publicZones = publics.map((s) => s.availabilityZone).filter((z): z is string => z !== undefined);
  const zonesOfPublic = new Set(publicZones);
  if (publics.length === spec.publicSubnetIds.length && publicZones.length === publics.length && zonesOfPublic.size < 2) {
    problems.push(`${key("publicSubnetIds")}: ${spec.publicSubnetIds.join(", ")} are all in ${[...zonesOfPublic].join(", ")}: an Application Load Balancer needs subnets in 2 AZs or more`);
  }
  for (const zone of zonesOfPublic) {
    const same = publics.filter((s) => s.availabilityZone === zone).map((s) => s.id);
    if (same.length > 1) problems.push(`${key("publicSubnetIds")}: ${same.join(" and ")} are both in ${zone}: a load balancer takes one subnet per AZ`);
  }
  for (const s of publics) {
    const table = s.routeTable;
    const igw = table?.defaultRoutes.find((r) => r.destination === "0.0.0.0/0" && r.kind === "internet-gateway");
    const endpoint = table?.defaultRoutes.find((r) => r.destination === "0.0.0.0/0" && r.kind === "endpoint");
    if (!table && s.sharedBy) warnings.push(sharedSubnetWarning("publicSubnetIds", s));
    else if (!table) problems.push(`${key("publicSubnetIds")}: ${s.id} has no route table: an internet-facing load balancer there is unreachable`);
    else if (endpoint) {
      const judged = judgeInspection(s, table, endpoint.target, facts.internetGateway, spec.vpcId);
      if ("problem" in judged) problems.push(judged.problem);
      else warnings.push(judged.note);
    } else if (!igw) {
      const other = table.defaultRoutes.find((r) => r.destination === "0.0.0.0/0");
      problems.push(`${key("publicSubnetIds")}: ${s.id} does not route 0.0.0.0/0 to an internet gateway (${via(table)} ${other ? `sends it to ${other.target}` : "shows no default route"}): an internet-facing load balancer there is unreachable; is it a private subnet?`);
    }
    if (s.cidrBlock !== undefined) {
      const prefix = parseCidr(s.cidrBlock).prefix;
      if (prefix > ALB_MIN_SUBNET_PREFIX) problems.push(`${key("publicSubnetIds")}: ${s.id} is a /${prefix} (${s.cidrBlock}): a load balancer needs a /${ALB_MIN_SUBNET_PREFIX} or larger subnet in each AZ`);
    }
    if (s.availableIpAddressCount !== undefined && s.availableIpAddressCount < ALB_MIN_FREE_ADDRESSES) {
      problems.push(`${key("publicSubnetIds")}: ${s.id} has ${s.availableIpAddressCount} free addresses: a load balancer needs ${ALB_MIN_FREE_ADDRESSES} in each of its subnets`);
    }
  }

  // --- the hosts' and tasks' subnets ---
  const noWayOut: string[] = [];
  for (const s of privates) {
    const table = s.routeTable;
    const igw = table?.defaultRoutes.find((r) => r.kind === "internet-gateway");
    if (table && igw) {
      problems.push(`${key("privateSubnetIds")}: ${s.id} is public: ${via(table)} routes ${igw.destination} to internet gateway ${igw.target}; hosts and tasks go only in subnets without a route to an internet gateway`);
    }
    if (s.mapPublicIpOnLaunch === true) {
      problems.push(`${key("privateSubnetIds")}: ${s.id} maps a public IP to every instance launched in it (mapPublicIpOnLaunch): hosts and tasks get no public IPs here`);
    }
    if (s.availabilityZone !== undefined && publicZones.length === publics.length && !zonesOfPublic.has(s.availabilityZone)) {
      problems.push(`${key("privateSubnetIds")}: ${s.id} is in ${s.availabilityZone}, where publicSubnetIds has no subnet: the load balancer sends no traffic to targets in an AZ it is not in; add a public subnet of ${s.availabilityZone} or leave ${s.id} out`);
    }
    if (table && !igw && !table.defaultRoutes.some((r) => r.destination === "0.0.0.0/0")) noWayOut.push(`${s.id} (${via(table)})`);
    if (!table && s.sharedBy) warnings.push(sharedSubnetWarning("privateSubnetIds", s));
    else if (!table) noWayOut.push(`${s.id} (no route table found)`);
  }
  if (noWayOut.length > 0) {
    // The lookup leaves out routes propagated from a virtual private gateway (a VPN or Direct Connect):
    // terraform-provider-aws vpc_route_table_data_source.go dataSourceRoutesRead skips Origin
    // EnableVgwRoutePropagation. So "none found" is not "none".
    warnings.push(`${key("privateSubnetIds")}: ${noWayOut.join(", ")} ${noWayOut.length === 1 ? "shows" : "show"} no default route through a NAT gateway, transit gateway or appliance `
      + "(routes propagated from a VPN or Direct Connect gateway are not visible to this lookup, so one may still exist): if there is none, hosts reach ECS and pull images only through VPC endpoints "
      + "(ecs, ecs-agent, ecs-telemetry, ecr.api, ecr.dkr, logs, and the S3 gateway endpoint), which the network team must provide");
  }
  const privateZones = privates.map((s) => s.availabilityZone).filter((z): z is string => z !== undefined);
  if (privates.length === spec.privateSubnetIds.length && privateZones.length === privates.length && new Set(privateZones).size === 1) {
    warnings.push(`${key("privateSubnetIds")}: every subnet is in ${privateZones[0]}: an outage of that AZ stops every host and task`);
  }

  // --- room for every host and task interface at the deployment peak ---
  const free = privates.map((s) => s.availableIpAddressCount);
  if (privates.length > 0 && free.every((n): n is number => n !== undefined)) {
    const peak = addressNeed(config.maxSize, config.eniTrunking, config.services, config.jobs?.length ?? 0);
    const need = peak.hosts * (peak.trunking ? 2 : 1) + Math.ceil(peak.tasks);
    const total = free.reduce((a, b) => a + b, 0);
    if (total < need) {
      problems.push(`${key("privateSubnetIds")}: ${spec.privateSubnetIds.join(", ")} have ${total} free addresses, fewer than the peak of ${need}: ${peak.hosts} hosts${peak.trunking ? " and their trunk interfaces" : ""} and ${Math.ceil(peak.tasks)} task interfaces during deployments; add subnets, or lower maxSize or the task counts`);
    }
  }

  if (facts.vpc.cidrBlock !== undefined) {
    warnings.push(...networkWarnings(facts.vpc.cidrBlock).map((w) => w.replace(/^vpcCidr /, `the block of ${spec.vpcId}, `).replace(/; (choose|use) .*$/, "")));
  }
  if (problems.length > 0) throw new ConfigError(problems, `the existing network is not what the stack's configuration calls it (nothing was created)`);
  return { vpcCidr: facts.vpc.cidrBlock, privateZones, publicZones, warnings };
}

/** Every IAM action the existing-network lookups need: read-only, and none takes resource-level permissions. */
const LOOKUP_PERMISSIONS = [...new Set(Object.values(LOOKUP_ACTIONS))];

/** One problem per key and IAM action the role was refused, naming the ids it was checking. */
function deniedProblems(denied: DeniedLookup[]): string[] {
  const groups = new Map<string, DeniedLookup[]>();
  for (const d of denied) groups.set(`${d.key} ${d.action}`, [...(groups.get(`${d.key} ${d.action}`) ?? []), d]);
  return [...groups.values()].map((ds) => {
    const ids = [...new Set(ds.map((d) => d.id))];
    const reason = permissionErrorCode(ds[0].message) ?? "not authorized";
    return `${key(ds[0].key)}: ${ids.join(", ")} could not be checked: the deploying role may not call ${ds[0].action} (${reason}); `
      + `grant it ${LOOKUP_PERMISSIONS.join(", ")} (read-only, on "*": these actions take no resource-level permissions), or run with a role that has them`;
  });
}

/** A RAM-shared subnet whose route table the owner keeps: what can and cannot be checked. */
function sharedSubnetWarning(k: "publicSubnetIds" | "privateSubnetIds", s: SubnetFacts): string {
  const what = k === "publicSubnetIds" ? "routes 0.0.0.0/0 to an internet gateway" : "has a way out (NAT gateway, transit gateway or appliance) and no route to an internet gateway";
  return `${key(k)}: ${s.id} is shared with this account by ${s.sharedBy} (AWS RAM): its route table belongs to the owner, and a participant cannot describe it, so whether it ${what} is not checked here; the owner's network team confirms it`;
}

/**
 * A public subnet whose default route goes to an endpoint (AWS Network Firewall or a Gateway Load Balancer
 * endpoint): AWS's inspection layouts put the internet gateway's edge route table in front of it, sending
 * the subnet's block back through the same endpoint ("Deployment models for AWS Network Firewall", AWS
 * Network Firewall Developer Guide; "Ingress routing" in the Amazon VPC User Guide). Without that route,
 * requests arrive straight from the gateway while replies leave through the firewall, which drops them.
 */
function judgeInspection(s: SubnetFacts, table: { id: string; main: boolean }, endpoint: string, gateway: InternetGatewayFacts | undefined, vpcId: string): { note: string } | { problem: string } {
  const at = `${key("publicSubnetIds")}: ${s.id} routes 0.0.0.0/0 to endpoint ${endpoint} (${via(table)})`;
  if (!gateway?.id) return { problem: `${at}, but no internet gateway is attached to ${vpcId}: an internet-facing load balancer there is unreachable` };
  const back = gateway.edgeTable?.routes.find((r) => r.target === endpoint && (s.cidrBlock === undefined || covers(r.destination, s.cidrBlock)));
  if (!gateway.edgeTable || !back) {
    const which = gateway.edgeTable ? `its edge route table ${gateway.edgeTable.id} has no route for ${s.cidrBlock ?? "the subnet's block"} to ${endpoint}` : "it has no edge route table";
    return { problem: `${at} and internet gateway ${gateway.id}, but ${which}: requests would reach the load balancer around the firewall and its replies leave through it, which drops them; route the subnet's block to ${endpoint} in a route table associated with ${gateway.id} (AWS's inspection layout), or use a subnet routed to the gateway` };
  }
  return { note: `${key("publicSubnetIds")}: public traffic of ${s.id} is inspected: it routes 0.0.0.0/0 to endpoint ${endpoint} (${via(table)}), and internet gateway ${gateway.id}'s edge route table ${gateway.edgeTable.id} sends ${back.destination} back through it (an AWS Network Firewall or Gateway Load Balancer inspection layout): requests to the load balancer and its replies pass the firewall` };
}
