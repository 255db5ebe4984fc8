/**
 * Writes the README's cost notes (between the cost-notes markers in "## The environments") from the price
 * table and each committed stack's plan: the same estimateCost the plan prints. `npm run sync-config` runs
 * it; tests/plan/cost.test.ts fails when the README is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../config";
import { CostEstimate, costNotes, estimateCost } from "../plan/cost";
import { runProgram } from "../plan/mock-engine";
import { listStacks, readStackConfig, ROOT } from "../config/stack-files";

export const COST_BEGIN = "<!-- cost-notes: written by `npm run sync-config` from plan/prices and each stack's plan; edit those, not this -->";
export const COST_END = "<!-- /cost-notes -->";

/** Each committed stack's estimate, planned as `pulumi preview` would. */
export async function committedEstimates(root = ROOT): Promise<Record<string, CostEstimate>> {
  const main = require(path.join(root, "index"));
  const out: Record<string, CostEstimate> = {};
  for (const stack of listStacks(root)) {
    const raw = readStackConfig(stack, root);
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
  committedEstimates().then((estimates) => {
    const file = path.join(ROOT, "README.md");
    fs.writeFileSync(file, withCostNotes(fs.readFileSync(file, "utf8"), costNotes(estimates)));
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}
