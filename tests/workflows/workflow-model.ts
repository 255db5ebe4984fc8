/**
 * The GitHub workflows as GitHub would run them, for tests/workflows/workflows.test.ts: each triggered workflow's jobs,
 * with every call of a local reusable workflow (`uses: ./.github/workflows/x.yml`) expanded into the called
 * jobs (one per matrix combination, calls within calls too) under the caller's `needs`, `if` and inputs, a small
 * evaluator of `${{ }}` expressions (literals, contexts, object filters such as labels.*.name, ! == != < > && ||,
 * format/contains/startsWith/endsWith/toJSON/fromJSON and the status functions) so a rule can ask what a value is
 * for a given stack, branch or set of variables, and the `run` steps of a job run for real (jobOutputs) where a
 * matrix reads a job's outputs.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

export interface Workflow {
  /** File name, e.g. deploy.yml. */
  file: string;
  text: string;
  doc: any;
}

export type WorkflowSet = Map<string, Workflow>;

export function loadWorkflows(dir: string): WorkflowSet {
  const set: WorkflowSet = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    set.set(file, { file, text, doc: yaml.load(text) });
  }
  return set;
}

/** The events that start a workflow (`on`), as a list of names. */
export function triggers(wf: Workflow): string[] {
  const on = wf.doc?.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === "object" ? Object.keys(on) : [];
}

/** Workflows started by an event other than workflow_call. */
export function triggered(set: WorkflowSet): Workflow[] {
  return [...set.values()].filter((wf) => triggers(wf).some((t) => t !== "workflow_call"));
}

/** One level of a job's calls: a job of `source` (a triggered workflow, or a reusable one it calls). */
export interface Level {
  source: Workflow;
  id: string;
  job: any;
  /** The inputs `source` was called with (none for the triggered workflow). */
  inputs: Record<string, unknown>;
  matrix: Record<string, unknown>;
}

/** A job as it runs: a plain job of a triggered workflow, or a job of a reusable workflow it calls (at any depth). */
export interface EffectiveJob {
  workflow: Workflow;
  /** The workflow file that defines `job`: the same as `workflow`, or the called reusable workflow. */
  source: Workflow;
  /** The id of the job in `workflow` (the calling job for a reusable one). */
  id: string;
  /** The job ids from `workflow` down to `job`, joined by /, and the matrix values, for messages. */
  label: string;
  callerJob: any;
  job: any;
  inputs: Record<string, unknown>;
  /** Every level's matrix values, merged. */
  matrix: Record<string, unknown>;
  /** The calls from `workflow` down to `job` (the first: the job of `workflow`; the last: `job` itself). */
  levels: Level[];
}

/** An effective job standing for one level of a call chain, to evaluate that level's fields. */
export function atLevel(wf: Workflow, levels: Level[]): EffectiveJob {
  const last = levels[levels.length - 1];
  const matrix = Object.assign({}, ...levels.map((l) => l.matrix));
  const suffix = Object.keys(matrix).length ? ` (${Object.values(matrix).join(", ")})` : "";
  return {
    workflow: wf, source: last.source, id: levels[0].id, label: `${wf.file} ${levels.map((l) => l.id).join("/")}${suffix}`,
    callerJob: levels[0].job, job: last.job, inputs: last.inputs, matrix, levels,
  };
}

/**
 * A job's matrix combinations (GitHub: one job per combination of the variables' values, in their order; `include`
 * entries added to the combinations whose values they do not change, else as combinations of their own). A matrix,
 * a variable or `include` may be an expression (fromJSON of a job's output).
 */
function matrixCombinations(strategy: any, ctx: Ctx): Record<string, unknown>[] {
  const m = interpolate(strategy?.matrix, ctx) as any;
  if (!m || typeof m !== "object") return [{}];
  let combos: Record<string, unknown>[] = [{}];
  let base = false;
  for (const [key, raw] of Object.entries(m)) {
    if (key === "include" || key === "exclude") continue;
    const values = interpolate(raw, ctx);
    if (!Array.isArray(values)) continue;
    base = true;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  const include = interpolate(m.include, ctx);
  if (!Array.isArray(include)) return combos;
  if (!base) return include.map((entry) => ({ ...entry }));
  const original = combos.map((c) => ({ ...c }));
  for (const entry of include) {
    const fits = original.map((o, i) => (Object.entries(entry).every(([k, v]) => !(k in o) || o[k] === v) ? i : -1)).filter((i) => i >= 0);
    if (fits.length) for (const i of fits) Object.assign(combos[i], entry);
    else combos.push({ ...entry });
  }
  return combos;
}

export function reusableTarget(set: WorkflowSet, uses: unknown): Workflow | undefined {
  const m = /^\.\/\.github\/workflows\/([^/]+\.ya?ml)$/.exec(String(uses ?? ""));
  return m ? set.get(m[1]) : undefined;
}

/** Every job a run of `wf` can have: its own, and those of the reusable workflows it calls, at any depth. */
export function effectiveJobs(set: WorkflowSet, wf: Workflow, opts: EvalOptions = {}): EffectiveJob[] {
  const out: EffectiveJob[] = [];
  const expand = (source: Workflow, inputs: Record<string, unknown>, parents: Level[]) => {
    for (const [id, job] of Object.entries<any>(source.doc?.jobs ?? {})) {
      const probe = atLevel(wf, [...parents, { source, id, job, inputs, matrix: {} }]);
      for (const matrix of matrixCombinations(job?.strategy, context(probe, opts))) {
        const levels = [...parents, { source, id, job, inputs, matrix }];
        const e = atLevel(wf, levels);
        const target = reusableTarget(set, job?.uses);
        if (!target) { out.push(e); continue; }
        const declared = target.doc?.on?.workflow_call?.inputs ?? {};
        const called: Record<string, unknown> = {};
        for (const [name, spec] of Object.entries<any>(declared)) if (spec && "default" in spec) called[name] = spec.default;
        const ctx = context(e, opts);
        for (const [name, value] of Object.entries<any>(job.with ?? {})) called[name] = interpolate(value, ctx);
        expand(target, called, levels);
      }
    }
  };
  expand(wf, {}, []);
  return out;
}

/**
 * The name GitHub gives a job, as the jobs API (GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs) and the run's
 * page show it: for each level of its calls, from the triggered workflow's job down to the job itself, that level's
 * `name` evaluated (its id when it has none), followed by " (<matrix values>)" when the level has matrix values and
 * its `name` holds no expression; the levels joined by " / ".
 * GitHub's docs say only that `name` is "displayed in the GitHub UI" (workflow syntax, jobs.<job_id>.name); the
 * composition rests on: a called workflow's job is "<caller job> / <called job>" (actions/runner issue 2577:
 * "the job name in GitHub will be `build / test`"; otterdog.readthedocs.io, Status Check: "if reusable
 * workflows are called, join the jobs in their call hierarchy with /", spaces around it; datahub-project/datahub
 * pull request 18028: "GitHub names a reusable-workflow job `Caller (matrix) / Inner job`"), and a matrix job's
 * values are appended in parentheses only to a name without an expression (ChristopherHX/runner.server pull request
 * 78, which mirrors GitHub: "Matrix jobs with a name, but without any expressions also have the default matrix job
 * `( ... )` name suffix").
 */
export function jobName(e: EffectiveJob, opts: EvalOptions = {}): string {
  return e.levels.map((level, depth) => {
    const raw = level.job?.name;
    const name = raw === undefined ? level.id : toText(interpolate(String(raw), context(atLevel(e.workflow, e.levels.slice(0, depth + 1)), opts)));
    const values = Object.values(level.matrix);
    return values.length && !String(raw ?? "").includes("${{") ? `${name} (${values.map(toText).join(", ")})` : name;
  }).join(" / ");
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

export interface EvalOptions {
  /** The `github` context (default: a push to main of owner/repo, or a same-repository pull request). */
  github?: Record<string, unknown>;
  /** The variables that are set, and only those (default: every variable is set, to the string "vars.<NAME>"). */
  vars?: Record<string, string>;
  /** Step outputs by step id (default: "steps.<id>.outputs.<name>"). */
  steps?: Record<string, { outputs: Record<string, string> }>;
  /** The outputs of the jobs a job needs, by job id (default: none). */
  needs?: Record<string, { outputs: Record<string, string> }>;
}

const named = (prefix: string) =>
  new Proxy({}, { get: (_t, name) => (typeof name !== "string" ? undefined : `${prefix}.${name}`) });

type Ctx = Record<string, unknown>;

/** The contexts a job's fields are evaluated in (env: the workflow's, the job's and the step's). */
export function context(e: EffectiveJob, opts: EvalOptions = {}, step?: any): Ctx {
  const github = opts.github ?? {
    ref: "refs/heads/main",
    event_name: triggers(e.workflow).find((t) => t !== "workflow_call") ?? "push",
    repository: "owner/repo",
    sha: "0123456789abcdef0123456789abcdef01234567",
    run_id: "1",
    workflow: e.workflow.doc?.name ?? e.workflow.file,
    event: { pull_request: { number: 1, head: { repo: { full_name: "owner/repo" } } } },
  };
  const steps = new Proxy({}, {
    get: (_t, id) => (typeof id !== "string" ? undefined : opts.steps?.[id] ?? { outputs: named(`steps.${id}.outputs`), outcome: "success" }),
  });
  const ctx: Ctx = {
    github, inputs: e.inputs, matrix: e.matrix, vars: opts.vars ? { ...opts.vars } : named("vars"), secrets: named("secrets"),
    runner: { temp: "/runner/temp", os: "Linux" }, steps, needs: opts.needs ?? {}, env: {},
  };
  const env: Record<string, unknown> = {};
  for (const layer of [e.source.doc?.env, e.job?.env, step?.env]) {
    for (const [k, v] of Object.entries<any>(layer ?? {})) env[k] = interpolate(v, { ...ctx, env: { ...env } });
  }
  ctx.env = env;
  return ctx;
}

/** A field's value: `${{ }}` expressions evaluated (a string that is one expression keeps the value's type). */
export function interpolate(value: unknown, ctx: Ctx): unknown {
  if (typeof value !== "string") return value;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1].includes("}}")) return evaluate(whole[1], ctx);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => toText(evaluate(expr, ctx)));
}

/**
 * An `if:` condition: an expression with or without `${{ }}`. GitHub applies success() to it unless it calls a
 * status function (success, failure, always, cancelled): docs.github.com, "Evaluate expressions in workflows and
 * actions", Status check functions. Absent, it is success().
 */
export function condition(value: unknown, ctx: Ctx): boolean {
  const succeeded = truthy(evaluate("success()", ctx));
  if (value === undefined || value === null) return succeeded;
  if (typeof value === "boolean") return value && succeeded;
  const text = String(value);
  const result = truthy(text.includes("${{") ? interpolate(text, ctx) : evaluate(text, ctx));
  return /\b(success|failure|always|cancelled)\s*\(/.test(text) ? result : result && succeeded;
}

export function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === "" || v === null || v === undefined || Number.isNaN(v));
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b || a === null || b === null) return a === b || (a == null && b == null);
  const num = (x: unknown) => (x === null || x === undefined ? 0 : typeof x === "boolean" ? Number(x) : Number(x));
  return num(a) === num(b);
}

type Token = { kind: "str" | "num" | "id" | "op"; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") { s += "'"; i += 2; continue; }
        if (src[i] === "'") { i++; break; }
        s += src[i++];
      }
      tokens.push({ kind: "str", text: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) { tokens.push({ kind: "op", text: two }); i += 2; continue; }
    if ("!<>()[].,*".includes(c)) { tokens.push({ kind: "op", text: c }); i++; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { tokens.push({ kind: "num", text: num[0] }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) { tokens.push({ kind: "id", text: id[0] }); i += id[0].length; continue; }
    throw new Error(`unexpected ${c} in expression ${src}`);
  }
  return tokens;
}

const FUNCTIONS: Record<string, (ctx: Ctx, ...args: unknown[]) => unknown> = {
  format: (_c, fmt, ...args) => String(fmt).replace(/\{(\d+)\}/g, (_m, n: string) => toText(args[Number(n)])),
  contains: (_c, hay, needle) =>
    Array.isArray(hay) ? hay.some((h) => looseEquals(h, needle)) : toText(hay).toLowerCase().includes(toText(needle).toLowerCase()),
  startsWith: (_c, s, p) => toText(s).toLowerCase().startsWith(toText(p).toLowerCase()),
  endsWith: (_c, s, p) => toText(s).toLowerCase().endsWith(toText(p).toLowerCase()),
  toJSON: (_c, v) => JSON.stringify(v),
  fromJSON: (_c, v) => {
    if (v === undefined || v === "") throw new Error("fromJSON of an empty value: a job output the test did not give (EvalOptions.needs)");
    return JSON.parse(toText(v));
  },
  success: (c) => c.__needsSucceeded !== false,
  always: () => true,
  cancelled: () => false,
  failure: () => false,
};

const FILTERED = Symbol("object filter");
/** The array an object filter (`x.*`) makes: a property read on it maps over its elements. */
const filtered = (items: unknown[]) => Object.assign([...items], { [FILTERED]: true });
const isFiltered = (v: unknown): v is unknown[] => Array.isArray(v) && (v as any)[FILTERED] === true;

/** Evaluates one GitHub Actions expression (the text inside `${{ }}`). */
export function evaluate(src: string, ctx: Ctx): unknown {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (text: string) => peek()?.kind === "op" && peek().text === text;
  const expect = (text: string) => {
    if (!isOp(text)) throw new Error(`expected ${text} in ${src}`);
    pos++;
  };
  const or = (): unknown => {
    let left = and();
    while (isOp("||")) { pos++; const right = and(); left = truthy(left) ? left : right; }
    return left;
  };
  const and = (): unknown => {
    let left = equality();
    while (isOp("&&")) { pos++; const right = equality(); left = truthy(left) ? right : left; }
    return left;
  };
  const equality = (): unknown => {
    let left = comparison();
    while (isOp("==") || isOp("!=")) {
      const op = tokens[pos++].text;
      const right = comparison();
      left = op === "==" ? looseEquals(left, right) : !looseEquals(left, right);
    }
    return left;
  };
  const comparison = (): unknown => {
    let left = unary();
    while (isOp("<") || isOp(">") || isOp("<=") || isOp(">=")) {
      const op = tokens[pos++].text;
      const a = Number(left), b = Number(unary());
      left = op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
    }
    return left;
  };
  const unary = (): unknown => {
    if (isOp("!")) { pos++; return !truthy(unary()); }
    return postfix();
  };
  const postfix = (): unknown => {
    let value = primary();
    for (;;) {
      if (isOp(".")) {
        pos++;
        const t = tokens[pos++];
        if (t.kind === "op" && t.text === "*") {
          // An object filter (labels.*.name): every element (or value), then each property read maps over them.
          value = filtered(Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : []);
        } else value = value == null ? undefined : isFiltered(value) ? filtered(value.map((x: any) => x?.[t.text]).filter((x) => x !== undefined)) : (value as any)[t.text];
      } else if (isOp("[")) {
        pos++;
        const key = or();
        expect("]");
        value = value == null ? undefined : (value as any)[toText(key)];
      } else return value;
    }
  };
  const primary = (): unknown => {
    const t = tokens[pos++];
    if (!t) throw new Error(`unexpected end of ${src}`);
    if (t.kind === "str") return t.text;
    if (t.kind === "num") return Number(t.text);
    if (t.kind === "op" && t.text === "(") { const v = or(); expect(")"); return v; }
    if (t.kind === "id") {
      if (t.text === "true") return true;
      if (t.text === "false") return false;
      if (t.text === "null") return null;
      if (isOp("(")) {
        pos++;
        const args: unknown[] = [];
        while (!isOp(")")) { args.push(or()); if (isOp(",")) pos++; }
        expect(")");
        const fn = FUNCTIONS[t.text];
        if (!fn) throw new Error(`unknown function ${t.text} in ${src}`);
        return fn(ctx, ...args);
      }
      return ctx[t.text];
    }
    throw new Error(`unexpected ${t.text} in ${src}`);
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos].text} in ${src}`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Which jobs run

/** The job ids `id` needs in workflow `source`, directly or through other jobs. */
export function needsClosure(source: Workflow, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (j: string) => {
    for (const n of needsOf(source.doc?.jobs?.[j])) {
      if (!seen.has(n)) { seen.add(n); visit(n); }
    }
  };
  visit(id);
  return seen;
}

const needsOf = (job: any): string[] => (job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const sameCall = (a: Level[], b: Level[], depth: number) =>
  a.length > depth && b.length > depth &&
  a.slice(0, depth).every((l, i) => l.id === b[i].id && l.source === b[i].source && JSON.stringify(l.matrix) === JSON.stringify(b[i].matrix));

/** The jobs that finish before `e` starts: at each level of its calls, those its level's job needs (and theirs). */
export function upstream(jobs: EffectiveJob[], e: EffectiveJob): EffectiveJob[] {
  return jobs.filter((j) => j !== e && e.levels.some((level, depth) =>
    sameCall(j.levels, e.levels, depth) && needsClosure(level.source, level.id).has(j.levels[depth].id)));
}

/**
 * Whether each effective job would run (assuming every job that runs succeeds): the `if` of each level of its
 * calls, with needs.<id>.result "success" for a needed job that runs and "skipped" for one that does not (and
 * success() true only when every needed job ran), and needs.<id>.outputs from `opts.needs`.
 */
export function runningJobs(set: WorkflowSet, wf: Workflow, opts: EvalOptions = {}): EffectiveJob[] {
  const jobs = effectiveJobs(set, wf, opts);
  const memo = new Map<string, boolean>();
  /** Whether the job `id` of the call `parents` (levels above it) runs. */
  const ran = (parents: Level[], source: Workflow, inputs: Record<string, unknown>, id: string): boolean => {
    const key = JSON.stringify([parents.map((l) => [l.source.file, l.id, l.matrix]), source.file, id]);
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false);
    const job = source.doc?.jobs?.[id];
    const needs: Record<string, unknown> = {};
    let all = true;
    for (const n of needsOf(job)) {
      const r = ran(parents, source, inputs, n);
      all &&= r;
      needs[n] = { result: r ? "success" : "skipped", outputs: opts.needs?.[n]?.outputs ?? {} };
    }
    const e = atLevel(wf, [...parents, { source, id, job, inputs, matrix: {} }]);
    const result = condition(job?.if, { ...context(e, opts), needs, __needsSucceeded: all });
    memo.set(key, result);
    return result;
  };
  return jobs.filter((e) => e.levels.every((l, depth) => {
    if (!ran(e.levels.slice(0, depth), l.source, l.inputs, l.id)) return false;
    // A matrix leg's own `if` with its matrix values (ran() evaluated it without them).
    const at = atLevel(wf, e.levels.slice(0, depth + 1));
    return Object.keys(l.matrix).length === 0 || condition(l.job?.if, { ...context(at, opts), needs: neededResults(e.levels.slice(0, depth), l), __needsSucceeded: true });
  }));

  function neededResults(parents: Level[], l: Level) {
    return Object.fromEntries(needsOf(l.job).map((n) => [n, { result: ran(parents, l.source, l.inputs, n) ? "success" : "skipped", outputs: opts.needs?.[n]?.outputs ?? {} }]));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Steps

export interface StepView {
  index: number;
  raw: any;
  /** owner/repo of a remote action (no path, no ref), or undefined. */
  action?: string;
  with: Record<string, unknown>;
  env: Record<string, unknown>;
  /** The `run` script with `$VAR`/`${VAR}` of the step's env replaced by their values. */
  run?: string;
  /** Whether its `if` lets it run (on a run where every earlier step succeeded). */
  runs: boolean;
}

export function steps(e: EffectiveJob, opts: EvalOptions = {}): StepView[] {
  return (e.job?.steps ?? []).map((raw: any, index: number) => {
    const ctx = context(e, opts, raw);
    const env = ctx.env as Record<string, unknown>;
    const withs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<any>(raw.with ?? {})) withs[k] = interpolate(v, ctx);
    const action = raw.uses && !String(raw.uses).startsWith("./") ? String(raw.uses).split("@")[0].split("/").slice(0, 2).join("/") : undefined;
    let run: string | undefined;
    if (typeof raw.run === "string") {
      run = String(interpolate(raw.run, ctx)).replace(/"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?/g, (m, name: string) =>
        name in env ? toText(env[name]) : m);
    }
    return { index, raw, action, with: withs, env, run, runs: condition(raw.if, { ...ctx, __needsSucceeded: true }) };
  });
}

/** Steps of pulumi/actions that run a Pulumi command (not the install-only use). */
export function pulumiCommands(e: EffectiveJob, opts: EvalOptions = {}): StepView[] {
  return steps(e, opts).filter((s) => s.action === "pulumi/actions" && s.with.command !== undefined);
}

/** The stack a job works on, from its pulumi steps' pack config (policy-pack/config/<stack>.json). */
export function stackOf(e: EffectiveJob, opts: EvalOptions = {}): string | undefined {
  for (const s of pulumiCommands(e, opts)) {
    const m = /policy-pack\/config\/([^/]+)\.json$/.exec(String(s.with.policyPackConfigs ?? ""));
    if (m) return m[1];
  }
  // A job without the pack (the drift check): the stack its caller passes.
  return typeof e.inputs.stack === "string" && pulumiCommands(e, opts).length ? e.inputs.stack : undefined;
}

/**
 * The permissions a job's GITHUB_TOKEN gets: its own `permissions`, else its calling job's (for a job of a
 * reusable workflow), else the workflow's. A job of a reusable workflow can only narrow what its caller got.
 */
export function permissionsOf(e: EffectiveJob): Record<string, string> | string | undefined {
  return e.job?.permissions ?? (e.source !== e.workflow ? e.callerJob?.permissions : undefined) ?? e.workflow.doc?.permissions;
}

/** The GitHub environment a job runs in, if any. */
export function environmentOf(e: EffectiveJob, opts: EvalOptions = {}): string | undefined {
  const env = e.job?.environment;
  if (env === undefined) return undefined;
  const ctx = context(e, opts);
  return String(interpolate(typeof env === "object" ? env.name : env, ctx));
}

/** Every `vars.X` and `secrets.X` in the `${{ }}` expressions of a workflow file ("vars.*" for toJSON(vars)). */
export function settingsRead(wf: Workflow): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      for (const [, expr] of v.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
        for (const [, kind, name] of expr.matchAll(/\b(vars|secrets)\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(`${kind}.${name}`);
        // The whole context handed to a script, which picks its variables itself.
        if (/\btoJSON\(\s*vars\s*\)/.test(expr)) names.add("vars.*");
      }
    }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(wf.doc);
  return names;
}

/** The comment block at the top of a workflow file. */
export function headerComment(wf: Workflow): string {
  const lines: string[] = [];
  for (const line of wf.text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line);
  }
  return lines.join("\n");
}

/**
 * A job's outputs as GitHub computes them: its `run` steps run for real with bash in `dir` (with GITHUB_OUTPUT, and
 * the step's env), then the job's `outputs:` evaluated with those steps' outputs. For jobs that need no cloud and
 * no earlier job (the stacks job that feeds the matrices). Throws with the step's output when a step fails.
 */
export function jobOutputs(wf: Workflow, id: string, dir: string): Record<string, string> {
  const job = wf.doc?.jobs?.[id];
  const e = atLevel(wf, [{ source: wf, id, job, inputs: {}, matrix: {} }]);
  const stepOutputs: Record<string, { outputs: Record<string, string> }> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "job-outputs-"));
  try {
    (job?.steps ?? []).forEach((step: any, i: number) => {
      if (typeof step.run !== "string") return;
      const file = path.join(tmp, `output-${i}`);
      fs.writeFileSync(file, "");
      const env = context(e, { steps: stepOutputs }, step).env as Record<string, unknown>;
      const r = spawnSync("bash", ["-e", "-c", String(interpolate(step.run, context(e, { steps: stepOutputs }, step)))], {
        cwd: dir, encoding: "utf8", env: { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, toText(v)])), GITHUB_OUTPUT: file },
      });
      if (r.status !== 0) throw new Error(`${wf.file} ${id} step ${i + 1} failed:\n${r.stdout}${r.stderr}`);
      const outputs: Record<string, string> = {};
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const m = /^([^=]+)=(.*)$/.exec(line);
        if (m) outputs[m[1]] = m[2];
      }
      if (step.id) stepOutputs[step.id] = { outputs };
    });
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  const ctx = context(e, { steps: stepOutputs });
  return Object.fromEntries(Object.entries<any>(job?.outputs ?? {}).map(([k, v]) => [k, toText(interpolate(v, ctx))]));
}
