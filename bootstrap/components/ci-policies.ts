import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BOUNDARY_NAME, CI_PATH, PREVIEW_ROLE_NAME, boundaryDocument, deployStatements, previewStatements, splitIntoPolicies, type Account, type PolicyDocument } from "../policies";

export interface CiPoliciesArgs {
  account: Account;
  /** What the applications' own roles may do beyond the program's runtime needs (the boundary allows it). */
  applicationActions: string[];
  tags: Record<string, string>;
}

/**
 * The managed policies the CI roles share, under CI_PATH: the permissions boundary every role of the program
 * carries; the deploy permissions (from the program's permissions table, in as many policies as IAM's size
 * limit needs); the preview role's reads.
 */
export class CiPolicies extends pulumi.ComponentResource {
  readonly boundaryArn: pulumi.Output<string>;
  readonly deployPolicyArns: pulumi.Output<string>[];
  readonly previewPolicyArns: pulumi.Output<string>[];
  /** The documents, as created: what the plan and the tests read. */
  readonly deployDocuments: PolicyDocument[];

  constructor(name: string, args: CiPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api-bootstrap:iam:CiPolicies", name, {}, opts);
    const policy = (logical: string, policyName: string, description: string, document: PolicyDocument) => new aws.iam.Policy(logical, {
      name: policyName, path: CI_PATH, description, policy: JSON.stringify(document), tags: args.tags,
    }, { parent: this });
    this.boundaryArn = policy(`${name}-boundary`, BOUNDARY_NAME,
      "Permissions boundary of every role ecs-ec2-api creates: what its hosts, tasks, jobs and services need, and no IAM change",
      boundaryDocument(args.account, args.applicationActions)).arn;
    this.deployDocuments = splitIntoPolicies(deployStatements(args.account));
    this.deployPolicyArns = this.deployDocuments.map((document, i) => policy(`${name}-deploy-${i + 1}`, `ecs-ec2-api-deploy-${i + 1}`,
      `Deploys ecs-ec2-api (part ${i + 1} of ${this.deployDocuments.length}): what its resources need, roles only with the boundary`, document).arn);
    this.previewPolicyArns = splitIntoPolicies(previewStatements(args.account)).map((document, i, all) => policy(`${name}-preview-${i + 1}`, `${PREVIEW_ROLE_NAME}-${i + 1}`,
      `Previews ecs-ec2-api (part ${i + 1} of ${all.length}): reads what its resources and lookups need`, document).arn);
    this.registerOutputs({ boundaryArn: this.boundaryArn, deployPolicyArns: this.deployPolicyArns, previewPolicyArns: this.previewPolicyArns });
  }
}
