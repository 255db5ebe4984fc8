import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsTasksTrustPolicy } from "./iam";
import { renderUserData } from "./user-data";
import { notifying } from "./alerts";

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
  /** SSM parameter with the ECS-optimized AMI id, read at every deploy: a new AMI reaches hosts by instance refresh. */
  ecsAmiParameter: string;
  /** Hosts at creation; afterwards the capacity provider owns the count (`ignoreChanges`). @default 0 */
  desiredCapacity: number;
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
   * The name of a Cloud Map HTTP namespace for ECS Service Connect, which the cluster gets (and makes its
   * services' default). Undefined: none (no service talks to another).
   */
  serviceConnectNamespace?: string;
  /** Tags for every taggable child. */
  tags?: Record<string, string>;
}

/**
 * The seed's cluster stack: an ECS cluster whose EC2 capacity comes from an Auto Scaling group in the
 * private subnets, through a capacity provider with managed scaling, termination protection and
 * draining. Hosts are hardened beyond the seed: encrypted root volumes, IMDSv2 with a hop limit of 1,
 * tasks blocked from the host's metadata, no inbound rules and outbound HTTPS only.
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
    const managedPolicy = (policy: string) => pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;

    // Service Connect's namespace (Cloud Map, HTTP: no DNS zone), only when a service calls another.
    const namespace = args.serviceConnectNamespace
      ? new aws.servicediscovery.HttpNamespace(`${name}-services`, {
        name: args.serviceConnectNamespace,
        description: "ECS Service Connect: the stack's services by name",
        tags,
      }, parent)
      : undefined;
    this.serviceConnectNamespaceArn = namespace?.arn;
    this.cluster = new aws.ecs.Cluster(`${name}-cluster`, {
      settings: [{ name: "containerInsights", value: "enabled" }],
      ...(namespace ? { serviceConnectDefaults: { namespace: namespace.arn } } : {}),
      tags,
    }, parent);

    // --- identities ---
    const hostRole = new aws.iam.Role(`${name}-host-role`, {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
    }, parent);
    const hostPolicies = [
      new aws.iam.RolePolicyAttachment(`${name}-host-ecs`, {
        role: hostRole.name,
        policyArn: managedPolicy("service-role/AmazonEC2ContainerServiceforEC2Role"),
      }, { parent: hostRole }),
    ];
    if (args.sessionManager) {
      hostPolicies.push(new aws.iam.RolePolicyAttachment(`${name}-host-ssm`, {
        role: hostRole.name,
        policyArn: managedPolicy("AmazonSSMManagedInstanceCore"),
      }, { parent: hostRole }));
    }
    const hostProfile = new aws.iam.InstanceProfile(`${name}-host-profile`, { role: hostRole.name, tags }, { parent: hostRole });

    const executionRole = new aws.iam.Role(`${name}-execution-role`, {
      assumeRolePolicy: ecsTasksTrustPolicy(partition, args.region, accountId),
      tags,
    }, parent);
    this.executionRolePolicies = [new aws.iam.RolePolicyAttachment(`${name}-execution`, {
      role: executionRole.name,
      policyArn: managedPolicy("service-role/AmazonECSTaskExecutionRolePolicy"),
    }, { parent: executionRole })];

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

    const pool: HostPoolCommon = {
      ami: aws.ssm.getParameterOutput({ name: args.ecsAmiParameter }, parent).value,
      profileArn: hostProfile.arn,
      securityGroupId: hostSg.id,
      // A host registers with ENI trunking only if the account setting is on when it boots.
      launchAfter: [...hostPolicies, ...trunking],
      groupAfter: [...(args.egress ?? []), ...trunking],
      alarmActions: args.alarmActions ?? [],
    };
    this.hostSubnetIds = subnetsOffering([args.instanceType], args.privateSubnetIds, args.availabilityZoneNames, parent);
    const onDemand = this.hostPool(name, "", args, pool, { instanceType: args.instanceType, subnetIds: this.hostSubnetIds, maxSize: args.maxSize, desiredCapacity: args.desiredCapacity });
    const spot = args.spot
      ? this.hostPool(name, "spot-", args, pool, {
        spotTypes: args.spot.instanceTypes,
        subnetIds: subnetsOffering(args.spot.instanceTypes, args.privateSubnetIds, args.availabilityZoneNames, parent),
        maxSize: args.spot.maxSize,
        desiredCapacity: 0,
      })
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
    this.executionRoleArn = executionRole.arn;
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

  /**
   * Hosts of one kind: a launch template (the hardening above), an Auto Scaling group in the given
   * subnets, its capacity provider, and an alarm when the provider's reservation stays at 100 % (tasks
   * wait for room the group cannot add: maxSize reached, or no capacity of the type). On-demand hosts run
   * `instanceType`; Spot hosts any of `spotTypes` (a mixed-instances group, all Spot,
   * price-capacity-optimized), and drain their tasks when AWS announces an interruption.
   */
  private hostPool(
    name: string, prefix: "" | "spot-", args: Ec2ClusterArgs, common: HostPoolCommon,
    spec: { instanceType?: string; spotTypes?: string[]; subnetIds: pulumi.Input<string[]>; maxSize: number; desiredCapacity: number },
  ): { group: aws.autoscaling.Group; capacityProvider: aws.ecs.CapacityProvider } {
    const tags = args.tags ?? {};
    const spot = spec.spotTypes !== undefined;
    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-${prefix}hosts`, {
      imageId: common.ami,
      // A Spot group names its types in its overrides.
      instanceType: spec.instanceType,
      iamInstanceProfile: { arn: common.profileArn },
      vpcSecurityGroupIds: [common.securityGroupId],
      // This injected configuration is how the host knows which cluster to join.
      userData: this.cluster.name.apply((clusterName) =>
        Buffer.from(renderUserData({ clusterName, sessionManager: args.sessionManager, eniTrunking: args.eniTrunking, spotDraining: spot })).toString("base64")),
      blockDeviceMappings: [{
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      }],
      // IMDSv2 only; hop limit 1 keeps the metadata service out of reach of anything in a container
      // network namespace (the ECS agent runs in the host's network and needs no second hop).
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: "instance", tags: { ...tags, Name: `${name}-${prefix}host` } },
        { resourceType: "volume", tags },
      ],
      tags,
    }, { parent: this, dependsOn: common.launchAfter });

    // The exact version, not $Latest: a new version (a new AMI, a new instance type) is then a change
    // of the group, and the instance refresh below rolls it out.
    const version = { launchTemplateId: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) };
    const group = new aws.autoscaling.Group(`${name}-${prefix}hosts`, {
      vpcZoneIdentifiers: spec.subnetIds,
      minSize: 0,
      maxSize: spec.maxSize,
      desiredCapacity: spec.desiredCapacity,
      ...(spot
        ? {
          mixedInstancesPolicy: {
            instancesDistribution: {
              onDemandBaseCapacity: 0,
              onDemandPercentageAboveBaseCapacity: 0,
              // The pools least likely to be interrupted, among the cheapest.
              spotAllocationStrategy: "price-capacity-optimized",
            },
            launchTemplate: {
              launchTemplateSpecification: version,
              overrides: spec.spotTypes!.map((instanceType) => ({ instanceType })),
            },
          },
          capacityRebalance: true,
        }
        : { launchTemplate: { id: version.launchTemplateId, version: version.version } }),
      // Managed termination protection: ECS, not the group, decides which hosts may go.
      protectFromScaleIn: true,
      // The seed needs a Lambda "ASG destroyer" here: CloudFormation deletes the service, then the
      // cluster, too fast for ECS to lift scale-in protection from hosts, and the group then waits
      // forever for protected instances. `forceDelete` terminates them with the group instead.
      forceDelete: true,
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          // Launch replacements before terminating (100..200 %); managed draining moves tasks off.
          minHealthyPercentage: 100,
          maxHealthyPercentage: 200,
          instanceWarmup: "60",
          scaleInProtectedInstances: "Refresh",
          skipMatching: true,
        },
      },
      tags: [
        // The capacity provider adds this tag; declaring it keeps every update from stripping it.
        { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
        { key: "Name", value: `${name}-${prefix}host`, propagateAtLaunch: true },
        ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      ],
    }, {
      parent: this,
      // The capacity provider owns the desired count after creation.
      ignoreChanges: ["desiredCapacity"],
      dependsOn: common.groupAfter,
    });

    const capacityProvider = new aws.ecs.CapacityProvider(`${name}-${prefix}capacity`, {
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          // Percentage of cluster reservation to keep: 100 packs hosts full before adding one.
          targetCapacity: 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 100,
          instanceWarmupPeriod: 60,
        },
      },
      tags,
    }, { parent: this });

    // Reservation above 100 % means tasks wait for hosts; staying there means the group cannot add them.
    new aws.cloudwatch.MetricAlarm(`${name}-${prefix}capacity-full`, {
      alarmDescription: `The ${spot ? "Spot" : "on-demand"} capacity provider's reservation stayed at 100 % or more for 15 minutes: tasks wait for hosts (maxSize reached, or no capacity of the type)`,
      namespace: "AWS/ECS/ManagedScaling",
      metricName: "CapacityProviderReservation",
      dimensions: { ClusterName: this.cluster.name, CapacityProviderName: capacityProvider.name },
      statistic: "Minimum",
      period: 300,
      evaluationPeriods: 3,
      threshold: 100,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      ...notifying(common.alarmActions),
      tags,
    }, { parent: capacityProvider });
    return { group, capacityProvider };
  }
}

/** What every host pool shares. */
interface HostPoolCommon {
  ami: pulumi.Input<string>;
  profileArn: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  launchAfter: pulumi.Resource[];
  groupAfter: pulumi.Input<pulumi.Resource>[];
  alarmActions: pulumi.Input<string>[];
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
