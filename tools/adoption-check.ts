/**
 * Do the tests survive a team's adoption of the program? Copies the repository (its files as they are in
 * the work tree, tracked or new, not ignored) to a temporary folder, applies the adoption edits
 * (tests/fixtures/adoption-edits.ts) to the stack files there, and runs mocha on the spec files that read
 * the committed stacks (ADOPTION_SPECS; `--all`: every spec). Prints mocha's report and exits with its
 * status. `node --require tsx/cjs tools/adoption-check.ts [--all] [--keep]`; CI runs it (.ci/run).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { ADOPTION_EDITS, applyEdits } from "../tests/fixtures/adoption-edits";

const ROOT = path.resolve(__dirname, "..");
const NAMESPACE = "ecs-ec2-api";

/**
 * The specs that read the committed stack files, or the README next to them: recordStack, runPlan of a
 * committed stack, readStackConfig, listStacks (`grep -lE "recordStack\(|runPlan\(|readStackConfig\(|
 * listStacks\(|Pulumi\.(dev|staging|prod)" tests -r`). A team's edits can only break these; the others build
 * their own config (recordSeed, fixtures) and run the same in the copy (`--all` runs them too, about twice
 * as long: too slow for every `npm test`, so CI runs this list).
 */
export const ADOPTION_SPECS = [
  "tests/bootstrap/plan.test.ts",
  "tests/cli/load.test.ts",
  "tests/components/existing-network.test.ts",
  "tests/components/jobs.test.ts",
  "tests/components/services-talk.test.ts",
  "tests/components/services.test.ts",
  "tests/config/config.test.ts",
  "tests/plan/cost.test.ts",
  "tests/plan/diff.test.ts",
  "tests/plan/mock-engine.test.ts",
  "tests/plan/plan.test.ts",
  "tests/plan/provider-check.test.ts",
  "tests/plan/report.test.ts",
  "tests/policies/program.test.ts",
  "tests/stacks/program.test.ts",
  "tests/stacks/readme.test.ts",
  "tests/workflows/day-two.test.ts",
  "tests/workflows/deploy-timeout.test.ts",
];

/** Writes a copy of the repository with the adoption edits applied to its stack files; returns its folder. */
export function adoptedCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-ec2-api-adopted-"));
  const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (files.status !== 0) throw new Error(`git ls-files failed: ${files.stderr}`);
  for (const f of files.stdout.split("\0").filter(Boolean)) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from)) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  for (const [stack, edits] of Object.entries(ADOPTION_EDITS)) {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const parsed = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    fs.writeFileSync(file, `# ${stack} as a team adopting the program would have it (tools/adoption-check.ts)\n${yaml.dump(applyEdits(parsed, edits, NAMESPACE))}`);
  }
  return dir;
}

function main(argv: string[]): number {
  const started = Date.now();
  const dir = adoptedCopy();
  const mocharc = path.join(dir, ".mocharc.adoption.cjs");
  const specs = argv.includes("--all") ? ["tests/**/*.test.ts"] : ADOPTION_SPECS;
  fs.writeFileSync(mocharc, `module.exports = ${JSON.stringify({ spec: specs, require: ["tsx/cjs"], extension: ["ts"], timeout: 30000, reporter: "dot", parallel: true, jobs: Math.max(2, os.availableParallelism()) })};\n`);
  const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "--config", mocharc], { cwd: dir, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`adoption check: ${run.status === 0 ? "ok" : "FAILED"}, ${specs.length === 1 ? "every spec" : `${specs.length} spec files`} against the adopted stacks in ${dir} (${seconds} s)`);
  if (!argv.includes("--keep")) fs.rmSync(dir, { recursive: true, force: true });
  return run.status ?? 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
