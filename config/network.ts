/** The network: the VPC's block and AZs, and whether its subnets have room for what the config asks. */
import { formatCidr, parseCidr, planSubnets } from "../lib/cidr";
import { REGION_AZ_COUNT } from "../lib/regions";
import { ConfigReader } from "./reader";
import type { ExistingNetworkSpec, ServiceSpec, StackConfig } from "./types";
import { taskCount } from "./capacity";
import { deploymentPeakPercent } from "./releases";

export type NetworkSpec = Pick<StackConfig, "vpcCidr" | "availabilityZones" | "availabilityZoneNames" | "natGateways" | "flowLogs" | "existingNetwork"> & {
  /** The VPC block's prefix length; undefined when the block is invalid (already reported). */
  vpcPrefix?: number;
};

/** The network the program creates: the VPC's block, its AZs (how many, or which), NAT gateways and flow logs. */
export function parseNetwork(r: ConfigReader, regionName: string): NetworkSpec {
  const vpcCidr = r.str("vpcCidr");
  let vpcPrefix: number | undefined;
  try {
    const c = parseCidr(vpcCidr);
    if (c.prefix < 16 || c.prefix > 24) r.bad("vpcCidr", "an IPv4 CIDR block from /16 to /24 (AWS VPC limits), e.g. 10.0.0.0/16");
    else vpcPrefix = c.prefix;
  } catch (e) {
    r.bad("vpcCidr", `an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16 (${(e as Error).message})`);
  }
  const regionAzs = REGION_AZ_COUNT[regionName];
  const maxAzs = Math.min(6, regionAzs ?? 6);
  const availabilityZones = r.int("availabilityZones", 2, 6, "an integer from 2 to 6 (an ALB needs two AZs)");
  if (regionAzs !== undefined && availabilityZones > maxAzs) r.bad("availabilityZones", `an integer from 2 to ${maxAzs}: ${regionName} has ${regionAzs} AZs`);
  const zoneNames = r.strings("availabilityZoneNames");
  if (zoneNames.length > 0) {
    const wrong = zoneNames.filter((z) => !new RegExp(`^${regionName}[a-z]$`).test(z));
    if (wrong.length > 0) r.bad("availabilityZoneNames", `names of standard AZs of ${regionName || "the stack's region"} such as ${regionName || "us-east-1"}a (not ${wrong.join(", ")})`);
    else if (new Set(zoneNames).size !== zoneNames.length) r.bad("availabilityZoneNames", "distinct AZ names");
    else if (zoneNames.length !== availabilityZones) r.bad("availabilityZoneNames", `${availabilityZones} names, as many as availabilityZones (${availabilityZones}), or empty`);
  }
  const natGateways = r.str("natGateways");
  if (natGateways !== "perAz" && natGateways !== "single") r.bad("natGateways", "perAz or single");
  const flowLogs = r.bool("flowLogs");
  const existingNetwork = parseExistingNetwork(r);
  return { vpcCidr, vpcPrefix, availabilityZones, availabilityZoneNames: zoneNames.length > 0 ? zoneNames : undefined, natGateways: natGateways as NetworkSpec["natGateways"], flowLogs, existingNetwork };
}

/** The keys that describe the network the program creates: meaningless with an existing one. */
export const CREATED_NETWORK_KEYS = ["vpcCidr", "availabilityZones", "availabilityZoneNames", "natGateways", "flowLogs"] as const;
const EXISTING_KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const;
const VPC_ID_RE = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID_RE = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * vpcId, publicSubnetIds and privateSubnetIds: all three or none. Their form only (what the subnets are is
 * looked up and judged by existing-network.ts before the first resource). With them, the keys of the
 * network the program would create are refused when the stack sets them.
 */
function parseExistingNetwork(r: ConfigReader): ExistingNetworkSpec | undefined {
  const vpcId = r.str("vpcId");
  const publicSubnetIds = r.strings("publicSubnetIds");
  const privateSubnetIds = r.strings("privateSubnetIds");
  const given = { vpcId: vpcId !== "", publicSubnetIds: publicSubnetIds.length > 0, privateSubnetIds: privateSubnetIds.length > 0 };
  const set = EXISTING_KEYS.filter((k) => given[k]);
  if (set.length === 0) return undefined;
  const before = r.problems.length;
  for (const k of EXISTING_KEYS.filter((k) => !given[k])) {
    r.bad(k, `set with ${set.join(" and ")}: an existing network takes vpcId, publicSubnetIds and privateSubnetIds together (or none of them, and the program creates the VPC)`);
  }
  if (given.vpcId && !VPC_ID_RE.test(vpcId)) r.bad("vpcId", "a VPC id such as vpc-0123456789abcdef0");
  for (const k of ["publicSubnetIds", "privateSubnetIds"] as const) {
    const ids = k === "publicSubnetIds" ? publicSubnetIds : privateSubnetIds;
    const wrong = ids.filter((id) => !SUBNET_ID_RE.test(id));
    if (wrong.length > 0) r.bad(k, `subnet ids such as subnet-0123456789abcdef0 (not ${wrong.join(", ")})`);
    else if (new Set(ids).size !== ids.length) r.bad(k, "distinct subnet ids");
  }
  if (given.publicSubnetIds && publicSubnetIds.length < 2) r.bad("publicSubnetIds", "2 subnets or more, in different AZs: an Application Load Balancer needs two AZs");
  const both = publicSubnetIds.filter((id) => privateSubnetIds.includes(id));
  if (both.length > 0) r.bad("privateSubnetIds", `subnets that are not also public: ${both.join(", ")} is in publicSubnetIds too; the load balancer's subnets route to the internet, the hosts' and tasks' must not`);
  for (const k of CREATED_NETWORK_KEYS.filter((k) => r.has(k))) {
    r.bad(k, `unset with vpcId: it describes the network the program creates, and with an existing VPC it creates none (the VPC's block, AZs, NAT gateways and flow logs are the network team's)`);
  }
  if (r.problems.length > before) return undefined;
  return { vpcId, publicSubnetIds, privateSubnetIds };
}

/**
 * The addresses the private subnets must hold at the deployment peak: every host (and its trunk interface
 * with ENI trunking) and every task interface (each service's most tasks at its deploymentMaximumPercent).
 */
export function addressNeed(maxSize: number, trunking: boolean, services: ServiceSpec[], jobs = 0): { hosts: number; trunking: boolean; tasks: number } {
  // A scheduled job's task takes an address while it runs, as a service's does.
  return { hosts: maxSize, trunking, tasks: services.reduce((n, s) => n + taskCount(s, "peak") * deploymentPeakPercent(s.deployment) / 100, 0) + jobs };
}

/** Addresses AWS keeps in every subnet (network, router, DNS, reserved, broadcast). */
export const RESERVED_PER_SUBNET = 5;

/** An internet-facing ALB needs a /27 or larger subnet in each AZ with at least 8 free addresses. */
export const ALB_MIN_SUBNET_PREFIX = 27;
/** The free addresses an ALB needs in each of its subnets. */
export const ALB_MIN_FREE_ADDRESSES = 8;

/**
 * Why the subnet plan of `vpcCidr` over `azs` AZs cannot hold what the config asks for (undefined when it
 * can): the public subnets must be /27 or larger for the ALB; the private subnets together need an address
 * for every host (and its trunk interface with ENI trunking) and every task ENI at the deployment peak.
 */
export function addressRoom(vpcCidr: string, azs: number, peak: { hosts: number; trunking: boolean; tasks: number }): string | undefined {
  const vpc = parseCidr(vpcCidr);
  const prefix = Number(planSubnets(vpcCidr, azs).public[0].split("/")[1]);
  const splitBits = prefix - vpc.prefix;
  const usable = (p: number) => 2 ** (32 - p) - RESERVED_PER_SUBNET;
  // A suggestion: the same network address with the given (VPC) prefix.
  const widen = (p: number) => formatCidr({ base: vpc.base - (vpc.base % 2 ** (32 - p)), prefix: p });
  if (prefix > ALB_MIN_SUBNET_PREFIX) {
    return `a block whose ${azs} public subnets are /${ALB_MIN_SUBNET_PREFIX} or larger (an ALB needs a /27 with 8 free addresses in each AZ); ${vpcCidr} gives /${prefix}: use e.g. ${widen(ALB_MIN_SUBNET_PREFIX - splitBits)}`;
  }
  const need = peak.hosts * (peak.trunking ? 2 : 1) + Math.ceil(peak.tasks);
  if (usable(prefix) * azs >= need) return undefined;
  // The longest subnet prefix whose subnets together hold `need`, and the VPC prefix that gives it.
  let fits = prefix;
  while (fits > 0 && usable(fits) * azs < need) fits--;
  const suggestion = fits - splitBits >= 16 ? `use e.g. ${widen(fits - splitBits)}` : "no VPC is that large: lower maxSize or the task counts";
  return `a block whose ${azs} private subnets (/${prefix}, ${usable(prefix)} addresses each, ${usable(prefix) * azs} in all) hold the peak of ${need} addresses: ${peak.hosts} hosts${peak.trunking ? " and their trunk interfaces" : ""} and ${Math.ceil(peak.tasks)} task interfaces during deployments (every service's most tasks at its deploymentMaximumPercent); ${suggestion}`;
}

/** Blocks that clash with what runs on the hosts or on the internet. */
export function networkWarnings(vpcCidr: string): string[] {
  let c;
  try {
    c = parseCidr(vpcCidr);
  } catch {
    return [];
  }
  const overlaps = (other: string) => {
    const o = parseCidr(other);
    const end = (x: typeof c) => x.base + 2 ** (32 - x.prefix);
    return c.base < end(o) && o.base < end(c);
  };
  const warnings: string[] = [];
  if (overlaps("172.17.0.0/16")) {
    warnings.push(`vpcCidr ${vpcCidr} overlaps 172.17.0.0/16, which Docker's bridge (docker0) holds on every ECS host: the hosts cannot reach VPC addresses in it; choose a block outside 172.17.0.0/16`);
  }
  const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
  if (!privateRanges.some((r) => { const p = parseCidr(r); return c.base >= p.base && c.base + 2 ** (32 - c.prefix) <= p.base + 2 ** (32 - p.prefix); })) {
    warnings.push(`vpcCidr ${vpcCidr} is public address space (not RFC 1918 or 100.64.0.0/10): hosts in the VPC cannot reach the internet addresses it shadows; use e.g. 10.0.0.0/16`);
  }
  return warnings;
}
