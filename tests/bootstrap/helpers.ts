/** What the bootstrap's tests share: its folder, its fixture stacks, and one recording per fixture and mode. */
import * as path from "path";
import { Graph } from "../../plan/mock-engine";
import { readStackFile, ROOT } from "../../config/stack-files";
import { runProgram } from "../../bootstrap/plan-project";
import bootstrap = require("../../bootstrap/index");
import { runPlan } from "../helpers";

export const BOOTSTRAP_DIR = path.join(ROOT, "bootstrap");
export const FIXTURES = path.join(__dirname, "fixtures");

/** A fixture stack's config (tests/bootstrap/fixtures/Pulumi.<name>.yaml over bootstrap/Pulumi.yaml's defaults), with overrides. */
export function fixtureConfig(name: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const config = readStackFile(path.join(FIXTURES, `Pulumi.${name}.yaml`), name, BOOTSTRAP_DIR);
  for (const [key, value] of Object.entries(overrides)) {
    const q = key.includes(":") ? key : `ecs-ec2-api-bootstrap:${key}`;
    if (value === undefined) delete config[q];
    else config[q] = value;
  }
  return config;
}

const recordings = new Map<string, Promise<Graph>>();

/** The bootstrap recorded under the mock engine for `config` (as `pulumi up`, or preview); once per config and mode. */
export function recordBootstrap(stack: string, config: Record<string, string>, preview = false): Promise<Graph> {
  const key = JSON.stringify([stack, Object.entries(config).sort(), preview]);
  if (!recordings.has(key)) recordings.set(key, runProgram(bootstrap, { stack, config, preview }).then((r) => new Graph(r)));
  return recordings.get(key)!;
}

/** The offline plan of the bootstrap (`npm run plan -- --project bootstrap <argv>`): its example, or with --stacks-dir FIXTURES a fixture. */
export const planBootstrap = (...argv: string[]) => runPlan("--project", "bootstrap", ...argv);
