// Only the load balancer faces the internet: ECS tasks and their EC2 hosts get no public IPs and sit in
// subnets without a default route to an internet gateway; security groups open only the listener ports.
//
// "Private" has two halves that need different kinds of policy. A public IP on the task or instance is a
// property of one resource (resource policies, which run before each resource is created). Whether a subnet
// is routed to the internet is a property of the graph (stack policies, which see every resource and its
// dependencies). Each half is its own policy, so each has one type in the analyzer's metadata.
import * as aws from "@pulumi/aws";
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { GraphOptions, NetworkGraph, readList } from "./graph";
import { UNKNOWN, configOf, controls, flag, isUnknown, read, schema, token, validateTypes } from "./util";

const graphSchema = schema({
  assumeMainRouteTablePrivate: {
    type: "boolean",
    default: false,
    description: "Treat subnets without a route table association as private. Off: the VPC's main route table is not in the stack, so privacy cannot be proven.",
  },
  externalPrivateSubnetIds: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Ids of subnets managed outside this stack (e.g. a shared VPC) that are known to be private.",
  },
  externalPublicSubnetIds: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Ids of subnets managed outside this stack that are public (an existing VPC's load balancer subnets): tasks and hosts placed in one are rejected.",
  },
});

/** Reports every subnet `r` is placed in (through property `key`) that the graph cannot show is private. */
function checkPlacement(g: NetworkGraph, r: PolicyResource, key: string, ids: unknown[] | typeof UNKNOWN, what: string, report: ReportViolation, others: string[] = []) {
  for (const p of g.placements(r, key, ids, others)) {
    if ("problem" in p) {
      report(`${r.name} ${what} ${p.problem}: cannot prove private`, r.urn);
      continue;
    }
    if ("publicId" in p) {
      report(`${r.name} ${what} subnet ${JSON.stringify(p.publicId)}, which is public (externalPublicSubnetIds: a subnet of the existing VPC's load balancer)`, r.urn);
      continue;
    }
    const privacy = g.classify(p.subnet);
    if (!privacy.private) report(`${r.name} ${what} subnet ${p.subnet.name}, which ${privacy.reason}${privacy.proven ? "" : ": cannot prove private"}`, r.urn);
  }
}

function graphFor(args: StackValidationArgs) {
  const cfg = configOf<GraphOptions>(args, graphSchema);
  return { cfg, graph: new NetworkGraph(args.resources, cfg) };
}

// ---- ECS tasks ----

const SERVICE = token(aws.ecs.Service);
/** EventBridge Scheduler schedules: one that runs an ECS task places it as a service places its tasks. */
const SCHEDULE = token(aws.scheduler.Schedule);
const SCHEDULE_NC = "target.ecsParameters.networkConfiguration";
/** What else feeds a schedule's `target` (the cluster, the task definition, the roles, the capacity providers): never subnet ids. */
const SCHEDULE_TARGET_OTHERS = [aws.ecs.Cluster, aws.ecs.TaskDefinition, aws.iam.Role, aws.ecs.CapacityProvider, aws.ecs.ClusterCapacityProviders].map(token);
const noPublicIpSchema = schema();

/** Where a resource's tasks get their network: a service's networkConfiguration, a schedule's target's. */
function taskNetwork(type: string, props: any): { nc: unknown; where: string } {
  if (type === SCHEDULE) {
    const target = read(() => props.target);
    if (isUnknown(target)) return { nc: UNKNOWN, where: "target" };
    const ecs = read(() => target?.ecsParameters);
    if (isUnknown(ecs)) return { nc: UNKNOWN, where: "target.ecsParameters" };
    return { nc: ecs ? read(() => ecs.networkConfiguration) : undefined, where: SCHEDULE_NC };
  }
  return { nc: read(() => props.networkConfiguration), where: "networkConfiguration" };
}

export const ecsTasksNoPublicIp: ResourceValidationPolicy = {
  name: "ecs-tasks-no-public-ip",
  ...controls("ECS services (and schedules that run ECS tasks) must not assign public IP addresses to their tasks (networkConfiguration.assignPublicIp).", { fsbp: "ECS.2", checkov: "CKV_AWS_333" }, "high"),
  enforcementLevel: "mandatory",
  configSchema: noPublicIpSchema,
  validateResource: validateTypes([aws.ecs.Service, aws.scheduler.Schedule], noPublicIpSchema, (args, report) => {
    const { nc, where } = taskNetwork(args.type, args.props);
    if (isUnknown(nc)) return report(`cannot verify in preview: ${where} is unknown until the update`);
    // Without awsvpc networking, tasks share their host's network; container-hosts-* cover the hosts.
    // A schedule without ecsParameters runs no ECS task.
    if (!nc) return;
    const assign = read(() => (nc as any).assignPublicIp);
    if (isUnknown(assign)) report(`cannot verify in preview: ${where}.assignPublicIp is unknown until the update`);
    else if (assign === true) report(`${where}.assignPublicIp is true, so every task gets a public IP; run tasks in private subnets behind the load balancer`);
  }),
};

export const ecsTasksPrivateSubnets: StackValidationPolicy = {
  name: "ecs-tasks-private-subnets",
  ...controls(
    "ECS services (and schedules that run ECS tasks) must run tasks only in subnets that neither map public IPs on launch nor route 0.0.0.0/0 or ::/0 to an internet gateway.",
    { fsbp: "EC2.15", checkov: "CKV_AWS_130" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: graphSchema,
  validateStack: (args, report) => {
    const runners = args.resources.filter((r) => r.type === SERVICE || r.type === SCHEDULE);
    if (runners.length === 0) args.notApplicable("The stack has no ECS services");
    const { cfg, graph } = graphFor(args);
    for (const r of runners) {
      if (cfg.exemptResources.includes(r.name)) continue;
      const { nc, where } = taskNetwork(r.type, r.props);
      if (nc === undefined || nc === null) continue;
      // A schedule's subnets come through its one `target` property.
      const key = r.type === SCHEDULE ? "target" : "networkConfiguration";
      const ids = isUnknown(nc) ? UNKNOWN : readList(() => (nc as any).subnets);
      if (ids === undefined) report(`${r.name} sets no ${where}.subnets: cannot prove private`, r.urn);
      else checkPlacement(graph, r, key, ids, "runs tasks in", report, r.type === SCHEDULE ? SCHEDULE_TARGET_OTHERS : []);
    }
  },
};

// ---- Container hosts ----

const ASG = token(aws.autoscaling.Group);
const INSTANCE = token(aws.ec2.Instance);
const hostsNoPublicIpSchema = schema();

export const containerHostsNoPublicIp: ResourceValidationPolicy = {
  name: "container-hosts-no-public-ip",
  ...controls(
    "Launch templates, launch configurations and instances must not associate public IP addresses with the container hosts.",
    { fsbp: "EC2.9, EC2.25, AutoScaling.5", checkov: "CKV_AWS_88, CKV_AWS_389" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: hostsNoPublicIpSchema,
  validateResource: validateTypes([aws.ec2.LaunchTemplate, aws.ec2.LaunchConfiguration, aws.ec2.Instance], hostsNoPublicIpSchema, (args, report) => {
    const check = (value: unknown, where: string) => {
      if (isUnknown(value)) report(`cannot verify in preview: ${where} is unknown until the update`);
      else if (flag(value) === true) report(`${where} is true, so hosts get public IPs; launch them in private subnets`);
    };
    if (args.isType(aws.ec2.LaunchTemplate)) {
      const nics = readList(() => args.props.networkInterfaces);
      if (isUnknown(nics)) return check(UNKNOWN, "networkInterfaces");
      (nics ?? []).forEach((nic, i) => check(isUnknown(nic) ? UNKNOWN : read(() => (nic as any).associatePublicIpAddress), `networkInterfaces[${i}].associatePublicIpAddress`));
    } else {
      check(read(() => args.props.associatePublicIpAddress), "associatePublicIpAddress");
    }
  }),
};

export const containerHostsPrivate: StackValidationPolicy = {
  name: "container-hosts-private",
  ...controls(
    "Auto Scaling groups and instances must launch hosts only in subnets that neither map public IPs on launch nor route 0.0.0.0/0 or ::/0 to an internet gateway.",
    { fsbp: "EC2.15", checkov: "CKV_AWS_130" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: graphSchema,
  validateStack: (args, report) => {
    const hosts = args.resources.filter((r) => r.type === ASG || r.type === INSTANCE);
    if (hosts.length === 0) args.notApplicable("The stack has no Auto Scaling groups or instances");
    const { cfg, graph } = graphFor(args);
    for (const host of hosts) {
      if (cfg.exemptResources.includes(host.name)) continue;
      const key = host.type === ASG ? "vpcZoneIdentifiers" : "subnetId";
      const ids = readList(() => host.props[key]);
      if (ids === undefined) report(`${host.name} sets no ${key}, so it launches in the default VPC's public subnets`, host.urn);
      else checkPlacement(graph, host, key, ids, "launches hosts in", report);
    }
  },
};

// ---- Security groups ----

const WORLD = ["0.0.0.0/0", "::/0"];
const sgSchema = schema({
  allowedPorts: {
    type: "array",
    items: { type: "integer", minimum: 0, maximum: 65535 },
    default: [80, 443],
    description: "TCP/UDP ports that may be open to 0.0.0.0/0 or ::/0 (the load balancer's listeners).",
  },
});

interface Rule {
  protocol: unknown;
  from: unknown;
  to: unknown;
  cidrs: unknown[];
}

/** A security group's ingress or egress rules, from any of the three resource types that can write them. */
function rulesOf(direction: "ingress" | "egress", props: Record<string, any>, type: string): Rule[] {
  const cidrs = (...lists: unknown[]) => lists.flatMap((l) => (Array.isArray(l) ? [...l] : l ? [l] : []));
  switch (type) {
    case token(aws.ec2.SecurityGroup):
      return [...(props[direction] ?? [])].map((i) => ({ protocol: i.protocol, from: i.fromPort, to: i.toPort, cidrs: cidrs(i.cidrBlocks, i.ipv6CidrBlocks) }));
    case token(aws.ec2.SecurityGroupRule):
      if (props.type !== direction) return [];
      return [{ protocol: props.protocol, from: props.fromPort, to: props.toPort, cidrs: cidrs(props.cidrBlocks, props.ipv6CidrBlocks) }];
    default: // aws:vpc/securityGroupIngressRule or aws:vpc/securityGroupEgressRule
      return [{ protocol: props.ipProtocol, from: props.fromPort, to: props.toPort, cidrs: cidrs(props.cidrIpv4, props.cidrIpv6) }];
  }
}

/**
 * What `rules` open to 0.0.0.0/0 or ::/0 beyond `allowedPorts`: every protocol, or TCP/UDP ports (ICMP
 * and other protocols have no ports; EC2.18/EC2.19 are about TCP and UDP). `world` names the blocks.
 */
function worldOpen(rules: Rule[], allowedPorts: number[]): ({ world: string; all: true } | { world: string; all: false; what: string })[] {
  const found: ({ world: string; all: true } | { world: string; all: false; what: string })[] = [];
  for (const rule of rules) {
    const world = rule.cidrs.filter((c) => typeof c === "string" && WORLD.includes(c)).join(" and ");
    if (!world) continue;
    const protocol = String(rule.protocol).toLowerCase();
    if (protocol === "-1" || protocol === "all") {
      found.push({ world, all: true });
      continue;
    }
    if (!["tcp", "6", "udp", "17"].includes(protocol)) continue;
    const from = typeof rule.from === "number" ? rule.from : 0;
    const to = typeof rule.to === "number" ? rule.to : 65535;
    const allowed = to - from + 1 <= allowedPorts.length && Array.from({ length: to - from + 1 }, (_, i) => from + i).every((p) => allowedPorts.includes(p));
    if (!allowed) found.push({ world, all: false, what: `${protocol} ${from === to ? `port ${from}` : `ports ${from}-${to}`}` });
  }
  return found;
}

export const securityGroupNoWorldOpenPorts: ResourceValidationPolicy = {
  name: "security-group-no-world-open-ports",
  ...controls(
    "Security group ingress from 0.0.0.0/0 or ::/0 may open only the allowed ports (default 80 and 443) and never all protocols.",
    { fsbp: "EC2.18, EC2.19", checkov: "CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: sgSchema,
  validateResource: validateTypes([aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule], sgSchema, (args, report) => {
    const { allowedPorts } = configOf<{ allowedPorts: number[] }>(args, sgSchema);
    for (const f of worldOpen(rulesOf("ingress", args.props, args.type), allowedPorts)) {
      report(f.all ? `admits every protocol and port from ${f.world}` : `admits ${f.what} from ${f.world}; only ${allowedPorts.join(", ")} may be open to the internet`);
    }
  }),
};

const egressSchema = schema({
  allowedPorts: {
    type: "array",
    items: { type: "integer", minimum: 0, maximum: 65535 },
    default: [443],
    description: "TCP/UDP ports that may be open to 0.0.0.0/0 or ::/0 outbound (HTTPS, for AWS APIs and registries).",
  },
});

export const securityGroupNoWorldOpenEgress: ResourceValidationPolicy = {
  name: "security-group-no-world-open-egress",
  ...controls(
    "Security group egress to 0.0.0.0/0 or ::/0 may open only the allowed ports (default 443) and never all protocols: a compromised task cannot reach arbitrary internet services.",
    { fsbp: "none", checkov: "CKV_AWS_382" },
    "medium",
  ),
  enforcementLevel: "advisory",
  configSchema: egressSchema,
  validateResource: validateTypes([aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupEgressRule], egressSchema, (args, report) => {
    const { allowedPorts } = configOf<{ allowedPorts: number[] }>(args, egressSchema);
    for (const f of worldOpen(rulesOf("egress", args.props, args.type), allowedPorts)) {
      report(f.all ? `sends every protocol and port to ${f.world}` : `sends ${f.what} to ${f.world}; only ${allowedPorts.join(", ")} may go to the whole internet (narrow the destination, or allow the port in the pack config)`);
    }
  }),
};

export const networkPolicies = [ecsTasksNoPublicIp, ecsTasksPrivateSubnets, containerHostsNoPublicIp, containerHostsPrivate, securityGroupNoWorldOpenPorts, securityGroupNoWorldOpenEgress];
