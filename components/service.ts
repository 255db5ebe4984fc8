import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PublicEdge, ServiceRoute } from "./edge";
import { queueAccessPolicy, queuesReady } from "./queue";
import { createRole, trustedBy } from "./role";
import { serviceAlarms, serviceAutoscaling } from "./service-alarms";
import { containerDefinition, deploymentConfiguration, serviceConnectConfiguration, sidecarDefinition, taskRegistryCredentials, taskSecrets } from "./task";
import { placementOf, TaskComponent, taskLogGroupName, type TaskUnitArgs } from "./task-unit";
import type { ServiceArgs } from "./service-args";

export type { ServiceArgs } from "./service-args";

/**
 * One ECS service on the cluster's capacity providers, in the private subnets: its task unit (security
 * group, task and execution roles, log group, task definition), its route from the public edge (target
 * groups and the listener's default action or a rule, which the edge makes), the ECS service with its
 * deployment circuit breaker and alarm rollback, its alarms and target-tracking autoscaling. A worker has
 * no route: nothing reaches it. A service with a work queue (components/queue.ts) receives from it and scales
 * on its backlog; any service may send to other services' queues.
 */
export class Service extends TaskComponent {
  readonly serviceName: pulumi.Output<string>;
  /** Undefined for a worker. */
  readonly targetGroupArn?: pulumi.Output<string>;
  /** Every target group's ARN suffix (two with blue/green, canary, linear), for metrics. */
  readonly targetGroupArnSuffixes: pulumi.Output<string>[];
  readonly serviceArn: pulumi.Output<string>;
  /** The ECS service: what its callers wait for. */
  readonly service: aws.ecs.Service;

  private readonly args: ServiceArgs;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type was ecs-ec2-api:ecs:LoadBalancedService when the service held the load balancer too; the
    // alias keeps deployed services (and, through it, every child) as they are.
    super("ecs-ec2-api:ecs:Service", name, serviceTask(args), { ...opts, aliases: [{ type: "ecs-ec2-api:ecs:LoadBalancedService" }, ...(opts?.aliases ?? [])] });
    const tags = args.tags ?? {};
    this.args = args;
    const edge = args.route.kind === "worker" ? undefined : args.edge;
    if (args.route.kind !== "worker" && !edge) throw new Error(`service ${args.serviceName} is routed but has no edge to attach to`);
    const unit = this.unit;

    // --- the route: the edge's target groups and listener rule (none for a worker) ---
    const shifting = args.deployment.strategy !== "rolling";
    const route: ServiceRoute | undefined = edge && args.route.kind !== "worker" ? edge.route({
      owner: this, name, route: args.route, port: args.containerPort, vpcId: args.vpcId, tasksSecurityGroup: unit.securityGroup,
      healthCheck: args.healthCheck, deregistrationDelaySeconds: args.deregistrationDelaySeconds, shifting, tags,
    }) : undefined;
    const targetGroups = route?.targetGroups ?? [];

    // --- the service ---
    const infrastructure = edge && route?.productionRule && shifting ? this.infrastructureRole(name, args, edge, route, unit.accountId) : undefined;
    const alarms = edge && targetGroups.length > 0 ? serviceAlarms(this, name, args, edge, targetGroups) : [];
    const [targetGroup] = targetGroups;
    const service = new aws.ecs.Service(`${name}-service`, {
      name: args.serviceName,
      cluster: args.clusterArn,
      taskDefinition: unit.taskDefinition.arn,
      desiredCount: args.desiredCount,
      // The capacity providers, never a launch type: tasks waiting for room make a provider add hosts.
      capacityProviderStrategies: args.capacityProviderStrategies,
      // The provider refuses to change a deployed service's strategy (Spot on or off, a new base or
      // weight) unless this is true ("force_new_deployment should be true when capacity_provider_strategy
      // is being updated": capacityProviderStrategyCustomizeDiff, internal/service/ecs/service.go). The
      // program cannot know the deployed strategy, so it is always true: an in-place update of the
      // service also starts a deployment (almost every one is a new task definition, which does anyway).
      forceNewDeployment: true,
      orderedPlacementStrategies: [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "cpu" },
      ],
      ...(args.distinctHosts ? { placementConstraints: [{ type: "distinctInstance" }] } : {}),
      networkConfiguration: {
        subnets: args.privateSubnetIds,
        securityGroups: [unit.securityGroup.id],
        assignPublicIp: false,
      },
      deploymentMaximumPercent: args.deployment.maximumPercent,
      deploymentMinimumHealthyPercent: args.deployment.minimumHealthyPercent,
      deploymentConfiguration: deploymentConfiguration(args.deployment),
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: alarms.length > 0 ? { alarmNames: alarms.filter((a) => a.rollback).map((a) => a.alarm.name), enable: true, rollback: true } : undefined,
      // ECS accepts a grace period only for services behind a load balancer.
      healthCheckGracePeriodSeconds: targetGroup ? args.healthCheck.gracePeriodSeconds : undefined,
      loadBalancers: targetGroup ? [{
        targetGroupArn: targetGroup.arn,
        containerName: args.serviceName,
        containerPort: args.containerPort,
        ...(infrastructure && route?.productionRule ? {
          advancedConfiguration: { alternateTargetGroupArn: targetGroups[1].arn, productionListenerRule: route.productionRule.arn, roleArn: infrastructure.arn },
        } : {}),
      }] : undefined,
      ...(args.serviceConnect ? { serviceConnectConfiguration: serviceConnectConfiguration(args, taskLogGroupName("service", args.serviceName)) } : {}),
      enableExecuteCommand: args.ecsExec,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      waitForSteadyState: true,
      tags,
    }, {
      parent: this,
      // The route (listener or rule): ECS refuses a target group no listener forwards to. The association:
      // the capacity provider must be usable before, and the service gone before the association on
      // destroy. The routes: tasks pull images through the NAT gateways. The roles' permissions: ECS
      // assumes both roles as the first task starts. The queues it uses: their URLs are known before
      // they exist.
      dependsOn: [...(route?.routedBy ?? []), ...(args.capacityProviders ? [args.capacityProviders] : []), ...(args.egress ?? []), ...unit.permissions,
        ...(infrastructure?.permissions ?? []), ...(args.after ?? []), ...queuesReady(args.queue, args.sendsTo)],
      // The service name is fixed, so a replacement must delete the old service first.
      deleteBeforeReplace: true,
      // `up` waits for the deployment to settle (hosts may start from zero): a release that never gets
      // healthy fails the update here instead of passing on to the next environment.
      customTimeouts: { create: `${args.updateTimeoutMinutes}m`, update: `${args.updateTimeoutMinutes}m` },
      // The capacity provider owns desiredCount under autoscaling.
      ignoreChanges: args.autoscaling ? ["desiredCount"] : [],
    });

    if (args.autoscaling) serviceAutoscaling(name, args, args.autoscaling, service, edge, targetGroups);

    this.service = service;
    this.serviceName = service.name;
    this.serviceArn = service.id;
    this.targetGroupArn = targetGroup?.arn;
    this.targetGroupArnSuffixes = targetGroups.map((tg) => tg.arnSuffix);
    this.registerOutputs({
      serviceName: this.serviceName, logGroupName: this.logGroupName, securityGroupId: this.securityGroupId,
      taskRoleArn: this.taskRoleArn, executionRoleArn: this.executionRoleArn, targetGroupArn: this.targetGroupArn,
    });
  }

  /**
   * Lets `caller` reach this service's container port through Service Connect: this group admits exactly
   * the caller's group on the port, and the caller's group may send there (its proxy connects to this
   * service's tasks directly).
   */
  admit(callerName: string, caller: Service): void {
    const port = this.args.containerPort;
    new aws.vpc.SecurityGroupIngressRule(`${this.args.serviceName}-from-${callerName}`, {
      securityGroupId: this.unit.securityGroup.id, description: `Container port from ${callerName} (Service Connect)`,
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: caller.securityGroupId,
    }, { parent: this.unit.securityGroup });
    new aws.vpc.SecurityGroupEgressRule(`${callerName}-to-${this.args.serviceName}`, {
      securityGroupId: caller.securityGroupId, description: `To ${this.args.serviceName} (Service Connect)`,
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: this.unit.securityGroup.id,
    }, { parent: caller.unit.securityGroup });
  }

  /**
   * The role ECS assumes to move traffic between the two target groups (blue/green, canary, linear):
   * trusted by ECS for this account only, and allowed to change exactly this service's production rule,
   * its listener and its two target groups (the reads have no resource-level permissions).
   */
  private infrastructureRole(name: string, args: ServiceArgs, edge: PublicEdge, route: ServiceRoute, accountId: pulumi.Output<string>) {
    return createRole(`${name}-ecs-infrastructure`, {
      description: `ECS shifts ${args.serviceName}'s traffic between its target groups with this role`,
      trust: trustedBy("ecs.amazonaws.com", accountId),
      inline: [{
        name: `${name}-ecs-infrastructure`,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Read",
              Effect: "Allow",
              Action: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
              Resource: "*",
            },
            { Sid: "TargetGroups", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: route.targetGroups.map((tg) => tg.arn) },
            { Sid: "ProductionRule", Effect: "Allow", Action: "elasticloadbalancing:ModifyRule", Resource: route.productionRule!.arn },
            { Sid: "Listener", Effect: "Allow", Action: "elasticloadbalancing:ModifyListener", Resource: edge.listener.arn },
          ],
        }),
      }],
      bounds: args.roleBounds,
      tags: args.tags ?? {},
    }, { parent: this });
  }
}

/** The service's task unit: its containers (and sidecars), secrets, roles and egress. */
function serviceTask(args: ServiceArgs): TaskUnitArgs {
  const routed = args.route.kind !== "worker";
  return {
    ...placementOf(args),
    kind: "service",
    family: args.serviceName,
    describe: {
      securityGroup: routed ? `Tasks of ${args.serviceName}: container port from the ALB only, HTTPS out` : `Tasks of ${args.serviceName} (a worker): nothing in, HTTPS out`,
      taskRole: `Identity of ${args.serviceName}'s containers (the execution role only starts them)`,
      executionRole: `Starts ${args.serviceName}'s tasks: pulls the image, writes logs, reads its secrets`,
    },
    cpu: args.cpu,
    memory: args.memory,
    containers: (logGroupName) => [containerDefinition(args, logGroupName), ...(args.sidecars ?? []).map((c) => sidecarDefinition(args, c, logGroupName))],
    secrets: taskSecrets(args),
    registryCredentials: taskRegistryCredentials(args),
    secretsKmsKeyArns: args.secretsKmsKeyArns,
    taskPolicyArns: args.taskPolicyArns,
    egressRules: args.egressRules,
    ecsExec: args.ecsExec,
    queueAccess: queueAccessPolicy(args.region, args.queue?.endpoint, (args.sendsTo ?? []).map((q) => q.endpoint)),
    sharedExecutionRole: { arn: args.executionRoleArn, permissions: args.executionRolePolicies ?? [] },
    tags: args.tags ?? {},
  };
}
