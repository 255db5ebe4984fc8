/**
 * `npm run urns -- <stack>`: records the URNs the program plans for a stack (as `pulumi preview` would, from
 * Pulumi.<stack>.yaml) in urns/<stack>.json, the stack's baseline of resource identities. A URN is a
 * resource's identity in the deployed stack's state: a change of the program that plans a resource under
 * another URN without an alias deletes and recreates it on the next `pulumi up` (a new VPC, a new load
 * balancer). Record it once the stack is deployed and commit it; from then on `npm test` checks that every
 * URN of the baseline is still planned, as itself or through an alias (tests/stacks/invariants.test.ts).
 * Record it again on purpose when the team removes or renames a resource for good: the diff of the file in
 * the pull request shows exactly which resources go.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, readStackConfig, ROOT } from "../config/stack-files";
import { type Recording } from "../plan/mock-engine";
import { runProgram } from "../plan-project";
import { oldUrnOf } from "../plan/urns";
import main = require("../index");

/** Where a stack's baseline lives: urns/<stack>.json in the project. */
export const baselineFile = (stack: string, root = ROOT): string => path.join(root, "urns", `${stack}.json`);

export interface UrnBaseline {
  stack: string;
  /** What the file is, for a reader who finds it in a pull request. */
  about: string;
  urns: string[];
}

/** The URNs the program plans for `config`, sorted. */
export async function plannedUrns(stack: string, config: Record<string, string>): Promise<string[]> {
  const recording = await runProgram(main, { stack, config, preview: true });
  return recording.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn).sort();
}

/** The baseline's URNs that `recording` no longer plans, as itself or through an alias: what `up` would delete. */
export function lostUrns(recording: Pick<Recording, "resources">, urns: string[]): string[] {
  const taken = new Set(oldUrnOf(recording, new Set(urns)).values());
  return urns.filter((urn) => !taken.has(urn));
}

/** A stack's recorded baseline, or undefined when it has none. */
export function readBaseline(stack: string, root = ROOT): UrnBaseline | undefined {
  const file = baselineFile(stack, root);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as UrnBaseline : undefined;
}

async function main_(argv: string[]): Promise<number> {
  const [stack] = argv;
  if (!stack || !listStacks().includes(stack)) {
    console.error(`usage: npm run urns -- <stack>; stacks: ${listStacks().join(", ")}`);
    return 2;
  }
  const baseline: UrnBaseline = {
    stack,
    about: `The URNs of stack ${stack} as deployed: npm test checks that the program still plans each (itself or through an alias). Recorded by npm run urns -- ${stack}.`,
    urns: await plannedUrns(stack, readStackConfig(stack)),
  };
  const file = baselineFile(stack);
  const before = readBaseline(stack);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(baseline, null, 1)}\n`);
  const gone = (before?.urns ?? []).filter((u) => !baseline.urns.includes(u));
  console.log(`${path.relative(ROOT, file)}: ${baseline.urns.length} URNs${before ? `, ${gone.length} no longer planned${gone.length ? `:\n  ${gone.join("\n  ")}` : ""}` : ""}`);
  return 0;
}

if (require.main === module) main_(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
