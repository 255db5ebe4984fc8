import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../lib/cidr";
import { createRole, trustedBy, type RoleBounds } from "./role";

export interface NetworkArgs {
  /** IPv4 CIDR of the VPC. Validated by config/network.ts (/16../24). @default "10.0.0.0/16" */
  vpcCidr: string;
  /** Number of AZs to span, each with one public and one private subnet. @default 2 */
  availabilityZones: number;
  /**
   * `perAz`: one NAT gateway (and Elastic IP) per AZ, each private route table uses its own AZ's, so an
   * AZ outage leaves the others their egress. `single`: one NAT gateway in the first AZ for
   * all private route tables: cheaper, for dev. Either way there is one private route table per AZ, so
   * switching replaces routes, not route tables or associations.
   * @default "perAz"
   */
  natGateways: "perAz" | "single";
  /** AWS region, for the S3 gateway endpoint's service name. */
  region: string;
  /** Send VPC flow logs of all traffic to a CloudWatch log group. @default false */
  flowLogs?: boolean;
  /** Retention of the flow-log group, in days. @default 30 */
  logRetentionDays?: number;
  /**
   * The AZs by name, as many as `availabilityZones`. Undefined: the region's first standard AZs by name
   * (Local Zones aside), whatever their current state or what they offer. Subnet i's AZ must never change
   * between runs: a subnet cannot move, and its replacement with the same CIDR is refused by EC2
   * (`InvalidSubnet.Conflict`) and would drag NAT gateways, the ALB and the hosts with it. So the choice
   * never depends on data that changes (an AZ's availability, instance-type offerings); the cluster keeps
   * its hosts out of AZs that do not offer their type.
   */
  availabilityZoneNames?: string[];
  /**
   * Pulumi `protect` on the VPC and the subnets (the stack's addresses): a `pulumi destroy`, or a change
   * that would replace or delete them, fails in its preview, before anything is deleted. @default false
   */
  protect?: boolean;
  /** Tags for every taggable child. */
  /** The boundary and path the flow logs' role carries. Undefined: none. */
  roleBounds?: RoleBounds;
  tags?: Record<string, string>;
}

/**
 * What the cluster, the edge and the tasks build on, whether the stack creates its network (Network) or
 * deploys into one it does not own (ExistingNetwork).
 */
export interface NetworkOutputs {
  vpcId: pulumi.Output<string>;
  /** The VPC's block, for egress rules to `vpc` (an existing VPC's as its lookup found it). */
  vpcCidr: pulumi.Input<string>;
  /** The load balancer's subnets, one per AZ. */
  publicSubnetIds: pulumi.Output<string>[];
  /** The hosts' and tasks' subnets. */
  privateSubnetIds: pulumi.Output<string>[];
  /** The AZ of each private subnet, in order. */
  availabilityZoneNames: pulumi.Output<string[]>;
  /** What hosts and tasks wait for before they start: the private subnets' routes out. */
  privateEgress: pulumi.Resource[];
  /** What the internet-facing load balancer waits for: the public subnets' way in. */
  publicIngress: pulumi.Resource[];
}

/**
 * A VPC of its own: public subnets with an internet gateway, private subnets whose only way out is a
 * NAT gateway, one public route table and one private route table per AZ. Adds a (free) S3 gateway
 * endpoint on the private route tables, so image layers that ECR serves from S3 skip the NAT gateway,
 * and optional flow logs.
 */
export class Network extends pulumi.ComponentResource implements NetworkOutputs {
  readonly vpc: aws.ec2.Vpc;
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Public subnets (ALB), then private subnets (hosts and tasks), in AZ order. */
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];
  readonly natGateways: aws.ec2.NatGateway[];
  /**
   * The private subnets' default routes through the NAT gateways. Anything that needs the internet from
   * a private subnet at start (hosts joining the cluster, tasks pulling images) depends on these, so a
   * first `pulumi up` never starts them before they can get out.
   */
  readonly privateEgress: pulumi.Resource[];
  /**
   * The public subnets' way to the internet: the default route to the attached internet gateway and the
   * subnets' associations with its table. An internet-facing load balancer depends on these: created
   * before the VPC has an attached gateway it fails (`InvalidSubnet: VPC ... has no internet gateway`).
   */
  readonly publicIngress: pulumi.Resource[];
  /** The AZ of each subnet pair, in subnet order. */
  readonly availabilityZoneNames: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:network:Network", name, {}, opts);
    this.vpcCidr = args.vpcCidr;
    const tags = args.tags ?? {};
    const named = (role: string) => ({ ...tags, Name: `${name}-${role}` });
    const plan = planSubnets(args.vpcCidr, args.availabilityZones);
    const protect = args.protect ?? false;

    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: args.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: named("vpc"),
    }, { parent: this, protect });
    // Children inherit `protect` from their parent unless they say otherwise: only the VPC and the subnets
    // (the stack's addresses) are protected, so routes, gateways and flow logs still change freely.
    const vpcOpts = { parent: this.vpc, protect: false };
    const subnetOpts = { parent: this.vpc, protect };
    const under = (parent: pulumi.Resource, more: pulumi.CustomResourceOptions = {}) => ({ parent, protect: false, ...more });

    const zones = args.availabilityZoneNames ?? firstStandardZones(args.availabilityZones, args.region, { parent: this });
    const zoneOf = (i: number): pulumi.Input<string> => (Array.isArray(zones) ? zones[i] : zones.apply((z) => z[i]));

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { tags: named("igw") }, vpcOpts);
    const attachment = new aws.ec2.InternetGatewayAttachment(`${name}-igw-attachment`, {
      vpcId: this.vpc.id,
      internetGatewayId: igw.id,
    }, vpcOpts);

    const publicRouteTable = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: this.vpc.id, tags: named("public") }, vpcOpts);
    // EC2 rejects a route to a gateway not attached yet: the route waits for the attachment.
    const publicDefault = new aws.ec2.Route(`${name}-public-default`, {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    }, { parent: publicRouteTable, dependsOn: [attachment] });

    this.publicIngress = [publicDefault];
    this.publicSubnets = plan.public.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-public-${i + 1}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zoneOf(i),
        mapPublicIpOnLaunch: true,
        tags: { ...named(`public-${i + 1}`), "ecs-ec2-api/tier": "public" },
      }, subnetOpts);
      this.publicIngress.push(new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: subnet.id, routeTableId: publicRouteTable.id }, under(subnet)));
      return subnet;
    });

    const natCount = args.natGateways === "single" ? 1 : args.availabilityZones;
    this.natGateways = this.publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: named(`nat-${i + 1}`) }, under(subnet, { dependsOn: [attachment] }));
      return new aws.ec2.NatGateway(`${name}-nat-${i + 1}`, {
        subnetId: subnet.id,
        allocationId: eip.id,
        tags: named(`nat-${i + 1}`),
      }, under(subnet, { dependsOn: [attachment] }));
    });

    const privateRouteTables: aws.ec2.RouteTable[] = [];
    this.privateEgress = [];
    this.privateSubnets = plan.private.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-private-${i + 1}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zoneOf(i),
        mapPublicIpOnLaunch: false,
        tags: { ...named(`private-${i + 1}`), "ecs-ec2-api/tier": "private" },
      }, subnetOpts);
      const table = new aws.ec2.RouteTable(`${name}-private-rt-${i + 1}`, { vpcId: this.vpc.id, tags: named(`private-${i + 1}`) }, vpcOpts);
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      this.privateEgress.push(new aws.ec2.Route(`${name}-private-default-${i + 1}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat.id,
      }, { parent: table }));
      new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { subnetId: subnet.id, routeTableId: table.id }, under(subnet));
      privateRouteTables.push(table);
      return subnet;
    });

    new aws.ec2.VpcEndpoint(`${name}-s3`, {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${args.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRouteTables.map((t) => t.id),
      tags: named("s3"),
    }, vpcOpts);

    if (args.flowLogs) this.createFlowLogs(name, args.logRetentionDays ?? 30, tags, args.roleBounds);

    this.availabilityZoneNames = pulumi.output(zones);
    this.vpcId = this.vpc.id;
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }

  /** Flow logs of all traffic to a log group, through a role that may write to that group only. */
  private createFlowLogs(name: string, retentionInDays: number, tags: Record<string, string>, roleBounds?: RoleBounds): void {
    const opts = { parent: this.vpc, protect: false };
    const group = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays, tags }, opts);
    const role = createRole(`${name}-flow-logs`, {
      trust: trustedBy("vpc-flow-logs.amazonaws.com"),
      inline: [{
        name: `${name}-flow-logs`,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
            },
            // The describe calls are account-level listings; AWS's flow-log role grants them on "*".
            { Effect: "Allow", Action: ["logs:DescribeLogGroups", "logs:DescribeLogStreams"], Resource: "*" },
          ],
        }),
      }],
      bounds: roleBounds,
      tags,
    }, opts);
    new aws.ec2.FlowLog(`${name}-flow-logs`, {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags,
      // The service assumes the role at once: without its permissions the first deliveries fail.
    }, { ...opts, dependsOn: role.permissions });
  }
}

/**
 * The region's first `count` standard AZs by name. Stable between runs: no filter on the zones' current
 * state (an impaired AZ stays in the list) nor on what they offer, and Local Zones (opt-in) never count.
 * AWS names new AZs with later letters, so they do not shift the first ones.
 */
function firstStandardZones(count: number, region: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string[]> {
  return aws.getAvailabilityZonesOutput({ filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, opts).names.apply((names) => {
    const sorted = [...names].sort();
    if (sorted.length < count) {
      throw new Error(`availabilityZones = ${count}, but ${region} has ${sorted.length} standard AZs: ${sorted.join(", ")}`);
    }
    return sorted.slice(0, count);
  });
}
