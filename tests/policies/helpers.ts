/**
 * Helpers for the policy tests: recorded resources built by hand (for resource policies), tiny Pulumi
 * programs recorded by the mock engine (for the stack policies' graphs), and one-policy evaluation through
 * plan/policies.ts, which builds the policy arguments the way the engine does.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Policies } from "@pulumi/policy";
import { RecordedResource, Recording } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { evaluatePolicies, PackConfig, PolicyVerdict } from "../../plan/policies";

/** What the recorder holds for a value that preview does not know yet. */
export const UNKNOWN = pulumi.unknown;

const urnOf = (type: string, name: string) => `urn:pulumi:test::ecs-ec2-api::${type}::${name}`;

/** A resource as the recorder records it at `up` (inputs resolved, id known); pass `preview: true` to drop the id. */
export function resource(type: string, name: string, inputs: Record<string, any>, extra: Partial<RecordedResource> & { preview?: boolean } = {}): RecordedResource {
  const { preview, ...rest } = extra;
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs,
    outputs: { ...inputs },
    id: preview ? undefined : `${name}-id`,
    dependencies: [],
    propertyDependencies: {},
    options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false },
    aliases: [],
    ...rest,
  };
}

export function recording(resources: RecordedResource[], preview = false): Recording {
  return { resources, outputs: {}, stack: "test", preview, warnings: [], invokes: [] };
}

/** The verdict of one policy over `resources` (or a whole recording). */
export async function verdict(policy: Policies[number], resources: RecordedResource[] | Recording, opts: { preview?: boolean; config?: PackConfig } = {}): Promise<PolicyVerdict> {
  const rec = Array.isArray(resources) ? recording(resources, opts.preview) : resources;
  const [v] = await evaluatePolicies(rec, opts.config, { policies: [policy] });
  return v;
}

/** The violation messages of one policy over `resources`. */
export async function violations(policy: Policies[number], resources: RecordedResource[] | Recording, opts: { preview?: boolean; config?: PackConfig } = {}): Promise<string[]> {
  return (await verdict(policy, resources, opts)).violations.map((v) => v.message);
}

export type SubnetKind = "public" | "private" | "routed" | "ipv6" | "orphan" | "foreignIgw";

export interface MiniStack {
  /** The subnet the ECS service runs its tasks in. */
  tasks?: SubnetKind;
  /** Literal subnet ids for the service instead (e.g. a subnet of another stack). */
  taskSubnetIds?: string[];
  /** The subnet the Auto Scaling group launches hosts in; "none" leaves vpcZoneIdentifiers unset. */
  hosts?: SubnetKind | "none";
  /** Make the private route table the VPC's main route table. */
  mainTable?: boolean;
  /** The subnet a scheduled job (an EventBridge Scheduler schedule running an ECS task) runs its task in; none by default. */
  job?: SubnetKind;
}

/**
 * A tiny network with one subnet of each kind, an ECS service and an Auto Scaling group:
 *  - public:     maps public IPs on launch; its table's Route resource sends 0.0.0.0/0 to the internet gateway
 *  - private:    default route to a NAT gateway (inline route)
 *  - routed:     no public IPs on launch, but its table's inline route sends 0.0.0.0/0 to the internet gateway
 *  - ipv6:       its table's Route resource sends ::/0 to the internet gateway
 *  - orphan:     no route table association (the VPC's main route table applies)
 *  - foreignIgw: its table routes 0.0.0.0/0 to an internet gateway given by a literal "igw-..." id
 */
export function miniStack(o: MiniStack): () => void {
  return () => {
    const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
    // Named "gateway" so that at `up` it is recognised by its id ("gateway-id"), not by an "igw-" prefix.
    const igw = new aws.ec2.InternetGateway("gateway", { vpcId: vpc.id });
    const subnet = (name: string, octet: number, args: Partial<aws.ec2.SubnetArgs> = {}) =>
      new aws.ec2.Subnet(name, { vpcId: vpc.id, cidrBlock: `10.0.${octet}.0/24`, ...args });
    const table = (name: string, s: aws.ec2.Subnet, args: Partial<aws.ec2.RouteTableArgs> = {}) => {
      const rt = new aws.ec2.RouteTable(`${name}-rt`, { vpcId: vpc.id, ...args });
      new aws.ec2.RouteTableAssociation(`${name}-assoc`, { subnetId: s.id, routeTableId: rt.id });
      return rt;
    };

    const pub = subnet("public", 0, { mapPublicIpOnLaunch: true });
    const pubRt = table("public", pub);
    new aws.ec2.Route("public-default", { routeTableId: pubRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const eip = new aws.ec2.Eip("nat", { domain: "vpc" });
    const nat = new aws.ec2.NatGateway("nat", { subnetId: pub.id, allocationId: eip.id });

    const priv = subnet("private", 1);
    const privRt = table("private", priv, { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] });

    const routed = subnet("routed", 2);
    table("routed", routed, { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });

    const ipv6 = subnet("ipv6", 3);
    const ipv6Rt = table("ipv6", ipv6);
    new aws.ec2.Route("ipv6-default", { routeTableId: ipv6Rt.id, destinationIpv6CidrBlock: "::/0", gatewayId: igw.id });

    const orphan = subnet("orphan", 4);

    const foreign = subnet("foreign", 5);
    const foreignRt = table("foreign", foreign);
    new aws.ec2.Route("foreign-default", { routeTableId: foreignRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-0123456789abcdef0" });

    if (o.mainTable) new aws.ec2.MainRouteTableAssociation("main", { vpcId: vpc.id, routeTableId: privRt.id });

    const subnets: Record<SubnetKind, aws.ec2.Subnet> = { public: pub, private: priv, routed, ipv6, orphan, foreignIgw: foreign };
    const sg = new aws.ec2.SecurityGroup("tasks", { vpcId: vpc.id });
    const cluster = new aws.ecs.Cluster("cluster", {});
    new aws.ecs.Service("web", {
      cluster: cluster.arn,
      desiredCount: 1,
      networkConfiguration: { subnets: o.taskSubnetIds ?? [subnets[o.tasks ?? "private"].id], securityGroups: [sg.id], assignPublicIp: false },
    });
    if (o.job) {
      const td = new aws.ecs.TaskDefinition("report", { family: "report", containerDefinitions: "[]", networkMode: "awsvpc" });
      const role = new aws.iam.Role("report-scheduler", { assumeRolePolicy: "{}" });
      new aws.scheduler.Schedule("report", {
        scheduleExpression: "rate(1 day)",
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: cluster.arn, roleArn: role.arn,
          ecsParameters: { taskDefinitionArn: td.arn, networkConfiguration: { subnets: [subnets[o.job].id], securityGroups: [sg.id], assignPublicIp: false } },
        },
      });
    }
    const lt = new aws.ec2.LaunchTemplate("hosts", { metadataOptions: { httpTokens: "required" } });
    new aws.autoscaling.Group("hosts", {
      minSize: 0,
      maxSize: 1,
      launchTemplate: { id: lt.id, version: "$Latest" },
      vpcZoneIdentifiers: o.hosts === "none" ? undefined : [subnets[o.hosts ?? "private"].id],
    });
  };
}

const cache = new Map<string, Promise<Recording>>();

/** Records `miniStack(o)` under the mock engine, in preview (ids unknown) or as `up` (ids known); cached. */
export function recordMiniStack(o: MiniStack, preview: boolean): Promise<Recording> {
  // Hosts go where the tasks go unless told otherwise, so one recording serves both policies' tests.
  const tasks = o.tasks ?? "private";
  const full: MiniStack = { tasks, taskSubnetIds: o.taskSubnetIds, hosts: o.hosts ?? (o.taskSubnetIds ? "private" : tasks), mainTable: !!o.mainTable, ...(o.job ? { job: o.job } : {}) };
  const key = JSON.stringify({ full, preview });
  if (!cache.has(key)) cache.set(key, runProgram(miniStack(full), { stack: "test", config: { "aws:region": "us-east-1" }, preview }));
  return cache.get(key)!;
}
