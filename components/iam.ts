import * as pulumi from "@pulumi/pulumi";

/**
 * Trust policy for roles that ECS tasks assume (the execution role and the task role). The source
 * conditions are the confused-deputy guard: only ECS acting for this account, in this region, may
 * assume the role.
 */
export function ecsTasksTrustPolicy(partition: pulumi.Input<string>, region: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:*` },
        StringEquals: { "aws:SourceAccount": accountId },
      },
    }],
  });
}
