// Decides whether a subnet is private by following the stack's resource graph, the way a reviewer would:
// subnet -> route table association -> route table -> routes -> gateway. In preview ids are unknown, so
// links are followed through `propertyDependencies` (which resource a property's value came from); at
// `up` they can also be matched by id, which covers values that did not flow through the graph.
import type { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, Unknown, isUnknown, read } from "./util";

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  mainAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
  route: "aws:ec2/route:Route",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
} as const;

export interface GraphOptions {
  /** Treat a subnet without a route table association as private (its VPC's main route table is trusted). */
  assumeMainRouteTablePrivate: boolean;
  /** Ids of subnets managed outside this stack that are known to be private. */
  externalPrivateSubnetIds: string[];
  /** Ids of subnets managed outside this stack that are public (an existing VPC's load balancer subnets). */
  externalPublicSubnetIds: string[];
}

/** `proven: false` means the graph cannot show the subnet is private, which a mandatory policy treats as a violation. */
export type Privacy = { private: true } | { private: false; proven: boolean; reason: string };

/**
 * A subnet a resource is placed in; a subnet outside the stack the pack config calls public; or why a
 * subnet cannot be identified.
 */
export type Placement = { subnet: PolicyResource } | { publicId: string } | { problem: string };

const DEFAULT_ROUTES = ["0.0.0.0/0", "::/0"];
const PRIVATE: Privacy = { private: true };
const publicBecause = (reason: string): Privacy => ({ private: false, proven: true, reason });
const unproven = (reason: string): Privacy => ({ private: false, proven: false, reason });

/** A list property read element by element, so one unknown element does not hide the known ones. */
export function readList(get: () => unknown): unknown[] | Unknown | undefined {
  const list = read(get);
  if (isUnknown(list) || list === undefined || list === null) return list === null ? undefined : list;
  if (!Array.isArray(list)) return [list];
  const length = list.length;
  return Array.from({ length }, (_, i) => read(() => list[i]));
}

export class NetworkGraph {
  constructor(
    private readonly resources: PolicyResource[],
    private readonly opts: GraphOptions,
  ) {}

  private all(...types: string[]): PolicyResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The physical id. The AWS provider reports it among the outputs at `up`; in preview it is absent. */
  private idOf(r: PolicyResource): string | undefined {
    const id = read(() => r.props.id);
    return typeof id === "string" && id !== "" ? id : undefined;
  }

  /** True when `from`'s property `key` is `to`: through the dependency graph, or at `up` by id. */
  private refersTo(from: PolicyResource, key: string, to: PolicyResource): boolean {
    if ((from.propertyDependencies[key] ?? []).some((d) => d.urn === to.urn)) return true;
    const id = this.idOf(to);
    return id !== undefined && read(() => from.props[key]) === id;
  }

  /**
   * The subnets `r` is placed in through property `key` (e.g. an ECS service's "networkConfiguration", an
   * Auto Scaling group's "vpcZoneIdentifiers"), whose value holds the subnet id list `ids`. `others`: types
   * that also feed `key` but never hold subnet ids (a schedule's one `target` property also takes the
   * cluster, the task definition, a role and the capacity providers).
   */
  placements(r: PolicyResource, key: string, ids: unknown[] | Unknown, others: string[] = []): Placement[] {
    const deps = (r.propertyDependencies[key] ?? []).filter((d) => !others.includes(d.type));
    const found = new Map<string, PolicyResource>(deps.filter((d) => d.type === T.subnet).map((d) => [d.urn, d]));
    const problems: string[] = [];
    const publicIds: string[] = [];
    if (isUnknown(ids) || ids.some(isUnknown)) {
      // Unknown ids come from other resources' outputs: every such resource must be a subnet we can inspect.
      const foreign = deps.filter((d) => d.type !== T.subnet && d.type !== T.securityGroup);
      if (foreign.length > 0) problems.push(`subnets taken from ${foreign.map((d) => `${d.type} ${d.name}`).join(", ")}, which is not an ${T.subnet} this policy can inspect`);
      else if (found.size === 0) problems.push(`subnets whose ids are unknown until the update and come from no ${T.subnet} in this stack`);
    }
    const subnets = this.all(T.subnet);
    for (const id of isUnknown(ids) ? [] : ids) {
      if (isUnknown(id)) continue;
      const subnet = subnets.find((s) => this.idOf(s) === id);
      if (subnet) found.set(subnet.urn, subnet);
      else if (typeof id === "string" && (this.opts.externalPublicSubnetIds ?? []).includes(id)) publicIds.push(id);
      else if (typeof id === "string" && this.opts.externalPrivateSubnetIds.includes(id)) continue;
      else problems.push(`subnet ${JSON.stringify(id)}, which is not managed in this stack (list it in externalPrivateSubnetIds if it is private)`);
    }
    return [...[...found.values()].map((subnet) => ({ subnet })), ...publicIds.map((publicId) => ({ publicId })), ...problems.map((problem) => ({ problem }))];
  }

  /** Whether a subnet is private: no public IPs on launch and no default route to an internet gateway. */
  classify(subnet: PolicyResource): Privacy {
    const mapsPublic = read(() => subnet.props.mapPublicIpOnLaunch);
    if (isUnknown(mapsPublic)) return unproven("has mapPublicIpOnLaunch unknown until the update");
    if (mapsPublic === true) return publicBecause("maps a public IP to every instance launched in it (mapPublicIpOnLaunch)");
    const tables = this.routeTablesOf(subnet);
    if ("problem" in tables) return tables.problem;
    for (const table of tables.list) {
      const verdict = this.defaultRouteToInternet(table);
      if (!verdict.private) return verdict;
    }
    return PRIVATE;
  }

  private routeTablesOf(subnet: PolicyResource): { list: PolicyResource[] } | { problem: Privacy } {
    const tables = this.all(T.routeTable, T.defaultRouteTable);
    const associations = this.all(T.association).filter((a) => this.refersTo(a, "subnetId", subnet));
    if (associations.length > 0) {
      const list: PolicyResource[] = [];
      for (const a of associations) {
        const table = tables.find((t) => this.refersTo(a, "routeTableId", t));
        if (!table) return { problem: unproven(`is associated (${a.name}) with a route table this stack does not manage`) };
        list.push(table);
      }
      return { list };
    }
    // No explicit association: the subnet uses its VPC's main route table.
    const vpc = this.all(T.vpc).find((v) => this.refersTo(subnet, "vpcId", v));
    const main = vpc
      ? [
          ...this.all(T.mainAssociation)
            .filter((m) => this.refersTo(m, "vpcId", vpc))
            .map((m) => tables.find((t) => this.refersTo(m, "routeTableId", t))),
          ...this.all(T.defaultRouteTable).filter((d) => (d.propertyDependencies.defaultRouteTableId ?? []).some((x) => x.urn === vpc.urn)),
        ].filter((t): t is PolicyResource => t !== undefined)
      : [];
    if (main.length > 0) return { list: main };
    if (this.opts.assumeMainRouteTablePrivate) return { list: [] };
    return { problem: unproven("has no route table association, so it uses its VPC's main route table, which this stack does not manage") };
  }

  /** Private unless one of the table's routes sends 0.0.0.0/0 or ::/0 to an internet gateway. */
  private defaultRouteToInternet(table: PolicyResource): Privacy {
    const routes = this.all(T.route)
      .filter((r) => this.refersTo(r, "routeTableId", table))
      .map((r) => ({
        via: `route ${r.name}`,
        destinations: [read(() => r.props.destinationCidrBlock), read(() => r.props.destinationIpv6CidrBlock)],
        gateway: read(() => r.props.gatewayId),
        gatewayDeps: r.propertyDependencies.gatewayId ?? [],
      }));
    // Inline routes: the table's "routes" dependencies are pooled, so an unknown gatewayId is attributed to
    // any internet gateway among them (conservative: a private table should not refer to one at all).
    const inline = readList(() => table.props.routes);
    const pooled = table.propertyDependencies.routes ?? [];
    if (isUnknown(inline)) {
      const igw = pooled.find((d) => d.type === T.internetGateway);
      if (igw) return unproven(`has route table ${table.name} whose routes are unknown until the update and refer to internet gateway ${igw.name}`);
    } else {
      for (const entry of inline ?? []) {
        const e = entry as Record<string, unknown> | Unknown;
        routes.push({
          via: "inline route",
          destinations: isUnknown(e) ? [UNKNOWN] : [read(() => e.cidrBlock), read(() => e.ipv6CidrBlock)],
          gateway: isUnknown(e) ? UNKNOWN : read(() => e.gatewayId as string | undefined),
          gatewayDeps: pooled,
        });
      }
    }
    for (const route of routes) {
      const gateway = this.gatewayKind(route.gateway, route.gatewayDeps);
      if (gateway.kind === "other") continue;
      const toDefault = route.destinations.some((d) => typeof d === "string" && DEFAULT_ROUTES.includes(d));
      const maybeDefault = route.destinations.some(isUnknown);
      if (!toDefault && !maybeDefault) continue;
      const where = `(route table ${table.name}, ${route.via})`;
      if (gateway.kind === "unknown") return unproven(`has a default route whose gateway is unknown until the update ${where}`);
      if (toDefault) return publicBecause(`routes ${route.destinations.filter((d) => typeof d === "string" && DEFAULT_ROUTES.includes(d)).join(" and ")} to internet gateway ${gateway.name} ${where}`);
      return unproven(`has a route to internet gateway ${gateway.name} whose destination is unknown until the update ${where}`);
    }
    return PRIVATE;
  }

  private gatewayKind(value: unknown, deps: PolicyResource[]): { kind: "igw"; name: string } | { kind: "other" } | { kind: "unknown" } {
    const igws = this.all(T.internetGateway);
    if (isUnknown(value)) {
      const igw = deps.find((d) => d.type === T.internetGateway);
      if (igw) return { kind: "igw", name: igw.name };
      return deps.length > 0 ? { kind: "other" } : { kind: "unknown" };
    }
    if (typeof value !== "string" || value === "") return { kind: "other" };
    // A known id is matched by value only: inline routes share one dependency list, so it cannot say which route an IGW belongs to.
    const igw = igws.find((g) => this.idOf(g) === value);
    if (igw) return { kind: "igw", name: igw.name };
    return value.startsWith("igw-") ? { kind: "igw", name: value } : { kind: "other" };
  }
}
