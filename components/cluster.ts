import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HostPool } from "./host-pool";
import { awsManagedPolicy, createRole, ecsTasksTrustPolicy, trustedBy, type RoleBounds } from "./role";

export interface Ec2ClusterArgs {
  /** VPC of the hosts' security group. */
  vpcId: pulumi.Input<string>;
  /** Private subnets for the hosts; the Auto Scaling group never gets a public subnet. */
  privateSubnetIds: pulumi.Input<string>[];
  /**
   * The AZ of each private subnet, in the same order. Hosts go only to the subnets whose AZ offers
   * `instanceType` (a type can be missing from an AZ, and which AZ differs per account); the subnets
   * themselves never move.
   */
  availabilityZoneNames: pulumi.Input<string[]>;
  /**
   * Resources the hosts need before they boot: the private subnets' routes to the NAT gateways. A host
   * that boots without them cannot reach ECS to register and the first `pulumi up` never converges.
   */
  egress?: pulumi.Input<pulumi.Resource>[];
  /** EC2 instance type of the hosts (validated against the instance-type table by config/). */
  instanceType: string;
  /**
   * The hosts' AMI: an image id looked up before the cluster (a pinned image: the hosts change only when the pin
   * does), or an SSM parameter read at every deploy (AWS's newest image, which reaches the hosts by instance
   * refresh whenever AWS publishes one).
   */
  image: { amiId: pulumi.Input<string> } | { ssmParameter: string };
  /** Stopped, pre-initialized on-demand hosts kept in the group's warm pool. @default 0 */
  warmPool?: number;
  /** Hosts at creation; afterwards the capacity provider owns the count (`ignoreChanges`). @default 0 */
  desiredCapacity: number;
  /** Fewest on-demand hosts, kept whatever the tasks need (one per AZ for tasks that survive an AZ). @default 0 */
  minHosts?: number;
  /** Most hosts. @default 100 */
  maxSize: number;
  /** AWS region, for the execution role's `aws:SourceArn` condition. */
  region: string;
  /**
   * Turn on ENI trunking for the account (`awsvpcTrunking`): more awsvpc tasks per host. The setting is
   * account-wide and shared with other stacks, so destroying this stack leaves it on. @default false
   */
  eniTrunking?: boolean;
  /** Attach AmazonSSMManagedInstanceCore so operators reach hosts through Session Manager, not SSH. @default false */
  sessionManager?: boolean;
  /**
   * Spot hosts beside the on-demand ones: interchangeable types (of the AMI's architecture), their own
   * group and capacity provider. Undefined: on-demand only.
   */
  spot?: { instanceTypes: string[]; maxSize: number; onDemandBaseTasks: number; onDemandWeight: number; spotWeight: number };
  /** SNS topics the capacity alarms notify, on alarm and on recovery. */
  alarmActions?: pulumi.Input<string>[];
  /**
   * The name of a Cloud Map HTTP namespace for ECS Service Connect, which the cluster holds for its services
   * (each names it in its own Service Connect configuration). Undefined: none (no service talks to another).
   */
  serviceConnectNamespace?: string;
  /** The boundary and path the hosts' role, their instance profile and the shared execution role carry. Undefined: none. */
  roleBounds?: RoleBounds;
  /** Tags for every taggable child. */
  tags?: Record<string, string>;
}

/**
 * An ECS cluster whose EC2 capacity comes from host pools (components/host-pool.ts) in the private
 * subnets, through capacity providers with managed scaling, termination protection and draining. The
 * hosts' identity, profile and security group are the cluster's, shared by its pools: encrypted root
 * volumes, IMDSv2 with a hop limit of 1, tasks blocked from the host's metadata, no inbound rules and
 * outbound HTTPS only.
 */
export class Ec2Cluster extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly capacityProviderName: pulumi.Output<string>;
  /**
   * The cluster's capacity-provider association. Services depend on it: they cannot use the capacity
   * provider before it is associated, and on destroy they must go first (see the teardown note).
   */
  readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
  /** Role ECS uses to pull images and write logs for tasks (trusted by ecs-tasks under source conditions). */
  readonly executionRoleArn: pulumi.Output<string>;
  /**
   * The execution role's permissions. ECS assumes the role as soon as a task starts: a service must not
   * start tasks before these exist, or the first image pulls and log writes fail with access errors.
   */
  readonly executionRolePolicies: pulumi.Resource[];
  /** The private subnets the hosts launch in: those whose AZ offers the instance type. */
  readonly hostSubnetIds: pulumi.Output<string[]>;
  readonly hostSecurityGroupId: pulumi.Output<string>;
  readonly autoScalingGroupName: pulumi.Output<string>;
  /** The Spot hosts' capacity provider; undefined without Spot hosts. */
  readonly spotCapacityProviderName?: pulumi.Output<string>;
  /**
   * How a service spreads its tasks over the providers: all on-demand; or, with Spot hosts, a base on
   * on-demand and the rest by the weights.
   */
  readonly capacityProviderStrategies: { capacityProvider: pulumi.Output<string>; base: number; weight: number }[];
  /** The Service Connect namespace's ARN; undefined without one. */
  readonly serviceConnectNamespaceArn?: pulumi.Output<string>;

  constructor(name: string, args: Ec2ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:ecs:Ec2Cluster", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    // Service Connect's namespace (Cloud Map, HTTP: no DNS zone), only when a service calls another.
    const namespace = args.serviceConnectNamespace
      ? new aws.servicediscovery.HttpNamespace(`${name}-services`, {
        name: args.serviceConnectNamespace,
        description: "ECS Service Connect: the stack's services by name",
        tags,
      }, parent)
      : undefined;
    this.serviceConnectNamespaceArn = namespace?.arn;
    // No serviceConnectDefaults: the services name their namespace, and the provider never clears a
    // cluster's default once set (resourceClusterUpdate sends nothing when the block goes, internal/service/
    // ecs/cluster.go), so a stack that stops using Service Connect would keep pointing at a deleted namespace.
    this.cluster = new aws.ecs.Cluster(`${name}-cluster`, {
      settings: [{ name: "containerInsights", value: "enabled" }],
      tags,
    }, parent);

    // --- identities ---
    const host = createRole(`${name}-host-role`, {
      trust: trustedBy("ec2.amazonaws.com"),
      managed: [
        { name: `${name}-host-ecs`, policyArn: awsManagedPolicy(partition, "service-role/AmazonEC2ContainerServiceforEC2Role") },
        ...(args.sessionManager ? [{ name: `${name}-host-ssm`, policyArn: awsManagedPolicy(partition, "AmazonSSMManagedInstanceCore") }] : []),
      ],
      bounds: args.roleBounds,
      tags,
    }, parent);
    const hostProfile = new aws.iam.InstanceProfile(`${name}-host-profile`, { role: host.role.name, ...(args.roleBounds ? { path: args.roleBounds.path } : {}), tags }, { parent: host.role });

    const execution = createRole(`${name}-execution-role`, {
      trust: ecsTasksTrustPolicy(partition, args.region, accountId),
      managed: [{ name: `${name}-execution`, policyArn: awsManagedPolicy(partition, "service-role/AmazonECSTaskExecutionRolePolicy") }],
      bounds: args.roleBounds,
      tags,
    }, parent);
    this.executionRolePolicies = execution.permissions;

    // --- hosts ---
    // No inbound rule at all (tasks have their own ENIs and groups); outbound HTTPS only: the ECS agent,
    // ECR, CloudWatch Logs, SSM and package repositories all speak HTTPS. DNS and NTP go to
    // link-local addresses that security groups do not filter.
    const hostSg = new aws.ec2.SecurityGroup(`${name}-host-sg`, {
      vpcId: args.vpcId,
      description: "ECS container hosts: no inbound, HTTPS outbound",
      tags: { ...tags, Name: `${name}-host` },
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-host-https-out`, {
      securityGroupId: hostSg.id,
      description: "HTTPS to AWS APIs and registries",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    }, { parent: hostSg });

    const trunking = args.eniTrunking
      ? [new aws.ecs.AccountSettingDefault(`${name}-eni-trunking`, { name: "awsvpcTrunking", value: "enabled" },
        // Account-wide: other clusters may rely on it, and deleting the resource would turn it off.
        { parent: this, retainOnDelete: true })]
      : [];

    const pool = {
      clusterName: this.cluster.name,
      ami: "amiId" in args.image ? args.image.amiId : aws.ssm.getParameterOutput({ name: args.image.ssmParameter }, parent).value,
      profileArn: hostProfile.arn,
      securityGroupId: hostSg.id,
      sessionManager: args.sessionManager,
      eniTrunking: args.eniTrunking,
      // A host registers with ENI trunking only if the account setting is on when it boots.
      launchAfter: [...host.permissions, ...trunking],
      groupAfter: [...(args.egress ?? []), ...trunking],
      alarmActions: args.alarmActions ?? [],
      tags,
    };
    this.hostSubnetIds = subnetsOffering([args.instanceType], args.privateSubnetIds, args.availabilityZoneNames, parent);
    const onDemand = new HostPool(name, "", {
      ...pool, instanceType: args.instanceType, subnetIds: this.hostSubnetIds, maxSize: args.maxSize, desiredCapacity: args.desiredCapacity, minSize: args.minHosts, warmPool: args.warmPool,
    }, parent);
    const spot = args.spot
      ? new HostPool(name, "spot-", {
        ...pool,
        spotTypes: args.spot.instanceTypes,
        subnetIds: subnetsOffering(args.spot.instanceTypes, args.privateSubnetIds, args.availabilityZoneNames, parent),
        maxSize: args.spot.maxSize,
        desiredCapacity: 0,
      }, parent)
      : undefined;

    // Teardown order. Pulumi deletes a resource only after everything that depends on it, so these
    // edges give `pulumi destroy` the order that never hangs: service (depends on the association) ->
    // association (references the capacity provider) -> capacity provider (references the group) ->
    // group (references the launch template, whose user data names the cluster) -> launch template
    // -> cluster. Had the cluster gone first, ECS could not release the hosts' protection; forceDelete
    // covers hosts that are still protected when the group goes.
    this.capacityProviders = new aws.ecs.ClusterCapacityProviders(`${name}-capacity-association`, {
      clusterName: this.cluster.name,
      capacityProviders: [onDemand.capacityProvider.name, ...(spot ? [spot.capacityProvider.name] : [])],
      defaultCapacityProviderStrategies: [{ capacityProvider: onDemand.capacityProvider.name, base: 0, weight: 1 }],
    }, parent);

    this.capacityProviderName = onDemand.capacityProvider.name;
    this.spotCapacityProviderName = spot?.capacityProvider.name;
    this.capacityProviderStrategies = spot && args.spot
      ? [
        { capacityProvider: onDemand.capacityProvider.name, base: args.spot.onDemandBaseTasks, weight: args.spot.onDemandWeight },
        { capacityProvider: spot.capacityProvider.name, base: 0, weight: args.spot.spotWeight },
      ]
      : [{ capacityProvider: onDemand.capacityProvider.name, base: 0, weight: 1 }];
    this.autoScalingGroupName = onDemand.group.name;
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.executionRoleArn = execution.arn;
    this.hostSecurityGroupId = hostSg.id;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      capacityProviderName: this.capacityProviderName,
      executionRoleArn: this.executionRoleArn,
      hostSecurityGroupId: this.hostSecurityGroupId,
      autoScalingGroupName: this.autoScalingGroupName,
      spotCapacityProviderName: this.spotCapacityProviderName,
    });
  }
}

/**
 * The subnets (of `subnetIds`, whose AZs are `zones` in order) in AZs that offer one of `instanceTypes`.
 * Fails (in preview, before anything is created) when none does, and warns when some do not.
 */
function subnetsOffering(
  instanceTypes: string[], subnetIds: pulumi.Input<string>[], zones: pulumi.Input<string[]>, opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string[]> {
  const instanceType = instanceTypes.join(" or ");
  const offered = aws.ec2.getInstanceTypeOfferingsOutput({
    locationType: "availability-zone",
    filters: [{ name: "instance-type", values: instanceTypes }],
  }, opts).locations;
  return pulumi.all([pulumi.output(zones), offered]).apply(([names, locations]) => {
    const usable = names.map((zone, i) => (locations.includes(zone) ? i : -1)).filter((i) => i >= 0);
    if (usable.length === 0) {
      throw new Error(`instanceType ${instanceType} is not offered in any of the stack's AZs (${names.join(", ")}); `
        + `choose another instanceType, or set availabilityZoneNames to AZs that offer it (${[...locations].sort().join(", ") || "none in this region"})`);
    }
    if (usable.length < names.length) {
      const missing = names.filter((_, i) => !usable.includes(i));
      void pulumi.log.warn(`instanceType ${instanceType} is not offered in ${missing.join(", ")}: hosts launch only in ${usable.map((i) => names[i]).join(", ")}, so an outage there stops every task`);
    }
    return pulumi.all(usable.map((i) => subnetIds[i]));
  });
}
