import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsTasksTrustPolicy } from "./iam";
import { albLogDeliveryPrincipal } from "./regions";

/** TLS 1.3 with TLS 1.2 fallback: the ALB policy AWS recommends for new HTTPS listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancedServiceArgs {
  /** Name of the ECS service, the task family and the container (the seed's ServiceName). */
  serviceName: string;
  /** Image to run: a registry reference, or an AppImage's `imageUri`. */
  image: pulumi.Input<string>;
  /** CPU units and MiB of memory for the task (and its one container). */
  cpu: number;
  memory: number;
  /** Port the container listens on; also passed to it as the PORT variable. */
  containerPort: number;
  /** Tasks to run; with autoscaling, only the initial count (`ignoreChanges`). */
  desiredCount: number;
  vpcId: pulumi.Input<string>;
  /** Subnets of the internet-facing ALB. */
  publicSubnetIds: pulumi.Input<string>[];
  /**
   * What makes the public subnets public (the default route to the attached internet gateway, the route
   * table associations). The ALB waits for them: an internet-facing load balancer created before its VPC
   * has an attached internet gateway fails with `InvalidSubnet: VPC ... has no internet gateway`.
   */
  publicIngress?: pulumi.Input<pulumi.Resource>[];
  /** Subnets of the tasks' ENIs; tasks never get a public IP. */
  privateSubnetIds: pulumi.Input<string>[];
  /** Resources the tasks need before they start: the private routes through the NAT gateways. */
  egress?: pulumi.Input<pulumi.Resource>[];
  /** The cluster to run in, and its capacity provider. */
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  capacityProviderName: pulumi.Input<string>;
  /** The cluster's capacity-provider association: the service waits for it, and is deleted before it. */
  capacityProviders: pulumi.Resource;
  executionRoleArn: pulumi.Input<string>;
  /** The execution role's permissions: the service starts tasks only once they exist. */
  executionRolePolicies?: pulumi.Input<pulumi.Resource>[];
  region: string;
  /** Target group health check path. @default "/" */
  healthCheckPath: string;
  /** Seconds ECS ignores failing ALB health checks of a new task. @default 60 */
  healthCheckGracePeriodSeconds: number;
  /**
   * Seconds a leaving target keeps serving its in-flight requests. ECS stops a task behind a load balancer
   * in two steps: it deregisters the target and waits for this drain, then sends SIGTERM and, after
   * `stopTimeoutSeconds`, SIGKILL. 0 (the seed's) cuts in-flight requests on every deploy. @default 30
   */
  deregistrationDelaySeconds: number;
  /** Seconds between SIGTERM and SIGKILL (the container's `stopTimeout`). @default 30 */
  stopTimeoutSeconds: number;
  /** ALB idle timeout; the application's keep-alive timeout must be longer. @default 30 */
  albIdleTimeoutSeconds: number;
  /** ACM certificate: when set, HTTPS on 443 with TLS_POLICY and 80 redirects to 443. */
  certificateArn?: string;
  /** Retention of the container log group and of the ALB access logs. @default 30 */
  logRetentionDays: number;
  /**
   * ALB deletion protection, and Pulumi `protect` on the load balancer and the access-log bucket (a
   * destroy or a replacement then fails in its preview, before anything is deleted); also keeps the
   * access-log bucket on destroy. @default false
   */
  deletionProtection: boolean;
  /** ALB access logs to a private, encrypted bucket. @default false */
  accessLogs: boolean;
  /** Service autoscaling; undefined for a fixed desiredCount. */
  autoscaling?: { minCount: number; maxCount: number; cpuTargetPercent: number; requestsPerTarget: number };
  /** ECS Exec into running tasks (through SSM; the task role gets the SSM messages permissions). @default false */
  ecsExec: boolean;
  /** Tags for every taggable child; ECS propagates the service's tags to its tasks. */
  tags?: Record<string, string>;
}

/**
 * The seed's service stack: an awsvpc service on the cluster's capacity provider in the private
 * subnets, behind an internet-facing ALB. Beyond the seed: least-privilege security groups, deployment
 * circuit breaker and alarm-based rollback, HTTPS with a redirect when a certificate is given, header
 * hygiene, access logs, deletion protection, log retention, a task role apart from the execution role,
 * and target-tracking autoscaling on CPU and on requests per task.
 */
export class LoadBalancedService extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;

  private readonly tags: Record<string, string>;

  constructor(name: string, args: LoadBalancedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:ecs:LoadBalancedService", name, {}, opts);
    this.tags = args.tags ?? {};
    const tags = this.tags;
    const parent = { parent: this };
    const https = args.certificateArn !== undefined;

    // --- the wire: internet -> ALB (80/443) -> tasks (container port), nothing else ---
    const albSg = new aws.ec2.SecurityGroup(`${name}-alb-sg`, {
      vpcId: args.vpcId,
      description: `Public ALB of ${args.serviceName}: HTTP${https ? " and HTTPS" : ""} in, container port out to the service`,
      tags: { ...tags, Name: `${name}-alb` },
    }, parent);
    const serviceSg = new aws.ec2.SecurityGroup(`${name}-service-sg`, {
      vpcId: args.vpcId,
      description: `Tasks of ${args.serviceName}: container port from the ALB only, HTTPS out`,
      tags: { ...tags, Name: `${name}-service` },
    }, parent);
    for (const port of https ? [80, 443] : [80]) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-alb-in-${port}`, {
        securityGroupId: albSg.id, description: `${port === 443 ? "HTTPS" : "HTTP"} from anywhere`,
        ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0",
      }, { parent: albSg });
    }
    new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-service`, {
      securityGroupId: albSg.id, description: "To the task container port",
      ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: serviceSg.id,
    }, { parent: albSg });
    new aws.vpc.SecurityGroupIngressRule(`${name}-service-from-alb`, {
      securityGroupId: serviceSg.id, description: "Container port from the ALB",
      ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: albSg.id,
    }, { parent: serviceSg });
    new aws.vpc.SecurityGroupEgressRule(`${name}-service-https-out`, {
      securityGroupId: serviceSg.id, description: "HTTPS to AWS APIs and the internet, through the NAT gateways",
      ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
    }, { parent: serviceSg });

    // --- the load balancer ---
    // Load balancer and target group names are at most 32 characters, and Pulumi's auto-name adds a
    // hyphen and 7 random ones: a 32-character service name would fail `up`, so their base is cut to 20.
    const lbBase = name.slice(0, 20);
    const targetGroup = new aws.lb.TargetGroup(`${lbBase}-tg`, {
      vpcId: args.vpcId,
      targetType: "ip",
      protocol: "HTTP",
      port: args.containerPort,
      // Targets drain before their tasks stop (deploys, scale-in, host refresh); the seed's 0 cut requests.
      deregistrationDelay: args.deregistrationDelaySeconds,
      healthCheck: {
        protocol: "HTTP",
        path: args.healthCheckPath,
        interval: 6,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 10,
      },
      tags,
    }, parent);

    const logBucket = args.accessLogs ? this.createAccessLogBucket(name, args) : undefined;
    const alb = new aws.lb.LoadBalancer(`${lbBase}-alb`, {
      loadBalancerType: "application",
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [albSg.id],
      idleTimeout: args.albIdleTimeoutSeconds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: args.deletionProtection,
      accessLogs: logBucket ? { bucket: logBucket.bucket.bucket, enabled: true, prefix: args.serviceName } : undefined,
      tags,
    }, {
      parent: this,
      protect: args.deletionProtection,
      dependsOn: [...(args.publicIngress ?? []), ...(logBucket ? [logBucket.policy] : [])],
    });

    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    const listeners = [new aws.lb.Listener(`${name}-http`, {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: https
        ? [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }]
        : forward,
      tags,
    }, { parent: alb, protect: false })];
    if (https) {
      listeners.push(new aws.lb.Listener(`${name}-https`, {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: args.certificateArn,
        defaultActions: forward,
        tags,
      }, { parent: alb, protect: false }));
    }

    // --- the task ---
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    // A literal name, so the container definitions are known at preview and policies can check them
    // there; project and stack in the name keep stacks of one account apart.
    const logGroupName = `/ecs/${pulumi.getProject()}/${pulumi.getStack()}/${args.serviceName}`;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: logGroupName, retentionInDays: args.logRetentionDays, tags }, parent);
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
      description: `Identity of ${args.serviceName}'s containers (the execution role only starts them)`,
      assumeRolePolicy: ecsTasksTrustPolicy(partition, args.region, accountId),
      tags,
    }, parent);
    const taskRolePolicies: pulumi.Resource[] = [];
    if (args.ecsExec) {
      taskRolePolicies.push(new aws.iam.RolePolicy(`${name}-ecs-exec`, {
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
    const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
      family: args.serviceName,
      networkMode: "awsvpc",
      requiresCompatibilities: ["EC2"],
      cpu: String(args.cpu),
      memory: String(args.memory),
      executionRoleArn: args.executionRoleArn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: pulumi.jsonStringify([{
        name: args.serviceName,
        image: args.image,
        cpu: args.cpu,
        memory: args.memory,
        essential: true,
        stopTimeout: args.stopTimeoutSeconds,
        portMappings: [{ containerPort: args.containerPort, hostPort: args.containerPort, protocol: "tcp" }],
        environment: [
          { name: "PORT", value: String(args.containerPort) },
          { name: "SERVICE_NAME", value: args.serviceName },
          // How long an application may take to finish after SIGTERM: 5 s less than ECS allows it.
          { name: "SHUTDOWN_TIMEOUT_MS", value: String(Math.max(1, args.stopTimeoutSeconds - 5) * 1000) },
        ],
        // ECS Exec needs an init process to reap the shells it starts.
        linuxParameters: { initProcessEnabled: args.ecsExec },
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            // A full log buffer drops lines instead of blocking the application's stdout.
            mode: "non-blocking",
            "max-buffer-size": "25m",
            "awslogs-group": logGroupName,
            "awslogs-region": args.region,
            "awslogs-stream-prefix": args.serviceName,
          },
        },
      }]),
      tags,
    }, { parent: this, dependsOn: [logGroup] });

    // --- the service ---
    const alarms = this.createDeploymentAlarms(name, alb, targetGroup);
    const service = new aws.ecs.Service(`${name}-service`, {
      name: args.serviceName,
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: args.desiredCount,
      // The capacity provider, never a launch type: tasks waiting for room make the provider add hosts.
      capacityProviderStrategies: [{ capacityProvider: args.capacityProviderName, base: 0, weight: 1 }],
      orderedPlacementStrategies: [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "cpu" },
      ],
      networkConfiguration: {
        subnets: args.privateSubnetIds,
        securityGroups: [serviceSg.id],
        assignPublicIp: false,
      },
      deploymentMaximumPercent: 200,
      deploymentMinimumHealthyPercent: 75,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: alarms.map((a) => a.name), enable: true, rollback: true },
      healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds,
      loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: args.serviceName, containerPort: args.containerPort }],
      enableExecuteCommand: args.ecsExec,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      waitForSteadyState: true,
      tags,
    }, {
      parent: this,
      // The seed's DependsOn on the listener: a target group joins a load balancer through a listener,
      // and ECS refuses a target group that has none yet. The association: the capacity provider must
      // be usable before, and the service gone before the association on destroy. The routes: tasks pull
      // images through the NAT gateways.
      // The roles' permissions: ECS assumes both roles as the first task starts.
      dependsOn: [...listeners, args.capacityProviders, ...(args.egress ?? []), ...(args.executionRolePolicies ?? []), ...taskRolePolicies],
      // The service name is fixed, so a replacement must delete the old service first.
      deleteBeforeReplace: true,
      // `up` waits for the deployment to settle (hosts may start from zero): a release that never gets
      // healthy fails the update here instead of passing on to the next environment.
      customTimeouts: { create: "30m", update: "30m" },
      ignoreChanges: args.autoscaling ? ["desiredCount"] : [],
    });

    if (args.autoscaling) this.createAutoscaling(name, args, args.autoscaling, service, alb, targetGroup);

    this.serviceName = service.name;
    this.logGroupName = logGroup.name;
    this.loadBalancerDnsName = alb.dnsName;
    this.url = pulumi.interpolate`${https ? "https" : "http"}://${alb.dnsName}`;
    this.registerOutputs({ url: this.url, serviceName: this.serviceName, logGroupName: this.logGroupName });
  }

  /**
   * Alarms that fail a deployment and roll it back (ECS watches them during a deployment): target 5xx
   * responses, and targets failing health checks.
   */
  private createDeploymentAlarms(name: string, alb: aws.lb.LoadBalancer, targetGroup: aws.lb.TargetGroup): aws.cloudwatch.MetricAlarm[] {
    const common = {
      namespace: "AWS/ApplicationELB",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix },
      tags: this.tags,
    };
    return [
      new aws.cloudwatch.MetricAlarm(`${name}-target-5xx`, {
        ...common,
        alarmDescription: "More than 10 target 5xx responses a minute in 2 of 3 minutes",
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        threshold: 10,
      }, { parent: this }),
      new aws.cloudwatch.MetricAlarm(`${name}-unhealthy-targets`, {
        ...common,
        alarmDescription: "A target failed its health checks in 2 of 3 minutes",
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        threshold: 0,
      }, { parent: this }),
    ];
  }

  /** Target tracking on CPU and on ALB requests per task, between the configured bounds. */
  private createAutoscaling(
    name: string, args: LoadBalancedServiceArgs, bounds: NonNullable<LoadBalancedServiceArgs["autoscaling"]>,
    service: aws.ecs.Service, alb: aws.lb.LoadBalancer, targetGroup: aws.lb.TargetGroup,
  ): void {
    const target = new aws.appautoscaling.Target(`${name}-scaling`, {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
      minCapacity: bounds.minCount,
      maxCapacity: bounds.maxCount,
      tags: this.tags,
    }, { parent: service });
    const policy = (role: string, targetValue: number, metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification) =>
      new aws.appautoscaling.Policy(`${name}-${role}`, {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: metric,
          scaleInCooldown: 120,
          scaleOutCooldown: 60,
        },
      }, { parent: target });
    policy("cpu-scaling", bounds.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    policy("requests-scaling", bounds.requestsPerTarget, {
      predefinedMetricType: "ALBRequestCountPerTarget",
      resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}`,
    });
  }

  /**
   * A private, encrypted bucket that only the regional ELB log delivery may write to, over TLS only,
   * with objects expiring after the log retention. Destroyed with its logs, unless the stack protects its
   * load balancer: then `pulumi destroy` leaves bucket and logs in place.
   */
  private createAccessLogBucket(name: string, args: LoadBalancedServiceArgs): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    // With deletion protection the logs outlive the stack: destroy leaves the bucket and its settings.
    const retainOnDelete = args.deletionProtection;
    const bucket = new aws.s3.Bucket(`${name}-alb-logs`, { forceDestroy: !retainOnDelete, tags: this.tags }, { parent: this, retainOnDelete, protect: args.deletionProtection });
    // The bucket's settings are not protected themselves (they may change); the bucket refuses the destroy.
    const opts = { parent: bucket, retainOnDelete, protect: false };
    const accountId = aws.getCallerIdentityOutput({}, opts).accountId;
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-alb-logs`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls(`${name}-alb-logs`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    // ALB access logs support SSE-S3 only.
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-alb-logs`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${name}-alb-logs`, {
      bucket: bucket.id,
      rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.logRetentionDays } }],
    }, opts);
    const policy = new aws.s3.BucketPolicy(`${name}-alb-logs`, {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AlbLogDelivery",
            Effect: "Allow",
            Principal: albLogDeliveryPrincipal(args.region),
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/${args.serviceName}/AWSLogs/${accountId}/*`,
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    }, { ...opts, dependsOn: [publicAccess] });
    return { bucket, policy };
  }
}
