import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_OIDC_HOST } from "../config";
import { GITHUB_AUDIENCE } from "../policies";

export interface GitHubOidcArgs {
  /** The provider's ARN, as IAM names it in this account: what the roles' trust policies name. */
  arn: string;
  /** The account already has GitHub's provider (an account holds one per URL): use it, create none. */
  existing: boolean;
  tags: Record<string, string>;
}

/**
 * GitHub Actions' OIDC identity provider in the account (https://token.actions.githubusercontent.com, the
 * audience sts.amazonaws.com that aws-actions/configure-aws-credentials asks for), or the existing one.
 * No thumbprint: IAM validates GitHub's certificates against its own trusted CAs.
 */
export class GitHubOidc extends pulumi.ComponentResource {
  /** The provider's ARN; `dependsOn` makes a role wait for a provider created here. */
  readonly arn: string;
  readonly dependsOn: pulumi.Resource[];

  constructor(name: string, args: GitHubOidcArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api-bootstrap:github:Oidc", name, {}, opts);
    this.arn = args.arn;
    this.dependsOn = args.existing ? [] : [new aws.iam.OpenIdConnectProvider(`${name}-provider`, {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdLists: [GITHUB_AUDIENCE],
      tags: args.tags,
    }, { parent: this })];
    this.registerOutputs({ arn: this.arn });
  }
}
