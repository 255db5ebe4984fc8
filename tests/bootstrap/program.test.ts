// The bootstrap as `pulumi up` would register it (bootstrap/index.ts) for the fixture accounts: the OIDC provider,
// a deploy role per environment, the preview role, the boundary, the state backend, and the pack's verdict.
import assert from "node:assert/strict";
import { Graph, ProgramError, runProgram } from "../../plan/mock-engine";
import bootstrap = require("../../bootstrap/index");
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { BOUNDARY_NAME, CI_PATH, MANAGED_POLICY_LIMIT, STATE_KEY_ALIAS, iamArns } from "../../bootstrap/policies";
import { BACKEND_META } from "../../bootstrap/components/state-backend";
import { fixtureConfig, recordBootstrap } from "./helpers";

const ROLE = "aws:iam/role:Role";
const trustOf = (g: Graph, name: string) => JSON.parse(String(g.named(`${name}-role`, ROLE).inputs.assumeRolePolicy)).Statement[0];

describe("the bootstrap of an account (bootstrap/index.ts)", () => {
  describe("acme: dev and review stacks, the state backend, its own GitHub provider", () => {
    let g: Graph;
    before(async () => { g = await recordBootstrap("acme", fixtureConfig("acme")); });

    it("creates GitHub's OIDC provider with the audience sts.amazonaws.com", () => {
      const p = g.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
      assert.deepEqual({ url: p.inputs.url, clientIdLists: p.inputs.clientIdLists }, { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
    });

    it("gives each environment a deploy role trusted by exactly that environment's jobs, for sessions as long as configured, after the provider exists", () => {
      const provider = g.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
      for (const env of ["dev", "review"]) {
        const role = g.named(`deploy-${env}-role`, ROLE);
        assert.equal(role.inputs.name, `ecs-ec2-api-deploy-${env}`);
        assert.equal(role.inputs.path, CI_PATH);
        assert.equal(role.inputs.maxSessionDuration, 10800);
        assert.ok(role.dependencies.includes(provider.urn), `${role.name} waits for the provider`);
        const t = trustOf(g, `deploy-${env}`);
        assert.equal(t.Principal.Federated, iamArns({ partition: "aws", accountId: "210987654321" }).oidcProvider);
        assert.deepEqual(t.Condition, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": `repo:acme/orders-api:environment:${env}` } });
      }
      assert.equal(g.ofType(ROLE).length, 4, "two deploy roles, the preview role and the host-image role");
    });

    // review-stack.yml reads dev's outputs (the network a review stack goes into) in the environment review.
    it("lets the review role write the review stacks' state and read dev's, the stack they go into", () => {
      const s = JSON.parse(String(g.named("deploy-review-pulumi-state").inputs.policy)).Statement;
      const bucket = "arn:aws:s3:::ecs-ec2-api-state-210987654321-eu-west-1";
      assert.ok(s.find((x: { Sid: string }) => x.Sid === "ReadAndWriteItsStacks").Resource.includes(`${bucket}/.pulumi/stacks/ecs-ec2-api/pr-*.json*`));
      assert.deepEqual(s.find((x: { Sid: string }) => x.Sid === "ReadTheStacksItBuildsOn").Resource, [`${bucket}/.pulumi/stacks/ecs-ec2-api/dev.json*`]);
      assert.equal(JSON.parse(String(g.named("deploy-dev-pulumi-state").inputs.policy)).Statement.some((x: { Sid: string }) => x.Sid === "ReadTheStacksItBuildsOn"), false);
    });

    it("trusts the preview role to pull requests and main, and gives it reads only and the state's read", () => {
      assert.deepEqual(trustOf(g, "preview").Condition.StringEquals["token.actions.githubusercontent.com:sub"], ["repo:acme/orders-api:pull_request", "repo:acme/orders-api:ref:refs/heads/main"]);
      const inline = JSON.parse(String(g.named("preview-pulumi-state").inputs.policy)).Statement;
      assert.deepEqual(inline.flatMap((s: { Action: string[] }) => s.Action).sort(), ["kms:Decrypt", "s3:GetObject", "s3:ListBucket"]);
    });

    // The host-image workflow (.github/workflows/host-image.yml) runs on main by schedule or by hand, and reads
    // ssm:GetParameter of AWS's public recommended-image parameters (Amazon ECS Developer Guide, "Retrieving Amazon
    // ECS-optimized Linux AMI metadata"): its role may do that alone.
    it("trusts the host-image role to main only, and lets it read the two recommended-image parameters and nothing else", () => {
      assert.equal(g.named("host-image-role", ROLE).inputs.name, "ecs-ec2-api-host-image");
      assert.equal(trustOf(g, "host-image").Condition.StringEquals["token.actions.githubusercontent.com:sub"], "repo:acme/orders-api:ref:refs/heads/main");
      assert.deepEqual(JSON.parse(String(g.named("host-image-recommended-ecs-images").inputs.policy)).Statement, [{
        Sid: "RecommendedEcsImages", Effect: "Allow", Action: ["ssm:GetParameter"],
        Resource: ["arn:aws:ssm:eu-west-1::parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended", "arn:aws:ssm:eu-west-1::parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended"],
      }]);
      assert.equal(g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("host-image-")).length, 0, "no managed policy");
    });

    it("attaches the same deploy policies to every deploy role, each within IAM's size limit", () => {
      const policies = g.ofType("aws:iam/policy:Policy").filter((p) => /^ci-deploy-\d+$/.test(p.name));
      assert.ok(policies.length >= 1);
      for (const p of policies) assert.ok(String(p.inputs.policy).length <= MANAGED_POLICY_LIMIT, `${p.name}: ${String(p.inputs.policy).length} characters`);
      for (const env of ["dev", "review"]) {
        const attached = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`deploy-${env}-policy-`));
        assert.deepEqual(attached.map((a) => g.depsOf(a, "policyArn")[0].name).sort(), policies.map((p) => p.name).sort());
      }
    });

    it("creates the boundary the program's roles carry, with the applications' actions, and exports its ARN", () => {
      const b = g.named("ci-boundary", "aws:iam/policy:Policy");
      assert.deepEqual({ name: b.inputs.name, path: b.inputs.path }, { name: BOUNDARY_NAME, path: CI_PATH });
      assert.ok(String(b.inputs.policy).includes("sqs:SendMessage"));
      assert.equal(g.recording.outputs.permissionsBoundaryArn, `arn:aws:iam::210987654321:policy${CI_PATH}${BOUNDARY_NAME}`);
    });

    it("keeps the state in a bucket and a key that are protected and kept on destroy: versioned, KMS-encrypted, private, TLS only, the key rotating", () => {
      const key = g.one("aws:kms/key:Key");
      const bucket = g.one("aws:s3/bucket:Bucket");
      for (const r of [key, bucket]) assert.deepEqual({ protect: r.options.protect, retainOnDelete: r.options.retainOnDelete }, { protect: true, retainOnDelete: true }, r.name);
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(g.one("aws:kms/alias:Alias").inputs.name, STATE_KEY_ALIAS);
      assert.equal(bucket.inputs.bucket, "ecs-ec2-api-state-210987654321-eu-west-1");
      assert.equal(g.one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status, "Enabled");
      const sse = g.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules[0].applyServerSideEncryptionByDefault;
      assert.equal(sse.sseAlgorithm, "aws:kms");
      const pab = g.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
      assert.deepEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
      assert.equal(g.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule.objectOwnership, "BucketOwnerEnforced");
      const tls = JSON.parse(String(g.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)).Statement[0];
      assert.deepEqual({ Effect: tls.Effect, Condition: tls.Condition }, { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    // A self-managed backend writes .pulumi/meta.yaml at its first login if the bucket lacks it
    // (pulumi/pulumi pkg/backend/diy/meta.go, ensurePulumiMeta): a read-only preview role could not.
    it("writes the backend's layout file, so that the preview role can log in before the first deploy", () => {
      const meta = g.one("aws:s3/bucketObjectv2:BucketObjectv2");
      assert.deepEqual({ key: meta.inputs.key, content: meta.inputs.content }, BACKEND_META);
    });

    it("exports the login, the secrets provider, and the variables each GitHub environment and the repository read", () => {
      const o = g.recording.outputs;
      assert.equal(o.backendUrl, "s3://ecs-ec2-api-state-210987654321-eu-west-1?region=eu-west-1");
      assert.equal(o.secretsProvider, "awskms://alias/ecs-ec2-api-state?region=eu-west-1");
      assert.deepEqual(o.github, {
        repository: {
          AWS_REGION: "eu-west-1", AWS_PREVIEW_ROLE_ARN_DEV: "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-preview",
          AWS_HOST_IMAGE_ROLE_ARN: "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-host-image", PULUMI_BACKEND_URL: o.backendUrl,
        },
        environments: {
          dev: { AWS_ROLE_ARN: "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-deploy-dev" },
          review: { AWS_ROLE_ARN: "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-deploy-review" },
        },
      });
    });

    it("passes every mandatory policy of the pack, its bootstrap section among them", async () => {
      const verdicts = await evaluatePolicies(g.recording);
      assert.deepEqual(mandatoryFailures(verdicts).map((v) => v.policy), []);
      for (const p of ["github-oidc-trust-exact-subject", "github-role-no-wildcard-actions", "github-role-writes-need-boundary"]) {
        assert.equal(verdicts.find((v) => v.policy === p)?.status, "pass", p);
      }
    });
  });

  describe("acme-prod: prod alone, an existing GitHub provider, state in Pulumi Cloud", () => {
    let g: Graph;
    before(async () => { g = await recordBootstrap("acme-prod", fixtureConfig("acme-prod")); });

    it("creates no provider: the roles trust the existing one, looked up first", () => {
      assert.equal(g.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
      assert.equal(trustOf(g, "deploy-prod").Principal.Federated, "arn:aws:iam::310987654321:oidc-provider/token.actions.githubusercontent.com");
      assert.deepEqual(g.recording.invokes.map((i) => i.token), ["aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider"]);
    });

    it("refuses an existing provider that does not accept the audience sts.amazonaws.com, before any resource", async () => {
      const arn = "arn:aws:iam::310987654321:oidc-provider/token.actions.githubusercontent.com";
      const project = {
        name: "ecs-ec2-api-bootstrap",
        account: () => ({ accountId: "310987654321", invoke: () => ({ arn, id: arn, url: "token.actions.githubusercontent.com", clientIdLists: ["sigstore"], thumbprintLists: [], tags: {} }) }),
      };
      const error = await runProgram(bootstrap, { project, stack: "acme-prod", config: fixtureConfig("acme-prod") }).then(() => undefined, (e) => e);
      assert.ok(error instanceof ProgramError, String(error));
      assert.match(error.message, /oidcProviderArn = .* is not allowed: its audiences \(client ids\) are sigstore, without sts\.amazonaws\.com/);
      assert.deepEqual(error.recording.resources.filter((r: { custom: boolean }) => r.custom), []);
    });

    it("creates no bucket nor key, and gives the roles no state access", () => {
      assert.equal(g.ofType("aws:s3/bucket:Bucket").length + g.ofType("aws:kms/key:Key").length, 0);
      assert.deepEqual(g.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => p.name), ["host-image-recommended-ecs-images"], "the host-image role's read is the only inline policy");
      assert.equal(g.recording.outputs.backendUrl, undefined);
    });
  });
});
