/**
 * The offline plan: `npm run plan -- <stack> [--json] [--up]`.
 *
 * Evaluates the whole program for a stack's config (Pulumi.yaml defaults + Pulumi.<stack>.yaml, merged as
 * the CLI merges them) under Pulumi's mock engine, with no cloud account and no Pulumi CLI, as `pulumi
 * preview` would (or, with --up, as `pulumi up` would: ids known, placeholders refused), and prints what
 * it would create, grouped by component; the settings that matter; the program's warnings; and the
 * verdict of every policy of the pack. Exit status: 0 when no blocking (mandatory) policy is violated, 1
 * on a blocking violation, a config error or a program error, 2 on bad usage (including an unknown stack).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, describePlaceholders, parseStackConfig, type StackConfig } from "../config";
import { Graph, ProgramError, RecordedResource, runProgram } from "./mock-engine";
import { countStatuses, evaluatePolicies, mandatoryFailures, PolicyVerdict, VerdictStatus } from "./policies";
import { costChange, estimateCost, formatCost, formatCostChange } from "./cost";
import { AgainstError, diffPlans, formatChanges, identityReplacements, readSavedPlan, SavedPlan } from "./diff";
import { formatDetails, matching, resourceEntries, shortType, showValue } from "./report";
import { listStacks, readStackConfig, ROOT } from "../config/stack-files";
import { parseArgs, UsageError, USAGE, npmEatenOptions } from "./args";
import { elasticIpWarnings, settings } from "./settings";
import { formatProviderProblems, providerProblems, providerVersion } from "./provider-check";


/** Resources as an indented tree under each component, with counts of cloud resources. */
function tree(g: Graph): string[] {
  const lines: string[] = [];
  const countUnder = (r: RecordedResource): number => g.children(r).reduce((n, c) => n + (c.custom ? 1 : 0) + countUnder(c), 0);
  const walk = (r: RecordedResource, depth: number) => {
    const label = r.custom ? `${r.type.split(":")[1].replace(/\/.*$/, "")}:${r.type.split(":")[2]}` : r.type;
    const count = r.custom ? "" : ` (${countUnder(r)})`;
    lines.push(`${"  ".repeat(depth)}${r.custom ? "+ " : ""}${label} ${r.name}${count}`);
    for (const c of g.children(r)) walk(c, depth + 1);
  };
  walk(g.one("pulumi:pulumi:Stack"), 0);
  return lines;
}

/** How each status prints in the text report. */
const MARKS: Record<VerdictStatus, string> = { pass: "pass", fail: "FAIL", warn: "warn", skipped: "skip", "not-applicable": "n/a" };

/** "Policies: 12 pass, 0 fail, 1 warn, 2 skipped, 4 not applicable (of 19)". */
export function verdictSummary(verdicts: PolicyVerdict[]): string {
  const c = countStatuses(verdicts);
  return `Policies: ${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.skipped} skipped, ${c["not-applicable"]} not applicable (of ${verdicts.length})`;
}

function formatVerdicts(verdicts: PolicyVerdict[]): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    lines.push(`  ${MARKS[v.status].padEnd(4)}  ${v.policy} (${v.enforcementLevel})`);
    const item = (x: { resourceName?: string; message: string }) => `${x.resourceName ? `${x.resourceName}: ` : ""}${x.message}`;
    for (const x of v.violations) lines.push(`          ${item(x)}`);
    for (const x of v.unverified ?? []) lines.push(`          not verifiable offline: ${item(x)}`);
    for (const x of v.remediated ?? []) lines.push(`          remediated: ${x.resourceName}`);
    if (v.status === "not-applicable") lines.push(`          ${(v.notApplicable ?? []).join("; ")}`);
  }
  return lines;
}

/**
 * Plans `argv`'s stack, writing the report through `out` (and errors through `err`); resolves to the exit
 * status: 0 clean, 1 config error, program error or blocking policy violation.
 */
export async function plan(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.help) {
    out(USAGE);
    return 0;
  }
  const stacksDir = opts.stacksDir ?? ROOT;
  const stacks = listStacks(stacksDir);
  if (!stacks.includes(opts.stack)) throw new UsageError(`no stack file Pulumi.${opts.stack}.yaml${opts.stacksDir ? ` in ${opts.stacksDir}` : ""}; stacks: ${stacks.join(", ")}`);
  const raw = { ...readStackConfig(opts.stack, stacksDir), ...opts.overrides };
  for (const key of opts.removed) delete raw[key];
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

  let config: StackConfig;
  try {
    config = parseStackConfig(raw, { rootDir: ROOT });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return fail({ configErrors: e.problems }, e.message);
  }
  if (opts.up && config.placeholders.length > 0) {
    const problems = describePlaceholders(config.placeholders);
    return fail({ placeholders: problems }, `\`pulumi up\` would refuse the stack's placeholders:\n  - ${problems.join("\n  - ")}`);
  }

  const started = Date.now();
  const program = require(opts.program ? path.resolve(opts.program) : "../index");
  let g: Graph;
  try {
    g = new Graph(await runProgram(program, { stack: opts.stack, config: raw, preview: !opts.up }));
  } catch (e) {
    const message = e instanceof ProgramError ? e.message : String(e);
    return fail({ programError: message }, `the program failed: ${message}`);
  }
  const verdicts = await evaluatePolicies(g.recording, opts.policyConfig ?? defaultPackConfig(stacksDir, opts.stack));
  const blocking = mandatoryFailures(verdicts);
  const ok = blocking.length === 0;
  // Warnings that count other stacks are only shown with --all-warnings, but never hidden silently.
  const everyStack = elasticIpWarnings(opts.stack, stacksDir, raw);
  const ownIpWarnings = opts.allWarnings ? everyStack : elasticIpWarnings(opts.stack, stacksDir, raw, false);
  const otherStackWarnings = everyStack.length - ownIpWarnings.length;
  const warnings = [...g.recording.warnings, ...ownIpWarnings, ...(g.recording.assumptions ?? [])];
  const entries = resourceEntries(g);
  const cost = estimateCost(config, g.resources);
  const diff = saved ? diffPlans(saved, entries, g.recording, opts.against!) : undefined;
  const costDiff = saved ? costChange(saved, cost) : undefined;
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
      region,
      mode,
      ok: exitCode === 0,
      resources: entries,
      counts: countBy(g.cloudResources.map((r) => r.type)),
      settings: settings(config),
      outputs: showValue(g.recording.outputs),
      warnings,
      policies: verdicts,
      providerRules: { provider: providerVersion(), problems: providerRefuses },
      cost: cost.available ? cost : { ...cost, monthlyUsd: null },
      ...(diff ? { changes: diff, costChange: costDiff } : {}),
      ...(opts.failOnReplace ? { refusedReplacements: refused.map((r) => ({ kind: r.kind, type: r.type, name: r.name, urn: r.urn })) } : {}),
    }, null, 2));
    return exitCode;
  }

  const lines: string[] = [];
  lines.push(`Plan of stack ${opts.stack} (${region}), offline, as \`pulumi ${mode}\` would run it under Pulumi's mock engine; nothing is created.`);
  if (opts.details !== undefined) {
    lines.push(...formatDetails(entries, opts.details));
    lines.push("", verdictSummary(verdicts), ...formatProviderProblems(providerRefuses, g.cloudResources.length), verdict);
    out(lines.join("\n"));
    return exitCode;
  }
  if (warnings.length > 0) {
    lines.push("", `WARNINGS (${warnings.length})`);
    for (const w of warnings) lines.push(`  ! ${w}`);
  }
  if (otherStackWarnings > 0) lines.push("", `(${otherStackWarnings} warning${otherStackWarnings === 1 ? "" : "s"} about the stacks that may share ${opts.stack}'s account not shown: --all-warnings)`);
  if (diff) {
    lines.push("", ...formatChanges(diff));
  } else {
    lines.push("", `Resources: ${g.cloudResources.length} to create`);
    lines.push(...tree(g));
  }
  lines.push("", "Settings");
  for (const [component, values] of Object.entries(settings(config))) {
    lines.push(`  ${component}`);
    for (const [k, v] of Object.entries(values)) lines.push(`    ${k.padEnd(16)} ${v}`);
  }
  lines.push("", "Outputs");
  const output = (k: string, v: unknown): void => {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [kk, vv] of Object.entries(v)) output(`${k}.${kk}`, vv);
    else lines.push(`  ${k.padEnd(21)} ${Array.isArray(v) ? v.join(", ") : v}`);
  };
  for (const [k, v] of Object.entries(showValue(g.recording.outputs) as Record<string, unknown>)) output(k, v);
  lines.push("", ...formatCost(cost));
  if (costDiff) lines.push(formatCostChange(costDiff, opts.against!));
  lines.push("", verdictSummary(verdicts));
  lines.push(...formatVerdicts(verdicts));
  lines.push("", ...formatProviderProblems(providerRefuses, g.cloudResources.length));
  lines.push("", verdict);
  out(lines.join("\n"));
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

/** A usage error as the plan prints it: one line, and where the options are listed. */
export function usageError(message: string): string {
  return `${message} (npm run plan -- --help lists the options)`;
}

/**
 * Exits with `code` once stdout and stderr have taken all that was written. process.exit() alone drops what
 * a pipe has not taken yet: `npm run plan -- prod --json | jq` would get the first 64 KiB of the report.
 */
function exitWhenWritten(code: number): void {
  let open = 2;
  const written = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write("", written);
  process.stderr.write("", written);
}

if (require.main === module) {
  const eaten = npmEatenOptions(process.env);
  if (eaten) {
    console.error(usageError(eaten));
    exitWhenWritten(2);
  } else {
    plan(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s)).then(exitWhenWritten, (e) => {
      if (e instanceof UsageError) {
        console.error(usageError(e.message));
        exitWhenWritten(2);
      } else {
        console.error(e instanceof Error ? e.message : e);
        exitWhenWritten(1);
      }
    });
  }
}
