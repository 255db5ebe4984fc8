// The team's own stacks: whatever Pulumi.<stack>.yaml files the repository holds, each is checked only for
// what must hold for any stack, never for its values. A team renames its service, adds services, jobs or a
// stack, drops staging or moves dev into its own VPC, and these still hold: tools/adoption-check.ts runs
// this file over copies of the stacks with exactly those edits (STACK_DIRS). The program's behaviour is
// tested on tests/fixtures/stacks/.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { describePlaceholders, parseStackConfig } from "../../config";
import { listStacks, readStackConfig, ROOT } from "../../config/stack-files";
import { evaluatePolicies, mandatoryFailures, resolvePackConfig } from "../../plan/policies";
import { policies } from "../../policy-pack/policies";
import { providerProblems } from "../../plan/provider-check";
import { resourceEntries } from "../../plan/report";
import { runProgram } from "../../plan-project";
import { defaultPackConfig } from "../../plan/stack-plan";
import { baselineFile, lostUrns, readBaseline } from "../../tools/urns";
import { filledIn, recordStack, runPlan, teamStackDirs } from "../helpers";
import main = require("../../index");

for (const dir of teamStackDirs()) {
  const where = dir === ROOT ? "" : ` in ${path.basename(dir)}`;
  const packConfigs = path.join(dir, "policy-pack", "config");
  it(`every pack config${where} (policy-pack/config/*.json) names only the pack's policies, properties and levels`, () => {
    const files = fs.existsSync(packConfigs) ? fs.readdirSync(packConfigs).filter((f) => f.endsWith(".json")) : [];
    for (const file of files) assert.doesNotThrow(() => resolvePackConfig(policies, JSON.parse(fs.readFileSync(path.join(packConfigs, file), "utf8"))), file);
  });

  for (const stack of listStacks(dir)) {
    describe(`the stack ${stack} (Pulumi.${stack}.yaml${where})`, () => {
      const committed = readStackConfig(stack, dir);
      const plan = (...argv: string[]) => runPlan("--stacks-dir", dir, stack, ...argv);
      const preview = plan("--json").then((r) => ({ ...r, report: r.out ? JSON.parse(r.out) : undefined }));

      it("has a valid configuration", () => {
        assert.doesNotThrow(() => parseStackConfig(committed, { rootDir: ROOT }));
      });

      it("plans clean as `pulumi preview` would run it (npm run plan exits 0)", async () => {
        const { code, err, report } = await preview;
        assert.equal(code, 0, err || JSON.stringify({ policies: report?.policies?.filter((p: { status: string }) => p.status === "fail"), provider: report?.providerRules }));
      });

      it("sends nothing the AWS provider refuses, and passes every mandatory policy of its pack config", async () => {
        const { report } = await preview;
        assert.deepEqual(report.providerRules.problems, []);
        assert.deepEqual(report.policies.filter((p: { status: string; enforcementLevel: string }) => p.status === "fail" && p.enforcementLevel === "mandatory").map((p: { policy: string }) => p.policy), []);
      });

      it("warns about each placeholder in preview, and `--up` refuses them before the program runs", async () => {
        const { report } = await preview;
        const placeholders = describePlaceholders(parseStackConfig(committed, { rootDir: ROOT }).placeholders);
        for (const p of placeholders) assert.ok(report.warnings.some((w: string) => w.startsWith(p)), `preview warns: ${p}`);
        const up = await plan("--up");
        if (placeholders.length === 0) {
          assert.equal(up.code, 0, up.err);
        } else {
          assert.equal(up.code, 1);
          for (const p of placeholders) assert.ok(up.err.includes(p), `--up names: ${p}`);
        }
      });

      it("as `pulumi up` would run it, once its placeholders hold real values: nothing the provider refuses, every mandatory policy passing", async function () {
        // A placeholder the test cannot fill is the team's to fill; `--up` refuses it (the test above).
        if (parseStackConfig(filledIn(committed), { rootDir: ROOT }).placeholders.length > 0) this.skip();
        const g = await recordStack(stack, {}, false, dir);
        assert.deepEqual(providerProblems(resourceEntries(g)), []);
        const failures = mandatoryFailures(await evaluatePolicies(g.recording, defaultPackConfig(dir, stack)));
        assert.deepEqual(failures.map((v) => [v.policy, v.violations.map((x) => x.message)]), []);
      });

      const baseline = readBaseline(stack, dir);
      if (baseline) {
        it(`keeps every resource of its recorded baseline (${path.relative(dir, baselineFile(stack, dir))}): each URN planned, itself or through an alias`, async () => {
          const recording = await runProgram(main, { stack, config: committed, preview: true });
          assert.deepEqual(lostUrns(recording, baseline.urns), [], "the next `pulumi up` would delete these and create them anew: add an alias, or record the baseline again on purpose (npm run urns)");
        });
      } else if (dir === ROOT) {
        it(`has no baseline of resource identities yet: record one once the stack is deployed (npm run urns -- ${stack})`);
      }
    });
  }
}
