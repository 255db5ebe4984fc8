/**
 * The plan of one stack, behind `npm run plan` (plan/plan.ts, the command line): the project's config check,
 * the program under the mock engine, the pack's verdicts, the cost, the comparison with a saved plan, and
 * the report. plan/plan.ts loads this module only once the command line names a stack to plan.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/types";
import { Graph, ProgramError, runProgram, type Recording, type RunOptions } from "./mock-engine";
import { evaluatePolicies, mandatoryFailures } from "./policies";
import { costChange, formatCostChange } from "./cost";
import { AgainstError, diffPlans, formatChanges, identityReplacements, readSavedPlan, SavedPlan } from "./diff";
import { formatDetails, formatReport, matching, resourceEntries, shortType, showValue, verdictSummary } from "./report";
import { readStackConfig, ROOT } from "../config/stack-files";
import { qualified, UsageError, type PlanOptions } from "./args";
import { formatProviderProblems, providerProblems, providerVersion } from "./provider-check";
import { loadProject, type CheckedStack } from "./project";

/** How the plan records the program: the mock engine's runProgram, or what a caller puts in its place. */
export type Recorder = (program: () => unknown, opts: RunOptions) => Promise<Recording>;

/**
 * Plans `opts.stack`, a stack file of `stacksDir`, of the project in `dir` (plan() has checked the command
 * line), writing the report through `out` (and errors through `err`); resolves to the exit status: 0 clean,
 * 1 config error, program error or blocking policy violation. `record` records the program.
 */
export async function planStack(opts: PlanOptions & { stack: string }, dir: string, stacksDir: string, out: (s: string) => void, err: (s: string) => void, record: Recorder = runProgram): Promise<number> {
  const project = loadProject(dir);
  const raw = { ...readStackConfig(opts.stack, stacksDir, dir), ...Object.fromEntries(Object.entries(opts.overrides).map(([k, v]) => [qualified(k, project.name), v])) };
  for (const key of opts.removed) delete raw[qualified(key, project.name)];
  const region = raw["aws:region"];
  const mode = opts.up ? "up" : "preview";
  const fail = (what: Record<string, unknown>, text: string) => {
    if (opts.json) out(JSON.stringify({ stack: opts.stack, mode, ok: false, ...what }, null, 2));
    else err(`plan of stack ${opts.stack}: ${text}`);
    return 1;
  };

  let saved: SavedPlan | undefined;
  if (opts.against) {
    try {
      saved = readSavedPlan(opts.against, opts.stack, mode);
    } catch (e) {
      if (e instanceof AgainstError) throw new UsageError(e.message);
      throw e;
    }
  }

  let checked: CheckedStack;
  try {
    checked = project.plan.check(raw, { name: opts.stack, dir, stacksDir });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return fail({ configErrors: e.problems }, e.message);
  }
  if (opts.up && checked.placeholders.length > 0) {
    return fail({ placeholders: checked.placeholders }, `\`pulumi up\` would refuse the stack's placeholders:\n  - ${checked.placeholders.join("\n  - ")}`);
  }

  const started = Date.now();
  const program = require(opts.program ? path.resolve(opts.program) : project.program);
  let g: Graph;
  try {
    g = new Graph(await record(program, { project: project.plan.mocks, stack: opts.stack, config: raw, preview: !opts.up }));
  } catch (e) {
    const message = e instanceof ProgramError ? e.message : String(e);
    return fail({ programError: message }, `the program failed: ${message}`);
  }
  const verdicts = await evaluatePolicies(g.recording, opts.policyConfig ?? defaultPackConfig(stacksDir, opts.stack));
  const blocking = mandatoryFailures(verdicts);
  const ok = blocking.length === 0;
  const planWarnings = checked.warnings(opts.allWarnings);
  const warnings = [...g.recording.warnings, ...planWarnings.shown, ...(g.recording.assumptions ?? [])];
  const entries = resourceEntries(g);
  const cost = checked.cost(g.resources);
  const diff = saved ? diffPlans(saved, entries, g.recording, opts.against!) : undefined;
  const costDiff = saved ? costChange(saved, cost.monthlyUsd) : undefined;
  const refused = diff && opts.failOnReplace ? identityReplacements(diff) : [];
  const providerRefuses = providerProblems(entries, saved, diff);
  const exitCode = ok && refused.length === 0 && providerRefuses.length === 0 ? 0 : 1;
  // The last line of the text report: every reason the plan fails, or OK.
  const failures = [
    ...(providerRefuses.length > 0 ? [`the provider refuses ${providerRefuses.length} input${providerRefuses.length === 1 ? "" : "s"} (above)`] : []),
    ...(blocking.length > 0 ? [`${blocking.length} blocking polic${blocking.length === 1 ? "y" : "ies"} violated: ${blocking.map((v) => v.policy).join(", ")}`] : []),
    ...(refused.length > 0 ? [`(--fail-on-replace) it would ${refused.map((r) => `${r.kind} ${shortType(r.type)} ${r.name}`).join(", ")}`] : []),
  ];
  const verdict = failures.length === 0
    ? `OK: no mandatory policy violated, no input the provider refuses (${Date.now() - started} ms).`
    : `FAILED: ${failures.join("; ")}`;
  if (opts.details !== undefined && matching(entries, opts.details).length === 0) {
    const types = [...new Set(g.cloudResources.map((r) => r.type))].sort();
    throw new UsageError(`--details ${opts.details}: no resource has that logical name or type; names are like ${g.cloudResources.slice(0, 3).map((r) => r.name).join(", ")}; types: ${types.join(", ")}`);
  }

  if (opts.json) {
    out(JSON.stringify({
      stack: opts.stack,
      ...(dir === ROOT ? {} : { project: project.name }),
      region,
      mode,
      ok: exitCode === 0,
      resources: entries,
      counts: countBy(g.cloudResources.map((r) => r.type)),
      settings: checked.settings,
      outputs: showValue(g.recording.outputs),
      warnings,
      policies: verdicts,
      providerRules: { provider: providerVersion(), problems: providerRefuses },
      cost: cost.json,
      ...(diff ? { changes: diff, costChange: costDiff } : {}),
      ...(opts.failOnReplace ? { refusedReplacements: refused.map((r) => ({ kind: r.kind, type: r.type, name: r.name, urn: r.urn })) } : {}),
    }, null, 2));
    return exitCode;
  }

  const heading = `Plan of stack ${opts.stack}${dir === ROOT ? "" : ` of project ${project.name}`} (${region}), offline, as \`pulumi ${mode}\` would run it under Pulumi's mock engine; nothing is created.`;
  if (opts.details !== undefined) {
    out([heading, ...formatDetails(entries, opts.details), "", verdictSummary(verdicts), ...formatProviderProblems(providerRefuses, g.cloudResources.length), verdict].join("\n"));
    return exitCode;
  }
  out(formatReport({
    heading,
    warnings,
    heldBack: planWarnings.heldBack > 0 ? `(${planWarnings.heldBack} warning${planWarnings.heldBack === 1 ? "" : "s"} about the stacks that may share ${opts.stack}'s account not shown: --all-warnings)` : undefined,
    changes: diff ? formatChanges(diff) : undefined,
    graph: g,
    settings: checked.settings,
    outputs: showValue(g.recording.outputs) as Record<string, unknown>,
    cost: cost.text,
    costChange: costDiff ? formatCostChange(costDiff, opts.against!) : undefined,
    verdicts,
    providerProblems: formatProviderProblems(providerRefuses, g.cloudResources.length),
    verdict,
  }));
  return exitCode;
}

/** The stack's pack config beside its stack file: policy-pack/config/<stack>.json under `dir`. */
export function defaultPackConfig(dir: string, stack: string): string | undefined {
  const file = path.join(dir, "policy-pack", "config", `${stack}.json`);
  return fs.existsSync(file) ? file : undefined;
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
