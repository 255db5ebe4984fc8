/**
 * A service's alarms and its autoscaling: what watches a release and rolls it back, and what moves the
 * task count between its bounds. Children of the Service (alarms) and of the ECS service (scaling).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { notifying } from "./alerts";
import type { PublicEdge } from "./edge";
import { backlogPerTask, wakeOnMessage } from "./queue";
import type { Autoscaling } from "../lib/shapes";
import type { ServiceArgs } from "./service-args";

/**
 * The service's alarms, each notifying alarmActions on alarm and on recovery. Two also fail a
 * deployment and roll it back (ECS watches them during a deployment and its bake): target 5xx responses,
 * and targets failing health checks. The p99 response time one only notifies. With two target groups
 * (blue/green, canary, linear) each alarm reads both, whichever ECS has made live.
 */
export function serviceAlarms(parent: pulumi.Resource, name: string, args: ServiceArgs, edge: PublicEdge, targetGroups: aws.lb.TargetGroup[]): { alarm: aws.cloudwatch.MetricAlarm; rollback: boolean }[] {
  const common = {
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    tags: args.tags,
    ...notifying(args.alarmActions),
  };
  const dimensions = (tg: aws.lb.TargetGroup) => ({ LoadBalancer: edge.loadBalancer.arnSuffix, TargetGroup: tg.arnSuffix });
  // One target group: the metric itself (as deployed stacks have it). Two: both, combined by a metric
  // math expression; `period` then belongs to each metric query, never to the alarm (the provider
  // declares period ConflictsWith metric_query: internal/service/cloudwatch/metric_alarm.go).
  const metricOf = (metricName: string, stat: string, combine: (ids: string[]) => string) => targetGroups.length === 1
    ? { namespace: "AWS/ApplicationELB", metricName, period: 60, ...alarmStatistic(stat), dimensions: dimensions(targetGroups[0]) }
    : {
      metricQueries: [
        ...targetGroups.map((tg, i) => ({ id: `m${i}`, returnData: false, metric: { namespace: "AWS/ApplicationELB", metricName, stat, period: 60, dimensions: dimensions(tg) } })),
        { id: "combined", expression: combine(targetGroups.map((_, i) => `m${i}`)), label: metricName, returnData: true },
      ],
    };
  const sum = (ids: string[]) => ids.map((id) => `FILL(${id}, 0)`).join(" + ");
  const max = (ids: string[]) => `MAX([${ids.map((id) => `FILL(${id}, 0)`).join(", ")}])`;
  const p99 = args.p99LatencyAlarmMs / 1000;
  return [
    {
      rollback: true,
      alarm: new aws.cloudwatch.MetricAlarm(`${name}-target-5xx`, {
        ...common,
        alarmDescription: "More than 10 target 5xx responses a minute in 2 of 3 minutes",
        ...metricOf("HTTPCode_Target_5XX_Count", "Sum", sum),
        threshold: 10,
      }, { parent }),
    },
    {
      rollback: true,
      alarm: new aws.cloudwatch.MetricAlarm(`${name}-unhealthy-targets`, {
        ...common,
        alarmDescription: "A target failed its health checks in 2 of 3 minutes",
        ...metricOf("UnHealthyHostCount", "Maximum", max),
        threshold: 0,
      }, { parent }),
    },
    {
      rollback: false,
      alarm: new aws.cloudwatch.MetricAlarm(`${name}-p99-latency`, {
        ...common,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        alarmDescription: `The p99 target response time stayed above ${args.p99LatencyAlarmMs} ms in 3 of 5 minutes`,
        ...metricOf("TargetResponseTime", "p99", max),
        threshold: p99,
      }, { parent }),
    },
  ];
}

/**
 * Target tracking on CPU, on ALB requests per task for a routed service, and on the backlog per task for a
 * service with a queue (which a worker sleeping at 0 tasks wakes from on a message), between the bounds.
 */
export function serviceAutoscaling(
  name: string, args: ServiceArgs, bounds: Autoscaling, service: aws.ecs.Service, edge: PublicEdge | undefined, targetGroups: aws.lb.TargetGroup[],
): void {
  const target = new aws.appautoscaling.Target(`${name}-scaling`, {
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
    minCapacity: bounds.minCount,
    maxCapacity: bounds.maxCount,
    tags: args.tags,
  }, { parent: service });
  const policy = (role: string, targetValue: number, metric: Pick<aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration, "predefinedMetricSpecification" | "customizedMetricSpecification">) =>
    new aws.appautoscaling.Policy(`${name}-${role}`, {
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue,
        ...metric,
        scaleInCooldown: 120,
        scaleOutCooldown: 60,
      },
    }, { parent: target });
  policy("cpu-scaling", bounds.cpuTarget, { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } });
  if (args.queue) {
    policy("backlog-scaling", args.queue.messagesPerTask, { customizedMetricSpecification: backlogPerTask(args.queue.endpoint.name, args.clusterName, service.name) });
    if (bounds.minCount === 0) wakeOnMessage(name, target, args.queue.endpoint.name, args.tags);
  }
  if (!edge || targetGroups.length === 0) return;
  if (targetGroups.length === 1) {
    policy("requests-scaling", bounds.requestsPerTarget, {
      predefinedMetricSpecification: {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: pulumi.interpolate`${edge.loadBalancer.arnSuffix}/${targetGroups[0].arnSuffix}`,
      },
    });
    return;
  }
  // Two target groups, of which ECS makes one live: requests per target of both, the idle one counting 0.
  policy("requests-scaling", bounds.requestsPerTarget, {
    customizedMetricSpecification: {
      metrics: [
        ...targetGroups.map((tg, i) => ({
          id: `m${i}`,
          returnData: false,
          metricStat: {
            metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCountPerTarget", dimensions: [{ name: "TargetGroup", value: tg.arnSuffix }] },
            stat: "Sum",
          },
        })),
        { id: "perTarget", expression: targetGroups.map((_, i) => `FILL(m${i}, 0)`).join(" + "), label: "RequestCountPerTarget, live group", returnData: true },
      ],
    },
  });
}

/**
 * An alarm's statistic as the provider takes it: `statistic` is one of SampleCount, Average, Sum, Minimum
 * and Maximum; a percentile (p99, p99.9) goes in `extendedStatistic` (validation.StringInSlice on
 * statistic, internal/service/cloudwatch/metric_alarm.go). A metric query's `stat` takes either.
 */
export function alarmStatistic(stat: string): { statistic: string } | { extendedStatistic: string } {
  return /^p\d/.test(stat) ? { extendedStatistic: stat } : { statistic: stat };
}
