/**
 * A pool of container hosts the cluster's tasks run on: a launch template (the hosts' hardening), an Auto
 * Scaling group in the private subnets, the ECS capacity provider that scales it for the tasks, and an
 * alarm when the provider cannot add hosts. The cluster composes one on-demand pool, and a Spot pool beside
 * it when the stack asks for Spot hosts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { notifying } from "./alerts";
import { HOST_WARMUP_SECONDS } from "../lib/instance-types";
import { renderUserData } from "./user-data";

export interface HostPoolArgs {
  /** The cluster the hosts join (its name goes in their user data). */
  clusterName: pulumi.Output<string>;
  /** On-demand hosts run this type; undefined for a Spot pool. */
  instanceType?: string;
  /** Spot hosts run any of these interchangeable types (a mixed-instances group, all Spot). */
  spotTypes?: string[];
  /** The AMI the hosts boot. */
  ami: pulumi.Input<string>;
  /** The hosts' instance profile and security group. */
  profileArn: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  /** The private subnets the hosts launch in (those whose AZ offers the types). */
  subnetIds: pulumi.Input<string[]>;
  /** Most hosts, and hosts at creation (the capacity provider owns the count afterwards). */
  maxSize: number;
  desiredCapacity: number;
  /**
   * Fewest hosts the group keeps, and ECS's managed scaling with it (it never sets the group below its
   * minimum): one per AZ keeps hosts in every AZ, so tasks spread over AZs survive a lost host or AZ. @default 0
   */
  minSize?: number;
  /**
   * Stopped, pre-initialized hosts kept beside the group (a warm pool of exactly this many), which enter service
   * when the group grows; on-demand pools only. @default 0
   */
  warmPool?: number;
  /** Operators reach the hosts through Session Manager (the user data installs the agent). @default false */
  sessionManager?: boolean;
  /** ENI trunking is on for the account: the user data marks it, so turning it on rolls the hosts. @default false */
  eniTrunking?: boolean;
  /** What must exist before a host boots: its role's policies, the account's ENI trunking setting. */
  launchAfter: pulumi.Input<pulumi.Resource>[];
  /** What must exist before the group launches hosts: the private routes out, the ENI trunking setting. */
  groupAfter: pulumi.Input<pulumi.Resource>[];
  /** SNS topics the capacity alarm notifies, on alarm and on recovery. */
  alarmActions: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/**
 * Hosts of one kind. On-demand hosts run `instanceType`; Spot hosts any of `spotTypes`
 * (price-capacity-optimized, capacity rebalancing) and drain their tasks when AWS announces an
 * interruption. The pool's resources were the cluster's own children before the pool had a component:
 * aliases to the cluster keep deployed stacks' hosts as they are.
 */
export class HostPool extends pulumi.ComponentResource {
  readonly launchTemplate: aws.ec2.LaunchTemplate;
  readonly group: aws.autoscaling.Group;
  readonly capacityProvider: aws.ecs.CapacityProvider;

  /** `name`: the cluster's name; `prefix`: "" for on-demand hosts, "spot-" for Spot hosts. */
  constructor(name: string, prefix: "" | "spot-", args: HostPoolArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
    super("ecs-ec2-api:ecs:HostPool", `${name}-${prefix}hosts`, {}, opts);
    const tags = args.tags;
    const spot = args.spotTypes !== undefined;
    const moved = { parent: this, aliases: [{ parent: opts.parent }] };
    const warm = args.warmPool ?? 0;
    if (spot && warm > 0) {
      // PutWarmPool "cannot be called on an Auto Scaling group that has a mixed instances policy or a launch
      // template or launch configuration that requests Spot Instances" (Amazon EC2 Auto Scaling API Reference).
      throw new Error(`HostPool ${name}-${prefix}hosts: a Spot pool cannot keep a warm pool`);
    }

    this.launchTemplate = new aws.ec2.LaunchTemplate(`${name}-${prefix}hosts`, {
      imageId: args.ami,
      // A Spot group names its types in its overrides.
      instanceType: args.instanceType,
      iamInstanceProfile: { arn: args.profileArn },
      vpcSecurityGroupIds: [args.securityGroupId],
      // This injected configuration is how the host knows which cluster to join.
      userData: args.clusterName.apply((clusterName) =>
        Buffer.from(renderUserData({ clusterName, sessionManager: args.sessionManager, eniTrunking: args.eniTrunking, spotDraining: spot, warmPoolsCheck: warm > 0 })).toString("base64")),
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
    }, { ...moved, dependsOn: args.launchAfter });

    // The exact version, not $Latest: a new version (a new AMI, a new instance type) is then a change
    // of the group, and the instance refresh below rolls it out.
    const version = { launchTemplateId: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) };
    this.group = new aws.autoscaling.Group(`${name}-${prefix}hosts`, {
      vpcZoneIdentifiers: args.subnetIds,
      minSize: args.minSize ?? 0,
      maxSize: args.maxSize,
      // The group refuses a desired count below its minimum.
      desiredCapacity: Math.max(args.desiredCapacity, args.minSize ?? 0),
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
              overrides: args.spotTypes!.map((instanceType) => ({ instanceType })),
            },
          },
          capacityRebalance: true,
        }
        : { launchTemplate: { id: version.launchTemplateId, version: version.version } }),
      ...(warm > 0
        ? {
          warmPool: {
            // Stopped: the hosts cost their volumes only until they enter service (user data ran at their first boot).
            poolState: "Stopped",
            // Equal, the pool has an absolute size; without maxGroupPreparedCapacity it would be maxSize less the
            // desired hosts (PutWarmPool MaxGroupPreparedCapacity, Amazon EC2 Auto Scaling API Reference).
            minSize: warm,
            maxGroupPreparedCapacity: warm,
            // No instanceReusePolicy: for an ECS group "you cannot set the option that returns instances to the warm
            // pool on scale in (ReuseOnScaleIn)" (Amazon ECS Developer Guide, "Configuring pre-initialized instances
            // for your Amazon ECS Auto Scaling group"); hosts leaving the group terminate.
          },
        }
        : {}),
      // Managed termination protection: ECS, not the group, decides which hosts may go.
      protectFromScaleIn: true,
      // A group whose hosts are still protected from scale-in would wait for them forever on delete (a
      // CloudFormation stack needs a Lambda to lift the protection); `forceDelete` terminates them with it.
      forceDelete: true,
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          // Launch replacements before terminating (100..200 %); managed draining moves tasks off.
          minHealthyPercentage: 100,
          maxHealthyPercentage: 200,
          instanceWarmup: String(HOST_WARMUP_SECONDS),
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
      ...moved,
      // The capacity provider owns the desired count after creation.
      ignoreChanges: ["desiredCapacity"],
      dependsOn: args.groupAfter,
    });

    this.capacityProvider = new aws.ecs.CapacityProvider(`${name}-${prefix}capacity`, {
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.group.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          // Percentage of cluster reservation to keep: 100 packs hosts full before adding one.
          targetCapacity: 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 100,
          instanceWarmupPeriod: HOST_WARMUP_SECONDS,
        },
      },
      tags,
    }, moved);

    // Reservation above 100 % means tasks wait for hosts; staying there means the group cannot add them.
    new aws.cloudwatch.MetricAlarm(`${name}-${prefix}capacity-full`, {
      alarmDescription: `The ${spot ? "Spot" : "on-demand"} capacity provider's reservation stayed at 100 % or more for 15 minutes: tasks wait for hosts (maxSize reached, or no capacity of the type)`,
      namespace: "AWS/ECS/ManagedScaling",
      metricName: "CapacityProviderReservation",
      dimensions: { ClusterName: args.clusterName, CapacityProviderName: this.capacityProvider.name },
      statistic: "Minimum",
      period: 300,
      evaluationPeriods: 3,
      threshold: 100,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      ...notifying(args.alarmActions),
      tags,
    }, { parent: this.capacityProvider });

    this.registerOutputs({ groupName: this.group.name, capacityProviderName: this.capacityProvider.name });
  }
}
