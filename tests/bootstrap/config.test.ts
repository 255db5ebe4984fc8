// The bootstrap's config (bootstrap/config.ts, bootstrap/Pulumi.yaml): what it declares, how the CLI loads the
// project, and the errors that name the key, the value and what is allowed, all before any resource.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { BOOTSTRAP_SCHEMA, parseBootstrapConfig } from "../../bootstrap/config";
import { listStacks } from "../../config/stack-files";
import { ConfigError } from "../../config/types";
import { ProgramError } from "../../plan/mock-engine";
import { BOOTSTRAP_DIR, fixtureConfig, recordBootstrap } from "./helpers";
import { FIXTURES as PROGRAM_FIXTURES } from "../helpers";

/** The problems parseBootstrapConfig reports for the acme fixture with `overrides`. */
function problems(overrides: Record<string, string | undefined>): string[] {
  try {
    parseBootstrapConfig(fixtureConfig("acme", overrides));
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("the bootstrap's config", () => {
  it("is declared in bootstrap/Pulumi.yaml exactly as config.ts reads it: the keys, their types, defaults (none: required)", () => {
    const declared = (yaml.load(fs.readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> }).config;
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(BOOTSTRAP_SCHEMA).sort());
    for (const [key, spec] of Object.entries(BOOTSTRAP_SCHEMA)) {
      assert.deepEqual({ type: declared[key].type, items: declared[key].items, default: declared[key].default, description: declared[key].description },
        { type: spec.type, items: spec.items, default: spec.default, description: spec.description }, key);
    }
  });

  it("is documented in docs/bootstrap.md: each key with its type and default", () => {
    const docs = fs.readFileSync(path.join(BOOTSTRAP_DIR, "..", "docs", "bootstrap.md"), "utf8");
    for (const [key, spec] of Object.entries(BOOTSTRAP_SCHEMA)) {
      const shown = spec.default === undefined ? "(required)" : `\`${Array.isArray(spec.default) ? `[${spec.default.join(", ")}]` : spec.default === "" ? "''" : spec.default}\``;
      const type = spec.type === "array" ? "list" : spec.type;
      assert.ok(docs.includes(`| \`${key}\` | ${type} | ${shown} |`), `docs/bootstrap.md's config table lacks or misstates ${key}`);
    }
  });

  // Without `main`, the Node.js host runs the program its package.json names, searched upward from the project's
  // folder: the repository's (pulumi/pulumi sdk/nodejs/cmd/run/run.ts, npmPackageRootFromProgramPath). cmd/run
  // takes noCheck and the module settings from the tsconfig's own compilerOptions, not from one it extends.
  it("runs its own index.ts as the CLI loads it: Pulumi.yaml names main, its tsconfig states noCheck and CommonJS", () => {
    const project = yaml.load(fs.readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.yaml"), "utf8")) as { main: string; runtime: { options: { tsconfig: string } } };
    assert.equal(project.main, "index.ts");
    assert.ok(fs.existsSync(path.join(BOOTSTRAP_DIR, project.main)));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(BOOTSTRAP_DIR, project.runtime.options.tsconfig), "utf8").replace(/^\s*\/\/.*$/gm, ""));
    assert.deepEqual({ noCheck: tsconfig.compilerOptions.noCheck, module: tsconfig.compilerOptions.module }, { noCheck: true, module: "commonjs" });
  });

  it("reads a fixture stack: the repository, the environments in order, the pinned account, the state backend, the session", () => {
    const c = parseBootstrapConfig(fixtureConfig("acme"), PROGRAM_FIXTURES);
    assert.deepEqual(
      { repo: c.repository.full, environments: c.environments, account: c.accountId, region: c.region, state: c.createStateBackend, session: c.deployRoleMaxSessionSeconds, placeholders: c.placeholders },
      { repo: "acme/orders-api", environments: ["dev", "review"], account: "210987654321", region: "eu-west-1", state: true, session: 10800, placeholders: [] },
    );
  });

  it("refuses a repository that is not owner/repo, naming the key, the value and the form", () => {
    for (const bad of ["acme", "acme/orders/api", "-acme/orders-api", "acme/orders-api.git", "acme/.."]) {
      assert.deepEqual(problems({ githubRepository: bad }), [`ecs-ec2-api-bootstrap:githubRepository = ${JSON.stringify(bad)} is not allowed: owner/repo as GitHub spells it, e.g. acme/orders-api: the owner 1..39 letters, digits and single inner hyphens; the repository 1..100 letters, digits, '.', '-' and '_', without .git`], bad);
    }
    assert.match(problems({ githubRepository: undefined }).join("\n"), /githubRepository is not set/);
  });

  it("refuses an environment a stack could not be named, and one listed twice", () => {
    assert.deepEqual(problems({ environments: JSON.stringify(["dev", "pre prod"]) }), [
      "ecs-ec2-api-bootstrap:environments = \"[\\\"dev\\\",\\\"pre prod\\\"]\" is not allowed: names of 1..40 letters, digits, '-', '_' and '.' (a stack's name, which a role's name carries); \"pre prod\" is not one",
    ]);
    assert.match(problems({ environments: JSON.stringify(["dev", "dev"]) }).join("\n"), /each environment once; dev is listed twice/);
    assert.match(problems({ environments: "[]" }).join("\n"), /environments = "\[\]" is not allowed: at least one GitHub environment/);
  });

  it("warns of an environment no stack of the program has, with the one likely meant, and not of review", () => {
    const c = parseBootstrapConfig(fixtureConfig("acme", { environments: JSON.stringify(["smal", "review"]) }), PROGRAM_FIXTURES);
    assert.deepEqual(c.warnings, [
      `ecs-ec2-api-bootstrap:environments: smal is no stack of the program (${listStacks(PROGRAM_FIXTURES).map((s) => `Pulumi.${s}.yaml`).join(", ")}) (did you mean small?): its deploy role is trusted by a GitHub environment no deploy runs in until Pulumi.smal.yaml exists`,
    ]);
    assert.deepEqual(parseBootstrapConfig(fixtureConfig("acme", { environments: JSON.stringify(["small", "review"]) }), PROGRAM_FIXTURES).warnings, []);
  });

  // MaxSessionDuration: 3600 to 43200 seconds (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html);
  // the deploy job's default 120 minutes needs 7200 (.github/workflows/deploy-stack.yml).
  it("refuses a deploy session shorter than the deploy job's 120 minutes or longer than IAM's 43200 s", () => {
    for (const bad of ["3600", "43201"]) assert.match(problems({ deployRoleMaxSessionSeconds: bad }).join("\n"), /deployRoleMaxSessionSeconds = "\d+" is not allowed: an integer from 7200 .* to 43200/, bad);
    assert.deepEqual(problems({ deployRoleMaxSessionSeconds: "43200" }), []);
  });

  it("refuses an OIDC provider ARN that is not GitHub's, or that is another account's", () => {
    assert.match(problems({ oidcProviderArn: "arn:aws:iam::210987654321:oidc-provider/gitlab.com" }).join("\n"), /oidcProviderArn = .* is not allowed: empty \(the bootstrap creates the provider\), or the ARN of the account's GitHub OIDC provider/);
    assert.match(problems({ oidcProviderArn: "arn:aws:iam::310987654321:oidc-provider/token.actions.githubusercontent.com" }).join("\n"), /a provider of this stack's account 210987654321/);
  });

  it("refuses application actions of identity or the account, and whole services", () => {
    assert.match(problems({ applicationActions: JSON.stringify(["iam:PassRole"]) }).join("\n"), /applicationActions = .* is not allowed: actions of services other than iam, sts, organizations, account: .*\(iam:PassRole\)/);
    for (const bad of ["*", "s3:*", "sqs"]) assert.match(problems({ applicationActions: JSON.stringify([bad]) }).join("\n"), /never \* nor a whole service/, bad);
    assert.deepEqual(problems({ applicationActions: JSON.stringify(["s3:Get*", "dynamodb:Query"]) }), []);
  });

  it("requires the one account the stack file is for (aws:allowedAccountIds)", () => {
    assert.match(problems({ "aws:allowedAccountIds": undefined }).join("\n"), /aws:allowedAccountIds is not set/);
    assert.match(problems({ "aws:allowedAccountIds": JSON.stringify(["210987654321", "310987654321"]) }).join("\n"), /exactly one 12-digit account id/);
  });

  it("reports every problem at once, and the program fails on them before it registers anything", async () => {
    assert.equal(problems({ githubRepository: "acme", environments: JSON.stringify(["q a"]), deployRoleMaxSessionSeconds: "60" }).length, 3);
    const error = await recordBootstrap("bad", fixtureConfig("acme", { environments: JSON.stringify(["q a"]) })).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, String(error));
    assert.match(error.message, /environments = .* is not allowed/);
    assert.deepEqual(error.recording.resources.filter((r: { custom: boolean }) => r.custom), []);
  });

  it("warns of placeholders in preview, and `up` refuses them before any resource", async () => {
    const placeholders = fixtureConfig("acme", { githubRepository: "your-org/ecs-ec2-api", "aws:allowedAccountIds": JSON.stringify(["111122223333"]) });
    const preview = await recordBootstrap("example", placeholders, true);
    assert.equal(preview.recording.warnings.filter((w) => /is a placeholder/.test(w)).length, 2);
    const error = await recordBootstrap("example", placeholders).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError);
    assert.match(error.message, /placeholders, which `pulumi up` refuses/);
    assert.deepEqual(error.recording.resources.filter((r: { custom: boolean }) => r.custom), []);
  });
});
