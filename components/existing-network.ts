import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isPermissionError, LOOKUP_ACTIONS, routeTarget, type DefaultRoute, type DeniedLookup, type EdgeRoute, type InternetGatewayFacts, type NetworkFacts, type SubnetFacts } from "../lib/network-facts";
import type { NetworkOutputs } from "./network";

export interface ExistingNetworkArgs {
  /** The VPC, owned by someone else (e.g. a network team). */
  vpcId: string;
  /** The load balancer's subnets, one per AZ. */
  publicSubnetIds: string[];
  /** The hosts' and tasks' subnets. */
  privateSubnetIds: string[];
  /** The AZ of each private subnet, in order (from lookUpNetwork). */
  privateZones: string[];
  /** The VPC's block as its lookup found it; undefined where the lookup could not know it (offline, in preview). */
  vpcCidr?: string;
}

/**
 * A network the stack does not own: no VPC, subnet, route table, gateway, Elastic IP, endpoint or flow
 * log is created. The same outputs as Network, from the given ids: what the cluster, the load balancer
 * and the services build on. The subnets were looked up and judged before the first resource
 * (lookUpNetwork, then config/existing-network.ts checkExistingNetwork); the internet gateway and NAT
 * routes exist already, so there is nothing for the load balancer and the hosts to wait for.
 */
export class ExistingNetwork extends pulumi.ComponentResource implements NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Input<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly availabilityZoneNames: pulumi.Output<string[]>;
  readonly privateEgress: pulumi.Resource[] = [];
  readonly publicIngress: pulumi.Resource[] = [];

  constructor(name: string, args: ExistingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:network:ExistingNetwork", name, {}, opts);
    if (args.privateZones.length !== args.privateSubnetIds.length) {
      throw new Error(`ExistingNetwork ${name}: ${args.privateSubnetIds.length} private subnets but ${args.privateZones.length} AZs`);
    }
    this.vpcId = pulumi.output(args.vpcId);
    // Unknown, as preview shows what only `up` knows, where the lookup could not tell.
    this.vpcCidr = args.vpcCidr ?? pulumi.output(pulumi.unknown as unknown as string);
    this.publicSubnetIds = args.publicSubnetIds.map((id) => pulumi.output(id));
    this.privateSubnetIds = args.privateSubnetIds.map((id) => pulumi.output(id));
    this.availabilityZoneNames = pulumi.output(args.privateZones);
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }
}

/** A value the lookup returned, or undefined when it is not known (the offline plan's unknowns). */
function known<T>(value: T | undefined): T | undefined {
  return value === undefined || value === null || pulumi.isUnknown(value) ? undefined : value;
}

/** A failed lookup's error on one line, as the checks quote it (the image lookup's too: components/host-image.ts). */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean).join(" ") || "the lookup failed";

/** A lookup refused for want of permission. */
class Denied extends Error {
  constructor(readonly action: string, message: string) {
    super(message);
  }
}

/** Runs one lookup; a refusal for want of permission comes back as Denied, naming the IAM action it needs. */
async function invoke<T>(lookup: keyof typeof LOOKUP_ACTIONS, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const message = messageOf(e);
    if (isPermissionError(message)) throw new Denied(LOOKUP_ACTIONS[lookup], message);
    throw e;
  }
}

/** The default routes (0.0.0.0/0, ::/0) among a route table lookup's routes, each with its target. */
function defaultRoutesOf(routes: aws.types.output.ec2.GetRouteTableRoute[] | undefined): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const route of routes ?? []) {
    const destination = route.cidrBlock === "0.0.0.0/0" ? "0.0.0.0/0" : route.ipv6CidrBlock === "::/0" ? "::/0" : undefined;
    const target = routeTarget(route as unknown as Record<string, unknown>);
    if (destination && target) out.push({ destination, ...target });
  }
  return out;
}

/**
 * Looks up the VPC and every subnet (the subnet, the route table it uses, that table's default routes),
 * and, when a public subnet's default route goes to an endpoint (a firewall's inspection layout), the
 * internet gateway attached to the VPC and its edge route table: invokes only, awaited, so the program can
 * judge them before it registers its first resource. A missing VPC or subnet comes back with `missing`
 * set, and a lookup the deploying role may not make in `denied` with the IAM action it needs, not as an
 * error: the judge (config/existing-network.ts) names the key.
 */
export async function lookUpNetwork(spec: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] }, opts?: pulumi.InvokeOptions): Promise<NetworkFacts> {
  const denied: DeniedLookup[] = [];
  /** Runs `f`; a Denied lookup is recorded for `key` and `id`, and `fallback` stands in for its answer. */
  const guarded = async <T>(key: DeniedLookup["key"], id: string, f: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof Denied)) throw e;
      denied.push({ key, id, action: e.action, message: e.message });
      return fallback;
    }
  };
  const vpc = await guarded<NetworkFacts["vpc"]>("vpcId", spec.vpcId, async () => {
    try {
      const v = await invoke("getVpc", () => aws.ec2.getVpc({ id: spec.vpcId }, opts));
      return { id: spec.vpcId, cidrBlock: known(v.cidrBlock) };
    } catch (e) {
      if (e instanceof Denied) throw e;
      return { id: spec.vpcId, missing: messageOf(e) };
    }
  }, { id: spec.vpcId });
  // The VPC's main route table: a subnet without an association of its own uses it.
  let main: Promise<string | undefined> | undefined;
  const mainTable = (vpcId: string) => (main ??= invoke("getRouteTables", () => aws.ec2.getRouteTables({ vpcId, filters: [{ name: "association.main", values: ["true"] }] }, opts)).then((t) => t.ids[0]));
  // The deploying account, to tell a subnet shared with it (AWS RAM) from its own.
  let account: Promise<string> | undefined;
  const deployingAccount = () => (account ??= aws.getCallerIdentity({}, opts).then((c) => c.accountId));
  const keyOf = (id: string): DeniedLookup["key"] => (spec.publicSubnetIds.includes(id) ? "publicSubnetIds" : "privateSubnetIds");

  const subnets = await Promise.all([...spec.publicSubnetIds, ...spec.privateSubnetIds].map((id) => guarded(keyOf(id), id, async (): Promise<SubnetFacts> => {
    let subnet: aws.ec2.GetSubnetResult;
    try {
      subnet = await invoke("getSubnet", () => aws.ec2.getSubnet({ id }, opts));
    } catch (e) {
      if (e instanceof Denied) throw e;
      return { id, missing: messageOf(e) };
    }
    const own = (await invoke("getRouteTables", () => aws.ec2.getRouteTables({ filters: [{ name: "association.subnet-id", values: [id] }] }, opts))).ids[0];
    const tableId = own ?? (await mainTable(subnet.vpcId));
    let routeTable: SubnetFacts["routeTable"];
    if (tableId) {
      const table = await invoke("getRouteTable", () => aws.ec2.getRouteTable({ routeTableId: tableId }, opts));
      routeTable = { id: tableId, main: !own, defaultRoutes: defaultRoutesOf(table.routes) };
    }
    const owner = known(subnet.ownerId);
    const sharedBy = owner && owner !== (await deployingAccount()) ? owner : undefined;
    return {
      id,
      vpcId: known(subnet.vpcId),
      availabilityZone: known(subnet.availabilityZone),
      cidrBlock: known(subnet.cidrBlock),
      availableIpAddressCount: known(subnet.availableIpAddressCount),
      mapPublicIpOnLaunch: known(subnet.mapPublicIpOnLaunch),
      routeTable,
      ...(sharedBy ? { sharedBy } : {}),
    };
  }, { id })));

  // A public subnet behind a firewall: the gateway's edge route table decides whether replies come back through it.
  const inspected = subnets.find((s) => spec.publicSubnetIds.includes(s.id) && s.routeTable?.defaultRoutes.some((r) => r.destination === "0.0.0.0/0" && r.kind === "endpoint"));
  const internetGateway = inspected && !vpc.missing ? await guarded("publicSubnetIds", inspected.id, () => lookUpGateway(spec.vpcId, opts), undefined) : undefined;
  return { vpc, subnets, ...(internetGateway ? { internetGateway } : {}), ...(denied.length > 0 ? { denied } : {}) };
}

/** The internet gateway attached to `vpcId` and the routes of its edge route table (the table associated with it). */
async function lookUpGateway(vpcId: string, opts?: pulumi.InvokeOptions): Promise<InternetGatewayFacts> {
  let id: string;
  try {
    id = (await invoke("getInternetGateway", () => aws.ec2.getInternetGateway({ filters: [{ name: "attachment.vpc-id", values: [vpcId] }] }, opts))).internetGatewayId;
  } catch (e) {
    if (e instanceof Denied) throw e;
    return {};
  }
  const edge = (await invoke("getRouteTables", () => aws.ec2.getRouteTables({ vpcId, filters: [{ name: "association.gateway-id", values: [id] }] }, opts))).ids[0];
  if (!edge) return { id };
  const table = await invoke("getRouteTable", () => aws.ec2.getRouteTable({ routeTableId: edge }, opts));
  const routes: EdgeRoute[] = [];
  for (const route of table.routes ?? []) {
    const target = routeTarget(route as unknown as Record<string, unknown>);
    if (route.cidrBlock && target) routes.push({ destination: route.cidrBlock, target: target.target });
  }
  return { id, edgeTable: { id: edge, routes } };
}
