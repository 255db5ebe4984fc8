import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { routeTarget, type DefaultRoute, type NetworkFacts, type SubnetFacts } from "../lib/network-facts";
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

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean).join(" ") || "the lookup failed";

/**
 * Looks up the VPC and every subnet (the subnet, the route table it uses, that table's default routes):
 * invokes only, awaited, so the program can judge them before it registers its first resource. A
 * missing VPC or subnet comes back with `missing` set, not as an error: the judge names the key.
 */
export async function lookUpNetwork(spec: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] }, opts?: pulumi.InvokeOptions): Promise<NetworkFacts> {
  const vpc = await aws.ec2.getVpc({ id: spec.vpcId }, opts).then(
    (v) => ({ id: spec.vpcId, cidrBlock: known(v.cidrBlock) }),
    (e) => ({ id: spec.vpcId, missing: messageOf(e) }),
  );
  // The VPC's main route table: a subnet without an association of its own uses it.
  let main: Promise<string | undefined> | undefined;
  const mainTable = (vpcId: string) => (main ??= aws.ec2.getRouteTables({ vpcId, filters: [{ name: "association.main", values: ["true"] }] }, opts).then((t) => t.ids[0]));
  const subnets = await Promise.all([...spec.publicSubnetIds, ...spec.privateSubnetIds].map(async (id): Promise<SubnetFacts> => {
    let subnet: aws.ec2.GetSubnetResult;
    try {
      subnet = await aws.ec2.getSubnet({ id }, opts);
    } catch (e) {
      return { id, missing: messageOf(e) };
    }
    const own = (await aws.ec2.getRouteTables({ filters: [{ name: "association.subnet-id", values: [id] }] }, opts)).ids[0];
    const tableId = own ?? (await mainTable(subnet.vpcId));
    let routeTable: SubnetFacts["routeTable"];
    if (tableId) {
      const table = await aws.ec2.getRouteTable({ routeTableId: tableId }, opts);
      const defaultRoutes: DefaultRoute[] = [];
      for (const route of table.routes ?? []) {
        const destination = route.cidrBlock === "0.0.0.0/0" ? "0.0.0.0/0" : route.ipv6CidrBlock === "::/0" ? "::/0" : undefined;
        const target = routeTarget(route as unknown as Record<string, unknown>);
        if (destination && target) defaultRoutes.push({ destination, ...target });
      }
      routeTable = { id: tableId, main: !own, defaultRoutes };
    }
    return {
      id,
      vpcId: known(subnet.vpcId),
      availabilityZone: known(subnet.availabilityZone),
      cidrBlock: known(subnet.cidrBlock),
      availableIpAddressCount: known(subnet.availableIpAddressCount),
      mapPublicIpOnLaunch: known(subnet.mapPublicIpOnLaunch),
      routeTable,
    };
  }));
  return { vpc, subnets };
}
