import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { albLogDeliveryPrincipal } from "../lib/regions";
import { WAF_MANAGED_RULE_GROUPS, wafGroupOf } from "../lib/waf-rules";
import type { Route, TargetHealthCheck } from "../lib/shapes";
import { notifying } from "./alerts";

/** TLS 1.3 with TLS 1.2 fallback: the ALB policy AWS recommends for new HTTPS listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface PublicEdgeArgs {
  /**
   * Start of every child's name: the default service's name. The load balancer and its security group,
   * listeners and log bucket were the default service's children before the edge had a component of its
   * own; they keep their names, and aliases to their old place, so deployed stacks keep them.
   */
  namePrefix: string;
  vpcId: pulumi.Input<string>;
  /** Subnets of the internet-facing ALB: the public ones, one per AZ. */
  publicSubnetIds: pulumi.Input<string>[];
  /**
   * What makes the public subnets public (the default route to the attached internet gateway, the route
   * table associations). The ALB waits for them: an internet-facing load balancer created before its VPC
   * has an attached internet gateway fails with `InvalidSubnet: VPC ... has no internet gateway`.
   */
  publicIngress?: pulumi.Input<pulumi.Resource>[];
  region: string;
  /** An ACM certificate of the region: HTTPS on 443 with TLS_POLICY, and 80 redirects to 443. */
  certificateArn?: string;
  /**
   * The API's own domain: a DNS-validated certificate (unless certificateArn is given), HTTPS, and an alias
   * record to the load balancer; `url` becomes https://<name>. The zone must be public and hold the name.
   */
  domain?: { name: string; hostedZoneId: string };
  /** Seconds the ALB keeps an idle connection; the application's keep-alive timeout must be longer. @default 30 */
  idleTimeoutSeconds: number;
  /**
   * ALB deletion protection, and Pulumi `protect` on the load balancer and the access-log bucket (a
   * destroy or a replacement then fails in its preview, before anything is deleted); also keeps the
   * access-log bucket on destroy. @default false
   */
  deletionProtection: boolean;
  /** ALB access logs to a private, encrypted bucket, expiring after logRetentionDays. @default false */
  accessLogs: boolean;
  logRetentionDays: number;
  /**
   * A regional WAF web ACL in front of the load balancer: the AWS managed common rule set, known bad
   * inputs and IP reputation list, and a per-IP rate limit (requests per 5 minutes). `countRules` lists
   * rules of the managed groups to count instead of block. Undefined: no web ACL.
   */
  waf?: { rateLimit: number; countRules: string[] };
  /**
   * How the default service is reached. `forward` (rolling deployments): the listeners' default action
   * forwards to its target group (see route). `rule` (blue/green, canary, linear): ECS shifts
   * traffic by changing a listener rule's weights, so the default service gets a catch-all rule and the
   * default action answers 404. @default "forward"
   */
  defaultRoute?: "forward" | "rule";
  /** SNS topics the load balancer's alarm notifies, on alarm and on recovery. */
  alarmActions?: pulumi.Input<string>[];
  /** Tags for every taggable child. */
  tags?: Record<string, string>;
}

/** The priority of a default service's catch-all rule: after every other service's rule. */
export const CATCH_ALL_PRIORITY = 50000;

/** What a service asks of the edge: a route from the load balancer to its tasks' port. */
export interface RouteRequest {
  /**
   * The service's component. Its target groups and listener rule were its children before the edge made
   * them: aliases to that place keep deployed stacks' resources as they are.
   */
  owner: pulumi.Resource;
  /** The service's component name; the route's resources are named after it. */
  name: string;
  /** The listener's default action, or a listener rule (priority, path patterns, host headers). */
  route: Exclude<Route, { kind: "worker" }>;
  /** The tasks' container port. */
  port: number;
  vpcId: pulumi.Input<string>;
  /** The tasks' security group: it admits the load balancer's group on the port. */
  tasksSecurityGroup: aws.ec2.SecurityGroup;
  healthCheck: TargetHealthCheck;
  /** Seconds a leaving target keeps serving its in-flight requests. */
  deregistrationDelaySeconds: number;
  /**
   * Two target groups and a weighted rule that ECS shifts traffic along (blue/green, canary, linear);
   * false: one group.
   */
  shifting: boolean;
  tags: Record<string, string>;
}

/** What the edge gives a service for its route. */
export interface ServiceRoute {
  /** The target groups: the production one first, then (shifting) the alternate ECS moves traffic to. */
  targetGroups: aws.lb.TargetGroup[];
  /** The rule that forwards to them; undefined where the listener's default action does. */
  productionRule?: aws.lb.ListenerRule;
  /** What forwards to the target groups: ECS refuses a target group no listener uses yet. */
  routedBy: pulumi.Resource[];
}


/**
 * The stack's one public entry, shared by every service: an internet-facing ALB in the public subnets,
 * its security group (TCP 80 and 443 from anywhere, out only to the services' groups on their ports), the
 * listeners (HTTP, or HTTPS with an 80 -> 443 redirect), the certificate and DNS records of the API's own
 * domain, and the access logs. Services attach to it: the default service as the listener's default
 * action, the others through listener rules on `listener` (`route`).
 */
export class PublicEdge extends pulumi.ComponentResource {
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** The listener that serves requests (HTTPS when there is a certificate, else HTTP); rules attach here. */
  readonly listener: aws.lb.Listener;
  /** Every listener: a service that uses the default action waits for all of them. */
  readonly listeners: aws.lb.Listener[];
  readonly url: pulumi.Output<string>;
  /** The certificate the HTTPS listener serves, once validated; undefined without HTTPS. */
  readonly certificateArn?: pulumi.Output<string>;
  private readonly resolveDefaultTarget: (arn: pulumi.Output<string>) => void;

  constructor(name: string, args: PublicEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:edge:PublicEdge", name, {}, opts);
    const p = args.namePrefix;
    const tags = args.tags ?? {};
    const https = args.certificateArn !== undefined || args.domain !== undefined;
    // Before this component existed these were children of the default service's component.
    const moved = { parent: this, aliases: [{ parent: legacyServiceUrn(p) }] };

    // --- the wire: internet -> ALB (80/443) -> the services' groups on their ports, nothing else ---
    this.securityGroup = new aws.ec2.SecurityGroup(`${p}-alb-sg`, {
      vpcId: args.vpcId,
      description: `Public ALB of ${p}: HTTP${https ? " and HTTPS" : ""} in, container port out to the service`,
      tags: { ...tags, Name: `${p}-alb` },
    }, moved);
    for (const port of https ? [80, 443] : [80]) {
      new aws.vpc.SecurityGroupIngressRule(`${p}-alb-in-${port}`, {
        securityGroupId: this.securityGroup.id, description: `${port === 443 ? "HTTPS" : "HTTP"} from anywhere`,
        ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0",
      }, { parent: this.securityGroup });
    }

    // --- the load balancer ---
    // Load balancer names are at most 32 characters, and Pulumi's auto-name adds a hyphen and 7 random
    // ones: a 32-character service name would fail `up`, so the base is cut to 20.
    const lbBase = p.slice(0, 20);
    const logBucket = args.accessLogs ? this.accessLogBucket(p, args, moved) : undefined;
    this.loadBalancer = new aws.lb.LoadBalancer(`${lbBase}-alb`, {
      loadBalancerType: "application",
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [this.securityGroup.id],
      idleTimeout: args.idleTimeoutSeconds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: args.deletionProtection,
      accessLogs: logBucket ? { bucket: logBucket.bucket.bucket, enabled: true, prefix: p } : undefined,
      tags,
    }, {
      ...moved,
      protect: args.deletionProtection,
      dependsOn: [...(args.publicIngress ?? []), ...(logBucket ? [logBucket.policy] : [])],
    });

    // --- the certificate and the name ---
    // The records take the zone id through the zone's check, so a wrong zone fails before they exist.
    const zoneId = args.domain ? this.checkedZone(args.domain).apply(() => args.domain!.hostedZoneId) : undefined;
    if (args.certificateArn !== undefined) this.certificateArn = pulumi.output(args.certificateArn);
    else if (args.domain && zoneId) this.certificateArn = this.validatedCertificate(p, args.domain.name, zoneId, tags);

    // The default action forwards to the default service's target group, which its route creates: a
    // deferred output, resolved by route, keeps the listener's dependency on the group.
    const [defaultTarget, resolveDefaultTarget] = pulumi.deferredOutput<string>();
    this.resolveDefaultTarget = resolveDefaultTarget;
    const forward = args.defaultRoute === "rule"
      ? [{ type: "fixed-response", fixedResponse: { contentType: "application/json", statusCode: "404", messageBody: "{\"error\":\"not_found\"}" } }]
      : [{ type: "forward", targetGroupArn: defaultTarget }];
    const listenerOpts = { parent: this.loadBalancer, protect: false };
    const http = new aws.lb.Listener(`${p}-http`, {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: https ? [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }] : forward,
      tags,
    }, listenerOpts);
    this.listeners = [http];
    this.listener = http;
    if (https) {
      this.listener = new aws.lb.Listener(`${p}-https`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: this.certificateArn,
        defaultActions: forward,
        tags,
      }, listenerOpts);
      this.listeners.push(this.listener);
    }

    if (args.domain && zoneId) {
      // A record only: the ALB is IPv4 (ipAddressType ipv4), so an AAAA alias would answer with nothing.
      new aws.route53.Record(`${p}-alias`, {
        zoneId,
        name: args.domain.name,
        type: "A",
        aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true }],
      }, { parent: this.loadBalancer, protect: false });
      this.url = pulumi.output(`https://${args.domain.name}`);
    } else {
      this.url = pulumi.interpolate`${https ? "https" : "http"}://${this.loadBalancer.dnsName}`;
    }
    if (args.waf) this.webAcl(p, args.waf, tags);
    // Errors the load balancer itself returns (no healthy target, target timeouts, 502s): users see them.
    new aws.cloudwatch.MetricAlarm(`${p}-alb-5xx`, {
      alarmDescription: "The load balancer returned more than 10 5xx responses a minute in 3 of 5 minutes",
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_ELB_5XX_Count",
      dimensions: { LoadBalancer: this.loadBalancer.arnSuffix },
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 10,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...notifying(args.alarmActions),
      tags,
    }, { parent: this.loadBalancer, protect: false });
    this.registerOutputs({ url: this.url, loadBalancerArn: this.loadBalancer.arn, listenerArn: this.listener.arn });
  }

  /**
   * A regional web ACL on the load balancer: a per-IP rate limit first (cheapest to evaluate), then the
   * AWS managed IP reputation list, known bad inputs and the common rule set; everything else allowed.
   * Metrics and sampled requests on for every rule.
   */
  private webAcl(p: string, waf: { rateLimit: number; countRules: string[] }, tags: Record<string, string>): void {
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const acl = new aws.wafv2.WebAcl(`${p}-waf`, {
      scope: "REGIONAL",
      description: `Public ALB of ${p}: rate limit and AWS managed rules`,
      defaultAction: { allow: {} },
      rules: [
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: waf.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
          visibilityConfig: visibility(`${p}-rate-limit`),
        },
        ...WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: group,
              // The rules the stack counts instead of blocking, each in its own group.
              ruleActionOverrides: waf.countRules.filter((rule) => wafGroupOf(rule) === group).map((name) => ({ name, actionToUse: { count: {} } })),
            },
          },
          visibilityConfig: visibility(`${p}-${group}`),
        })),
      ],
      visibilityConfig: visibility(`${p}-waf`),
      tags,
    }, { parent: this.loadBalancer, protect: false });
    new aws.wafv2.WebAclAssociation(`${p}-waf`, {
      resourceArn: this.loadBalancer.arn,
      webAclArn: acl.arn,
    }, { parent: acl });
  }

  /**
   * A route to a service's tasks: the load balancer's group may reach the tasks' group on the port (and
   * nothing else), the target groups, and the listener's default action (the default service, rolling) or
   * a listener rule. A default service that shifts traffic gets a catch-all rule, evaluated after every
   * other.
   */
  route(req: RouteRequest): ServiceRoute {
    const { name, port } = req;
    // Under the ALB's group, whose rule it is.
    new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-service`, {
      securityGroupId: this.securityGroup.id, description: "To the task container port",
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: req.tasksSecurityGroup.id,
    }, { parent: this.securityGroup });
    new aws.vpc.SecurityGroupIngressRule(`${name}-service-from-alb`, {
      securityGroupId: req.tasksSecurityGroup.id, description: "Container port from the ALB",
      ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: this.securityGroup.id,
    }, { parent: req.tasksSecurityGroup });

    const moved = { parent: this, aliases: [{ parent: req.owner }] };
    // Target group names are at most 32 characters and Pulumi's auto-name adds 8: the base is cut to 20.
    // Blue/green, canary and linear need a second group ECS moves the traffic to (and back, next time).
    const targetGroups = (req.shifting ? ["tg", "tg2"] : ["tg"]).map((role) => new aws.lb.TargetGroup(`${name.slice(0, 20)}-${role}`, {
      vpcId: req.vpcId,
      targetType: "ip",
      protocol: "HTTP",
      port,
      // Targets drain before their tasks stop (deploys, scale-in, host refresh); 0 would cut requests.
      deregistrationDelay: req.deregistrationDelaySeconds,
      healthCheck: {
        protocol: "HTTP",
        path: req.healthCheck.path,
        matcher: req.healthCheck.matcher,
        interval: req.healthCheck.intervalSeconds,
        timeout: req.healthCheck.timeoutSeconds,
        healthyThreshold: req.healthCheck.healthyThreshold,
        unhealthyThreshold: req.healthCheck.unhealthyThreshold,
      },
      tags: req.tags,
    }, moved));
    const [primary, alternate] = targetGroups;
    if (req.route.kind === "default" && !req.shifting) {
      this.resolveDefaultTarget(primary.arn);
      return { targetGroups, routedBy: this.listeners };
    }
    const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
    if (req.route.kind === "rule") {
      if (req.route.pathPatterns.length > 0) conditions.push({ pathPattern: { values: req.route.pathPatterns } });
      if (req.route.hostHeaders.length > 0) conditions.push({ hostHeader: { values: req.route.hostHeaders } });
    } else {
      conditions.push({ pathPattern: { values: ["/*"] } });
    }
    const productionRule = new aws.lb.ListenerRule(`${name}-rule`, {
      listenerArn: this.listener.arn,
      priority: req.route.kind === "rule" ? req.route.priority : CATCH_ALL_PRIORITY,
      conditions,
      actions: alternate
        ? [{ type: "forward", forward: { targetGroups: [{ arn: primary.arn, weight: 100 }, { arn: alternate.arn, weight: 0 }] } }]
        : [{ type: "forward", targetGroupArn: primary.arn }],
      tags: req.tags,
    }, {
      ...moved,
      // ECS owns the weights once it has shifted traffic: an update must not send them back. Only the
      // weights: a service switching from rolling still gets its weighted forward (the engine resets a
      // path only where the old inputs have it, pulumi/pulumi sdk/go/common/resource/properties_path.go).
      ignoreChanges: alternate ? ["actions[0].forward.targetGroups[0].weight", "actions[0].forward.targetGroups[1].weight"] : [],
    });
    return { targetGroups, productionRule, routedBy: [productionRule] };
  }

  /**
   * The hosted zone, checked before anything is created: it must be public (ACM validates through public
   * DNS) and hold the name; validation records anywhere else never resolve, and the validation would wait
   * until it times out.
   */
  private checkedZone(domain: { name: string; hostedZoneId: string }): pulumi.Output<string> {
    return aws.route53.getZoneOutput({ zoneId: domain.hostedZoneId }, { parent: this }).apply((z) => {
      const zoneName = z.name.replace(/\.$/, "").toLowerCase();
      if (z.privateZone) throw new Error(`hostedZoneId ${domain.hostedZoneId} is a private zone (${zoneName}): the certificate is validated through public DNS; use the public zone of ${domain.name}`);
      if (domain.name !== zoneName && !domain.name.endsWith(`.${zoneName}`)) {
        throw new Error(`domainName ${domain.name} is not in hostedZoneId ${domain.hostedZoneId} (${zoneName}): use the zone that holds the name`);
      }
      return zoneName;
    });
  }

  /** An ACM certificate for the domain, validated by a DNS record in its zone; its ARN once issued. */
  private validatedCertificate(p: string, domainName: string, zoneId: pulumi.Output<string>, tags: Record<string, string>): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(`${p}-certificate`, {
      domainName,
      validationMethod: "DNS",
      tags,
    }, { parent: this });
    // One name, so ACM asks for exactly one validation record.
    const option = certificate.domainValidationOptions[0];
    const record = new aws.route53.Record(`${p}-certificate-validation`, {
      zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 60,
      // The record is ACM's, and the same for every certificate of this name and account.
      allowOverwrite: true,
    }, { parent: certificate });
    // Waits until ACM has issued the certificate: a listener cannot use one pending validation.
    return new aws.acm.CertificateValidation(`${p}-certificate`, {
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }, { parent: certificate }).certificateArn;
  }

  /**
   * A private, encrypted bucket that only the regional ELB log delivery may write to, over TLS only,
   * with objects expiring after the log retention. Destroyed with its logs, unless the stack is protected:
   * then `pulumi destroy` refuses, and leaves bucket and logs in place once protection is lifted.
   */
  private accessLogBucket(p: string, args: PublicEdgeArgs, moved: pulumi.CustomResourceOptions): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const retainOnDelete = args.deletionProtection;
    const bucket = new aws.s3.Bucket(`${p}-alb-logs`, { forceDestroy: !retainOnDelete, tags: args.tags }, { ...moved, retainOnDelete, protect: args.deletionProtection });
    // The bucket's settings are not protected themselves (they may change); the bucket refuses the destroy.
    const opts = { parent: bucket, retainOnDelete, protect: false };
    const accountId = aws.getCallerIdentityOutput({}, opts).accountId;
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${p}-alb-logs`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls(`${p}-alb-logs`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    // ALB access logs support SSE-S3 only.
    new aws.s3.BucketServerSideEncryptionConfiguration(`${p}-alb-logs`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${p}-alb-logs`, {
      bucket: bucket.id,
      rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.logRetentionDays } }],
    }, opts);
    const policy = new aws.s3.BucketPolicy(`${p}-alb-logs`, {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AlbLogDelivery",
            Effect: "Allow",
            Principal: albLogDeliveryPrincipal(args.region),
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/${p}/AWSLogs/${accountId}/*`,
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

/**
 * The URN the default service's component had when it held the load balancer too (type
 * ecs-ec2-api:ecs:LoadBalancedService, directly under the stack, whose type URNs leave out): the old
 * parent of what moved out of it.
 */
export function legacyServiceUrn(serviceName: string): string {
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::ecs-ec2-api:ecs:LoadBalancedService::${serviceName}`;
}
