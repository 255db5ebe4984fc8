// The pack's bootstrap section (policy-pack/policies/bootstrap.ts): the roles GitHub Actions assumes are trusted by
// exact subjects with the audience, allowed no wildcard actions, and write roles only with a boundary.
import assert from "node:assert/strict";
import { githubOidcTrustExactSubject, githubRoleNoWildcardActions, githubRoleWritesNeedBoundary } from "../../policy-pack/policies";
import { resource, verdict, violations } from "./helpers";

const ROLE = "aws:iam/role:Role";
const PROVIDER = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
const HOST = "token.actions.githubusercontent.com";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** A trust policy for GitHub's tokens with the given condition. */
const githubTrust = (Condition: unknown) => doc({ Sid: "GitHubActions", Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition });
const exact = { StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com", [`${HOST}:sub`]: "repo:acme/orders-api:environment:prod" } };

/** A GitHub role with an inline policy (a RolePolicy fed by the role) and an attached managed policy of the stack. */
function githubRole(inline: string, attached?: string) {
  const role = resource(ROLE, "deploy-prod-role", { assumeRolePolicy: githubTrust(exact) });
  const policy = resource("aws:iam/rolePolicy:RolePolicy", "deploy-prod-inline", { role: "ecs-ec2-api-deploy-prod", policy: inline }, { propertyDependencies: { role: [role.urn] } });
  const managed = attached ? resource("aws:iam/policy:Policy", "ci-deploy-1", { policy: attached }) : undefined;
  const attachment = managed
    ? [resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "deploy-prod-policy-1", { role: "ecs-ec2-api-deploy-prod", policyArn: "arn:aws:iam::210987654321:policy/ecs-ec2-api-ci/ecs-ec2-api-deploy-1" },
      { propertyDependencies: { role: [role.urn], policyArn: [managed.urn] } })]
    : [];
  return [role, policy, ...(managed ? [managed] : []), ...attachment];
}

describe("github-oidc-trust-exact-subject", () => {
  // GitHub's subjects (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims)
  // and the audience sts.amazonaws.com with StringEquals on both (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
  it("accepts exact subjects with the audience, and is not applicable to a role GitHub does not assume", async () => {
    assert.deepEqual(await violations(githubOidcTrustExactSubject, [resource(ROLE, "deploy", { assumeRolePolicy: githubTrust(exact) })]), []);
    const v = await verdict(githubOidcTrustExactSubject, [resource(ROLE, "task", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }) })]);
    assert.equal(v.status, "not-applicable");
  });

  it("refuses a wildcard subject (StringLike with *), a missing subject, and a missing audience", async () => {
    const v = await verdict(githubOidcTrustExactSubject, [
      resource(ROLE, "wildcard", { assumeRolePolicy: githubTrust({ StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${HOST}:sub`]: "repo:acme/*" } }) }),
      resource(ROLE, "no-sub", { assumeRolePolicy: githubTrust({ StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com" } }) }),
      resource(ROLE, "no-aud", { assumeRolePolicy: githubTrust({ StringEquals: { [`${HOST}:sub`]: "repo:acme/orders-api:pull_request" } }) }),
    ]);
    assert.deepEqual(v.violations.map((x) => `${x.resourceName}: ${x.message}`), [
      "wildcard: statement GitHubActions admits a wildcard subject (StringLike \"repo:acme/*\"): name each subject exactly with StringEquals, e.g. repo:<owner>/<repo>:environment:<env>",
      `no-sub: statement GitHubActions trusts GitHub's OIDC tokens without a subject condition StringEquals ${HOST}:sub: any workflow of any repository could assume the role`,
      `no-aud: statement GitHubActions trusts GitHub's OIDC tokens without the audience condition StringEquals ${HOST}:aud = sts.amazonaws.com`,
    ]);
  });
});

describe("github-role-no-wildcard-actions", () => {
  it("accepts named actions in a GitHub role's inline and attached policies", async () => {
    assert.deepEqual(await violations(githubRoleNoWildcardActions, githubRole(doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }), doc({ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }))), []);
  });

  it("refuses \"*\", a whole service (iam:*), NotAction, and AdministratorAccess", async () => {
    const found = await violations(githubRoleNoWildcardActions, [
      ...githubRole(doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }), doc({ Sid: "Iam", Effect: "Allow", Action: ["iam:*", "s3:GetObject"], Resource: "*" }, { Sid: "AllBut", Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "ecs-ec2-api-deploy-prod", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        { propertyDependencies: { role: ["urn:pulumi:test::ecs-ec2-api::aws:iam/role:Role::deploy-prod-role"] } }),
    ]);
    assert.deepEqual(found, [
      "deploy-prod-role's policy deploy-prod-inline, statement All: allows *; name the actions the program's resources need (bootstrap/permissions.ts)",
      "deploy-prod-role's policy ci-deploy-1 (attached by deploy-prod-policy-1), statement Iam: allows iam:*; name the actions the program's resources need (bootstrap/permissions.ts)",
      "deploy-prod-role's policy ci-deploy-1 (attached by deploy-prod-policy-1), statement AllBut: NotAction allows everything but the actions it lists; name the actions allowed",
      "deploy-prod-role's managed policy arn:aws:iam::aws:policy/AdministratorAccess (attached by admin): AdministratorAccess allows every action; attach the bootstrap's deploy or preview policies instead",
    ]);
  });
});

describe("github-role-writes-need-boundary", () => {
  // Role writes allowed only with a condition on iam:PermissionsBoundary:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  it("accepts role writes under a condition on iam:PermissionsBoundary", async () => {
    const bounded = doc({ Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: "*", Condition: { StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::210987654321:policy/b" } } });
    assert.deepEqual(await violations(githubRoleWritesNeedBoundary, githubRole(bounded)), []);
  });

  it("refuses role writes without it, named or matched by a wildcard, and under a negated condition", async () => {
    const found = await violations(githubRoleWritesNeedBoundary, githubRole(
      doc({ Sid: "Create", Effect: "Allow", Action: ["iam:CreateRole", "iam:GetRole"], Resource: "*" }),
      doc({ Sid: "Puts", Effect: "Allow", Action: "iam:Put*", Resource: "*" }, { Sid: "Not", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "*", Condition: { StringNotEquals: { "iam:PermissionsBoundary": "x" } } }),
    ));
    assert.deepEqual(found.map((m) => m.replace(/ without .*/, "")), [
      "deploy-prod-role's policy deploy-prod-inline, statement Create: allows iam:CreateRole",
      "deploy-prod-role's policy ci-deploy-1 (attached by deploy-prod-policy-1), statement Puts: allows iam:PutRolePolicy, iam:PutRolePermissionsBoundary",
      "deploy-prod-role's policy ci-deploy-1 (attached by deploy-prod-policy-1), statement Not: allows iam:AttachRolePolicy",
    ]);
  });
});
