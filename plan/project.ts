/**
 * A Pulumi project as the offline plan sees it: a folder with its Pulumi.yaml (the name, the declared
 * config, the program's `main`), its stack files (Pulumi.<stack>.yaml), and its side of the plan, the
 * module plan-project.ts beside Pulumi.yaml that exports `planProject`: how its config is checked, what of
 * it the report shows, what it costs, and what its config says of the account (the mock engine's lookups).
 * The plan names no project's keys: `npm run plan -- --project <dir> <stack>` plans any folder laid out so.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { ProjectMocks, RecordedResource } from "./mock-engine";

/** A stack's config checked by its project, and what the plan shows of it. */
export interface CheckedStack {
  /** Values `pulumi up` refuses before the program runs (placeholders), one sentence each; preview warns. */
  placeholders: string[];
  /** The settings that matter, by section (a component, a role), each a name and its value in words. */
  settings: Record<string, Record<string, string>>;
  /**
   * The warnings the plan adds about the stack (the program's own come from its run): this stack's, and
   * with `all` also those that count the project's other stacks; `heldBack` says how many `all` would add.
   */
  warnings(all: boolean): { shown: string[]; heldBack: number };
  /** The monthly cost of the recorded resources. */
  cost(resources: RecordedResource[]): PlanCost;
}

/** A monthly estimate, as `--json` carries it and the text report prints it. */
export interface PlanCost {
  /** The estimate's total at the planned counts; undefined: not estimated (the report says why). */
  monthlyUsd?: number;
  /** The estimate as `--json` carries it (`cost`), its `monthlyUsd` null when not estimated. */
  json: Record<string, unknown> & { monthlyUsd: number | null };
  /** Its section of the text report. */
  text: string[];
}

/** What a project's plan-project.ts exports as `planProject`. */
export interface PlanProject {
  /** Its name and what its config says of the account, for the mock engine. */
  mocks: ProjectMocks;
  /**
   * Validates a stack's whole config (fully qualified keys, as the CLI hands them to the program) as the
   * program does, before any resource: throws a ConfigError (config/types.ts) that lists every problem.
   * `dir`: the project's folder; `stacksDir`: where the stack's file is (and the stacks it may share an
   * account with): the project's folder, or a folder of fixtures (--stacks-dir).
   */
  check(config: Record<string, string>, stack: { name: string; dir: string; stacksDir: string }): CheckedStack;
}

/** A project folder, loaded. */
export interface LoadedProject {
  dir: string;
  /** Pulumi.yaml's `name`: its config namespace. */
  name: string;
  /** The program module: Pulumi.yaml's `main`, else the folder's index.ts. */
  program: string;
  plan: PlanProject;
}

/** The module beside Pulumi.yaml that holds a project's side of the plan. */
export const PLAN_PROJECT_MODULE = "plan-project.ts";

/** Why `dir` is not a project the plan can load (undefined when it is). */
export function projectProblem(dir: string): string | undefined {
  if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) return `${dir} has no Pulumi.yaml: not a Pulumi project`;
  if (!fs.existsSync(path.join(dir, PLAN_PROJECT_MODULE))) return `${dir} has no ${PLAN_PROJECT_MODULE}: the project's side of the plan (its config check, settings, cost, lookups)`;
  return undefined;
}

/** Loads the project in `dir`; call projectProblem first. */
export function loadProject(dir: string): LoadedProject {
  const doc = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string; main?: string };
  const plan = (require(path.join(dir, PLAN_PROJECT_MODULE)) as { planProject: PlanProject }).planProject;
  if (plan.mocks.name !== doc.name) throw new Error(`${path.join(dir, PLAN_PROJECT_MODULE)} plans project ${plan.mocks.name}, but ${path.join(dir, "Pulumi.yaml")} names ${doc.name}`);
  return { dir, name: doc.name, program: path.resolve(dir, doc.main ?? "index.ts"), plan };
}
