import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What the dashboard shows, resolved. */
export interface DashboardValues {
  region: string;
  loadBalancer: string;
  cluster: string;
  capacityProviders: string[];
  /** Each service: its name and its target groups' ARN suffixes (none for a worker). */
  services: { name: string; targetGroups: string[] }[];
  /** Each work queue: the service that receives from it, its name and its dead-letter queue's. None: no queue widgets. */
  queues?: DashboardQueue[];
}

/** A work queue as the dashboard shows it. */
export interface DashboardQueue {
  service: string;
  queue: string;
  deadLetterQueue: string;
}

type Metric = (string | { stat?: string; label?: string })[];

/**
 * The dashboard's body (CloudWatch dashboard body structure): traffic, latency, errors, healthy targets,
 * tasks, utilization, hosts and capacity, and the work queues' depth and age where there are queues. Pure,
 * so its widgets are tested without an engine.
 */
export function dashboardBody(v: DashboardValues): string {
  const lb = ["LoadBalancer", v.loadBalancer];
  const widget = (title: string, metrics: Metric[], stat: string, y: number, x: number) => ({
    type: "metric",
    x, y, width: 12, height: 6,
    properties: { title, region: v.region, view: "timeSeries", stacked: false, period: 60, stat, metrics },
  });
  const perService = (namespace: string, metric: string) =>
    v.services.map((s): Metric => [namespace, metric, "ClusterName", v.cluster, "ServiceName", s.name, { label: `${s.name} ${metric}` }]);
  const widgets = [
    widget("Requests", [["AWS/ApplicationELB", "RequestCount", ...lb, { label: "requests" }]], "Sum", 0, 0),
    widget("Latency (target response time)", [
      ["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p50", label: "p50" }],
      ["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p99", label: "p99" }],
    ], "p99", 0, 12),
    widget("4xx and 5xx", [
      ["AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", ...lb, { label: "target 4xx" }],
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...lb, { label: "target 5xx" }],
      ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...lb, { label: "load balancer 5xx" }],
    ], "Sum", 6, 0),
    widget("Healthy targets", v.services.flatMap((s) => s.targetGroups.map((tg): Metric =>
      ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", tg, ...lb, { label: `${s.name} ${tg.split("/")[1] ?? tg}` }])), "Minimum", 6, 12),
    widget("Tasks: running and desired", [...perService("ECS/ContainerInsights", "RunningTaskCount"), ...perService("ECS/ContainerInsights", "DesiredTaskCount")], "Average", 12, 0),
    widget("CPU and memory (percent of reserved)", [...perService("AWS/ECS", "CPUUtilization"), ...perService("AWS/ECS", "MemoryUtilization")], "Average", 12, 12),
    widget("Hosts and capacity reservation", [
      ["ECS/ContainerInsights", "ContainerInstanceCount", "ClusterName", v.cluster, { label: "hosts" }],
      ...v.capacityProviders.map((cp): Metric => ["AWS/ECS/ManagedScaling", "CapacityProviderReservation", "ClusterName", v.cluster, "CapacityProviderName", cp, { label: `${cp} reservation %` }]),
    ], "Average", 18, 0),
  ];
  const queues = v.queues ?? [];
  const sqs = (metric: string, queue: string, label: string): Metric => ["AWS/SQS", metric, "QueueName", queue, { label }];
  if (queues.length > 0) {
    widgets.push(
      widget("Queues: messages waiting, and in the dead-letter queues", queues.flatMap((q) => [
        sqs("ApproximateNumberOfMessagesVisible", q.queue, `${q.service} waiting`),
        sqs("ApproximateNumberOfMessagesNotVisible", q.queue, `${q.service} in flight`),
        sqs("ApproximateNumberOfMessagesVisible", q.deadLetterQueue, `${q.service} dead letters`),
      ]), "Maximum", 18, 12),
      widget("Queues: age of the oldest message (seconds)", queues.map((q) => sqs("ApproximateAgeOfOldestMessage", q.queue, q.service)), "Maximum", 24, 0),
    );
  }
  return JSON.stringify({ widgets });
}

export interface DashboardArgs {
  region: string;
  loadBalancerArnSuffix: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  capacityProviderNames: pulumi.Input<string>[];
  services: { name: string; targetGroupArnSuffixes: pulumi.Input<string>[] }[];
  queues?: DashboardQueue[];
}

/** One CloudWatch dashboard for the stack, named <project>-<stack>; its console URL is `url`. */
export class Dashboard extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:observability:Dashboard", name, {}, opts);
    // Dashboard names: letters, digits, - and _; one per stack in an account and region.
    const dashboardName = `${pulumi.getProject()}-${pulumi.getStack()}`.replace(/[^A-Za-z0-9_-]/g, "-");
    const body = pulumi.all([
      args.loadBalancerArnSuffix, args.clusterName, pulumi.all(args.capacityProviderNames),
      pulumi.all(args.services.map((s) => pulumi.all(s.targetGroupArnSuffixes))),
    ]).apply(([loadBalancer, cluster, capacityProviders, targetGroups]) => dashboardBody({
      region: args.region, loadBalancer, cluster, capacityProviders,
      services: args.services.map((s, i) => ({ name: s.name, targetGroups: targetGroups[i] })),
      queues: args.queues,
    }));
    const dashboard = new aws.cloudwatch.Dashboard(`${name}`, { dashboardName, dashboardBody: body }, { parent: this });
    this.url = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
    this.registerOutputs({ url: this.url });
  }
}
