import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CI_PATH, githubTrustPolicy, type PolicyDocument } from "../policies";

export interface GitHubRoleArgs {
  /** The role's name (its path is CI_PATH): the ARN a workflow variable holds. */
  roleName: string;
  description: string;
  /** The account's GitHub OIDC provider. */
  oidcProviderArn: string;
  /** The OIDC subjects trusted, exactly (repo:<owner>/<repo>:environment:<env>, ...:pull_request, ...). */
  subjects: string[];
  /** How long a session may last, in seconds. @default 3600 */
  maxSessionDurationSeconds?: number;
  /** Managed policies to attach: the permissions shared with other roles. */
  managedPolicyArns: pulumi.Input<string>[];
  /** Policies of this role alone (its state access), by name. */
  inlinePolicies: Record<string, PolicyDocument>;
  /** What must exist first (the OIDC provider a new role trusts). */
  after?: pulumi.Resource[];
  tags: Record<string, string>;
}

/**
 * An IAM role GitHub Actions assumes with its OIDC token: trusted by the account's GitHub provider for exactly
 * the given subjects and the sts.amazonaws.com audience, with the given managed and inline policies.
 */
export class GitHubRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly roleName: string;

  constructor(name: string, args: GitHubRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api-bootstrap:iam:GitHubRole", name, {}, opts);
    const role = new aws.iam.Role(`${name}-role`, {
      name: args.roleName,
      path: CI_PATH,
      description: args.description,
      assumeRolePolicy: JSON.stringify(githubTrustPolicy(args.oidcProviderArn, args.subjects)),
      maxSessionDuration: args.maxSessionDurationSeconds ?? 3600,
      tags: args.tags,
    }, { parent: this, dependsOn: args.after });
    args.managedPolicyArns.forEach((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-policy-${i + 1}`, { role: role.name, policyArn }, { parent: role }));
    for (const [policyName, document] of Object.entries(args.inlinePolicies)) {
      new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.id, name: policyName, policy: JSON.stringify(document) }, { parent: role });
    }
    this.arn = role.arn;
    this.roleName = args.roleName;
    this.registerOutputs({ arn: this.arn });
  }
}
