/**
 * The offline check of what the Terraform AWS provider (the engine under @pulumi/aws) refuses before any API
 * call: pure functions over a resource's type token and inputs, no Pulumi engine. The rules are
 * rules.generated.json (tools/provider-rules/extract.mjs, from the provider's schema), rules.framework.ts (the
 * schema rules of plugin-framework resources, in the same form) and rules.hand.ts.
 * Unknown values are skipped, never guessed; secrets are unwrapped (values.ts).
 */
import generated from "./rules.generated.json";
import { FRAMEWORK_TYPES } from "./rules.framework";
import { HAND_RULES } from "./rules.hand";
import { locate, parentPath, presence, unwrap, isUnknown, type Located } from "./values";

export interface Problem {
  /** The property as the program spells it: "metricQueries[0].metric.stat". */
  property: string;
  value: unknown;
  rule: { kind: string; text: string };
  /** Where the rule comes from: the provider file (and function), or the API reference. */
  source: string;
}

/** One generated rule, as extract.mjs writes it. */
export interface GeneratedRule {
  path: string;
  tfPath: string;
  kind: string;
  each?: boolean;
  values?: (string | number)[];
  ignoreCase?: boolean;
  min?: number;
  max?: number;
  by?: number;
  regex?: string;
  message?: string;
  with?: string[];
  of?: GeneratedRule[];
  enumSource?: string;
}
interface TypeEntry { tfType: string; source: string; rules?: GeneratedRule[]; note?: string; customizeDiff?: string[] }

const TYPES: Record<string, TypeEntry> = { ...(generated as unknown as { types: Record<string, TypeEntry> }).types, ...FRAMEWORK_TYPES };
export const PROVIDER = (generated as unknown as { header: { provider: Record<string, unknown> } }).header.provider;

/** The text a rule is named by: "enum SampleCount|Average|...", "ConflictsWith metricQueries". */
export function ruleText(r: GeneratedRule): string {
  switch (r.kind) {
    case "enum": return `one of ${r.values!.join(", ")}${r.ignoreCase ? " (any case)" : ""}`;
    case "intRange": case "floatRange": return `between ${r.min ?? "-inf"} and ${r.max ?? "+inf"}`;
    case "intSet": return `one of ${r.values!.join(", ")}`;
    case "intDivisibleBy": return `a multiple of ${r.by}`;
    case "stringLength": return `length between ${r.min} and ${r.max}`;
    case "pattern": return `matches /${r.regex}/${r.message ? ` (${r.message})` : ""}`;
    case "notPattern": return `does not match /${r.regex}/${r.message ? ` (${r.message})` : ""}`;
    case "cidrNetwork": return `an IPv4 network in CIDR notation${r.min !== undefined ? `, prefix /${r.min} to /${r.max}` : ""}`;
    case "json": return "a JSON document";
    case "any": return r.of!.map(ruleText).join(" or ");
    case "required": return "required";
    case "maxItems": return `at most ${r.max} items`;
    case "minItems": return `at least ${r.min} items`;
    case "conflictsWith": return `ConflictsWith ${r.with!.join(", ")}`;
    case "exactlyOneOf": return `ExactlyOneOf ${r.with!.join(", ")}`;
    case "atLeastOneOf": return `AtLeastOneOf ${r.with!.join(", ")}`;
    case "requiredWith": return `RequiredWith ${r.with!.join(", ")}`;
    default: return r.kind;
  }
}

/** Whether a known scalar passes a value rule; undefined when the rule does not apply to it. */
function passes(r: GeneratedRule, v: unknown): boolean | undefined {
  switch (r.kind) {
    case "enum":
      if (typeof v !== "string") return undefined;
      return r.ignoreCase ? r.values!.some((x) => String(x).toLowerCase() === v.toLowerCase()) : r.values!.includes(v);
    case "intRange": case "floatRange":
      if (typeof v !== "number") return undefined;
      return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
    case "intSet": return typeof v === "number" ? r.values!.includes(v) : undefined;
    case "intDivisibleBy": return typeof v === "number" ? v % r.by! === 0 : undefined;
    case "stringLength": return typeof v === "string" ? v.length >= r.min! && v.length <= r.max! : undefined;
    case "pattern": return typeof v === "string" ? new RegExp(r.regex!).test(v) : undefined;
    case "notPattern": return typeof v === "string" ? !new RegExp(r.regex!).test(v) : undefined;
    case "cidrNetwork": return typeof v === "string" && !v.includes(":") ? isIPv4Network(v, r.min, r.max) : undefined;
    case "json":
      if (typeof v !== "string") return undefined;
      try { JSON.parse(v); return true; } catch { return false; }
    case "any": {
      const each = r.of!.map((x) => passes(x, v));
      return each.includes(true) ? true : each.every((x) => x === undefined) ? undefined : false;
    }
    default: return undefined;
  }
}

/** An IPv4 CIDR whose address is its network address (terraform-plugin-sdk IsCIDRNetwork, the provider's verify.ValidIPv4CIDRNetworkAddress). */
function isIPv4Network(v: string, min = 0, max = 32): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number), bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32 || bits < min || bits > max) return false;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  return addr % 2 ** (32 - bits) === 0;
}

const PRESENCE_KINDS = new Set(["required", "conflictsWith", "exactlyOneOf", "atLeastOneOf", "requiredWith"]);

function checkRule(r: GeneratedRule, inputs: Record<string, unknown>, source: string): Problem[] {
  const problem = (at: Located, value: unknown = at.value): Problem => ({ property: at.path, value, rule: { kind: r.kind, text: ruleText(r) }, source });
  const out: Problem[] = [];
  for (const at of locate(inputs, r.path)) {
    const p = presence(at.value);
    if (PRESENCE_KINDS.has(r.kind)) {
      // Sibling paths of a nested rule would be relative to its block; the generated ones are top-level.
      const others = (r.with ?? []).map((w) => presence(parentPath(at.path) ? undefined : inputs[w]));
      if (r.kind === "required" && p === "unset") out.push(problem(at, at.value ?? null));
      if (r.kind === "conflictsWith" && p === "set") r.with!.forEach((w, n) => others[n] === "set" && out.push({ ...problem(at), rule: { kind: r.kind, text: `ConflictsWith ${w}` } }));
      if (r.kind === "requiredWith" && p === "set" && others.includes("unset")) out.push(problem(at));
      if (r.kind === "exactlyOneOf" || r.kind === "atLeastOneOf") {
        const all = [p, ...others], set = all.filter((x) => x === "set").length;
        if ((r.kind === "exactlyOneOf" && set > 1 && p === "set") || (set === 0 && !all.includes("unknown"))) out.push(problem(at, at.value ?? null));
      }
      continue;
    }
    if (p !== "set") continue;
    if (r.kind === "maxItems" || r.kind === "minItems") {
      if (!Array.isArray(at.value)) continue;
      const n = at.value.length;
      if ((r.kind === "maxItems" && n > r.max!) || (r.kind === "minItems" && n < r.min!)) out.push(problem(at));
      continue;
    }
    const items: Located[] = r.each && Array.isArray(at.value) ? at.value.map((v, i) => ({ path: `${at.path}[${i}]`, value: v })) : [at];
    for (const it of items) if (!isUnknown(it.value) && passes(r, it.value) === false) out.push(problem(it));
  }
  return out;
}

/** What the provider refuses in one resource's inputs (create, or any plan of it). */
export function checkResource(type: string, inputs: Record<string, unknown>): Problem[] {
  const plain = unwrap(inputs) as Record<string, unknown>;
  const entry = TYPES[type];
  const source = entry ? entry.source : "";
  // ExactlyOneOf/AtLeastOneOf sit on every member of the group: one problem per group, not per member.
  const seen = new Set<string>();
  const out = (entry?.rules ?? []).flatMap((r) => checkRule(r, plain, `hashicorp/terraform-provider-aws ${source} (${r.tfPath})`)).filter((p) => {
    if (p.rule.kind !== "exactlyOneOf" && p.rule.kind !== "atLeastOneOf") return true;
    const rule = entry!.rules!.find((r) => r.kind === p.rule.kind && r.path === p.property.replace(/\[\d+\]/g, "[]"));
    const key = `${p.rule.kind} ${[p.property, ...(rule?.with ?? [])].sort().join(",")}`;
    return !seen.has(key) && !!seen.add(key);
  });
  for (const h of HAND_RULES[type] ?? []) {
    for (const p of h.check?.(plain) ?? []) out.push({ property: p.property, value: p.value, rule: { kind: p.kind, text: p.text }, source: h.source });
  }
  return out;
}

/** What the provider refuses in an update from `oldInputs` to `newInputs` (its update-time CustomizeDiff rules), plus checkResource of the new inputs. */
export function checkUpdate(type: string, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>): Problem[] {
  const o = unwrap(oldInputs) as Record<string, unknown>, n = unwrap(newInputs) as Record<string, unknown>;
  const out = checkResource(type, n);
  for (const h of HAND_RULES[type] ?? []) {
    for (const p of h.checkUpdate?.(o, n) ?? []) out.push({ property: p.property, value: p.value, rule: { kind: p.kind, text: p.text }, source: h.source });
  }
  return out;
}

/** What the table holds for one type token. */
export interface Coverage {
  /** Schema rules: generated, or declared for a plugin-framework resource. */
  generated: number;
  hand: number;
  /** Whether its schema was read (an empty rule list then says the schema has none). */
  read: boolean;
  note?: string;
}

/** Per type token: how many rules it has, whether its schema was read, and why it has none. */
export function coverage(): Record<string, Coverage> {
  const out: Record<string, Coverage> = {};
  for (const [t, e] of Object.entries(TYPES)) out[t] = { generated: e.rules?.length ?? 0, hand: HAND_RULES[t]?.length ?? 0, read: Array.isArray(e.rules), ...(e.note ? { note: e.note } : {}) };
  for (const t of Object.keys(HAND_RULES)) out[t] ??= { generated: 0, hand: HAND_RULES[t].length, read: false };
  return out;
}
