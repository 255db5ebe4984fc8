/**
 * The plan's view of each resource, shared by `--json`, `--details` and `--against`: its inputs as the
 * provider would receive them, with what preview cannot know spelled `(known after up)` and every secret
 * spelled `[secret]`, its parent, dependencies, aliases and options. The saved `--json` of one run is the
 * "old" side of the next run's `--against`, so both sides come from this one function. And the text report
 * made of it: the resource tree, settings, outputs, cost, every policy's verdict, the last line.
 */
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import type { Graph, RecordedResource } from "./mock-engine";
import { maskCredentials, shownEnvironmentValue } from "../lib/secrets";
import { countStatuses, type PolicyVerdict, type VerdictStatus } from "./policies";

/** What preview cannot know yet, as the plan prints it. */
export const KNOWN_AFTER_UP = "(known after up)";
/** A secret value, as the plan prints it: never the value. */
export const SECRET = "[secret]";

const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

const isSecret = (v: unknown): boolean => !!v && typeof v === "object" && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;

/**
 * A recorded value as the plan shows it: unknown parts as KNOWN_AFTER_UP, secrets (the SDK's secret
 * wrappers, or Output secrets already resolved) as SECRET, object members that are undefined left out.
 */
export function showValue(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return KNOWN_AFTER_UP;
  if (isSecret(value)) return SECRET;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : showValue(v)));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, showValue(v)]));
  }
  return value;
}

/** One resource as `--json` carries it (and as `--against` reads it back). */
export interface ResourceEntry {
  urn: string;
  type: string;
  name: string;
  /** The parent's URN; absent for the stack. */
  parent?: string;
  /** A cloud resource (false: a component, or the stack). */
  custom: boolean;
  /** Inputs, secrets as "[secret]", unknowns as "(known after up)". */
  properties: Record<string, unknown>;
  /** URNs this resource depends on (inputs and dependsOn). */
  dependencies: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** The SDK's alias specs (the resource's own; the engine also derives its children's). */
  aliases: RecordedResource["aliases"];
  protect: boolean;
  options: { retainOnDelete: boolean; ignoreChanges: string[]; deleteBeforeReplace: boolean; replaceOnChanges: string[]; customTimeouts?: { create?: string; update?: string; delete?: string } };
}

/**
 * A task definition's container definitions with each environment value that is, or is named like, a
 * secret masked (lib/secrets.ts): config/ refuses credentials in values, and the pack refuses names like
 * secrets, but the plan prints what it is given, in --details, --json and --against alike.
 */
function maskedContainerDefinitions(text: unknown): unknown {
  if (typeof text !== "string") return text;
  let containers: unknown;
  try {
    containers = JSON.parse(text);
  } catch {
    return maskCredentials(text);
  }
  if (!Array.isArray(containers)) return maskCredentials(text);
  const masked = containers.map((c) => (c && typeof c === "object" && Array.isArray(c.environment)
    ? { ...c, environment: c.environment.map((e: { name?: unknown; value?: unknown }) => (typeof e?.name === "string" && typeof e.value === "string" ? { ...e, value: shownEnvironmentValue(e.name, e.value) } : e)) }
    : c));
  const shown = maskCredentials(JSON.stringify(masked));
  // Unchanged definitions keep their text as recorded, so saved plans compare byte for byte.
  return shown === JSON.stringify(containers) ? text : shown;
}

/** Inputs as the plan shows them: unknowns and secrets spelled out, container environments masked. */
function shownProperties(r: RecordedResource): Record<string, unknown> {
  const properties = showValue(r.inputs) as Record<string, unknown>;
  if ("containerDefinitions" in properties) properties.containerDefinitions = maskedContainerDefinitions(properties.containerDefinitions);
  return properties;
}

export function resourceEntry(r: RecordedResource): ResourceEntry {
  const deps = Object.fromEntries(Object.entries(r.propertyDependencies).filter(([, urns]) => urns.length > 0));
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parent: r.parent } : {}),
    custom: r.custom,
    properties: shownProperties(r),
    dependencies: r.dependencies,
    propertyDependencies: deps,
    aliases: r.aliases,
    protect: r.options.protect,
    options: {
      retainOnDelete: r.options.retainOnDelete,
      ignoreChanges: r.options.ignoreChanges,
      deleteBeforeReplace: r.options.deleteBeforeReplace,
      replaceOnChanges: r.options.replaceOnChanges ?? [],
      ...(r.options.customTimeouts ? { customTimeouts: r.options.customTimeouts } : {}),
    },
  };
}

/** Every registered resource (the stack, components and cloud resources), in registration order. */
export function resourceEntries(g: Graph): ResourceEntry[] {
  return g.resources.map(resourceEntry);
}

/** The short form of a type token, as the plan's tree prints it: aws:ec2/subnet:Subnet -> ec2:Subnet. */
export function shortType(type: string): string {
  const [pkg, module, name] = type.split(":");
  if (name === undefined) return type;
  return pkg === "aws" ? `${module.replace(/\/.*$/, "")}:${name}` : type;
}

/** Resources whose logical name, type token or short type (ec2:Subnet) is `query` (case-insensitive). */
export function matching(entries: ResourceEntry[], query: string): ResourceEntry[] {
  const q = query.toLowerCase();
  return entries.filter((e) => [e.name, e.type, shortType(e.type)].some((x) => x.toLowerCase() === q));
}

/** A JSON document held in a string (container definitions, IAM policies), parsed; else undefined. */
function jsonDocument(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Properties for reading: JSON documents in strings parsed, so they print as structure. */
export function readable(properties: Record<string, unknown>): { properties: Record<string, unknown>; documents: string[] } {
  const documents: string[] = [];
  const walk = (v: unknown, at: string): unknown => {
    const doc = jsonDocument(v);
    if (doc !== undefined) {
      documents.push(at);
      return doc;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, at ? `${at}.${k}` : k)]));
    return v;
  };
  return { properties: walk(properties, "") as Record<string, unknown>, documents };
}

/** Indented YAML of a value, for the text report. */
export function yamlText(value: unknown, indent: number): string[] {
  const text = yaml.dump(value, { lineWidth: -1, noRefs: true, sortKeys: false }).trimEnd();
  return text.split("\n").map((l) => `${" ".repeat(indent)}${l}`);
}

/** The `--details` view of the resources `query` names: type, place, options, what feeds it, properties. */
export function formatDetails(entries: ResourceEntry[], query: string): string[] {
  const byUrn = new Map(entries.map((e) => [e.urn, e]));
  const nameOf = (urn: string) => byUrn.get(urn)?.name ?? urn;
  const lines: string[] = [];
  for (const e of matching(entries, query)) {
    const { properties, documents } = readable(e.properties);
    lines.push("", `${shortType(e.type)} ${e.name}`);
    lines.push(`  type     ${e.type}${e.custom ? "" : " (component)"}`);
    lines.push(`  urn      ${e.urn}`);
    if (e.parent) lines.push(`  parent   ${nameOf(e.parent)}`);
    const opts = [
      e.protect ? "protect" : "",
      e.options.retainOnDelete ? "retainOnDelete" : "",
      e.options.deleteBeforeReplace ? "deleteBeforeReplace" : "",
      e.options.ignoreChanges.length ? `ignoreChanges ${e.options.ignoreChanges.join(", ")}` : "",
      e.options.replaceOnChanges.length ? `replaceOnChanges ${e.options.replaceOnChanges.join(", ")}` : "",
    ].filter(Boolean);
    if (opts.length) lines.push(`  options  ${opts.join("; ")}`);
    const fed = Object.entries(e.propertyDependencies).map(([k, urns]) => `${k} <- ${urns.map(nameOf).join(", ")}`);
    if (fed.length) lines.push(`  from     ${fed.join("; ")}`);
    const others = e.dependencies.filter((u) => !Object.values(e.propertyDependencies).some((urns) => urns.includes(u)));
    if (others.length) lines.push(`  after    ${others.map(nameOf).join(", ")} (dependsOn)`);
    if (documents.length) lines.push(`  (${documents.join(", ")}: JSON document${documents.length > 1 ? "s" : ""}, shown parsed)`);
    if (Object.keys(properties).length === 0) lines.push("  properties: none");
    else lines.push("  properties:", ...yamlText(properties, 4));
  }
  return lines;
}

/** Resources as an indented tree under each component, with counts of cloud resources. */
export function formatTree(g: Graph): string[] {
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

/** Each policy's verdict, with its violations, what it could not verify offline, what it remediated. */
export function formatVerdicts(verdicts: PolicyVerdict[]): string[] {
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

/** The stack outputs, one line per value: nested objects as dotted names, lists joined. */
export function formatOutputs(outputs: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const output = (k: string, v: unknown): void => {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [kk, vv] of Object.entries(v)) output(`${k}.${kk}`, vv);
    else lines.push(`  ${k.padEnd(21)} ${Array.isArray(v) ? v.join(", ") : v}`);
  };
  for (const [k, v] of Object.entries(outputs)) output(k, v);
  return lines;
}

/** What the text report is made of. */
export interface TextReportParts {
  /** The first line: which stack, how it was planned. */
  heading: string;
  warnings: string[];
  /** A note about warnings held back (the project's stacks that may share this one's account), if any. */
  heldBack?: string;
  /** The changes against a saved plan (--against), instead of the resource tree. */
  changes?: string[];
  graph: Graph;
  settings: Record<string, Record<string, string>>;
  /** The outputs as shown (showValue). */
  outputs: Record<string, unknown>;
  cost: string[];
  costChange?: string;
  verdicts: PolicyVerdict[];
  providerProblems: string[];
  /** The last line: OK, or every reason the plan fails. */
  verdict: string;
}

/** The whole text report: warnings, resources (or changes), settings, outputs, cost, policies, provider rules, verdict. */
export function formatReport(p: TextReportParts): string {
  const lines: string[] = [p.heading];
  if (p.warnings.length > 0) {
    lines.push("", `WARNINGS (${p.warnings.length})`);
    for (const w of p.warnings) lines.push(`  ! ${w}`);
  }
  if (p.heldBack) lines.push("", p.heldBack);
  if (p.changes) {
    lines.push("", ...p.changes);
  } else {
    lines.push("", `Resources: ${p.graph.cloudResources.length} to create`);
    lines.push(...formatTree(p.graph));
  }
  lines.push("", "Settings");
  for (const [section, values] of Object.entries(p.settings)) {
    lines.push(`  ${section}`);
    for (const [k, v] of Object.entries(values)) lines.push(`    ${k.padEnd(16)} ${v}`);
  }
  lines.push("", "Outputs", ...formatOutputs(p.outputs));
  lines.push("", ...p.cost);
  if (p.costChange) lines.push(p.costChange);
  lines.push("", verdictSummary(p.verdicts), ...formatVerdicts(p.verdicts));
  lines.push("", ...p.providerProblems);
  lines.push("", p.verdict);
  return lines.join("\n");
}
