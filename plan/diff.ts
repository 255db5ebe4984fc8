/**
 * `--against <saved plan.json>`: what this plan changes relative to a saved one (a previous `--json`, e.g.
 * of the base branch): each resource created, updated in place, replaced or deleted, with the changed
 * properties, and for each replacement the property that forces it (plan/replacements.ts).
 *
 * How it decides, as `pulumi preview` would:
 * - Identity: a resource is the saved one of the same URN, or of the URN one of its aliases names
 *   (mock-engine oldUrnOf, the engine's own rules). A saved resource nothing takes over is deleted; a
 *   resource with no saved one is created. A delete and a create of the same type that look like a rename
 *   get a hint: an alias keeps the resource.
 * - Changes: the inputs, compared property by property (paths like healthCheck.interval), less the
 *   resource's ignoreChanges. An input fed by a resource that is created or replaced (or by a launch
 *   template that gets a new version) changes too: its new value is known only after up, as preview shows it.
 * - Replacement: a changed property that is replacement-forcing for the type, or in the resource's
 *   replaceOnChanges. A changed value that is unknown on one side counts as changed: on a
 *   replacement-forcing property preview shows a replacement, and so does this plan. A type missing from
 *   the table "may replace".
 * - Protection: replacing or deleting a resource the saved plan marks protected fails in `pulumi preview`.
 */
import * as fs from "fs";
import type { Recording } from "./mock-engine";
import { oldUrnOf } from "./urns";
import { KNOWN_AFTER_UP, ResourceEntry, shortType } from "./report";
import { forcingProperty, IDENTITY_TYPES, isComponentType, REPLACEMENTS, UPDATE_CHANGES_OUTPUTS } from "./replacements";

export type ChangeKind = "create" | "update" | "replace" | "delete" | "same";

export interface PropertyChange {
  path: string;
  old?: unknown;
  new?: unknown;
  /** The resource whose new or replaced outputs make this value change (known after up). */
  from?: string;
  /** This change forces a replacement. */
  forcesReplacement?: boolean;
}

export interface ResourceChange {
  kind: Exclude<ChangeKind, "same">;
  urn: string;
  /** The saved URN it takes over, when an alias maps it (a move or rename with alias). */
  oldUrn?: string;
  type: string;
  name: string;
  /** A cloud resource (false: a component, which the summary does not count). */
  custom: boolean;
  changes: PropertyChange[];
  /** For a replacement: the properties that force it. */
  replacedBy?: string[];
  /** The type is not in the replacement table: the update may be a replacement. */
  mayReplace?: boolean;
  /** Replaces by deleting first (deleteBeforeReplace). */
  deleteBeforeReplace?: boolean;
  /** The saved resource is protected: `pulumi preview` refuses to replace or delete it. */
  protectedRefusal?: boolean;
  /** A stateful or identity-bearing type (plan/replacements.ts IDENTITY_TYPES) replaced or deleted. */
  identity?: boolean;
  /** For a delete or create that looks like a rename: how to keep the resource. */
  hint?: string;
}

export interface PlanDiff {
  against: string;
  summary: Record<ChangeKind, number>;
  /** Every resource that changes, components too (unchanged ones are only counted). */
  resources: ResourceChange[];
}

/** The parts of a saved `--json` plan the diff reads. */
export interface SavedPlan {
  stack: string;
  mode: "preview" | "up";
  resources: ResourceEntry[];
  /** Its monthly estimate (null when not estimated); older saved plans may lack it. */
  cost?: { monthlyUsd?: number | null };
}

/** A saved plan that cannot be compared: exit status 2 with the message. */
export class AgainstError extends Error {}

/** Reads and checks a saved plan for `stack` in `mode`. */
export function readSavedPlan(file: string, stack: string, mode: "preview" | "up"): SavedPlan {
  let saved: any;
  try {
    saved = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new AgainstError(`--against ${file}: not a saved plan (${(e as Error).message}); save one with npm run -s plan -- ${stack} --json > ${file}`);
  }
  if (!Array.isArray(saved?.resources)) {
    throw new AgainstError(`--against ${file}: no resources in it (a failed plan?); save one with npm run -s plan -- ${stack} --json > ${file}`);
  }
  if (saved.resources.some((r: any) => typeof r.urn !== "string" || typeof r.properties !== "object")) {
    throw new AgainstError(`--against ${file}: its resources carry no URNs and properties: it was saved by a plan older than --against; save it again with this version's plan (on the base branch: a version with --against)`);
  }
  if (saved.stack !== stack) throw new AgainstError(`--against ${file}: it is a plan of stack ${saved.stack}, not ${stack}: every URN names its stack, so nothing would match`);
  if (saved.mode !== mode) {
    throw new AgainstError(`--against ${file}: it was saved as \`pulumi ${saved.mode}\`, this plan runs as \`pulumi ${mode}\`; compare like with like: ${saved.mode === "up" ? "add" : "drop"} --up`);
  }
  return saved as SavedPlan;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The leaf paths where `a` and `b` differ; a side that is missing or of another shape differs as a whole. */
export function diffValues(a: unknown, b: unknown, at = "", out: PropertyChange[] = []): PropertyChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) diffValues(a[k], b[k], at ? `${at}.${k}` : k, out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffValues(x, b[i], `${at}[${i}]`, out));
    return out;
  }
  out.push({ path: at, ...(a !== undefined ? { old: a } : {}), ...(b !== undefined ? { new: b } : {}) });
  return out;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** The longest common suffix of two names. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Compares the current plan (its entries and the recording, for aliases) with a saved one. */
export function diffPlans(saved: SavedPlan, current: ResourceEntry[], recording: Recording, against: string): PlanDiff {
  const olds = new Map(saved.resources.map((r) => [r.urn, r]));
  const taken = oldUrnOf(recording, new Set(olds.keys()));
  const byUrn = new Map(current.map((e) => [e.urn, e]));
  const kinds = new Map<string, ChangeKind>();
  const results = new Map<string, ResourceChange | undefined>();

  const classify = (e: ResourceEntry): ResourceChange | undefined => {
    const oldUrn = taken.get(e.urn);
    const old = oldUrn ? olds.get(oldUrn) : undefined;
    if (!old) return { kind: "create", urn: e.urn, type: e.type, name: e.name, custom: e.custom, changes: [] };
    const ignored = (path: string) => e.options.ignoreChanges.some((p) => under(path, p));
    const changes = diffValues(old.properties, e.properties).filter((c) => !ignored(c.path));
    // Inputs fed by resources whose outputs change: new or replaced resources, or a new launch template version.
    for (const [property, sources] of Object.entries(e.propertyDependencies)) {
      if (ignored(property) || changes.some((c) => under(c.path, property))) continue;
      const source = sources.map((u) => byUrn.get(u)).find((s) => {
        if (!s) return false;
        const k = kinds.get(s.urn);
        return k === "create" || k === "replace" || (k === "update" && UPDATE_CHANGES_OUTPUTS[s.type] !== undefined);
      });
      if (source) {
        const k = kinds.get(source.urn);
        changes.push({ path: property, old: old.properties[property], new: KNOWN_AFTER_UP, from: `${source.name}, ${k === "create" ? "created" : k === "replace" ? "replaced" : "a new version"}` });
      }
    }
    const moved = oldUrn !== e.urn ? { oldUrn } : {};
    if (changes.length === 0) return undefined;
    if (!e.custom && isComponentType(e.type)) return { kind: "update", urn: e.urn, ...moved, type: e.type, name: e.name, custom: false, changes };
    const rule = REPLACEMENTS[e.type];
    const forced = new Set<string>();
    for (const c of changes) {
      const p = (rule && forcingProperty(rule, c.path)) ?? e.options.replaceOnChanges.find((r) => r === "*" || under(c.path, r));
      if (p) {
        c.forcesReplacement = true;
        forced.add(p);
      }
    }
    if (forced.size > 0) {
      return {
        kind: "replace", urn: e.urn, ...moved, type: e.type, name: e.name, custom: e.custom, changes, replacedBy: [...forced],
        ...(e.options.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        ...(old.protect ? { protectedRefusal: true } : {}),
        ...(IDENTITY_TYPES.includes(e.type) ? { identity: true } : {}),
      };
    }
    return { kind: "update", urn: e.urn, ...moved, type: e.type, name: e.name, custom: e.custom, changes, ...(rule ? {} : { mayReplace: true }) };
  };

  // Registration order puts a resource after those it reads; repeat until nothing moves, for any that is not.
  for (let pass = 0; pass < 5; pass++) {
    let moved = false;
    for (const e of current) {
      const r = classify(e);
      const kind = r?.kind ?? "same";
      if (kinds.get(e.urn) !== kind || JSON.stringify(results.get(e.urn)) !== JSON.stringify(r)) moved = true;
      kinds.set(e.urn, kind);
      results.set(e.urn, r);
    }
    if (!moved) break;
  }

  const takenOld = new Set([...taken.values()].filter((u): u is string => u !== undefined));
  const deleted: ResourceChange[] = saved.resources.filter((r) => !takenOld.has(r.urn)).map((r) => ({
    kind: "delete", urn: r.urn, type: r.type, name: r.name, custom: r.custom, changes: [],
    ...(r.protect ? { protectedRefusal: true } : {}),
    ...(IDENTITY_TYPES.includes(r.type) ? { identity: true } : {}),
  }));
  const created = current.map((e) => results.get(e.urn)).filter((r): r is ResourceChange => r?.kind === "create");
  // Renames: a delete and a create of one type, paired by the longest common name suffix.
  for (const d of deleted) {
    const candidates = created.filter((c) => c.type === d.type && !c.hint);
    const best = candidates.sort((a, b) => commonSuffix(b.name, d.name) - commonSuffix(a.name, d.name))[0];
    if (!best || (candidates.length > 1 && commonSuffix(best.name, d.name) === 0)) continue;
    const component = !REPLACEMENTS[d.type] && !d.type.startsWith("aws:");
    best.hint = `a rename of ${d.name}? add aliases: [{ name: "${d.name}" }] to ${best.name} to keep it${component ? " (children whose names start with it follow)" : ""}`;
    d.hint = `renamed to ${best.name}? without an alias it is deleted and ${best.name} created`;
  }

  const resources = [...current.map((e) => results.get(e.urn)).filter((r): r is ResourceChange => r !== undefined), ...deleted];
  // Counted as the plan counts resources: cloud resources, not the stack and components.
  const summary: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  for (const r of resources) if (r.custom) summary[r.kind]++;
  summary.same = current.filter((e) => e.custom).length - resources.filter((r) => r.custom && r.kind !== "delete").length;
  return { against, summary, resources };
}

/** The changes that `--fail-on-replace` refuses: replacements and deletions of identity-bearing resources. */
export function identityReplacements(diff: PlanDiff): ResourceChange[] {
  return diff.resources.filter((r) => r.identity && (r.kind === "replace" || r.kind === "delete"));
}

/** "2 to create, 1 to update, 7 to replace, 1 to delete, 40 unchanged". */
export function diffSummary(d: PlanDiff): string {
  const s = d.summary;
  return `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.same} unchanged`;
}

/** The longest value a change line shows; longer ones end in "… (N characters)". */
export const SHOWN_VALUE_MAX = 100;

const show = (v: unknown): string => {
  const text = v === undefined ? "(none)" : typeof v === "string" ? (v === KNOWN_AFTER_UP ? v : JSON.stringify(v)) : JSON.stringify(v);
  return text.length <= SHOWN_VALUE_MAX ? text : `${text.slice(0, SHOWN_VALUE_MAX - 1)}… (${text.length} characters)`;
};

/** A string input that holds a JSON document (container definitions, IAM policies), parsed; else undefined. */
function jsonDocument(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/**
 * A changed property as the text report's lines: a JSON document (a string input) is compared value by
 * value, by path inside it (`containerDefinitions[0].image`); lists of another length item by item, the
 * extra ones as added or removed; every value shortened to SHOWN_VALUE_MAX characters.
 */
export function changeLines(c: PropertyChange): { path: string; text: string }[] {
  const oldDoc = jsonDocument(c.old);
  const newDoc = jsonDocument(c.new);
  const leaves = (a: unknown, b: unknown, at: string): { path: string; text: string }[] => {
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
      const out: { path: string; text: string }[] = [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) out.push({ path: `${at}[${i}]`, text: `added ${show(b[i])}` });
        else if (i >= b.length) out.push({ path: `${at}[${i}]`, text: `removed ${show(a[i])}` });
        else out.push(...leaves(a[i], b[i], `${at}[${i}]`));
      }
      return out;
    }
    return diffValues(a, b, at).flatMap((d) => (Array.isArray(d.old) && Array.isArray(d.new) ? leaves(d.old, d.new, d.path) : [{ path: d.path, text: `${show(d.old)} -> ${show(d.new)}` }]));
  };
  const shown = oldDoc !== undefined && newDoc !== undefined
    ? leaves(oldDoc, newDoc, "").map((l) => ({ path: `${c.path}${l.path.startsWith("[") || l.path === "" ? "" : "."}${l.path}`, text: l.text }))
    : leaves(c.old, c.new, c.path);
  // A value fed by a created or replaced resource changes even where both sides print alike: in preview the
  // saved value was already "(known after up)" (a task definition's ARN), and so is the new one.
  return shown.length > 0 ? shown : [{ path: c.path, text: `${show(c.old)} -> ${show(c.new)}` }];
}

const MARK: Record<ResourceChange["kind"], string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** The text report's change list: one block per changed resource, its properties, its reasons. */
export function formatChanges(d: PlanDiff): string[] {
  const lines: string[] = [`Changes against ${d.against}: ${diffSummary(d)}`];
  const order: ResourceChange["kind"][] = ["replace", "delete", "create", "update"];
  for (const kind of order) {
    for (const r of d.resources.filter((x) => x.kind === kind)) {
      const what = kind === "replace"
        ? `replace${r.deleteBeforeReplace ? " (delete first)" : ""}: ${r.replacedBy!.join(", ")} ${r.replacedBy!.length > 1 ? "force" : "forces"} it`
        : kind === "update" ? `update in place: ${[...new Set(r.changes.map((c) => c.path))].join(", ")}${r.mayReplace ? " (may replace: the type is not in the replacement table)" : ""}` : kind;
      lines.push(`  ${MARK[kind].padEnd(2)} ${shortType(r.type)} ${r.name}  ${what}${r.identity ? "  [identity]" : ""}`);
      if (r.oldUrn) lines.push(`       was ${r.oldUrn} (alias)`);
      if (r.protectedRefusal) lines.push("       protected: `pulumi preview` refuses this until protect is lifted (deletionProtection: false, up, then this change)");
      for (const c of r.changes) {
        const cause = c.from ? `  (from ${c.from})` : "";
        for (const l of changeLines(c)) lines.push(`       ${l.path}: ${l.text}${c.forcesReplacement ? "  [forces replacement]" : ""}${cause}`);
      }
      if (r.hint) lines.push(`       hint: ${r.hint}`);
    }
  }
  return lines;
}
