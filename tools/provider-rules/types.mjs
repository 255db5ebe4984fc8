/**
 * What extract.mjs reads: each resource type the program registers (plan/replacements.ts' table, less the
 * awsx components), its Terraform type, schema file and function, and its Pulumi SDK declaration; the AWS SDK
 * v2 enum values the schema refers to by Go type (not resolvable from the provider's own source); values of
 * the provider's own `*_Values()` functions; and the bridge's renames of Terraform names.
 */
const T = (token, tf, file, func, dts, name, extra = {}) => ({ token, tf, file: `internal/service/${file}`, func, dts, name, ...extra });

export const TYPES = [
  T("aws:cloudwatch/metricAlarm:MetricAlarm", "aws_cloudwatch_metric_alarm", "cloudwatch/metric_alarm.go", "resourceMetricAlarm", "cloudwatch/metricAlarm.d.ts", "MetricAlarm", { sdk: "cloudwatch", autoName: "alarm_name" }),
  T("aws:ecs/service:Service", "aws_ecs_service", "ecs/service.go", "resourceService", "ecs/service.d.ts", "Service", { sdk: "ecs", autoName: "name" }),
  T("aws:ecs/taskDefinition:TaskDefinition", "aws_ecs_task_definition", "ecs/task_definition.go", "resourceTaskDefinition", "ecs/taskDefinition.d.ts", "TaskDefinition", { sdk: "ecs" }),
  T("aws:ecs/cluster:Cluster", "aws_ecs_cluster", "ecs/cluster.go", "resourceCluster", "ecs/cluster.d.ts", "Cluster", { sdk: "ecs", autoName: "name" }),
  T("aws:ecs/capacityProvider:CapacityProvider", "aws_ecs_capacity_provider", "ecs/capacity_provider.go", "resourceCapacityProvider", "ecs/capacityProvider.d.ts", "CapacityProvider", { sdk: "ecs", autoName: "name" }),
  T("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "aws_ecs_cluster_capacity_providers", "ecs/cluster_capacity_providers.go", "resourceClusterCapacityProviders", "ecs/clusterCapacityProviders.d.ts", "ClusterCapacityProviders", { sdk: "ecs" }),
  T("aws:lb/targetGroup:TargetGroup", "aws_lb_target_group", "elbv2/target_group.go", "resourceTargetGroup", "lb/targetGroup.d.ts", "TargetGroup", { sdk: "elasticloadbalancingv2", autoName: "name" }),
  T("aws:lb/listener:Listener", "aws_lb_listener", "elbv2/listener.go", "resourceListener", "lb/listener.d.ts", "Listener", { sdk: "elasticloadbalancingv2" }),
  T("aws:lb/loadBalancer:LoadBalancer", "aws_lb", "elbv2/load_balancer.go", "resourceLoadBalancer", "lb/loadBalancer.d.ts", "LoadBalancer", { sdk: "elasticloadbalancingv2", autoName: "name" }),
  T("aws:autoscaling/group:Group", "aws_autoscaling_group", "autoscaling/group.go", "resourceGroup", "autoscaling/group.d.ts", "Group", { sdk: "autoscaling", autoName: "name" }),
  T("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template", "ec2/ec2_launch_template.go", "resourceLaunchTemplate", "ec2/launchTemplate.d.ts", "LaunchTemplate", { sdk: "ec2", autoName: "name" }),
  T("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group", "logs/group.go", "resourceGroup", "cloudwatch/logGroup.d.ts", "LogGroup", { sdk: "cloudwatchlogs", autoName: "name" }),
  T("aws:cloudwatch/dashboard:Dashboard", "aws_cloudwatch_dashboard", "cloudwatch/dashboard.go", "resourceDashboard", "cloudwatch/dashboard.d.ts", "Dashboard", { sdk: "cloudwatch" }),
];

/**
 * AWS SDK for Go v2 enum types by <service>.<Type>: their Values(), as the AWS API reference lists them.
 * Only the ones the program's types use; an enum.Validate[T] of a type not here is reported as unread.
 */
export const SDK_ENUMS = {
  "cloudwatch.Statistic": { values: ["SampleCount", "Average", "Sum", "Minimum", "Maximum"], source: "CloudWatch API Reference, PutMetricAlarm Statistic (aws-sdk-go-v2 service/cloudwatch/types Statistic.Values)" },
  "cloudwatch.ComparisonOperator": {
    values: ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"],
    source: "CloudWatch API Reference, PutMetricAlarm ComparisonOperator (aws-sdk-go-v2 service/cloudwatch/types ComparisonOperator.Values)",
  },
  "cloudwatch.StandardUnit": {
    values: ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"],
    source: "CloudWatch API Reference, MetricDatum Unit (aws-sdk-go-v2 service/cloudwatch/types StandardUnit.Values)",
  },
  "ecs.LaunchType": { values: ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"], source: "ECS API Reference, CreateService launchType" },
  "ecs.PropagateTags": { values: ["TASK_DEFINITION", "SERVICE", "NONE"], source: "ECS API Reference, CreateService propagateTags" },
  "ecs.SchedulingStrategy": { values: ["REPLICA", "DAEMON"], source: "ECS API Reference, CreateService schedulingStrategy" },
  "ecs.PlacementStrategyType": { values: ["random", "spread", "binpack"], source: "ECS API Reference, PlacementStrategy type" },
  "ecs.PlacementConstraintType": { values: ["distinctInstance", "memberOf"], source: "ECS API Reference, PlacementConstraint type" },
  "ecs.DeploymentControllerType": { values: ["ECS", "CODE_DEPLOY", "EXTERNAL"], source: "ECS API Reference, DeploymentController type" },
  "ecs.DeploymentStrategy": { values: ["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"], source: "ECS API Reference, DeploymentConfiguration strategy" },
  "ecs.AvailabilityZoneRebalancing": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, CreateService availabilityZoneRebalancing" },
};

/** The provider's own `<name>_Values()` functions (in the package's consts.go, not read by the script). */
export const LOCAL_VALUES = {
  missingData_Values: { values: ["breaching", "ignore", "missing", "notBreaching"], source: "internal/service/cloudwatch/consts.go (PutMetricAlarm TreatMissingData)" },
  lowSampleCountPercentiles_Values: { values: ["evaluate", "ignore"], source: "internal/service/cloudwatch/consts.go (PutMetricAlarm EvaluateLowSampleCountPercentile)" },
};

/** Terraform names the bridge renames other than by snake->camel (and the plural of a list block). */
export const RENAMES = {
  "aws_cloudwatch_metric_alarm.alarm_name": "name",
  "aws_sns_topic_subscription.topic_arn": "topic",
  "aws_cloudwatch_dashboard.dashboard_name": "dashboardName",
};
