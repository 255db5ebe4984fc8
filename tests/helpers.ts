/** Shared test helpers: record the whole program under the mock engine for a stack or the seed's values. */
import { Graph, runProgram } from "../scripts/mock-engine";
import { projectConfig, readStackConfig } from "../scripts/stack-config";
import main = require("../index");

export const NS = "ecs-ec2-api";

function qualify(overrides: Record<string, string | undefined>, base: Record<string, string>): Record<string, string> {
  const config = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const q = key.includes(":") ? key : `${NS}:${key}`;
    if (value === undefined) delete config[q];
    else config[q] = value;
  }
  return config;
}

/**
 * Records the program with `stack`'s config (Pulumi.yaml defaults + Pulumi.<stack>.yaml) and the given
 * overrides (unqualified keys are the project's; undefined removes a key).
 */
export function recordStack(stack: string, overrides: Record<string, string | undefined> = {}, preview = false): Promise<Graph> {
  return record(stack, qualify(overrides, readStackConfig(stack)), preview);
}

/** Records the program with the seed's parameter values: Pulumi.yaml's defaults, in us-east-1. */
export function recordSeed(overrides: Record<string, string | undefined> = {}, preview = false): Promise<Graph> {
  return record("seed", qualify(overrides, { ...projectConfig().values, "aws:region": "us-east-1" }), preview);
}

/**
 * One recording per distinct (stack, config, preview) for the whole test run: several spec files look at
 * the same stacks, and a recording is plain data that no test changes (Graph exposes no mutation).
 */
const recordings = new Map<string, Promise<Graph>>();
function record(stack: string, config: Record<string, string>, preview: boolean): Promise<Graph> {
  const key = JSON.stringify([stack, Object.entries(config).sort(), preview]);
  if (!recordings.has(key)) recordings.set(key, runProgram(main, { stack, config, preview }).then((r) => new Graph(r)));
  return recordings.get(key)!;
}

/** Parses a JSON string input (policy documents, container definitions). */
export const json = (text: unknown): any => JSON.parse(String(text));
