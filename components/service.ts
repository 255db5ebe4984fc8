import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsTasksTrustPolicy } from "./iam";
import { CATCH_ALL_PRIORITY, type PublicEdge } from "./edge";
import { serviceAlarms, serviceAutoscaling } from "./service-alarms";
import { containerDefinition, deploymentConfiguration, secretsPolicy, serviceConnectConfiguration, shortHash, sidecarDefinition, taskSecrets } from "./task";
import type { ServiceArgs } from "./service-args";

export type { ServiceArgs } from "./service-args";

/**
 * One ECS service on the cluster's capacity provider, in the private subnets: the seed's service stack,
 * generalized. Its own security group (the container port from the ALB only, or nothing for a worker;
 * HTTPS and the configured rules out), task role, log group, task definition, target group and listener
 * rule (or the listener's default action), deployment circuit breaker and alarm rollback, and
 * target-tracking autoscaling. The load balancer is the edge's, shared by every service.
 */
export class Service extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  /** Undefined for a worker. */
  readonly targetGroupArn?: pulumi.Output<string>;
  /** Every target group's ARN suffix (two with blue/green, canary, linear), for metrics. */
  readonly targetGroupArnSuffixes: pulumi.Output<string>[];
  readonly serviceArn: pulumi.Output<string>;
  /** The ECS service: what its callers wait for. */
  readonly service: aws.ecs.Service;

  private readonly tags: Record<string, string>;
  private readonly serviceSg: aws.ec2.SecurityGroup;
  private readonly args: ServiceArgs;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type was ecs-ec2-api:ecs:LoadBalancedService when the service held the load balancer too; the
    // alias keeps deployed services (and, through it, every child) as they are.
    super("ecs-ec2-api:ecs:Service", name, {}, { ...opts, aliases: [{ type: "ecs-ec2-api:ecs:LoadBalancedService" }, ...(opts?.aliases ?? [])] });
    this.tags = args.tags ?? {};
    const tags = this.tags;
    this.args = args;
    const parent = { parent: this };
    const edge = args.route.kind === "worker" ? undefined : args.edge;
    if (args.route.kind !== "worker" && !edge) throw new Error(`service ${args.serviceName} is routed but has no edge to attach to`);

    // --- the wire: the ALB -> the container port; out, HTTPS and the configured rules ---
    const serviceSg = new aws.ec2.SecurityGroup(`${name}-service-sg`, {
      vpcId: args.vpcId,
      description: edge ? `Tasks of ${args.serviceName}: container port from the ALB only, HTTPS out` : `Tasks of ${args.serviceName} (a worker): nothing in, HTTPS out`,
      tags: { ...tags, Name: `${name}-service` },
    }, parent);
    this.serviceSg = serviceSg;
    if (edge) {
      // Under the ALB's group, whose rule it is; the default service's has always lived there.
      new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-service`, {
        securityGroupId: edge.securityGroup.id, description: "To the task container port",
        ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: serviceSg.id,
      }, { parent: edge.securityGroup });
      new aws.vpc.SecurityGroupIngressRule(`${name}-service-from-alb`, {
        securityGroupId: serviceSg.id, description: "Container port from the ALB",
        ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: edge.securityGroup.id,
      }, { parent: serviceSg });
    }
    new aws.vpc.SecurityGroupEgressRule(`${name}-service-https-out`, {
      securityGroupId: serviceSg.id, description: "HTTPS to AWS APIs and the internet, through the NAT gateways",
      ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
    }, { parent: serviceSg });
    for (const rule of args.egressRules) {
      // Named by content, so reordering the list replaces nothing.
      new aws.vpc.SecurityGroupEgressRule(`${name}-egress-${shortHash(JSON.stringify(rule))}`, {
        securityGroupId: serviceSg.id,
        description: rule.description,
        ipProtocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        ...("vpc" in rule.to ? { cidrIpv4: args.vpcCidr } : "cidr" in rule.to ? { cidrIpv4: rule.to.cidr }
          : "securityGroupId" in rule.to ? { referencedSecurityGroupId: rule.to.securityGroupId } : { prefixListId: rule.to.prefixListId }),
      }, { parent: serviceSg });
    }

    // --- the target groups and the route ---
    const shifting = args.deployment.strategy !== "rolling";
    let targetGroups: aws.lb.TargetGroup[] = [];
    let routedBy: pulumi.Resource[] = [];
    let productionRule: aws.lb.ListenerRule | undefined;
    if (edge) {
      // Target group names are at most 32 characters and Pulumi's auto-name adds 8: the base is cut to 20.
      // Blue/green, canary and linear need a second group ECS moves the traffic to (and back, next time).
      targetGroups = (shifting ? ["tg", "tg2"] : ["tg"]).map((role) => new aws.lb.TargetGroup(`${name.slice(0, 20)}-${role}`, {
        vpcId: args.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: args.containerPort,
        // Targets drain before their tasks stop (deploys, scale-in, host refresh); the seed's 0 cut requests.
        deregistrationDelay: args.deregistrationDelaySeconds,
        healthCheck: {
          protocol: "HTTP",
          path: args.healthCheck.path,
          matcher: args.healthCheck.matcher,
          interval: args.healthCheck.intervalSeconds,
          timeout: args.healthCheck.timeoutSeconds,
          healthyThreshold: args.healthCheck.healthyThreshold,
          unhealthyThreshold: args.healthCheck.unhealthyThreshold,
        },
        tags,
      }, parent));
      const [primary, alternate] = targetGroups;
      if (args.route.kind === "default" && !shifting) {
        edge.serveByDefault(primary.arn);
        // The seed's DependsOn on the listener: ECS refuses a target group that no listener uses yet.
        routedBy = edge.listeners;
      } else {
        // A default service that shifts traffic gets a catch-all rule, evaluated after every other one.
        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (args.route.kind === "rule") {
          if (args.route.pathPatterns.length > 0) conditions.push({ pathPattern: { values: args.route.pathPatterns } });
          if (args.route.hostHeaders.length > 0) conditions.push({ hostHeader: { values: args.route.hostHeaders } });
        } else {
          conditions.push({ pathPattern: { values: ["/*"] } });
        }
        productionRule = new aws.lb.ListenerRule(`${name}-rule`, {
          listenerArn: edge.listener.arn,
          priority: args.route.kind === "rule" ? args.route.priority : CATCH_ALL_PRIORITY,
          conditions,
          actions: alternate
            ? [{ type: "forward", forward: { targetGroups: [{ arn: primary.arn, weight: 100 }, { arn: alternate.arn, weight: 0 }] } }]
            : [{ type: "forward", targetGroupArn: primary.arn }],
          tags,
        }, {
          parent: this,
          // ECS owns the weights once it has shifted traffic: an update must not send them back. Only the
          // weights: a service switching from rolling still gets its weighted forward (the engine resets a
          // path only where the old inputs have it, pulumi/pulumi sdk/go/common/resource/properties_path.go).
          ignoreChanges: alternate ? ["actions[0].forward.targetGroups[0].weight", "actions[0].forward.targetGroups[1].weight"] : [],
        });
        routedBy = [productionRule];
      }
    }

    // --- identities ---
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
      description: `Identity of ${args.serviceName}'s containers (the execution role only starts them)`,
      assumeRolePolicy: ecsTasksTrustPolicy(partition, args.region, accountId),
      tags,
    }, parent);
    const rolePermissions: pulumi.Input<pulumi.Resource>[] = [];
    if (args.ecsExec) {
      rolePermissions.push(new aws.iam.RolePolicy(`${name}-ecs-exec`, {
        role: taskRole.id,
        // ECS Exec's channels are not resources IAM can scope; AWS documents "*" for these four actions.
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Effect: "Allow",
            Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
            Resource: "*",
          }],
        }),
      }, { parent: taskRole }));
    }
    for (const policyArn of args.taskPolicyArns) {
      rolePermissions.push(new aws.iam.RolePolicyAttachment(`${name}-task-policy-${shortHash(policyArn)}`, { role: taskRole.name, policyArn }, { parent: taskRole }));
    }
    let executionRoleArn = pulumi.output(args.executionRoleArn);
    if (taskSecrets(args).length > 0) {
      const own = this.executionRoleWithSecrets(name, args, partition, accountId);
      executionRoleArn = own.arn;
      rolePermissions.push(...own.permissions);
    } else {
      rolePermissions.push(...(args.executionRolePolicies ?? []));
    }

    // --- the task ---
    // A literal name, so the container definitions are known at preview and policies can check them
    // there; project and stack in the name keep stacks of one account apart.
    const logGroupName = `/ecs/${pulumi.getProject()}/${pulumi.getStack()}/${args.serviceName}`;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: logGroupName, retentionInDays: args.logRetentionDays, tags }, parent);
    const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
      family: args.serviceName,
      networkMode: "awsvpc",
      requiresCompatibilities: ["EC2"],
      cpu: String(args.cpu),
      memory: String(args.memory),
      executionRoleArn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: pulumi.jsonStringify([containerDefinition(args, logGroupName), ...(args.sidecars ?? []).map((c) => sidecarDefinition(args, c, logGroupName))]),
      tags,
    }, { parent: this, dependsOn: [logGroup] });

    // --- the service ---
    const infrastructure = shifting && edge && productionRule ? this.infrastructureRole(name, args, edge, targetGroups, productionRule, accountId) : undefined;
    const alarms = edge && targetGroups.length > 0 ? serviceAlarms(this, name, args, edge, targetGroups) : [];
    const [targetGroup] = targetGroups;
    const service = new aws.ecs.Service(`${name}-service`, {
      name: args.serviceName,
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
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
      networkConfiguration: {
        subnets: args.privateSubnetIds,
        securityGroups: [serviceSg.id],
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
        ...(infrastructure && productionRule ? {
          advancedConfiguration: { alternateTargetGroupArn: targetGroups[1].arn, productionListenerRule: productionRule.arn, roleArn: infrastructure.role.arn },
        } : {}),
      }] : undefined,
      ...(args.serviceConnect ? { serviceConnectConfiguration: serviceConnectConfiguration(args, logGroupName) } : {}),
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
      // assumes both roles as the first task starts.
      dependsOn: [...routedBy, args.capacityProviders, ...(args.egress ?? []), ...rolePermissions, ...(infrastructure ? [infrastructure.policy] : []), ...(args.after ?? [])],
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
    this.logGroupName = logGroup.name;
    this.securityGroupId = serviceSg.id;
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRoleArn;
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
      securityGroupId: this.serviceSg.id, description: `Container port from ${callerName} (Service Connect)`,
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: caller.securityGroupId,
    }, { parent: this.serviceSg });
    new aws.vpc.SecurityGroupEgressRule(`${callerName}-to-${this.args.serviceName}`, {
      securityGroupId: caller.securityGroupId, description: `To ${this.args.serviceName} (Service Connect)`,
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: this.serviceSg.id,
    }, { parent: caller.serviceSg });
  }

  /**
   * An execution role for this service alone: the managed execution policy, and reads of exactly its
   * secrets (ssm:GetParameters on its parameters, secretsmanager:GetSecretValue on its secrets,
   * kms:Decrypt with the customer keys named in config). A shared role would let every service's tasks
   * start with every other service's secrets.
   */
  private executionRoleWithSecrets(
    name: string, args: ServiceArgs, partition: pulumi.Output<string>, accountId: pulumi.Output<string>,
  ): { arn: pulumi.Output<string>; permissions: pulumi.Resource[] } {
    const role = new aws.iam.Role(`${name}-execution-role`, {
      description: `Starts ${args.serviceName}'s tasks: pulls the image, writes logs, reads its secrets`,
      assumeRolePolicy: ecsTasksTrustPolicy(partition, args.region, accountId),
      tags: this.tags,
    }, { parent: this });
    const managed = new aws.iam.RolePolicyAttachment(`${name}-execution`, {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
    }, { parent: role });
    const secrets = new aws.iam.RolePolicy(`${name}-secrets`, {
      role: role.id,
      policy: JSON.stringify(secretsPolicy(taskSecrets(args), args.secretsKmsKeyArns)),
    }, { parent: role });
    return { arn: role.arn, permissions: [managed, secrets] };
  }

  /**
   * The role ECS assumes to move traffic between the two target groups (blue/green, canary, linear):
   * trusted by ECS for this account only, and allowed to change exactly this service's production rule,
   * its listener and its two target groups (the reads have no resource-level permissions).
   */
  private infrastructureRole(
    name: string, args: ServiceArgs, edge: PublicEdge, targetGroups: aws.lb.TargetGroup[], rule: aws.lb.ListenerRule, accountId: pulumi.Output<string>,
  ): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const role = new aws.iam.Role(`${name}-ecs-infrastructure`, {
      description: `ECS shifts ${args.serviceName}'s traffic between its target groups with this role`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "ecs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        }],
      }),
      tags: this.tags,
    }, { parent: this });
    const policy = new aws.iam.RolePolicy(`${name}-ecs-infrastructure`, {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Read",
            Effect: "Allow",
            Action: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
            Resource: "*",
          },
          { Sid: "TargetGroups", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: targetGroups.map((tg) => tg.arn) },
          { Sid: "ProductionRule", Effect: "Allow", Action: "elasticloadbalancing:ModifyRule", Resource: rule.arn },
          { Sid: "Listener", Effect: "Allow", Action: "elasticloadbalancing:ModifyListener", Resource: edge.listener.arn },
        ],
      }),
    }, { parent: role });
    return { role, policy };
  }
}
