// The roles GitHub Actions assumes (the bootstrap's deploy and preview roles, bootstrap/) hold the keys to an
// account: each must be assumable only by the workflows it names, and must not be able to grant itself or
// another role more than it has. A role is GitHub's when its trust policy admits tokens of GitHub's OIDC
// provider (token.actions.githubusercontent.com); its policies are its inline ones and those attached to it,
// found through the graph (what each attachment's `role` and `policyArn` came from).
import * as aws from "@pulumi/aws";
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asList, configOf, controls, policyStatements, schema, token, validateTypes } from "./util";

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
const AUDIENCE = "sts.amazonaws.com";

type Stmt = { Sid?: unknown; Effect?: unknown; Principal?: unknown; Action?: unknown; NotAction?: unknown; Condition?: Record<string, Record<string, unknown>> };

/** A policy document's statements (util.ts policyStatements), typed as the policies below read them. */
const parse = (policy: unknown) => policyStatements(policy) as { statements: Stmt[] } | { error: string };

const name = (s: Stmt, i: number) => (typeof s.Sid === "string" && s.Sid ? s.Sid : String(i));

/** The statements of a trust policy that admit GitHub's OIDC tokens. */
function githubStatements(statements: Stmt[]): { s: Stmt; i: number }[] {
  return statements.map((s, i) => ({ s, i })).filter(({ s }) => {
    const federated = asList((s.Principal as { Federated?: unknown } | undefined)?.Federated);
    return s.Effect === "Allow" && federated.some((f) => typeof f === "string" && (f === GITHUB_OIDC_HOST || f.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)));
  });
}

/** The values a condition gives `key` under each operator ("StringEquals" -> [...]). */
function conditionValues(s: Stmt, key: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [k, v] of Object.entries(keys ?? {})) if (k.toLowerCase() === key.toLowerCase()) out.set(operator, asList(v));
  }
  return out;
}

const trustSchema = schema();

export const githubOidcTrustExactSubject: ResourceValidationPolicy = {
  name: "github-oidc-trust-exact-subject",
  ...controls(
    "A role trusted by GitHub Actions' OIDC provider must require the audience sts.amazonaws.com and name every subject exactly (StringEquals on token.actions.githubusercontent.com:sub, no wildcard): otherwise any repository's, branch's or fork's workflow may assume it.",
    { fsbp: "none", checkov: "CKV_AWS_358" },
    "critical",
  ),
  enforcementLevel: "mandatory",
  configSchema: trustSchema,
  validateResource: validateTypes([aws.iam.Role], trustSchema, (args, report) => {
    const parsed = parse(args.props.assumeRolePolicy);
    if ("error" in parsed) return report(parsed.error);
    const github = githubStatements(parsed.statements);
    if (github.length === 0) args.notApplicable("The role is not trusted by GitHub's OIDC provider");
    for (const { s, i } of github) {
      const aud = conditionValues(s, `${GITHUB_OIDC_HOST}:aud`);
      const audiences = aud.get("StringEquals") ?? [];
      if (audiences.length === 0 || audiences.some((a) => a !== AUDIENCE)) {
        report(`statement ${name(s, i)} trusts GitHub's OIDC tokens without the audience condition StringEquals ${GITHUB_OIDC_HOST}:aud = ${AUDIENCE}`);
      }
      const sub = conditionValues(s, `${GITHUB_OIDC_HOST}:sub`);
      const wildcards = [...sub.entries()].filter(([op]) => /like/i.test(op)).flatMap(([op, vs]) => vs.filter((v) => typeof v === "string" && /[*?]/.test(v)).map((v) => `${op} ${JSON.stringify(v)}`));
      if (wildcards.length > 0) report(`statement ${name(s, i)} admits a wildcard subject (${wildcards.join(", ")}): name each subject exactly with StringEquals, e.g. repo:<owner>/<repo>:environment:<env>`);
      else if ((sub.get("StringEquals") ?? []).length === 0) report(`statement ${name(s, i)} trusts GitHub's OIDC tokens without a subject condition StringEquals ${GITHUB_OIDC_HOST}:sub: any workflow of any repository could assume the role`);
    }
  }),
};

const ROLE = token(aws.iam.Role);
const ROLE_POLICY = token(aws.iam.RolePolicy);
const ATTACHMENT = token(aws.iam.RolePolicyAttachment);
const POLICY = token(aws.iam.Policy);

/** AWS managed policies that grant every action of everything (or of IAM): never a GitHub role's. */
const BROAD_MANAGED = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/** Each GitHub-trusted role's policy documents: inline, and attached (a policy of the stack, or a managed ARN). */
function githubRolePolicies(resources: PolicyResource[]): { role: PolicyResource; where: string; policy: unknown }[] {
  const roles = resources.filter((r) => {
    if (r.type !== ROLE) return false;
    const parsed = parse(r.props.assumeRolePolicy);
    return !("error" in parsed) && githubStatements(parsed.statements).length > 0;
  });
  const out: { role: PolicyResource; where: string; policy: unknown }[] = [];
  const fedBy = (r: PolicyResource, key: string, role: PolicyResource) => (r.propertyDependencies[key] ?? []).some((d) => d.urn === role.urn);
  for (const role of roles) {
    for (const p of asList(role.props.inlinePolicies)) out.push({ role, where: `inline policy ${(p as { name?: string }).name ?? ""}`.trim(), policy: (p as { policy?: unknown }).policy });
    for (const arn of asList(role.props.managedPolicyArns)) out.push({ role, where: `managed policy ${String(arn)}`, policy: { arn } });
    for (const r of resources) {
      if (r.type === ROLE_POLICY && fedBy(r, "role", role)) out.push({ role, where: `policy ${r.name}`, policy: r.props.policy });
      if (r.type === ATTACHMENT && fedBy(r, "role", role)) {
        const attached = (r.propertyDependencies.policyArn ?? []).find((d) => d.type === POLICY);
        out.push({ role, where: attached ? `policy ${attached.name} (attached by ${r.name})` : `managed policy ${String(r.props.policyArn)} (attached by ${r.name})`, policy: attached ? attached.props.policy : { arn: r.props.policyArn } });
      }
    }
  }
  return out;
}

/** Checks each Allow statement of each GitHub role's policy; an attached ARN of an AWS managed policy goes to `onArn`. */
function eachAllow(resources: PolicyResource[], exempt: string[], report: ReportViolation,
  check: (s: Stmt, i: number, where: string, role: PolicyResource) => void, onArn?: (arn: string, where: string, role: PolicyResource) => void): number {
  const found = githubRolePolicies(resources).filter(({ role }) => !exempt.includes(role.name));
  for (const { role, where, policy } of found) {
    if (policy && typeof policy === "object" && "arn" in policy) {
      onArn?.(String((policy as { arn: unknown }).arn), where, role);
      continue;
    }
    const parsed = parse(policy);
    if ("error" in parsed) {
      report(`${role.name}'s ${where}: ${parsed.error}`, role.urn);
      continue;
    }
    parsed.statements.forEach((s, i) => {
      if (s.Effect === "Allow") check(s, i, where, role);
    });
  }
  return found.length;
}

const wildcardSchema = schema();

export const githubRoleNoWildcardActions: StackValidationPolicy = {
  name: "github-role-no-wildcard-actions",
  ...controls(
    "A role GitHub Actions assumes must not be allowed every action (\"*\"), every action of a service (\"iam:*\", \"<service>:*\"), everything but some (NotAction), nor AdministratorAccess, PowerUserAccess or IAMFullAccess: it gets the actions the program's resources need, by name.",
    { fsbp: "IAM.21", checkov: "CKV_AWS_63, CKV_AWS_274" },
    "critical",
  ),
  enforcementLevel: "mandatory",
  configSchema: wildcardSchema,
  validateStack: (args, report) => {
    const exempt = configOf(args, wildcardSchema).exemptResources;
    const checked = eachAllow(args.resources, exempt, report, (s, i, where, role) => {
      if (s.NotAction !== undefined) report(`${role.name}'s ${where}, statement ${name(s, i)}: NotAction allows everything but the actions it lists; name the actions allowed`, role.urn);
      const broad = asList(s.Action).filter((a): a is string => typeof a === "string" && (a === "*" || /^[a-z0-9-]+:\*$/i.test(a) || a === "*:*"));
      if (broad.length > 0) report(`${role.name}'s ${where}, statement ${name(s, i)}: allows ${broad.join(", ")}; name the actions the program's resources need (bootstrap/permissions.ts)`, role.urn);
    }, (arn, where, role) => {
      const managed = BROAD_MANAGED.find((m) => arn.endsWith(`:policy/${m}`));
      if (managed) report(`${role.name}'s ${where}: ${managed} allows ${managed === "IAMFullAccess" ? "every IAM action" : "every action"}; attach the bootstrap's deploy or preview policies instead`, role.urn);
    });
    if (checked === 0) args.notApplicable("The stack has no role GitHub Actions assumes");
  },
};

/**
 * The role writes that can make a role more than it is, and that IAM lets a policy allow only for roles with
 * a given permissions boundary (the iam:PermissionsBoundary condition key,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 */
const ROLE_WRITES = [
  "CreateRole", "PutRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "DeleteRolePolicy", "PutRolePermissionsBoundary",
  "UpdateAssumeRolePolicy", "UpdateRole", "UpdateRoleDescription", "DeleteRole",
].map((a) => `iam:${a}`);

/** Whether an action pattern of a policy ("iam:Put*", "*") matches `action` (IAM's matching: case-insensitive, * and ?). */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(action);
}

const boundarySchema = schema();

export const githubRoleWritesNeedBoundary: StackValidationPolicy = {
  name: "github-role-writes-need-boundary",
  ...controls(
    "A role GitHub Actions assumes may create or change roles (iam:CreateRole, PutRolePolicy, AttachRolePolicy, ...) only under a condition on iam:PermissionsBoundary: without it, it can make a role with more than its own permissions and use it.",
    { fsbp: "none", checkov: "CKV_AWS_286" },
    "critical",
  ),
  enforcementLevel: "mandatory",
  configSchema: boundarySchema,
  validateStack: (args, report) => {
    const exempt = configOf(args, boundarySchema).exemptResources;
    const checked = eachAllow(args.resources, exempt, report, (s, i, where, role) => {
      const writes = ROLE_WRITES.filter((w) => asList(s.Action).some((a) => typeof a === "string" && matches(a, w)));
      if (writes.length === 0) return;
      const bounded = Object.entries(s.Condition ?? {}).some(([op, keys]) => !/not/i.test(op) && Object.keys(keys ?? {}).some((k) => k.toLowerCase() === "iam:permissionsboundary"));
      if (!bounded) report(`${role.name}'s ${where}, statement ${name(s, i)}: allows ${writes.join(", ")} without a condition on iam:PermissionsBoundary; allow them only with StringEquals iam:PermissionsBoundary = the boundary's ARN`, role.urn);
    });
    if (checked === 0) args.notApplicable("The stack has no role GitHub Actions assumes");
  },
};

export const bootstrapPolicies = [githubOidcTrustExactSubject, githubRoleNoWildcardActions, githubRoleWritesNeedBoundary];
