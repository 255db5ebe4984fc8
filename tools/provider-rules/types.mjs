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
  T("aws:ecs/taskDefinition:TaskDefinition", "aws_ecs_task_definition", "ecs/task_definition.go", "ResourceTaskDefinition", "ecs/taskDefinition.d.ts", "TaskDefinition", { sdk: "ecs" }),
  T("aws:ecs/cluster:Cluster", "aws_ecs_cluster", "ecs/cluster.go", "resourceCluster", "ecs/cluster.d.ts", "Cluster", { sdk: "ecs", autoName: "name" }),
  T("aws:ecs/capacityProvider:CapacityProvider", "aws_ecs_capacity_provider", "ecs/capacity_provider.go", "resourceCapacityProvider", "ecs/capacityProvider.d.ts", "CapacityProvider", { sdk: "ecs", autoName: "name" }),
  T("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "aws_ecs_cluster_capacity_providers", "ecs/cluster_capacity_providers.go", "ResourceClusterCapacityProviders", "ecs/clusterCapacityProviders.d.ts", "ClusterCapacityProviders", { sdk: "ecs" }),
  T("aws:lb/targetGroup:TargetGroup", "aws_lb_target_group", "elbv2/target_group.go", "resourceTargetGroup", "lb/targetGroup.d.ts", "TargetGroup", { sdk: "elasticloadbalancingv2", autoName: "name" }),
  T("aws:lb/listener:Listener", "aws_lb_listener", "elbv2/listener.go", "ResourceListener", "lb/listener.d.ts", "Listener", { sdk: "elasticloadbalancingv2" }),
  T("aws:lb/listenerRule:ListenerRule", "aws_lb_listener_rule", "elbv2/listener_rule.go", "resourceListenerRule", "lb/listenerRule.d.ts", "ListenerRule", { sdk: "elasticloadbalancingv2" }),
  T("aws:lb/loadBalancer:LoadBalancer", "aws_lb", "elbv2/load_balancer.go", "resourceLoadBalancer", "lb/loadBalancer.d.ts", "LoadBalancer", { sdk: "elasticloadbalancingv2", autoName: "name" }),
  T("aws:autoscaling/group:Group", "aws_autoscaling_group", "autoscaling/group.go", "resourceGroup", "autoscaling/group.d.ts", "Group", { sdk: "autoscaling", autoName: "name" }),
  T("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template", "ec2/ec2_launch_template.go", "ResourceLaunchTemplate", "ec2/launchTemplate.d.ts", "LaunchTemplate", { sdk: "ec2", autoName: "name" }),
  T("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group", "logs/group.go", "resourceGroup", "cloudwatch/logGroup.d.ts", "LogGroup", { sdk: "cloudwatchlogs", autoName: "name" }),
  T("aws:cloudwatch/dashboard:Dashboard", "aws_cloudwatch_dashboard", "cloudwatch/dashboard.go", "resourceDashboard", "cloudwatch/dashboard.d.ts", "Dashboard", { sdk: "cloudwatch" }),
  T("aws:ecs/accountSettingDefault:AccountSettingDefault", "aws_ecs_account_setting_default", "ecs/account_setting_default.go", "resourceAccountSettingDefault", "ecs/accountSettingDefault.d.ts", "AccountSettingDefault", { sdk: "ecs" }),
  T("aws:ec2/vpc:Vpc", "aws_vpc", "ec2/vpc_.go", "ResourceVPC", "ec2/vpc.d.ts", "Vpc", { sdk: "ec2" }),
  T("aws:ec2/subnet:Subnet", "aws_subnet", "ec2/vpc_subnet.go", "resourceSubnet", "ec2/subnet.d.ts", "Subnet", { sdk: "ec2" }),
  T("aws:ec2/internetGatewayAttachment:InternetGatewayAttachment", "aws_internet_gateway_attachment", "ec2/vpc_internet_gateway_attachment.go", "ResourceInternetGatewayAttachment", "ec2/internetGatewayAttachment.d.ts", "InternetGatewayAttachment", { sdk: "ec2" }),
  T("aws:ec2/route:Route", "aws_route", "ec2/vpc_route.go", "ResourceRoute", "ec2/route.d.ts", "Route", { sdk: "ec2" }),
  T("aws:ec2/routeTableAssociation:RouteTableAssociation", "aws_route_table_association", "ec2/vpc_route_table_association.go", "ResourceRouteTableAssociation", "ec2/routeTableAssociation.d.ts", "RouteTableAssociation", { sdk: "ec2" }),
  T("aws:ec2/eip:Eip", "aws_eip", "ec2/ec2_eip.go", "resourceEIP", "ec2/eip.d.ts", "Eip", { sdk: "ec2" }),
  T("aws:ec2/natGateway:NatGateway", "aws_nat_gateway", "ec2/vpc_nat_gateway.go", "resourceNATGateway", "ec2/natGateway.d.ts", "NatGateway", { sdk: "ec2" }),
  T("aws:ec2/vpcEndpoint:VpcEndpoint", "aws_vpc_endpoint", "ec2/vpc_endpoint.go", "resourceVPCEndpoint", "ec2/vpcEndpoint.d.ts", "VpcEndpoint", { sdk: "ec2" }),
  T("aws:ec2/securityGroup:SecurityGroup", "aws_security_group", "ec2/vpc_security_group.go", "resourceSecurityGroup", "ec2/securityGroup.d.ts", "SecurityGroup", { sdk: "ec2", autoName: "name" }),
  T("aws:ec2/flowLog:FlowLog", "aws_flow_log", "ec2/vpc_flow_log.go", "resourceFlowLog", "ec2/flowLog.d.ts", "FlowLog", { sdk: "ec2" }),
  T("aws:appautoscaling/policy:Policy", "aws_appautoscaling_policy", "appautoscaling/policy.go", "ResourcePolicy", "appautoscaling/policy.d.ts", "Policy", { sdk: "applicationautoscaling", autoName: "name" }),
  T("aws:acm/certificate:Certificate", "aws_acm_certificate", "acm/certificate.go", "resourceCertificate", "acm/certificate.d.ts", "Certificate", { sdk: "acm" }),
  T("aws:iam/role:Role", "aws_iam_role", "iam/role.go", "ResourceRole", "iam/role.d.ts", "Role", { sdk: "iam", autoName: "name" }),
  T("aws:iam/instanceProfile:InstanceProfile", "aws_iam_instance_profile", "iam/instance_profile.go", "resourceInstanceProfile", "iam/instanceProfile.d.ts", "InstanceProfile", { sdk: "iam", autoName: "name" }),
  T("aws:iam/rolePolicy:RolePolicy", "aws_iam_role_policy", "iam/role_policy.go", "resourceRolePolicy", "iam/rolePolicy.d.ts", "RolePolicy", { sdk: "iam", autoName: "name" }),
  T("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws_iam_role_policy_attachment", "iam/role_policy_attachment.go", "ResourceRolePolicyAttachment", "iam/rolePolicyAttachment.d.ts", "RolePolicyAttachment", { sdk: "iam" }),
  T("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy", "s3/bucket_policy.go", "ResourceBucketPolicy", "s3/bucketPolicy.d.ts", "BucketPolicy", { sdk: "s3" }),
  T("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws_s3_bucket_public_access_block", "s3/bucket_public_access_block.go", "ResourceBucketPublicAccessBlock", "s3/bucketPublicAccessBlock.d.ts", "BucketPublicAccessBlock", { sdk: "s3" }),
  T("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws_s3_bucket_ownership_controls", "s3/bucket_ownership_controls.go", "ResourceBucketOwnershipControls", "s3/bucketOwnershipControls.d.ts", "BucketOwnershipControls", { sdk: "s3" }),
  T("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws_s3_bucket_server_side_encryption_configuration", "s3/bucket_server_side_encryption_configuration.go", "ResourceBucketServerSideEncryptionConfiguration", "s3/bucketServerSideEncryptionConfiguration.d.ts", "BucketServerSideEncryptionConfiguration", { sdk: "s3" }),
  T("aws:sns/topicSubscription:TopicSubscription", "aws_sns_topic_subscription", "sns/topic_subscription.go", "resourceTopicSubscription", "sns/topicSubscription.d.ts", "TopicSubscription", { sdk: "sns" }),
  T("aws:appautoscaling/target:Target", "aws_appautoscaling_target", "appautoscaling/target.go", "resourceTarget", "appautoscaling/target.d.ts", "Target", { sdk: "applicationautoscaling" }),
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
  "ec2.HostnameType": { values: ["ip-name", "resource-name"], source: "EC2 API Reference, HostnameType" },
  "ec2.ConnectivityType": { values: ["private", "public"], source: "EC2 API Reference, CreateNatGateway ConnectivityType" },
  "ec2.DomainType": { values: ["vpc", "standard"], source: "EC2 API Reference, AllocateAddress Domain" },
  "ec2.LogDestinationType": { values: ["cloud-watch-logs", "s3", "kinesis-data-firehose"], source: "EC2 API Reference, CreateFlowLogs LogDestinationType" },
  "ec2.TrafficType": { values: ["ACCEPT", "REJECT", "ALL"], source: "EC2 API Reference, CreateFlowLogs TrafficType" },
  "ec2.DestinationFileFormat": { values: ["plain-text", "parquet"], source: "EC2 API Reference, DestinationOptionsRequest FileFormat" },
  "ec2.VpcEndpointType": { values: ["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"], source: "EC2 API Reference, CreateVpcEndpoint VpcEndpointType" },
  "ec2.DnsRecordIpType": { values: ["ipv4", "dualstack", "ipv6", "service-defined"], source: "EC2 API Reference, DnsOptionsSpecification DnsRecordIpType" },
  "ec2.IpAddressType": { values: ["ipv4", "dualstack", "ipv6"], source: "EC2 API Reference, CreateVpcEndpoint IpAddressType" },
  "elasticloadbalancingv2.ProtocolEnum": { values: ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"], source: "ELBv2 API Reference, CreateTargetGroup Protocol (QUIC, TCP_QUIC: newer SDKs; kept so as not to refuse what the bridged provider may accept)" },
  "elasticloadbalancingv2.TargetTypeEnum": { values: ["instance", "ip", "lambda", "alb"], source: "ELBv2 API Reference, CreateTargetGroup TargetType" },
  "elasticloadbalancingv2.TargetGroupIpAddressTypeEnum": { values: ["ipv4", "ipv6"], source: "ELBv2 API Reference, CreateTargetGroup IpAddressType" },
  "elasticloadbalancingv2.IpAddressType": { values: ["ipv4", "dualstack", "dualstack-without-public-ipv4"], source: "ELBv2 API Reference, CreateLoadBalancer IpAddressType" },
  "elasticloadbalancingv2.LoadBalancerTypeEnum": { values: ["application", "network", "gateway"], source: "ELBv2 API Reference, CreateLoadBalancer Type" },
  "cloudwatchlogs.LogGroupClass": { values: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"], source: "CloudWatch Logs API Reference, CreateLogGroup logGroupClass" },
  "ecs.SettingName": {
    values: ["serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat", "awsvpcTrunking", "containerInsights", "fargateFIPSMode", "tagResourceAuthorization", "fargateTaskRetirementWaitPeriod", "guardDutyActivate", "defaultLogDriverMode", "fargateEventWindows"],
    source: "ECS API Reference, PutAccountSettingDefault name",
  },
  "ecs.ClusterSettingName": { values: ["containerInsights"], source: "ECS API Reference, ClusterSetting name" },
  "ecs.ExecuteCommandLogging": { values: ["NONE", "DEFAULT", "OVERRIDE"], source: "ECS API Reference, ExecuteCommandConfiguration logging" },
  "autoscaling.RefreshStrategy": { values: ["Rolling", "ReplaceRootVolume"], source: "Auto Scaling API Reference, StartInstanceRefresh Strategy" },
  "autoscaling.ScaleInProtectedInstances": { values: ["Refresh", "Ignore", "Wait"], source: "Auto Scaling API Reference, RefreshPreferences ScaleInProtectedInstances" },
  "autoscaling.StandbyInstances": { values: ["Terminate", "Ignore", "Wait"], source: "Auto Scaling API Reference, RefreshPreferences StandbyInstances" },
  "acm.ValidationMethod": { values: ["EMAIL", "DNS", "HTTP"], source: "ACM API Reference, RequestCertificate ValidationMethod" },
  "acm.KeyAlgorithm": { values: ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"], source: "ACM API Reference, RequestCertificate KeyAlgorithm" },
  "ecs.NetworkMode": { values: ["bridge", "host", "awsvpc", "none"], source: "ECS API Reference, RegisterTaskDefinition networkMode" },
  "ecs.IpcMode": { values: ["host", "task", "none"], source: "ECS API Reference, RegisterTaskDefinition ipcMode" },
  "ecs.PidMode": { values: ["host", "task"], source: "ECS API Reference, RegisterTaskDefinition pidMode" },
  "ecs.TaskDefinitionPlacementConstraintType": { values: ["memberOf"], source: "ECS API Reference, TaskDefinitionPlacementConstraint type" },
  "ecs.ProxyConfigurationType": { values: ["APPMESH"], source: "ECS API Reference, ProxyConfiguration type" },
  "ecs.CPUArchitecture": { values: ["X86_64", "ARM64"], source: "ECS API Reference, RuntimePlatform cpuArchitecture" },
  "ecs.OSFamily": {
    values: ["WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2016_FULL", "WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2025_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_20H2_CORE", "LINUX"],
    source: "ECS API Reference, RuntimePlatform operatingSystemFamily",
  },
  "ecs.Scope": { values: ["task", "shared"], source: "ECS API Reference, DockerVolumeConfiguration scope" },
  "ecs.EFSAuthorizationConfigIAM": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, EFSAuthorizationConfig iam" },
  "ecs.EFSTransitEncryption": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, EFSVolumeConfiguration transitEncryption" },
  "elasticloadbalancingv2.ActionTypeEnum": { values: ["forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response", "jwt-validation"], source: "ELBv2 API Reference, Action Type (jwt-validation: newer SDKs; kept so as not to refuse what the bridged provider may accept)" },
  "elasticloadbalancingv2.RedirectActionStatusCodeEnum": { values: ["HTTP_301", "HTTP_302"], source: "ELBv2 API Reference, RedirectActionConfig StatusCode" },
  "elasticloadbalancingv2.AuthenticateCognitoActionConditionalBehaviorEnum": { values: ["deny", "allow", "authenticate"], source: "ELBv2 API Reference, AuthenticateCognitoActionConfig OnUnauthenticatedRequest" },
  "elasticloadbalancingv2.AuthenticateOidcActionConditionalBehaviorEnum": { values: ["deny", "allow", "authenticate"], source: "ELBv2 API Reference, AuthenticateOidcActionConfig OnUnauthenticatedRequest" },
  "elasticloadbalancingv2.TransformTypeEnum": { values: ["host-header-rewrite", "url-rewrite"], source: "ELBv2 API Reference, RuleTransform Type" },
  "ec2.VolumeType": { values: ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"], source: "EC2 API Reference, LaunchTemplateEbsBlockDeviceRequest VolumeType" },
  "ec2.CapacityReservationPreference": { values: ["capacity-reservations-only", "open", "none"], source: "EC2 API Reference, LaunchTemplateCapacityReservationSpecificationRequest CapacityReservationPreference" },
  "ec2.ShutdownBehavior": { values: ["stop", "terminate"], source: "EC2 API Reference, RequestLaunchTemplateData InstanceInitiatedShutdownBehavior" },
  "ec2.MarketType": { values: ["spot", "capacity-block", "interruptible-capacity-reservation"], source: "EC2 API Reference, LaunchTemplateInstanceMarketOptionsRequest MarketType (newer values kept so as not to refuse what the bridged provider may accept)" },
  "ec2.InstanceInterruptionBehavior": { values: ["hibernate", "stop", "terminate"], source: "EC2 API Reference, LaunchTemplateSpotMarketOptionsRequest InstanceInterruptionBehavior" },
  "ec2.SpotInstanceType": { values: ["one-time", "persistent"], source: "EC2 API Reference, LaunchTemplateSpotMarketOptionsRequest SpotInstanceType" },
  "ec2.LaunchTemplateAutoRecoveryState": { values: ["default", "disabled"], source: "EC2 API Reference, LaunchTemplateInstanceMaintenanceOptionsRequest AutoRecovery" },
  "ec2.LaunchTemplateInstanceMetadataEndpointState": { values: ["disabled", "enabled"], source: "EC2 API Reference, LaunchTemplateInstanceMetadataOptionsRequest HttpEndpoint" },
  "ec2.LaunchTemplateInstanceMetadataProtocolIpv6": { values: ["disabled", "enabled"], source: "EC2 API Reference, LaunchTemplateInstanceMetadataOptionsRequest HttpProtocolIpv6" },
  "ec2.LaunchTemplateHttpTokensState": { values: ["optional", "required"], source: "EC2 API Reference, LaunchTemplateInstanceMetadataOptionsRequest HttpTokens" },
  "ec2.LaunchTemplateInstanceMetadataTagsState": { values: ["disabled", "enabled"], source: "EC2 API Reference, LaunchTemplateInstanceMetadataOptionsRequest InstanceMetadataTags" },
  "ec2.Tenancy": { values: ["default", "dedicated", "host"], source: "EC2 API Reference, LaunchTemplatePlacementRequest Tenancy" },
  "s3.ObjectOwnership": { values: ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"], source: "S3 API Reference, OwnershipControlsRule ObjectOwnership" },
  "s3.ServerSideEncryption": { values: ["AES256", "aws:kms", "aws:kms:dsse", "aws:fsx"], source: "S3 API Reference, ServerSideEncryptionByDefault SSEAlgorithm (aws:fsx: newer SDKs; kept so as not to refuse what the bridged provider may accept)" },
  "ecs.ManagedDraining": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, AutoScalingGroupProvider managedDraining" },
  "ecs.ManagedScalingStatus": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, ManagedScaling status" },
  "ecs.ManagedTerminationProtection": { values: ["ENABLED", "DISABLED"], source: "ECS API Reference, AutoScalingGroupProvider managedTerminationProtection" },
};

/** The provider's own `<name>_Values()` functions (in the package's consts.go, not read by the script). */
export const LOCAL_VALUES = {
  CPUCredits_Values: { values: ["standard", "unlimited"], source: "internal/service/ec2/consts.go (CreditSpecificationRequest CpuCredits)" },
  missingData_Values: { values: ["breaching", "ignore", "missing", "notBreaching"], source: "internal/service/cloudwatch/consts.go (PutMetricAlarm TreatMissingData)" },
  subscriptionProtocol_Values: { values: ["application", "email", "email-json", "firehose", "http", "https", "lambda", "sms", "sqs"], source: "internal/service/sns/consts.go (Subscribe Protocol)" },
  subscriptionFilterPolicyScope_Values: { values: ["MessageAttributes", "MessageBody"], source: "internal/service/sns/consts.go (subscription FilterPolicyScope)" },
  lowSampleCountPercentiles_Values: { values: ["evaluate", "ignore"], source: "internal/service/cloudwatch/consts.go (PutMetricAlarm EvaluateLowSampleCountPercentile)" },
};

/** Terraform names the bridge renames other than by snake->camel (and the plural of a list block). */
export const RENAMES = {
  "aws_cloudwatch_metric_alarm.alarm_name": "name",
  "aws_sns_topic_subscription.topic_arn": "topic",
  "aws_cloudwatch_dashboard.dashboard_name": "dashboardName",
};
