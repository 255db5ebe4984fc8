// The offline plan of another project of the repository (npm run plan -- --project bootstrap <stack>): its own
// Pulumi.yaml, namespace, stack files, program and lookups (bootstrap/plan-project.ts).
import assert from "node:assert/strict";
import * as path from "path";
import { listStacks, ROOT } from "../../config/stack-files";
import { UsageError } from "../../plan/args";
import { FIXTURES, planBootstrap } from "./helpers";

describe("the offline plan of the bootstrap (--project bootstrap)", () => {
  it("plans the committed example: exit 0, every mandatory policy passing, the bootstrap's own policies judged", async () => {
    const { code, out } = await planBootstrap("example");
    assert.equal(code, 0, out);
    assert.match(out, /^Plan of stack example of project ecs-ec2-api-bootstrap \(/);
    for (const p of ["github-oidc-trust-exact-subject", "github-role-no-wildcard-actions", "github-role-writes-need-boundary"]) assert.match(out, new RegExp(`\\n  pass  ${p} \\(mandatory\\)\\n`), p);
  });

  it("qualifies --config keys with the project's own namespace and carries the project in --json", async () => {
    const { code, out } = await planBootstrap("--stacks-dir", FIXTURES, "acme", "--json", "--config", "environments=[\"review\"]");
    assert.equal(code, 0, out);
    const report = JSON.parse(out);
    assert.equal(report.project, "ecs-ec2-api-bootstrap");
    assert.deepEqual(Object.keys(report.settings).filter((s) => s.startsWith("deploy role")), ["deploy role review"]);
  });

  it("refuses a folder that is not a project, and a stack the project does not have, listing its own", async () => {
    await assert.rejects(planBootstrap("--project", "tests", "small"), (e) => e instanceof UsageError && /--project tests: .*tests has no Pulumi\.yaml/.test(e.message));
    // The stacks listed are whatever the folder holds: the example, and each account a team copied it to.
    const own = listStacks(path.join(ROOT, "bootstrap")).join(", ");
    await assert.rejects(planBootstrap("nowhere"), (e) => e instanceof UsageError && e.message.endsWith(`no stack file Pulumi.nowhere.yaml in bootstrap; stacks: ${own}`));
  });
});
