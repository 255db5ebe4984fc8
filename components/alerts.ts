import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The actions of an alarm that notifies `topics` on alarm and on recovery; nothing when there are none. */
export function notifying(topics?: pulumi.Input<string>[]): { alarmActions?: pulumi.Input<string>[]; okActions?: pulumi.Input<string>[] } {
  return topics && topics.length > 0 ? { alarmActions: topics, okActions: topics } : {};
}

export interface AlertsArgs {
  /** An address to email: a topic the stack creates, with an email subscription (AWS asks the address to confirm). */
  email?: string;
  /** An existing topic of the stack's region (e.g. one wired to chat). */
  topicArn?: string;
  region: string;
  tags?: Record<string, string>;
}

/**
 * Where the stack's alarms go: an SNS topic of its own with an email subscription, and/or an existing
 * topic. Every alarm of the stack notifies `topicArns`.
 */
export class Alerts extends pulumi.ComponentResource {
  readonly topicArns: pulumi.Output<string>[] = [];

  constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:observability:Alerts", name, {}, opts);
    if (args.email) {
      // Not encrypted with KMS: CloudWatch cannot publish to a topic encrypted with the AWS managed key
      // (alias/aws/sns), and alarm notifications carry no secrets. A customer managed key whose policy
      // admits cloudwatch.amazonaws.com would do, at 1 USD a month.
      const topic = new aws.sns.Topic(`${name}-topic`, { tags: args.tags }, { parent: this });
      const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
      new aws.sns.TopicPolicy(`${name}-topic`, {
        arn: topic.arn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountOwner",
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
              Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish", "sns:DeleteTopic"],
              Resource: topic.arn,
            },
            {
              Sid: "CloudWatchAlarmsOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topic.arn,
              Condition: {
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${args.region}:${accountId}:alarm:*` },
                StringEquals: { "aws:SourceAccount": accountId },
              },
            },
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "sns:*",
              Resource: topic.arn,
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      }, { parent: topic });
      new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email }, { parent: topic });
      this.topicArns.push(topic.arn);
    }
    if (args.topicArn) this.topicArns.push(pulumi.output(args.topicArn));
    this.registerOutputs({ topicArns: this.topicArns });
  }
}
