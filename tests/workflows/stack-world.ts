/**
 * Stacks a test declares, for the tests of the workflows' logic: a temporary folder laid out like the repository's
 * root (Pulumi.<stack>.yaml, policy-pack/config/<stack>.json, deploy-order, .ci/stacks.mjs), and the EvalOptions
 * a workflow's jobs see there: the outputs of its stacks job, computed by running that job's steps in the folder
 * (workflow-model.ts jobOutputs). No test of workflow logic reads the committed stack files.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EvalOptions, Workflow, jobOutputs } from "./workflow-model";

const ROOT = path.resolve(__dirname, "..", "..");

export interface FixtureStack {
  name: string;
  /** Its line of deploy-order says checks-before-approval. */
  checksBeforeApproval?: boolean;
  /** Leave out its line of deploy-order, its pack config or its stack file. */
  noOrderLine?: boolean;
  noPackConfig?: boolean;
  noStackFile?: boolean;
}

export interface StackWorld {
  dir: string;
  /** The stacks, in deploy order, and which of them have checks before approval. */
  stacks: string[];
  gated: Set<string>;
  /** What the jobs of `wf` see: its stacks job's outputs (none when it has no such job). */
  opts(wf: Workflow, extra?: EvalOptions): EvalOptions;
  remove(): void;
}

/** Writes the stacks' files to a new temporary folder, in deploy order. */
export function stackFixture(stacks: FixtureStack[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-world-"));
  fs.mkdirSync(path.join(dir, "policy-pack", "config"), { recursive: true });
  fs.mkdirSync(path.join(dir, ".ci"));
  fs.copyFileSync(path.join(ROOT, ".ci/stacks.mjs"), path.join(dir, ".ci/stacks.mjs"));
  const lines = ["# deploy order of a test's stacks"];
  for (const s of stacks) {
    if (!s.noStackFile) fs.writeFileSync(path.join(dir, `Pulumi.${s.name}.yaml`), "config:\n  aws:region: eu-west-1\n");
    if (!s.noPackConfig) fs.writeFileSync(path.join(dir, "policy-pack", "config", `${s.name}.json`), "{}\n");
    if (!s.noOrderLine) lines.push(`${s.name}${s.checksBeforeApproval ? " checks-before-approval" : ""}`);
  }
  fs.writeFileSync(path.join(dir, "deploy-order"), `${lines.join("\n")}\n`);
  return dir;
}

/**
 * A world of stacks for the workflows' tests. `cloud`: the outputs of jobs that read the cloud (which no test runs),
 * by job id, as a run would see them.
 */
export function stackWorld(stacks: FixtureStack[], cloud: Record<string, { outputs: Record<string, string> }> = {}): StackWorld {
  const dir = stackFixture(stacks);
  const cache = new Map<Workflow, Record<string, { outputs: Record<string, string> }>>();
  return {
    dir,
    stacks: stacks.map((s) => s.name),
    gated: new Set(stacks.filter((s) => s.checksBeforeApproval).map((s) => s.name)),
    opts(wf, extra = {}) {
      if (!cache.has(wf)) {
        const needs: Record<string, { outputs: Record<string, string> }> = { ...cloud };
        for (const [id, job] of Object.entries<any>(wf.doc?.jobs ?? {})) {
          if ((job?.steps ?? []).some((s: any) => /\.ci\/stacks\.mjs/.test(String(s.run ?? "")))) needs[id] = { outputs: jobOutputs(wf, id, dir) };
        }
        cache.set(wf, needs);
      }
      return { ...extra, needs: { ...cache.get(wf), ...extra.needs } };
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
