// bootstrap/gh-settings.mjs: the bootstrap's outputs as the exact `gh` (and `pulumi`) commands a team runs to set
// its repository up, under the names .github/workflows/*.yml read.
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { showValue } from "../../plan/report";
import { BOOTSTRAP_DIR, FIXTURES, fixtureConfig, planBootstrap, recordBootstrap } from "./helpers";

const SCRIPT = path.join(BOOTSTRAP_DIR, "gh-settings.mjs");
const run = (input: unknown) => spawnSync(process.execPath, [SCRIPT], { input: JSON.stringify(input), encoding: "utf8" });
const outputsOf = async (name: string) => showValue((await recordBootstrap(name, fixtureConfig(name))).recording.outputs) as Record<string, unknown>;

describe("the GitHub settings from the bootstrap's outputs (bootstrap/gh-settings.mjs)", () => {
  it("prints, from `pulumi stack output --json`, each environment's creation and AWS_ROLE_ARN, the repository's variables, and the stacks' settings", async () => {
    const r = run(await outputsOf("acme"));
    assert.equal(r.status, 0, r.stderr);
    const commands = r.stdout.split("\n").filter((l) => l && !l.startsWith("#"));
    const dev = "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-deploy-dev";
    const review = "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-deploy-review";
    const preview = "arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-preview";
    const backend = "'s3://ecs-ec2-api-state-210987654321-eu-west-1?region=eu-west-1'";
    assert.deepEqual(commands, [
      "gh api --method PUT repos/acme/orders-api/environments/dev -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'",
      "gh api --method POST repos/acme/orders-api/environments/dev/deployment-branch-policies -f name=main -f type=branch",
      "gh api --method PUT repos/acme/orders-api/environments/review",
      `gh variable set AWS_ROLE_ARN --repo acme/orders-api --env dev --body ${dev}`,
      `gh variable set AWS_ROLE_ARN --repo acme/orders-api --env review --body ${review}`,
      "gh variable set AWS_REGION --repo acme/orders-api --body eu-west-1",
      `gh variable set AWS_PREVIEW_ROLE_ARN_DEV --repo acme/orders-api --body ${preview}`,
      "gh variable set AWS_HOST_IMAGE_ROLE_ARN --repo acme/orders-api --body arn:aws:iam::210987654321:role/ecs-ec2-api-ci/ecs-ec2-api-host-image",
      `gh variable set PULUMI_BACKEND_URL --repo acme/orders-api --body ${backend}`,
      `pulumi login ${backend}`,
      "pulumi stack init dev --secrets-provider 'awskms://alias/ecs-ec2-api-state?region=eu-west-1'",
      "pulumi config set --stack dev ecs-ec2-api:permissionsBoundaryArn arn:aws:iam::210987654321:policy/ecs-ec2-api-ci/ecs-ec2-api-boundary",
    ]);
    assert.match(r.stdout, /# Secrets: none\./);
  });

  it("asks for the Pulumi Cloud tokens as secrets when the account keeps no state of its own", async () => {
    const r = run(await outputsOf("acme-prod"));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").filter((l) => l.startsWith("gh secret")), [
      "gh secret set PULUMI_ACCESS_TOKEN --repo acme/orders-api --env prod",
      "gh secret set PULUMI_PREVIEW_ACCESS_TOKEN --repo acme/orders-api",
    ]);
    assert.doesNotMatch(r.stdout, /PULUMI_BACKEND_URL|stack init/);
  });

  it("reads a plan's --json as well (its outputs)", async () => {
    const outputs = await outputsOf("acme");
    assert.equal(run({ stack: "acme", resources: [], outputs }).stdout, run(outputs).stdout);
  });

  it("refuses outputs that are not known yet (a plan as preview) or not the bootstrap's, printing no command", () => {
    const preview = run({ githubRepository: "acme/orders-api", permissionsBoundaryArn: "(known after up)", github: {} });
    assert.equal(preview.status, 1);
    assert.match(preview.stderr, /values known only after `pulumi up`/);
    const other = run({ url: "http://x" });
    assert.equal(other.status, 1);
    assert.match(other.stderr, /no output githubRepository: these are not the bootstrap's outputs/);
    assert.equal(other.stdout + preview.stdout, "");
  });

  it("says a plan refused before it ran (--up over placeholders) has no outputs, naming the placeholders to fill in", async () => {
    const { code, out } = await planBootstrap("--stacks-dir", FIXTURES, "acme", "--up", "--json", "--config", "githubRepository=your-org/ecs-ec2-api");
    assert.equal(code, 1);
    const r = run(JSON.parse(out));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the plan was refused before it ran, so it has no outputs; fill in its placeholders first:\n {2}ecs-ec2-api-bootstrap:githubRepository = "your-org\/ecs-ec2-api" is a placeholder/);
    assert.equal(r.stdout, "");
  });

  it("names each stack's preview role variable as the workflows read it (.ci/preview-role.mjs)", async () => {
    const { ownVariable } = await import(path.join(BOOTSTRAP_DIR, "..", ".ci", "preview-role.mjs"));
    const outputs = (await recordBootstrap("acme", fixtureConfig("acme", { environments: JSON.stringify(["dev", "pre.prod", "review"]) }))).recording.outputs;
    assert.deepEqual(Object.keys(outputs.github.repository).filter((k) => k.startsWith("AWS_PREVIEW_ROLE_ARN")), [ownVariable("dev"), ownVariable("pre.prod")]);
  });

  it("quotes for the shell only what needs it", async () => {
    const { quote } = await import(SCRIPT);
    assert.deepEqual(["arn:aws:iam::1:role/x", "s3://b?region=r", "it's"].map(quote), ["arn:aws:iam::1:role/x", "'s3://b?region=r'", "'it'\\''s'"]);
  });
});
