/**
 * Which property changes replace a resource, per type the program creates: the provider's ForceNew
 * (replace-on-change) properties, by their Pulumi (camelCase) names. pulumi-aws is the Terraform AWS
 * provider bridged: a property that is `ForceNew: true` (SDKv2) or `RequiresReplace` (plugin framework)
 * in the upstream schema makes `pulumi preview` show a replacement. Each entry names the upstream schema
 * file it comes from (github.com/hashicorp/terraform-provider-aws, internal/service/<pkg>/<file>.go, the
 * resource's Schema map); `read` marks the entries whose file was read at that commit for this table, the
 * others restate the same files' schema as the provider documents it ("Forces new resource").
 *
 * Paths: "name" is a top-level property, "deploymentController.type" a nested one (any list index in
 * between matches), "*" every property (a task definition: every change is a new revision), with
 * `except` for the few that update in place. A name that Pulumi generates (autonaming, when the program
 * sets none) is not an input here and never differs; a changed explicit `name` replaces.
 *
 * A type not in the table is planned as "may replace": the plan cannot tell, `pulumi preview` can.
 */
export interface ReplacementRule {
  /** Properties (Pulumi names) whose change replaces the resource. */
  forceNew: string[];
  /** Every property but these replaces (used with forceNew ["*"]). */
  except?: string[];
  /** The upstream schema file. */
  source: string;
  /** The commit of terraform-provider-aws at which the file was read for this entry, when it was. */
  read?: string;
  note?: string;
}

const TF = "hashicorp/terraform-provider-aws internal/service/";

export const REPLACEMENTS: Readonly<Record<string, ReplacementRule>> = Object.freeze({
  // --- network ---
  "aws:ec2/vpc:Vpc": {
    forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
    source: `${TF}ec2/vpc_.go (aws_vpc)`, read: "00081ce41cc691433ac19bf42227cdabffd0454d",
  },
  "aws:ec2/subnet:Subnet": {
    forceNew: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn"],
    source: `${TF}ec2/vpc_subnet.go (aws_subnet)`, read: "00cda125a19d31754cb0d073cf551264c57955cb",
    note: "ipv6CidrBlock also replaces when the subnet assigned IPv6 addresses on creation (CustomizeDiff)",
  },
  "aws:ec2/internetGateway:InternetGateway": { forceNew: [], source: `${TF}ec2/vpc_internet_gateway.go (aws_internet_gateway)`, note: "vpcId attaches and detaches in place" },
  "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": { forceNew: ["internetGatewayId", "vpcId"], source: `${TF}ec2/vpc_internet_gateway_attachment.go (aws_internet_gateway_attachment)` },
  "aws:ec2/routeTable:RouteTable": { forceNew: ["vpcId"], source: `${TF}ec2/vpc_route_table.go (aws_route_table)` },
  "aws:ec2/route:Route": {
    forceNew: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"],
    source: `${TF}ec2/vpc_route.go (aws_route)`, note: "the target (gatewayId, natGatewayId, ...) changes in place (ReplaceRoute)",
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    forceNew: ["subnetId", "gatewayId"], source: `${TF}ec2/vpc_route_table_association.go (aws_route_table_association)`,
    note: "routeTableId changes in place (ReplaceRouteTableAssociation)",
  },
  "aws:ec2/eip:Eip": {
    forceNew: ["address", "customerOwnedIpv4Pool", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"],
    source: `${TF}ec2/ec2_eip.go (aws_eip)`, note: "a new Elastic IP is a new public address",
  },
  "aws:ec2/natGateway:NatGateway": {
    forceNew: ["allocationId", "connectivityType", "privateIp", "subnetId", "availabilityMode", "vpcId"],
    source: `${TF}ec2/vpc_nat_gateway.go (aws_nat_gateway)`,
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { forceNew: ["serviceName", "vpcEndpointType", "vpcId", "serviceRegion"], source: `${TF}ec2/vpc_endpoint.go (aws_vpc_endpoint)` },
  "aws:ec2/securityGroup:SecurityGroup": {
    forceNew: ["description", "name", "namePrefix", "vpcId"], source: `${TF}ec2/vpc_security_group.go (aws_security_group)`,
    note: "a new description replaces the group (EC2 cannot change it)",
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { forceNew: ["securityGroupId"], source: `${TF}ec2/vpc_security_group_ingress_rule.go (aws_vpc_security_group_ingress_rule, RequiresReplace)` },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { forceNew: ["securityGroupId"], source: `${TF}ec2/vpc_security_group_egress_rule.go (aws_vpc_security_group_egress_rule, RequiresReplace)` },
  "aws:ec2/flowLog:FlowLog": { forceNew: ["*"], except: ["tags"], source: `${TF}ec2/vpc_flow_log.go (aws_flow_log)`, note: "every argument but tags is ForceNew" },
  // --- hosts ---
  "aws:ec2/launchTemplate:LaunchTemplate": {
    forceNew: ["name", "namePrefix"], source: `${TF}ec2/ec2_launch_template.go (aws_launch_template)`,
    note: "any other change is a new version (latestVersion), which the Auto Scaling group then takes",
  },
  "aws:autoscaling/group:Group": {
    forceNew: ["name", "namePrefix"], source: `${TF}autoscaling/group.go (aws_autoscaling_group)`,
    note: "launchTemplate, mixedInstancesPolicy, sizes and subnets change in place; instanceRefresh then rolls the hosts",
  },
  "aws:iam/role:Role": { forceNew: ["name", "namePrefix", "path"], source: `${TF}iam/role.go (aws_iam_role)` },
  "aws:iam/instanceProfile:InstanceProfile": { forceNew: ["name", "namePrefix", "path"], source: `${TF}iam/instance_profile.go (aws_iam_instance_profile)` },
  "aws:iam/rolePolicy:RolePolicy": { forceNew: ["name", "namePrefix", "role"], source: `${TF}iam/role_policy.go (aws_iam_role_policy)` },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { forceNew: ["role", "policyArn"], source: `${TF}iam/role_policy_attachment.go (aws_iam_role_policy_attachment)` },
  // --- ECS ---
  "aws:ecs/cluster:Cluster": { forceNew: ["name"], source: `${TF}ecs/cluster.go (aws_ecs_cluster)` },
  "aws:ecs/capacityProvider:CapacityProvider": {
    forceNew: ["name", "autoScalingGroupProvider.autoScalingGroupArn"], source: `${TF}ecs/capacity_provider.go (aws_ecs_capacity_provider)`,
    note: "managedScaling, managedTerminationProtection and managedDraining change in place",
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { forceNew: ["clusterName"], source: `${TF}ecs/cluster_capacity_providers.go (aws_ecs_cluster_capacity_providers)` },
  "aws:ecs/accountSettingDefault:AccountSettingDefault": { forceNew: ["name"], source: `${TF}ecs/account_setting_default.go (aws_ecs_account_setting_default)` },
  "aws:ecs/taskDefinition:TaskDefinition": {
    forceNew: ["*"], except: ["tags", "skipDestroy", "trackLatest"], source: `${TF}ecs/task_definition.go (aws_ecs_task_definition)`,
    note: "a task definition revision is immutable: every change registers a new revision (a replacement), which the service then deploys",
  },
  "aws:ecs/service:Service": {
    forceNew: ["name", "cluster", "iamRole", "launchType", "schedulingStrategy", "deploymentController.type"],
    source: `${TF}ecs/service.go (aws_ecs_service)`, read: "00a919d1548eb437816d4838f320502ad34183ff",
    note: "taskDefinition, desiredCount, networkConfiguration and loadBalancers change in place (a new deployment); capacityProviderStrategies too, but only with forceNewDeployment true (capacityProviderStrategyCustomizeDiff, which fails the plan otherwise)",
  },
  "aws:servicediscovery/httpNamespace:HttpNamespace": {
    forceNew: ["name", "description"], source: `${TF}servicediscovery/http_namespace.go (aws_service_discovery_http_namespace)`,
    note: "Service Connect's namespace: a new one moves every service's endpoints (their next deployments re-register them)",
  },
  "aws:appautoscaling/target:Target": { forceNew: ["resourceId", "scalableDimension", "serviceNamespace"], source: `${TF}appautoscaling/target.go (aws_appautoscaling_target)` },
  "aws:appautoscaling/policy:Policy": { forceNew: ["name", "resourceId", "scalableDimension", "serviceNamespace"], source: `${TF}appautoscaling/policy.go (aws_appautoscaling_policy)` },
  // --- the edge ---
  "aws:lb/loadBalancer:LoadBalancer": {
    forceNew: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"], source: `${TF}elbv2/load_balancer.go (aws_lb)`,
    note: "a new load balancer is a new DNS name; an ALB's subnets and security groups change in place",
  },
  "aws:lb/listener:Listener": { forceNew: ["loadBalancerArn"], source: `${TF}elbv2/listener.go (aws_lb_listener)` },
  "aws:lb/listenerRule:ListenerRule": { forceNew: ["listenerArn"], source: `${TF}elbv2/listener_rule.go (aws_lb_listener_rule)` },
  "aws:lb/targetGroup:TargetGroup": {
    forceNew: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
    source: `${TF}elbv2/target_group.go (aws_lb_target_group)`, note: "healthCheck and deregistrationDelay change in place",
  },
  "aws:acm/certificate:Certificate": {
    forceNew: ["domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn"],
    source: `${TF}acm/certificate.go (aws_acm_certificate)`,
  },
  "aws:acm/certificateValidation:CertificateValidation": { forceNew: ["certificateArn", "validationRecordFqdns"], source: `${TF}acm/certificate_validation.go (aws_acm_certificate_validation)` },
  "aws:route53/record:Record": { forceNew: ["name", "zoneId", "setIdentifier"], source: `${TF}route53/record.go (aws_route53_record)`, note: "type, records, ttl and aliases change in place (a change batch)" },
  "aws:wafv2/webAcl:WebAcl": { forceNew: ["name", "namePrefix", "scope"], source: `${TF}wafv2/web_acl.go (aws_wafv2_web_acl)`, note: "rules and the default action change in place" },
  "aws:wafv2/webAclAssociation:WebAclAssociation": { forceNew: ["resourceArn", "webAclArn"], source: `${TF}wafv2/web_acl_association.go (aws_wafv2_web_acl_association)` },
  // --- logs, alarms, notifications ---
  "aws:cloudwatch/logGroup:LogGroup": { forceNew: ["name", "namePrefix", "logGroupClass"], source: `${TF}logs/group.go (aws_cloudwatch_log_group)`, note: "a new log group starts empty: the old one's events go with it" },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { forceNew: ["name"], source: `${TF}cloudwatch/metric_alarm.go (aws_cloudwatch_metric_alarm, alarm_name)` },
  "aws:cloudwatch/dashboard:Dashboard": { forceNew: ["dashboardName"], source: `${TF}cloudwatch/dashboard.go (aws_cloudwatch_dashboard)` },
  "aws:sns/topic:Topic": { forceNew: ["name", "namePrefix", "fifoTopic"], source: `${TF}sns/topic.go (aws_sns_topic)` },
  "aws:sns/topicPolicy:TopicPolicy": { forceNew: ["arn"], source: `${TF}sns/topic_policy.go (aws_sns_topic_policy)` },
  "aws:sns/topicSubscription:TopicSubscription": { forceNew: ["topic", "protocol", "endpoint"], source: `${TF}sns/topic_subscription.go (aws_sns_topic_subscription; topic_arn is Pulumi's topic)` },
  // --- scheduled jobs ---
  "aws:scheduler/schedule:Schedule": {
    forceNew: ["name", "namePrefix", "groupName"], source: `${TF}scheduler/schedule.go (aws_scheduler_schedule)`, read: "ba2931406ac6b8627b6360a3b0194a255b070c8e",
    note: "the expression, time zone, flexible window and target (task definition, network, retry policy) change in place (UpdateSchedule)",
  },
  "aws:scheduler/scheduleGroup:ScheduleGroup": {
    forceNew: ["name", "namePrefix"], source: `${TF}scheduler/schedule_group.go (aws_scheduler_schedule_group)`, read: "ccdfa898ead0b3742687d9a105740225179e0938",
    note: "tags change in place; deleting a group deletes its schedules",
  },
  // --- work queues ---
  "aws:sqs/queue:Queue": {
    forceNew: ["name", "namePrefix", "fifoQueue"], source: `${TF}sqs/queue.go (aws_sqs_queue)`, read: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    note: "a new queue starts empty: the old one's messages go with it; encryption, visibility, retention and the policies change in place (SetQueueAttributes)",
  },
  "aws:sqs/queuePolicy:QueuePolicy": { forceNew: ["queueUrl"], source: `${TF}sqs/queue_policy.go (aws_sqs_queue_policy)`, read: "0148137dc6fb802b97b74036846777ab15c0f9ad" },
  "aws:sqs/redrivePolicy:RedrivePolicy": { forceNew: ["queueUrl"], source: `${TF}sqs/queue_redrive_policy.go (aws_sqs_queue_redrive_policy)`, read: "18fc80b64733d85f8a2797c09547815503f27fe7" },
  // --- storage ---
  "aws:s3/bucket:Bucket": { forceNew: ["bucket", "bucketPrefix", "objectLockEnabled"], source: `${TF}s3/bucket.go (aws_s3_bucket)`, note: "a new bucket starts empty" },
  "aws:s3/bucketPolicy:BucketPolicy": { forceNew: ["bucket"], source: `${TF}s3/bucket_policy.go (aws_s3_bucket_policy)` },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { forceNew: ["bucket"], source: `${TF}s3/bucket_public_access_block.go (aws_s3_bucket_public_access_block)` },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { forceNew: ["bucket"], source: `${TF}s3/bucket_ownership_controls.go (aws_s3_bucket_ownership_controls)` },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { forceNew: ["bucket", "expectedBucketOwner"], source: `${TF}s3/bucket_server_side_encryption_configuration.go (aws_s3_bucket_server_side_encryption_configuration)` },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { forceNew: ["bucket", "expectedBucketOwner"], source: `${TF}s3/bucket_lifecycle_configuration.go (aws_s3_bucket_lifecycle_configuration, RequiresReplace)` },
  "aws:ecr/repository:Repository": { forceNew: ["name", "encryptionConfigurations"], source: `${TF}ecr/repository.go (aws_ecr_repository)`, note: "a new repository starts without images" },
  // --- awsx components (their children are the provider's; the plan sees the component's inputs) ---
  "awsx:ecr:Repository": {
    forceNew: ["name", "encryptionConfigurations"], source: "pulumi/pulumi-awsx awsx/ecr/repository.ts: its aws.ecr.Repository takes these inputs as they are",
    note: "a component: these inputs go to its aws:ecr/repository, whose rule this is",
  },
  "awsx:ecr:Image": { forceNew: [], source: "pulumi/pulumi-awsx awsx/ecr/image.ts: a docker build and push, no cloud resource of its own to replace", note: "a changed input builds and pushes a new image" },
});

/**
 * Resources whose replacement loses state or identity that others hold on to: the addresses (VPC,
 * subnets), the public endpoint (load balancer: a new DNS name), the cluster (its services and tasks),
 * image repositories (their images), buckets (their objects). `--fail-on-replace` exits 1 when one of these
 * would be replaced (or deleted).
 */
export const IDENTITY_TYPES: readonly string[] = Object.freeze([
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:ecs/cluster:Cluster",
  "aws:ecr/repository:Repository",
  "awsx:ecr:Repository",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
]);

/** Types that never replace: the stack and this program's own components (their children do, or not). */
export function isComponentType(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("ecs-ec2-api:");
}

/**
 * Outputs a type changes on an in-place update, which the resources fed by it then see change: a launch
 * template's new version. Any other update keeps the ids and ARNs its dependents read.
 */
export const UPDATE_CHANGES_OUTPUTS: Readonly<Record<string, string[]>> = Object.freeze({
  "aws:ec2/launchTemplate:LaunchTemplate": ["latestVersion", "defaultVersion"],
});

/** The replacement-forcing property of `rule` that `path` (a changed property, "a.b[0].c") falls under, if any. */
export function forcingProperty(rule: ReplacementRule, path: string): string | undefined {
  const plain = path.replace(/\[\d+\]/g, "");
  const top = plain.split(".")[0];
  if (rule.forceNew.includes("*")) return (rule.except ?? []).includes(top) ? undefined : top;
  // A changed block (added, removed, or unknown as a whole) changes every property in it.
  return rule.forceNew.find((p) => plain === p || plain.startsWith(`${p}.`) || p.startsWith(`${plain}.`));
}
