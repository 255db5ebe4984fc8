/**
 * Writes the README's cost notes (between the cost-notes markers in "## The environments") from the price
 * table and each committed stack's plan: the same estimateCost the plan prints. `npm run sync-config` runs
 * it. It also writes the stack configs it planned to tools/cost-notes.inputs.json: what generated the
 * notes. tests/plan/cost.test.ts regenerates the notes from those inputs and fails when the README differs
 * (a change to the program, the prices or the estimate); a team's later edits to its stack files do not
 * make the test fail, and `npm run sync-config` brings the notes up to date with them.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../config";
import { CostEstimate, costNotes, estimateCost } from "../plan/cost";
import { runProgram } from "../plan-project";
import { listStacks, readStackConfig, ROOT } from "../config/stack-files";

export const COST_BEGIN = "<!-- cost-notes: written by `npm run sync-config` from plan/prices and each stack's plan; edit those, not this -->";
export const COST_END = "<!-- /cost-notes -->";
/** The stack configs the README's cost notes were computed from (fully qualified keys, as planned). */
export const COST_INPUTS = path.join(ROOT, "tools", "cost-notes.inputs.json");

/** Each committed stack's config as it is now. */
export function committedConfigs(root = ROOT): Record<string, Record<string, string>> {
  return Object.fromEntries(listStacks(root).map((stack) => [stack, readStackConfig(stack, root)]));
}

/** Each stack's estimate, planned as `pulumi preview` would, from its config. */
export async function estimatesOf(configs: Record<string, Record<string, string>>, root = ROOT): Promise<Record<string, CostEstimate>> {
  const main = require(path.join(root, "index"));
  const out: Record<string, CostEstimate> = {};
  for (const [stack, raw] of Object.entries(configs)) {
    const recording = await runProgram(main, { stack, config: raw, preview: true });
    out[stack] = estimateCost(parseStackConfig(raw, { rootDir: root }), recording.resources);
  }
  return out;
}

/** The README with its cost notes replaced by `notes`. */
export function withCostNotes(readme: string, notes: string[]): string {
  const start = readme.indexOf(COST_BEGIN);
  const end = readme.indexOf(COST_END);
  if (start < 0 || end < start) throw new Error(`README.md has no cost notes between ${COST_BEGIN} and ${COST_END}`);
  return `${readme.slice(0, start + COST_BEGIN.length)}\n${notes.join("\n")}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const configs = committedConfigs();
  estimatesOf(configs).then((estimates) => {
    const file = path.join(ROOT, "README.md");
    fs.writeFileSync(file, withCostNotes(fs.readFileSync(file, "utf8"), costNotes(estimates)));
    fs.writeFileSync(COST_INPUTS, `${JSON.stringify({ about: "The stack configs the README's cost notes were computed from; written by npm run sync-config (tools/sync-cost-notes.ts).", stacks: configs }, null, 2)}\n`);
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}
