/**
 * The bootstrap's IAM documents as data, built from the permissions table (permissions.ts): the deploy
 * role's permissions (split into managed policies under IAM's size limit), the permissions boundary every
 * role of the program carries, the preview role's reads, the state access of each, and the trust of
 * GitHub's OIDC tokens. Pure: tested without an engine, and the components only wrap them in resources.
 */
import { INVOKE_ACTIONS, MANAGED_POLICY_ACTIONS, PROGRAM_INLINE_ACTIONS, RESOURCE_ACTIONS, UNSCOPED, actionsOf, readActionsOf, serviceOf } from "./permissions";
import { GITHUB_OIDC_HOST, REVIEW_ENVIRONMENT } from "./config";
import { PROGRAM_PROJECT, PROGRAM_ROLE_PATH } from "../lib/names";
import { recommendedParameter, type Arch } from "../lib/host-images";

export { PROGRAM_PROJECT, PROGRAM_ROLE_PATH };
/** The path of the bootstrap's own roles and policies: the deploy role may change nothing under it. */
export const CI_PATH = "/ecs-ec2-api-ci/";
export const BOUNDARY_NAME = "ecs-ec2-api-boundary";
export const PREVIEW_ROLE_NAME = "ecs-ec2-api-preview";
/** The role the host-image workflow reads AWS's recommended ECS images with. */
export const HOST_IMAGE_ROLE_NAME = "ecs-ec2-api-host-image";
export const deployRoleName = (environment: string): string => `ecs-ec2-api-deploy-${environment}`;
/** The state bucket's name: one per account and region, known before it exists (policies name it in preview). */
export const stateBucketName = (a: Pick<Account, "accountId" | "region">): string => `ecs-ec2-api-state-${a.accountId}-${a.region}`;
/** The alias of the state's KMS key, which the stacks' secrets provider names. */
export const STATE_KEY_ALIAS = "alias/ecs-ec2-api-state";

/**
 * IAM's limit for a managed policy: 6,144 characters, white space not counted
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const MANAGED_POLICY_LIMIT = 6144;

/** GitHub's OIDC token audience that aws-actions/configure-aws-credentials asks for. */
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

export interface Account {
  partition: string;
  accountId: string;
  region: string;
}

export interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/**
 * The host-image workflow's one permission: reading AWS's public parameters that name the recommended ECS-optimized
 * AL2023 images (lib/host-images.ts recommendedParameter), x86_64 and arm64, in the account's region; nothing else.
 */
export function hostImageStatements(a: Account): Statement[] {
  const parameter = (arch: Arch) => `arn:${a.partition}:ssm:${a.region}::parameter${recommendedParameter(arch)}`;
  return [{ Sid: "RecommendedEcsImages", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [parameter("x86_64"), parameter("arm64")] }];
}

/** A policy document of `Statement`. */
export const doc = (Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** The ARNs the documents name, in `a`'s partition and account. */
export function iamArns(a: Pick<Account, "partition" | "accountId">) {
  const iam = `arn:${a.partition}:iam::${a.accountId}`;
  return {
    boundary: `${iam}:policy${CI_PATH}${BOUNDARY_NAME}`,
    ciPolicies: `${iam}:policy${CI_PATH}*`,
    ciRoles: `${iam}:role${CI_PATH}*`,
    programRoles: `${iam}:role${PROGRAM_ROLE_PATH}*`,
    programProfiles: `${iam}:instance-profile${PROGRAM_ROLE_PATH}*`,
    serviceLinkedRoles: `${iam}:role/aws-service-role/*`,
    oidcProvider: `${iam}:oidc-provider/${GITHUB_OIDC_HOST}`,
  };
}

/**
 * Where the actions IAM scopes may act, by statement. Most act on this account's resources in this region
 * (one pattern for every service: an action only ever names the resource types of its own service, and a
 * few name another's, as wafv2:AssociateWebACL names the load balancer), and on what is global or public:
 * AWS's AMIs and their snapshots, dashboards, hosted zones and their changes, AWS's managed WAF rule sets.
 * Two services get less: S3 only the program's access-log buckets (components/edge.ts names them
 * <service>-alb-logs, auto-named with a suffix), SSM only AWS's public ECS AMI parameters (an account's
 * own parameters can hold secrets).
 */
export function scopedResources(a: Account): { regional: string[]; s3: string[]; ssm: string[] } {
  const { partition: p, accountId: id, region: r } = a;
  return {
    regional: [
      `arn:${p}:*:${r}:${id}:*`, `arn:${p}:ec2:${r}::image/*`, `arn:${p}:ec2:${r}::snapshot/*`, `arn:${p}:cloudwatch::${id}:dashboard/*`,
      `arn:${p}:route53:::hostedzone/*`, `arn:${p}:route53:::change/*`, `arn:${p}:wafv2:${r}:*:regional/managedruleset/*`,
    ],
    s3: [`arn:${p}:s3:::*-alb-logs-*`, `arn:${p}:s3:::*-alb-logs-*/*`],
    ssm: [`arn:${p}:ssm:${r}::parameter/aws/service/ecs/*`],
  };
}

/**
 * IAM's role writes that can be conditioned on the role's permissions boundary (iam:PermissionsBoundary,
 * Service Authorization Reference for IAM): the deploy role may do them only to roles that carry the
 * bootstrap's boundary.
 */
export const BOUNDED_ROLE_WRITES = [
  "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
];
/** IAM actions on instance profiles (their resource type), scoped to the program's path. */
const INSTANCE_PROFILE_ACTIONS = new Set([
  "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile",
  "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:ListInstanceProfileTags",
]);
/** The other IAM actions of the table act on roles: reads and tags, scoped to the program's path. */
const ROLE_ACTIONS = new Set([
  "iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:GetRolePolicy", "iam:ListInstanceProfilesForRole",
  "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
]);

/** What deploying (or reading) the given types and invokes asks of IAM. */
export function neededActions(opts: { types?: string[]; invokes?: string[]; reads?: boolean } = {}) {
  const types = opts.types ?? Object.keys(RESOURCE_ACTIONS);
  const rows = types.map((t) => {
    const row = RESOURCE_ACTIONS[t];
    if (!row) throw new Error(`no permissions for ${t} in bootstrap/permissions.ts RESOURCE_ACTIONS`);
    return row;
  });
  const invokes = (opts.invokes ?? Object.keys(INVOKE_ACTIONS)).flatMap((t) => INVOKE_ACTIONS[t] ?? []);
  const actions = new Set([...rows.flatMap((r) => (opts.reads ? readActionsOf(r) : actionsOf(r))), ...invokes]);
  return {
    actions: [...actions].sort(),
    passRoleTo: opts.reads ? [] : [...new Set(rows.flatMap((r) => r.passRoleTo ?? []))].sort(),
    serviceLinkedRoles: opts.reads ? [] : [...new Set(rows.flatMap((r) => r.serviceLinkedRoles ?? []))].sort(),
  };
}

/**
 * Allow statements for `actions`: those IAM scopes on scopedResources, those it cannot (UNSCOPED) on "*",
 * and IAM's own: reads and tags on the program's roles and instance profiles, role writes only with the
 * boundary, passing only the program's roles to the services named, service-linked roles only for the
 * services named.
 */
function allowStatements(a: Account, needed: ReturnType<typeof neededActions>): Statement[] {
  const arns = iamArns(a);
  const resources = scopedResources(a);
  const scoped = { regional: [] as string[], s3: [] as string[], ssm: [] as string[] };
  const unscoped: string[] = [];
  const iam = { bounded: [] as string[], roles: [] as string[], profiles: [] as string[] };
  for (const action of needed.actions) {
    const service = serviceOf(action);
    if (service === "iam") {
      if (BOUNDED_ROLE_WRITES.includes(action)) iam.bounded.push(action);
      else if (INSTANCE_PROFILE_ACTIONS.has(action)) iam.profiles.push(action);
      else if (ROLE_ACTIONS.has(action)) iam.roles.push(action);
      else throw new Error(`bootstrap/policies.ts does not know which IAM resource ${action} acts on`);
    } else if (UNSCOPED.has(action)) unscoped.push(action);
    else if (service === "s3" || service === "ssm") scoped[service].push(action);
    else scoped.regional.push(action);
  }
  const statements: Statement[] = [];
  if (scoped.regional.length > 0) statements.push({ Sid: "ThisAccountAndRegion", Effect: "Allow", Action: scoped.regional, Resource: resources.regional });
  if (scoped.s3.length > 0) statements.push({ Sid: "AccessLogBuckets", Effect: "Allow", Action: scoped.s3, Resource: resources.s3 });
  if (scoped.ssm.length > 0) statements.push({ Sid: "EcsAmiParameters", Effect: "Allow", Action: scoped.ssm, Resource: resources.ssm });
  if (unscoped.length > 0) statements.push({ Sid: "NoResourceLevelPermissions", Effect: "Allow", Action: unscoped, Resource: "*" });
  if (iam.roles.length > 0) statements.push({ Sid: "ProgramRoles", Effect: "Allow", Action: iam.roles, Resource: arns.programRoles });
  if (iam.profiles.length > 0) statements.push({ Sid: "ProgramInstanceProfiles", Effect: "Allow", Action: iam.profiles, Resource: arns.programProfiles });
  if (iam.bounded.length > 0) {
    statements.push({
      Sid: "ProgramRoleWritesOnlyWithTheBoundary", Effect: "Allow", Action: iam.bounded, Resource: arns.programRoles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": arns.boundary } },
    });
  }
  if (needed.passRoleTo.length > 0) {
    statements.push({
      Sid: "PassProgramRolesToTheirServices", Effect: "Allow", Action: ["iam:PassRole"], Resource: arns.programRoles,
      Condition: { StringEquals: { "iam:PassedToService": needed.passRoleTo } },
    });
  }
  if (needed.serviceLinkedRoles.length > 0) {
    statements.push({
      Sid: "ServiceLinkedRolesOfTheProgramsServices", Effect: "Allow", Action: ["iam:CreateServiceLinkedRole"], Resource: arns.serviceLinkedRoles,
      Condition: { StringEquals: { "iam:AWSServiceName": needed.serviceLinkedRoles } },
    });
  }
  return statements;
}

/** The deploy role's role writes that would let it escape: denied whatever else allows them. */
export function deployDenies(a: Account): Statement[] {
  const arns = iamArns(a);
  return [
    { Sid: "NeverRemoveABoundary", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: "*" },
    {
      Sid: "NeverChangeTheBootstrapsPolicies", Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
      Resource: arns.ciPolicies,
    },
    { Sid: "NeverChangeTheBootstrapsRoles", Effect: "Deny", Action: [...BOUNDED_ROLE_WRITES, "iam:TagRole", "iam:UntagRole"], Resource: arns.ciRoles },
  ];
}

/** Every statement of the deploy role's permissions: the program's types and invokes, then the denies. */
export function deployStatements(a: Account, opts: { types?: string[]; invokes?: string[] } = {}): Statement[] {
  return [...deployDenies(a), ...allowStatements(a, neededActions(opts))];
}

/** The preview role's statements: reading every type (a refresh) and every invoke, nothing else. */
export function previewStatements(a: Account): Statement[] {
  return allowStatements(a, neededActions({ reads: true }));
}

/** A document's size as IAM counts it against the limit: its JSON without white space. */
export function policySize(d: PolicyDocument): number {
  return JSON.stringify(d).length;
}

/**
 * `statements` in as few documents as fit IAM's managed-policy limit, in order: each document is filled
 * before the next begins, a statement that does not fit the rest of one continuing in the next (its
 * actions split, its Sid numbered in each part).
 */
export function splitIntoPolicies(statements: Statement[], limit = MANAGED_POLICY_LIMIT): PolicyDocument[] {
  const docs: { statement: Statement; actions: string[] }[][] = [[]];
  const size = (d: { statement: Statement; actions: string[] }[]) => policySize(doc(d.map((x) => ({ ...x.statement, Sid: `${x.statement.Sid}00`, Action: x.actions }))));
  for (const statement of statements) {
    let piece = { statement, actions: [] as string[] };
    docs[docs.length - 1].push(piece);
    for (const action of statement.Action) {
      piece.actions.push(action);
      if (size(docs[docs.length - 1]) <= limit) continue;
      piece.actions.pop();
      if (piece.actions.length === 0) docs[docs.length - 1].pop();
      piece = { statement, actions: [action] };
      docs.push([piece]);
      if (size(docs[docs.length - 1]) > limit) throw new Error(`statement ${statement.Sid} cannot fit a policy of ${limit} characters even with one action`);
    }
  }
  return docs.filter((d) => d.length > 0).map((d) => doc(d.map(({ statement, actions }) => {
    const parts = docs.flat().filter((x) => x.statement === statement);
    return { ...statement, Sid: parts.length > 1 ? `${statement.Sid}${parts.findIndex((x) => x.actions === actions) + 1}` : statement.Sid, Action: actions };
  })));
}

/** The stacks a GitHub environment deploys: the stack of its name, or for review the pull requests' pr-<number>. */
export const stacksOf = (environment: string): string => (environment === REVIEW_ENVIRONMENT ? "pr-*" : environment);

/**
 * The stack a review stack builds on: review-stack.yml reads dev's outputs (its network) and deploys with
 * review-from: dev.
 */
export const REVIEW_BASE_STACK = "dev";

/** The stacks an environment's deploy role only reads: review's base stack. */
export const stacksReadBy = (environment: string): string[] => (environment === REVIEW_ENVIRONMENT ? [REVIEW_BASE_STACK] : []);

/**
 * Access to the Pulumi state in the self-managed S3 backend (pulumi/pulumi pkg/backend/diy: .pulumi/meta.yaml,
 * stacks/<project>/<stack>.json, history/ and backups/<project>/<stack>/, locks/organization/<project>/<stack>/)
 * and to its KMS key, named by its alias (kms:ResourceAliases: the key's ARN is not known before it exists).
 * `stack`: the stacks a deploy role writes (a name, or pr-*), `reads`: stacks whose state it only reads;
 * undefined: read every stack (the preview role, which previews all of them).
 */
export function stateStatements(a: Account, stack?: string, reads: string[] = []): Statement[] {
  const bucket = `arn:${a.partition}:s3:::${stateBucketName(a)}`;
  const key = `arn:${a.partition}:kms:${a.region}:${a.accountId}:key/*`;
  const byAlias = { "ForAnyValue:StringEquals": { "kms:ResourceAliases": STATE_KEY_ALIAS } };
  const list: Statement = { Sid: "ListState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket, Condition: { StringLike: { "s3:prefix": [".pulumi/*"] } } };
  if (stack === undefined) {
    return [
      list,
      { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucket}/.pulumi/*` },
      { Sid: "DecryptState", Effect: "Allow", Action: ["kms:Decrypt"], Resource: key, Condition: byAlias },
    ];
  }
  const own = [
    `${bucket}/.pulumi/stacks/${PROGRAM_PROJECT}/${stack}.json*`,
    `${bucket}/.pulumi/history/${PROGRAM_PROJECT}/${stack}/*`,
    `${bucket}/.pulumi/backups/${PROGRAM_PROJECT}/${stack}/*`,
    `${bucket}/.pulumi/locks/organization/${PROGRAM_PROJECT}/${stack}/*`,
  ];
  return [
    list,
    { Sid: "ReadTheBackendsLayout", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucket}/.pulumi/meta.yaml` },
    { Sid: "ReadAndWriteItsStacks", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: own },
    ...(reads.length > 0 ? [{ Sid: "ReadTheStacksItBuildsOn", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: reads.map((r) => `${bucket}/.pulumi/stacks/${PROGRAM_PROJECT}/${r}.json*`) }] : []),
    { Sid: "EncryptAndDecryptState", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: key, Condition: byAlias },
  ];
}

/** The permissions boundary of every role the program creates: what its runtime roles need, and no IAM write. */
export function boundaryDocument(a: Account, applicationActions: string[]): PolicyDocument {
  const runtime = [...new Set([...Object.values(MANAGED_POLICY_ACTIONS).flat(), ...Object.values(PROGRAM_INLINE_ACTIONS).flat()])]
    .filter((x) => x !== "iam:PassRole").sort();
  return doc([
    { Sid: "WhatTheProgramsRolesDo", Effect: "Allow", Action: runtime, Resource: "*" },
    // Scheduler's role hands a job's task and execution roles to ECS.
    {
      Sid: "PassProgramRolesToTasks", Effect: "Allow", Action: ["iam:PassRole"], Resource: iamArns(a).programRoles,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
    ...(applicationActions.length > 0 ? [{ Sid: "WhatTheApplicationsDo", Effect: "Allow" as const, Action: [...applicationActions].sort(), Resource: "*" }] : []),
    {
      Sid: "NoIamChanges", Effect: "Deny",
      Action: ["iam:Add*", "iam:Attach*", "iam:Change*", "iam:Create*", "iam:Deactivate*", "iam:Delete*", "iam:Detach*", "iam:Enable*", "iam:Put*", "iam:Remove*",
        "iam:Reset*", "iam:Resync*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*", "iam:Upload*"],
      Resource: "*",
    },
  ]);
}

/** The OIDC subject of a job in a GitHub environment, of a pull request's job, of a job on a branch (GitHub's default claims). */
export const environmentSubject = (repo: string, environment: string) => `repo:${repo}:environment:${environment}`;
export const pullRequestSubject = (repo: string) => `repo:${repo}:pull_request`;
export const branchSubject = (repo: string, branch: string) => `repo:${repo}:ref:refs/heads/${branch}`;

/**
 * A role's trust in GitHub's OIDC tokens for exactly `subjects`: the token's audience must be
 * sts.amazonaws.com and its subject one of these, compared exactly (StringEquals: no wildcard matches).
 */
export function githubTrustPolicy(providerArn: string, subjects: string[]): { Version: "2012-10-17"; Statement: Record<string, unknown>[] } {
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "GitHubActions",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        },
      },
    }],
  };
}
