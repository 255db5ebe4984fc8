// The bootstrap's IAM documents as data (bootstrap/policies.ts): a deploy role that cannot escalate, a preview role
// that only reads, a boundary for every role of the program, trust in exact GitHub subjects, state access by stack.
import assert from "node:assert/strict";
import {
  BOUNDED_ROLE_WRITES, MANAGED_POLICY_LIMIT, PROGRAM_ROLE_PATH, STATE_KEY_ALIAS, boundaryDocument, deployStatements, githubTrustPolicy, iamArns,
  policySize, previewStatements, splitIntoPolicies, stateBucketName, stateStatements, type Statement,
} from "../../bootstrap/policies";
import { UNSCOPED } from "../../bootstrap/permissions";

const A = { partition: "aws", accountId: "210987654321", region: "eu-west-1" };
const arns = iamArns(A);
const deploy = deployStatements(A);
const allows = (statements: Statement[]) => statements.filter((s) => s.Effect === "Allow");

describe("the bootstrap's IAM documents (bootstrap/policies.ts)", () => {
  describe("the deploy role's permissions", () => {
    it("never allow every action, a whole service's (iam:* among them), nor everything but some (NotAction)", () => {
      for (const s of allows([...deploy, ...previewStatements(A)])) {
        assert.ok(!("NotAction" in s), s.Sid);
        for (const a of s.Action) assert.ok(a !== "*" && !/^[a-z0-9-]+:\*$/.test(a), `${s.Sid} allows ${a}`);
      }
    });

    // A role write allowed only when the role carries the given boundary, and the boundary never removed nor its
    // policy changed: IAM's delegation with permissions boundaries,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (CreateOrChangeOnlyWithBoundary,
    // NoBoundaryPolicyEdit, NoBoundaryUserDelete). The writes that take the condition: the Service Authorization
    // Reference for IAM, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
    it("create or change roles only when the role carries the boundary, and only roles under the program's path", () => {
      const writing = allows(deploy).filter((s) => s.Action.some((a) => BOUNDED_ROLE_WRITES.includes(a)));
      assert.equal(writing.length, 1, "one statement holds every role write");
      const [s] = writing;
      assert.deepEqual(s.Condition, { StringEquals: { "iam:PermissionsBoundary": arns.boundary } });
      assert.equal(s.Resource, `arn:aws:iam::${A.accountId}:role${PROGRAM_ROLE_PATH}*`);
      for (const w of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"]) {
        assert.ok(s.Action.includes(w), w);
      }
    });

    it("deny removing any boundary, changing the bootstrap's policies (the boundary is one), and changing its roles", () => {
      const denied = (action: string, resource: string) => deploy.some((s) => s.Effect === "Deny" && s.Action.includes(action) && [s.Resource].flat().some((r) => new RegExp(`^${r.replace(/\*/g, ".*")}$`).test(resource)));
      assert.ok(denied("iam:DeleteRolePermissionsBoundary", "arn:aws:iam::210987654321:role/ecs-ec2-api/web-task-role-1a2b3c4"));
      for (const a of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) assert.ok(denied(a, arns.boundary), a);
      for (const a of ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:TagRole"]) assert.ok(denied(a, "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-deploy-prod"), a);
    });

    // iam:PassRole cannot be limited by the role's tags; its resource and iam:PassedToService can:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    it("pass only the program's roles (by path), only to the services the program hands roles to", () => {
      const passing = allows(deploy).filter((s) => s.Action.includes("iam:PassRole"));
      assert.equal(passing.length, 1);
      assert.equal(passing[0].Resource, arns.programRoles);
      assert.deepEqual(passing[0].Condition, { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "ecs.amazonaws.com", "scheduler.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } });
    });

    it("grant on \"*\" only what IAM cannot scope to a resource, the rest on this account and region", () => {
      for (const s of allows(deploy)) {
        if (s.Resource === "*") for (const a of s.Action) assert.ok(UNSCOPED.has(a), `${a} is granted on * but IAM scopes it`);
        else for (const r of [s.Resource].flat()) assert.match(r, /^arn:aws:[a-z0-9*-]+:(eu-west-1)?:(210987654321|\*)?:/, `${s.Sid}: ${r}`);
      }
    });

    // IAM's managed policies hold at most 6,144 characters, white space not counted:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
    it("fit IAM's managed-policy limit: each document 6144 characters or fewer, every action once, the statements in order", () => {
      const docs = splitIntoPolicies(deploy);
      for (const d of docs) assert.ok(policySize(d) <= MANAGED_POLICY_LIMIT, `${policySize(d)} characters`);
      const flat = (ss: Statement[]) => ss.flatMap((s) => s.Action.map((a) => `${s.Effect} ${a} ${JSON.stringify(s.Resource)} ${JSON.stringify(s.Condition ?? {})}`));
      assert.deepEqual(flat(docs.flatMap((d) => d.Statement)), flat(deploy));
    });
  });

  it("cuts a statement too large for the rest of a document into numbered parts, filling each document first", () => {
    const actions = (n: number, p: string) => Array.from({ length: n }, (_, i) => `ec2:${p}${String(i).padStart(3, "0")}`);
    const statements: Statement[] = [
      { Sid: "Small", Effect: "Allow", Action: actions(3, "A"), Resource: "*" },
      { Sid: "Big", Effect: "Allow", Action: actions(60, "B"), Resource: "*" },
    ];
    const docs = splitIntoPolicies(statements, 600);
    assert.ok(docs.length > 1);
    for (const d of docs) assert.ok(policySize(d) <= 600);
    assert.deepEqual(docs.flatMap((d) => d.Statement.map((s) => s.Sid)), ["Small", ...Array.from({ length: docs.flatMap((d) => d.Statement).length - 1 }, (_, i) => `Big${i + 1}`)]);
    assert.deepEqual(docs.flatMap((d) => d.Statement.flatMap((s) => s.Action)), [...actions(3, "A"), ...actions(60, "B")]);
    assert.equal(docs[0].Statement.length, 2, "the first document takes the start of Big");
  });

  it("the preview role's permissions only read: Describe, Get and List actions", () => {
    for (const s of previewStatements(A)) for (const a of s.Action) assert.match(a, /^[a-z0-9-]+:(Describe|Get|List)/, `${s.Sid}: ${a}`);
  });

  // GitHub's subject claims (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims)
  // and the audience AWS's GitHub role expects (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
  it("trusts GitHub's tokens for exactly the given subjects, with the audience sts.amazonaws.com, compared with StringEquals", () => {
    const trust = githubTrustPolicy(arns.oidcProvider, ["repo:acme/orders-api:pull_request", "repo:acme/orders-api:ref:refs/heads/main"]);
    assert.deepEqual(trust.Statement, [{
      Sid: "GitHubActions",
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": ["repo:acme/orders-api:pull_request", "repo:acme/orders-api:ref:refs/heads/main"] } },
    }]);
  });

  describe("the permissions boundary", () => {
    it("allows what the program's roles need and the applications' actions, and denies every IAM write but passing a job's roles to ECS tasks", () => {
      const b = boundaryDocument(A, ["sqs:SendMessage"]).Statement;
      const allowed = allows(b).flatMap((s) => s.Action);
      for (const a of ["ecs:RegisterContainerInstance", "ecr:BatchGetImage", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "ecs:RunTask", "elasticloadbalancing:ModifyRule", "ssmmessages:OpenDataChannel", "sqs:SendMessage"]) {
        assert.ok(allowed.includes(a), a);
      }
      const deny = b.find((s) => s.Effect === "Deny")!;
      for (const a of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:CreateAccessKey"]) {
        assert.ok(deny.Action.some((p) => new RegExp(`^${p.replace(/\*/g, ".*")}$`).test(a)), `${a} is not denied`);
      }
      const pass = b.find((s) => s.Action.includes("iam:PassRole"))!;
      assert.equal(pass.Resource, arns.programRoles);
      assert.deepEqual(pass.Condition, { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    });
  });

  describe("the state's access", () => {
    const bucket = `arn:aws:s3:::${stateBucketName(A)}`;
    // kms:ResourceAliases names a key by its alias before its ARN exists:
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
    it("lets a deploy role read and write its own stacks' files only, read the stacks it builds on, and use the key by its alias", () => {
      const s = stateStatements(A, "pr-*", ["dev"]);
      const writes = s.find((x) => x.Action.includes("s3:PutObject"))!;
      assert.deepEqual(writes.Resource, [
        `${bucket}/.pulumi/stacks/ecs-ec2-api/pr-*.json*`, `${bucket}/.pulumi/history/ecs-ec2-api/pr-*/*`,
        `${bucket}/.pulumi/backups/ecs-ec2-api/pr-*/*`, `${bucket}/.pulumi/locks/organization/ecs-ec2-api/pr-*/*`,
      ]);
      assert.deepEqual(s.find((x) => x.Sid === "ReadTheStacksItBuildsOn"), { Sid: "ReadTheStacksItBuildsOn", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucket}/.pulumi/stacks/ecs-ec2-api/dev.json*`] });
      const key = s.find((x) => x.Action.includes("kms:GenerateDataKey"))!;
      assert.deepEqual(key.Condition, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": STATE_KEY_ALIAS } });
    });

    it("lets the preview role read every stack's state and decrypt, nothing more", () => {
      const s = stateStatements(A);
      assert.deepEqual(s.flatMap((x) => x.Action).sort(), ["kms:Decrypt", "s3:GetObject", "s3:ListBucket"]);
      assert.equal(s.find((x) => x.Action.includes("s3:GetObject"))!.Resource, `${bucket}/.pulumi/*`);
    });
  });
});
