/**
 * What the program's deploys ask of AWS: for each Pulumi resource type the program can register, the IAM
 * actions that create, read, update, delete and tag it (as the AWS provider, terraform-provider-aws v6
 * under @pulumi/aws 7, calls the APIs), the roles it hands to a service, and the service-linked roles AWS
 * creates for it on first use; and for each data source the program reads, the actions of that read. The
 * deploy role's policy is built from this table (policies.ts), the preview role's from its reads, and
 * tests/bootstrap/ keep it complete: a type the program registers without a row here turns a test red.
 *
 * Action names, their resource types and dependent actions are as the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
 * lists them; the actions it lists with no resource type (IAM cannot scope them to a resource) are in
 * UNSCOPED, and only those are granted on "*".
 */

/** The actions one resource type needs, by lifecycle step. */
export interface TypeActions {
  create: string[];
  read: string[];
  update: string[];
  delete: string[];
  tag: string[];
  /** Service principals the resource hands one of the program's roles to (iam:PassRole, iam:PassedToService). */
  passRoleTo?: string[];
  /** Services whose service-linked role AWS creates the first time the account uses the resource. */
  serviceLinkedRoles?: string[];
}

const none: string[] = [];

/**
 * The table, by Pulumi type token. awsx's ecr.Repository and ecr.Image are components the awsx provider
 * builds (an ECR repository and its lifecycle policy; a Docker build pushed to the repository): their rows
 * are the actions of what they create.
 */
export const RESOURCE_ACTIONS: Readonly<Record<string, TypeActions>> = {
  "aws:acm/certificate:Certificate": {
    create: ["acm:RequestCertificate"],
    read: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
    update: ["acm:UpdateCertificateOptions"],
    delete: ["acm:DeleteCertificate"],
    tag: ["acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
  },
  // Waits until the certificate is issued: reads only.
  "aws:acm/certificateValidation:CertificateValidation": {
    create: ["acm:DescribeCertificate"], read: ["acm:DescribeCertificate"], update: none, delete: none, tag: none,
  },
  // Target tracking: Application Auto Scaling creates and deletes the policy's CloudWatch alarms as the caller.
  "aws:appautoscaling/policy:Policy": {
    create: ["application-autoscaling:PutScalingPolicy", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms"],
    read: ["application-autoscaling:DescribeScalingPolicies"],
    update: ["application-autoscaling:PutScalingPolicy", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms"],
    delete: ["application-autoscaling:DeleteScalingPolicy", "cloudwatch:DeleteAlarms"],
    tag: none,
  },
  // Registering an ECS service as a scalable target reads and updates the service as the caller.
  "aws:appautoscaling/target:Target": {
    create: ["application-autoscaling:RegisterScalableTarget", "ecs:DescribeServices", "ecs:UpdateService"],
    read: ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource"],
    update: ["application-autoscaling:RegisterScalableTarget"],
    delete: ["application-autoscaling:DeregisterScalableTarget"],
    tag: ["application-autoscaling:TagResource", "application-autoscaling:UntagResource"],
    serviceLinkedRoles: ["ecs.application-autoscaling.amazonaws.com"],
  },
  // A group that launches from a template needs the caller to be allowed to launch it (RunInstances) and
  // to pass its instance profile's role.
  "aws:autoscaling/group:Group": {
    create: ["autoscaling:CreateAutoScalingGroup", "ec2:RunInstances", "ec2:CreateTags", "ec2:DescribeLaunchTemplateVersions"],
    read: [
      "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeInstanceRefreshes", "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribeLoadBalancerTargetGroups",
      "autoscaling:DescribeLoadBalancers", "autoscaling:DescribeNotificationConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTrafficSources",
      "autoscaling:DescribeWarmPool",
    ],
    update: ["autoscaling:UpdateAutoScalingGroup", "autoscaling:StartInstanceRefresh", "autoscaling:CancelInstanceRefresh", "ec2:RunInstances"],
    delete: ["autoscaling:DeleteAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup"],
    tag: ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"],
    passRoleTo: ["ec2.amazonaws.com"],
    serviceLinkedRoles: ["autoscaling.amazonaws.com"],
  },
  "aws:cloudwatch/dashboard:Dashboard": {
    create: ["cloudwatch:PutDashboard"], read: ["cloudwatch:GetDashboard"], update: ["cloudwatch:PutDashboard"], delete: ["cloudwatch:DeleteDashboards"], tag: none,
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
    read: ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
    update: ["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"],
    delete: ["logs:DeleteLogGroup"],
    tag: ["logs:TagResource", "logs:UntagResource"],
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    create: ["cloudwatch:PutMetricAlarm"],
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    update: ["cloudwatch:PutMetricAlarm"],
    delete: ["cloudwatch:DeleteAlarms"],
    tag: ["cloudwatch:TagResource", "cloudwatch:UntagResource"],
  },
  "aws:ec2/eip:Eip": {
    create: ["ec2:AllocateAddress"],
    read: ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"],
    update: none,
    delete: ["ec2:ReleaseAddress", "ec2:DisassociateAddress"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/flowLog:FlowLog": {
    create: ["ec2:CreateFlowLogs"], read: ["ec2:DescribeFlowLogs"], update: none, delete: ["ec2:DeleteFlowLogs"], tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    passRoleTo: ["vpc-flow-logs.amazonaws.com"],
  },
  "aws:ec2/internetGateway:InternetGateway": {
    create: ["ec2:CreateInternetGateway"], read: ["ec2:DescribeInternetGateways"], update: none, delete: ["ec2:DeleteInternetGateway"], tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": {
    create: ["ec2:AttachInternetGateway"], read: ["ec2:DescribeInternetGateways"], update: none, delete: ["ec2:DetachInternetGateway"], tag: none,
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    create: ["ec2:CreateLaunchTemplate"],
    read: ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
    update: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
    delete: ["ec2:DeleteLaunchTemplate"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/natGateway:NatGateway": {
    create: ["ec2:CreateNatGateway"], read: ["ec2:DescribeNatGateways"], update: none, delete: ["ec2:DeleteNatGateway"], tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/route:Route": {
    create: ["ec2:CreateRoute"], read: ["ec2:DescribeRouteTables"], update: ["ec2:ReplaceRoute"], delete: ["ec2:DeleteRoute"], tag: none,
  },
  "aws:ec2/routeTable:RouteTable": {
    create: ["ec2:CreateRouteTable"], read: ["ec2:DescribeRouteTables"], update: none, delete: ["ec2:DeleteRouteTable"], tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    create: ["ec2:AssociateRouteTable"], read: ["ec2:DescribeRouteTables"], update: ["ec2:ReplaceRouteTableAssociation"], delete: ["ec2:DisassociateRouteTable"], tag: none,
  },
  // The provider revokes the group's default allow-all egress rule right after creating it.
  "aws:ec2/securityGroup:SecurityGroup": {
    create: ["ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"],
    read: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
    update: none,
    delete: ["ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:ec2/subnet:Subnet": {
    create: ["ec2:CreateSubnet", "ec2:ModifySubnetAttribute"],
    read: ["ec2:DescribeSubnets"],
    update: ["ec2:ModifySubnetAttribute"],
    delete: ["ec2:DeleteSubnet", "ec2:DescribeNetworkInterfaces"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  // Reading a VPC also reads its attributes, main route table, default security group and network ACL.
  "aws:ec2/vpc:Vpc": {
    create: ["ec2:CreateVpc", "ec2:ModifyVpcAttribute"],
    read: ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls"],
    update: ["ec2:ModifyVpcAttribute"],
    delete: ["ec2:DeleteVpc"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  // Creating an endpoint looks up its VPC, subnets and groups as the caller.
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    create: ["ec2:CreateVpcEndpoint", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
    read: ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists"],
    update: ["ec2:ModifyVpcEndpoint"],
    delete: ["ec2:DeleteVpcEndpoints"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    create: ["ec2:AuthorizeSecurityGroupEgress"],
    read: ["ec2:DescribeSecurityGroupRules"],
    update: ["ec2:ModifySecurityGroupRules"],
    delete: ["ec2:RevokeSecurityGroupEgress"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    create: ["ec2:AuthorizeSecurityGroupIngress"],
    read: ["ec2:DescribeSecurityGroupRules"],
    update: ["ec2:ModifySecurityGroupRules"],
    delete: ["ec2:RevokeSecurityGroupIngress"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
  },
  // Account-wide, kept on destroy (retainOnDelete): no delete.
  "aws:ecs/accountSettingDefault:AccountSettingDefault": {
    create: ["ecs:PutAccountSettingDefault"], read: ["ecs:ListAccountSettings"], update: ["ecs:PutAccountSettingDefault"], delete: none, tag: none,
  },
  "aws:ecs/capacityProvider:CapacityProvider": {
    create: ["ecs:CreateCapacityProvider"],
    read: ["ecs:DescribeCapacityProviders"],
    update: ["ecs:UpdateCapacityProvider"],
    delete: ["ecs:DeleteCapacityProvider"],
    tag: ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"],
    serviceLinkedRoles: ["ecs.amazonaws.com"],
  },
  "aws:ecs/cluster:Cluster": {
    create: ["ecs:CreateCluster"],
    read: ["ecs:DescribeClusters"],
    update: ["ecs:UpdateCluster", "ecs:UpdateClusterSettings"],
    delete: ["ecs:DeleteCluster"],
    tag: ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"],
    serviceLinkedRoles: ["ecs.amazonaws.com"],
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
    create: ["ecs:PutClusterCapacityProviders"], read: ["ecs:DescribeClusters"], update: ["ecs:PutClusterCapacityProviders"], delete: ["ecs:PutClusterCapacityProviders"], tag: none,
  },
  // waitForSteadyState polls the service and its deployments; blue/green, canary and linear hand ECS the
  // infrastructure role.
  "aws:ecs/service:Service": {
    create: ["ecs:CreateService", "ecs:DescribeServices"],
    read: ["ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments"],
    update: ["ecs:UpdateService", "ecs:DescribeServices"],
    delete: ["ecs:DeleteService", "ecs:UpdateService", "ecs:DescribeServices"],
    tag: ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"],
    passRoleTo: ["ecs.amazonaws.com"],
  },
  "aws:ecs/taskDefinition:TaskDefinition": {
    create: ["ecs:RegisterTaskDefinition"],
    read: ["ecs:DescribeTaskDefinition"],
    update: ["ecs:RegisterTaskDefinition"],
    delete: ["ecs:DeregisterTaskDefinition"],
    tag: ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"],
    passRoleTo: ["ecs-tasks.amazonaws.com"],
  },
  // Putting a role in a profile passes it to EC2.
  "aws:iam/instanceProfile:InstanceProfile": {
    create: ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"],
    read: ["iam:GetInstanceProfile"],
    update: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
    delete: ["iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
    tag: ["iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:ListInstanceProfileTags"],
    passRoleTo: ["ec2.amazonaws.com"],
  },
  "aws:iam/role:Role": {
    create: ["iam:CreateRole"],
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    update: ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:PutRolePermissionsBoundary"],
    delete: ["iam:DeleteRole", "iam:ListInstanceProfilesForRole"],
    tag: ["iam:TagRole", "iam:UntagRole", "iam:ListRoleTags"],
  },
  "aws:iam/rolePolicy:RolePolicy": {
    create: ["iam:PutRolePolicy"], read: ["iam:GetRolePolicy"], update: ["iam:PutRolePolicy"], delete: ["iam:DeleteRolePolicy"], tag: none,
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    create: ["iam:AttachRolePolicy"], read: ["iam:ListAttachedRolePolicies"], update: none, delete: ["iam:DetachRolePolicy"], tag: none,
  },
  "aws:lb/listener:Listener": {
    create: ["elasticloadbalancing:CreateListener"],
    read: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeTags"],
    update: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes"],
    delete: ["elasticloadbalancing:DeleteListener"],
    tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
  },
  "aws:lb/listenerRule:ListenerRule": {
    create: ["elasticloadbalancing:CreateRule"],
    read: ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags"],
    update: ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities"],
    delete: ["elasticloadbalancing:DeleteRule"],
    tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
  },
  "aws:lb/loadBalancer:LoadBalancer": {
    create: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes"],
    read: ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:DescribeTags"],
    update: ["elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType"],
    delete: ["elasticloadbalancing:DeleteLoadBalancer"],
    tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    serviceLinkedRoles: ["elasticloadbalancing.amazonaws.com"],
  },
  "aws:lb/targetGroup:TargetGroup": {
    create: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
    read: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTags"],
    update: ["elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
    delete: ["elasticloadbalancing:DeleteTargetGroup"],
    tag: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
  },
  "aws:route53/record:Record": {
    create: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
    read: ["route53:ListResourceRecordSets"],
    update: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
    delete: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
    tag: none,
  },
  // Reading a bucket reads every one of its configurations; forceDestroy empties it first.
  "aws:s3/bucket:Bucket": {
    create: ["s3:CreateBucket"],
    read: [
      "s3:ListBucket", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration",
      "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration",
      "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy", "s3:GetBucketTagging",
    ],
    update: none,
    delete: ["s3:DeleteBucket", "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"],
    tag: ["s3:PutBucketTagging"],
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    create: ["s3:PutLifecycleConfiguration"], read: ["s3:GetLifecycleConfiguration"], update: ["s3:PutLifecycleConfiguration"], delete: ["s3:PutLifecycleConfiguration"], tag: none,
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    create: ["s3:PutBucketOwnershipControls"], read: ["s3:GetBucketOwnershipControls"], update: ["s3:PutBucketOwnershipControls"], delete: ["s3:PutBucketOwnershipControls"], tag: none,
  },
  "aws:s3/bucketPolicy:BucketPolicy": {
    create: ["s3:PutBucketPolicy"], read: ["s3:GetBucketPolicy"], update: ["s3:PutBucketPolicy"], delete: ["s3:DeleteBucketPolicy"], tag: none,
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    create: ["s3:PutBucketPublicAccessBlock"], read: ["s3:GetBucketPublicAccessBlock"], update: ["s3:PutBucketPublicAccessBlock"], delete: ["s3:PutBucketPublicAccessBlock"], tag: none,
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    create: ["s3:PutEncryptionConfiguration"], read: ["s3:GetEncryptionConfiguration"], update: ["s3:PutEncryptionConfiguration"], delete: ["s3:PutEncryptionConfiguration"], tag: none,
  },
  "aws:scheduler/schedule:Schedule": {
    create: ["scheduler:CreateSchedule"], read: ["scheduler:GetSchedule"], update: ["scheduler:UpdateSchedule"], delete: ["scheduler:DeleteSchedule"], tag: none,
    passRoleTo: ["scheduler.amazonaws.com"],
  },
  "aws:scheduler/scheduleGroup:ScheduleGroup": {
    create: ["scheduler:CreateScheduleGroup"],
    read: ["scheduler:GetScheduleGroup", "scheduler:ListTagsForResource"],
    update: none,
    delete: ["scheduler:DeleteScheduleGroup", "scheduler:DeleteSchedule"],
    tag: ["scheduler:TagResource", "scheduler:UntagResource"],
  },
  // Service Connect: ECS creates each published service's Cloud Map service in the namespace as the caller.
  "aws:servicediscovery/httpNamespace:HttpNamespace": {
    create: ["servicediscovery:CreateHttpNamespace", "servicediscovery:GetOperation", "servicediscovery:CreateService"],
    read: ["servicediscovery:GetNamespace", "servicediscovery:ListTagsForResource"],
    update: ["servicediscovery:UpdateHttpNamespace", "servicediscovery:GetOperation"],
    delete: ["servicediscovery:DeleteNamespace", "servicediscovery:GetOperation", "servicediscovery:DeleteService"],
    tag: ["servicediscovery:TagResource", "servicediscovery:UntagResource"],
  },
  "aws:sns/topic:Topic": {
    create: ["sns:CreateTopic", "sns:SetTopicAttributes"],
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    update: ["sns:SetTopicAttributes"],
    delete: ["sns:DeleteTopic"],
    tag: ["sns:TagResource", "sns:UntagResource"],
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    create: ["sns:SetTopicAttributes"], read: ["sns:GetTopicAttributes"], update: ["sns:SetTopicAttributes"], delete: ["sns:SetTopicAttributes"], tag: none,
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    create: ["sns:Subscribe"],
    read: ["sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
    update: ["sns:SetSubscriptionAttributes"],
    delete: ["sns:Unsubscribe"],
    tag: none,
  },
  // Tagging a queue as it is created needs sqs:TagQueue besides sqs:CreateQueue; the provider reads the
  // attributes back after every write until they show (waitQueueAttributesPropagated, sqs/queue.go).
  "aws:sqs/queue:Queue": {
    create: ["sqs:CreateQueue", "sqs:TagQueue", "sqs:GetQueueAttributes"],
    read: ["sqs:GetQueueAttributes", "sqs:ListQueueTags"],
    update: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
    delete: ["sqs:DeleteQueue", "sqs:GetQueueAttributes"],
    tag: ["sqs:TagQueue", "sqs:UntagQueue", "sqs:ListQueueTags"],
  },
  // A queue's policy and its redrive are attributes of the queue: set, read back, and cleared on delete.
  "aws:sqs/queuePolicy:QueuePolicy": {
    create: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"], read: ["sqs:GetQueueAttributes"], update: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"], delete: ["sqs:SetQueueAttributes"], tag: none,
  },
  "aws:sqs/redrivePolicy:RedrivePolicy": {
    create: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"], read: ["sqs:GetQueueAttributes"], update: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"], delete: ["sqs:SetQueueAttributes"], tag: none,
  },
  "aws:wafv2/webAcl:WebAcl": {
    create: ["wafv2:CreateWebACL"],
    read: ["wafv2:GetWebACL", "wafv2:ListTagsForResource"],
    update: ["wafv2:UpdateWebACL"],
    delete: ["wafv2:DeleteWebACL"],
    tag: ["wafv2:TagResource", "wafv2:UntagResource"],
  },
  // Associating a web ACL with an ALB acts on the load balancer too.
  "aws:wafv2/webAclAssociation:WebAclAssociation": {
    create: ["wafv2:AssociateWebACL", "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:CreateWebACLAssociation"],
    read: ["wafv2:GetWebACLForResource", "wafv2:GetWebACL", "elasticloadbalancing:GetLoadBalancerWebACL"],
    update: none,
    delete: ["wafv2:DisassociateWebACL", "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:DeleteWebACLAssociation"],
    tag: none,
  },
  "awsx:ecr:Repository": {
    create: ["ecr:CreateRepository", "ecr:PutLifecyclePolicy"],
    read: ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:ListTagsForResource"],
    update: ["ecr:PutLifecyclePolicy", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability"],
    delete: ["ecr:DeleteRepository", "ecr:DeleteLifecyclePolicy"],
    tag: ["ecr:TagResource", "ecr:UntagResource"],
  },
  // A Docker build pushed with a token from ecr:GetAuthorizationToken; layers already pushed are reused.
  "awsx:ecr:Image": {
    create: [
      "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
      "ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
    ],
    read: ["ecr:DescribeImages"],
    update: none,
    delete: none,
    tag: none,
  },
};

/**
 * The data sources the program reads (components/ and index.ts), by invoke token. sts:GetCallerIdentity and
 * getPartition need no permission (GetCallerIdentity is always allowed; getPartition asks AWS nothing).
 */
export const INVOKE_ACTIONS: Readonly<Record<string, string[]>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": none,
  "aws:index/getPartition:getPartition": none,
  "aws:index/getAvailabilityZones:getAvailabilityZones": ["ec2:DescribeAvailabilityZones"],
  "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": ["ec2:DescribeInstanceTypeOfferings"],
  // A pinned host image, by exact name or id (hostImage).
  "aws:ec2/getAmi:getAmi": ["ec2:DescribeImages"],
  // The ECS-optimized AMI: AWS's public parameters under /aws/service/ecs/.
  "aws:ssm/getParameter:getParameter": ["ssm:GetParameter"],
  "aws:route53/getZone:getZone": ["route53:GetHostedZone", "route53:ListTagsForResource"],
  "aws:ec2/getVpc:getVpc": ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables"],
  "aws:ec2/getSubnet:getSubnet": ["ec2:DescribeSubnets"],
  "aws:ec2/getRouteTables:getRouteTables": ["ec2:DescribeRouteTables"],
  "aws:ec2/getRouteTable:getRouteTable": ["ec2:DescribeRouteTables"],
  // A public subnet routed through a firewall endpoint: the internet gateway's edge route table.
  "aws:ec2/getInternetGateway:getInternetGateway": ["ec2:DescribeInternetGateways"],
};

/**
 * Actions of the table that the Service Authorization Reference lists with no resource type: IAM authorizes
 * them on "*" only, so the deploy policy grants them there, in a statement of their own.
 */
export const UNSCOPED: ReadonlySet<string> = new Set([
  "acm:RequestCertificate",
  "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
  "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeInstanceRefreshes", "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribeLoadBalancerTargetGroups",
  "autoscaling:DescribeLoadBalancers", "autoscaling:DescribeNotificationConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTrafficSources",
  "autoscaling:DescribeWarmPool",
  "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute", "ec2:DescribeAvailabilityZones", "ec2:DescribeFlowLogs", "ec2:DescribeImages", "ec2:DescribeInstanceTypeOfferings",
  "ec2:DescribeInternetGateways", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates", "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls",
  "ec2:DescribeNetworkInterfaces", "ec2:DescribePrefixLists", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs",
  "ecr:GetAuthorizationToken",
  "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListAccountSettings", "ecs:PutAccountSettingDefault",
  "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:SetWebAcl",
  "logs:DescribeLogGroups",
  "servicediscovery:CreateHttpNamespace", "servicediscovery:ListTagsForResource", "servicediscovery:TagResource", "servicediscovery:UntagResource",
  "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe",
]);

/**
 * The AWS managed policies the program attaches to its roles (components/), by name after
 * arn:aws:iam::aws:policy/, and what their default version allows: the permissions boundary must allow it
 * all, or the role loses it. AmazonEC2ContainerServiceforEC2Role v10 (2026-02-12),
 * AmazonSSMManagedInstanceCore v2, AmazonECSTaskExecutionRolePolicy v1
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/). A new version of one of these can
 * add an action the boundary does not allow: compare, and add it here.
 */
export const MANAGED_POLICY_ACTIONS: Readonly<Record<string, string[]>> = {
  "service-role/AmazonEC2ContainerServiceforEC2Role": [
    "ec2:DescribeTags", "ecs:CreateCluster", "ecs:DeregisterContainerInstance", "ecs:DiscoverPollEndpoint", "ecs:Poll", "ecs:RegisterContainerInstance",
    "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState", "ecs:Submit*", "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents", "ecs:TagResource", "ecs:ListTagsForResource",
  ],
  AmazonSSMManagedInstanceCore: [
    "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter",
    "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult",
    "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
  ],
  "service-role/AmazonECSTaskExecutionRolePolicy": [
    "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
  ],
};

/**
 * What the program's own (inline) policies allow its roles, by the component that writes them: a
 * service's or job's secrets (execution role), ECS Exec and work queues (task role), Scheduler's role, the
 * flow-log role, the ECS infrastructure role of blue/green, canary and linear releases.
 */
export const PROGRAM_INLINE_ACTIONS: Readonly<Record<string, string[]>> = {
  "components/task.ts secretsPolicy": ["ssm:GetParameters", "secretsmanager:GetSecretValue", "kms:Decrypt"],
  "components/task-unit.ts ECS Exec": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
  "components/queue.ts queueAccessPolicy": [
    "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:SendMessage", "kms:Decrypt", "kms:GenerateDataKey",
  ],
  "components/job.ts runTaskPolicy": ["ecs:RunTask", "iam:PassRole", "ecs:TagResource"],
  "components/network.ts flow logs": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
  "components/service.ts infrastructureRole": [
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener",
  ],
};

/** Every action a type needs, all steps together. */
export function actionsOf(t: TypeActions): string[] {
  return [...new Set([...t.create, ...t.read, ...t.update, ...t.delete, ...t.tag])];
}

/** The actions of reading a type (a refresh, a drift check): its read step. */
export function readActionsOf(t: TypeActions): string[] {
  return [...new Set(t.read)];
}

/** The service prefix of an action ("ec2:CreateVpc" -> "ec2"). */
export const serviceOf = (action: string): string => action.slice(0, action.indexOf(":"));
