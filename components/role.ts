/**
 * The one way the program makes an IAM role: its trust, its inline policies, the managed policies attached
 * to it, and the permissions boundary a stack may require of every role (`permissionsBoundaryArn`). What
 * assumes a role waits for `permissions`: a role is usable only once its policies exist.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RoleSpec {
  /** The trust policy document: who may assume the role (see trustedBy, ecsTasksTrustPolicy). */
  trust: pulumi.Input<string>;
  /** What the role is for, in a sentence (IAM shows it). Undefined: none. */
  description?: string;
  /** Inline policies, each by its logical name (the child resource's name) and its document. */
  inline?: { name: string; policy: pulumi.Input<string> }[];
  /** Managed policies attached, each by its logical name and the policy's ARN. */
  managed?: { name: string; policyArn: pulumi.Input<string> }[];
  /** The permissions boundary and path a stack requires of every role (see RoleBounds). Undefined: neither. */
  bounds?: RoleBounds;
  tags?: Record<string, string>;
}

/**
 * What a stack deployed by a bounded deploy role (the bootstrap's) requires of every role it creates: the
 * permissions boundary that caps what the role may ever do, and the path the deploy role may create,
 * pass and tag roles under (IAM scopes iam:PassRole by the role's ARN, which holds its path).
 */
export interface RoleBounds {
  permissionsBoundary: pulumi.Input<string>;
  path: string;
}

export interface RoleUnit {
  role: aws.iam.Role;
  arn: pulumi.Output<string>;
  /** The inline policies and attachments, in the order given: what must exist before anything assumes the role. */
  permissions: pulumi.Resource[];
}

/** A role under `opts.parent` (with `opts`), its inline policies and attachments under the role. */
export function createRole(name: string, spec: RoleSpec, opts: pulumi.CustomResourceOptions): RoleUnit {
  const role = new aws.iam.Role(name, {
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    assumeRolePolicy: spec.trust,
    ...(spec.bounds ? { permissionsBoundary: spec.bounds.permissionsBoundary, path: spec.bounds.path } : {}),
    tags: spec.tags,
  }, opts);
  const permissions: pulumi.Resource[] = [
    ...(spec.inline ?? []).map((p) => new aws.iam.RolePolicy(p.name, { role: role.id, policy: p.policy }, { parent: role })),
    ...(spec.managed ?? []).map((m) => new aws.iam.RolePolicyAttachment(m.name, { role: role.name, policyArn: m.policyArn }, { parent: role })),
  ];
  return { role, arn: role.arn, permissions };
}

/**
 * A trust policy for an AWS service principal. `sourceAccount`: only the service acting for this account
 * may assume the role (the confused-deputy guard), where the service sends aws:SourceAccount.
 */
export function trustedBy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount !== undefined ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    }],
  });
}

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

/** The ARN of an AWS managed policy (`service-role/AmazonECSTaskExecutionRolePolicy`) in the stack's partition. */
export const awsManagedPolicy = (partition: pulumi.Input<string>, policy: string): pulumi.Output<string> =>
  pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
