/**
 * Evaluates the policy pack against a recording of plan/mock-engine.ts, offline, as `pulumi preview|up
 * --policy-pack policy-pack [--policy-pack-config <file>]` would: for each resource in registration order,
 * remediations (enforcement level "remediate") then validations on its inputs; then stack policies on
 * every resource's state. Pack config is reconciled as the CLI does (schema defaults, then "all", then
 * per-policy entries). One verdict per policy.
 *
 *   const verdicts = await evaluatePolicies(recording, require("../policy-pack/config/prod.json"));
 *   if (mandatoryFailures(verdicts).length > 0) process.exitCode = 1;
 *
 * Imports policy-pack/policies, never policy-pack/index.ts (constructing a PolicyPack starts a gRPC server).
 */
import * as fs from "fs";
import type { EnforcementLevel, Policies, PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies as packPolicies } from "../policy-pack/policies";
import type { RecordedResource, Recording } from "./mock-engine";
import { NotApplicableError, defaultStackTags, isUnknownValueError, resourceArgs, stackArgs, stackProps, toWire, unproxy, urnParts } from "./policy-args";

export type { EnforcementLevel };

export interface Violation {
  message: string;
  urn?: string;
  resourceName?: string;
}

/**
 * What a policy's verdict amounts to: `pass` (it examined something and found nothing), `fail` (a violation
 * of a mandatory or remediate policy: blocks), `warn` (a violation of an advisory one), `skipped` (disabled
 * by the pack config), `not-applicable` (it examined nothing: no resource of its types, or every call said
 * `notApplicable`, as the engine records it per policy).
 */
export type VerdictStatus = "pass" | "fail" | "warn" | "skipped" | "not-applicable";

export const VERDICT_STATUSES: VerdictStatus[] = ["pass", "fail", "warn", "skipped", "not-applicable"];

export interface PolicyVerdict {
  policy: string;
  enforcementLevel: EnforcementLevel;
  status: VerdictStatus;
  /** No violations (a disabled or not-applicable policy passes). */
  passed: boolean;
  violations: Violation[];
  /**
   * Checks that read a value unknown in preview and so could not run; the CLI reports these as advisory
   * "can't run policy ... during preview" and they do not block. Present only when non-empty.
   */
  unverified?: Violation[];
  /** Resources whose inputs this policy's remediation changed (enforcement level "remediate"). */
  remediated?: { urn: string; resourceName: string }[];
  /** Why it did not apply (the reasons its calls gave), when the status is not-applicable. */
  notApplicable?: string[];
}

/** `{ "all": level, "<policy>": level | { enforcementLevel?, ...properties } }`, the `--policy-pack-config` file format. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface EvaluateOptions {
  /** The policies to evaluate; default: the whole pack. */
  policies?: Policies;
  /** Stack tags as the CLI sends them; default: pulumi:project and pulumi:runtime. */
  stackTags?: Record<string, string>;
}

interface Resolved {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function checkLevel(where: string, level: unknown): EnforcementLevel {
  if (!LEVELS.includes(level as EnforcementLevel)) throw new Error(`${where}: ${JSON.stringify(level)} is not an enforcement level (${LEVELS.join(", ")})`);
  return level as EnforcementLevel;
}

/** A small JSON-schema check of one config property: type, items' type, minimum and maximum. */
function checkProperty(where: string, schema: any, value: unknown): void {
  const ok = (s: any, v: unknown): boolean => {
    switch (s?.type) {
      case "array":
        return Array.isArray(v) && v.every((x) => ok(s.items ?? {}, x));
      case "integer":
        return Number.isInteger(v) && (s.minimum === undefined || (v as number) >= s.minimum) && (s.maximum === undefined || (v as number) <= s.maximum);
      case "number":
        return typeof v === "number" && (s.minimum === undefined || v >= s.minimum) && (s.maximum === undefined || v <= s.maximum);
      case undefined:
        return true;
      default:
        return typeof v === s.type;
    }
  };
  if (!ok(schema, value)) throw new Error(`${where}: ${JSON.stringify(value)} does not match ${JSON.stringify(schema)}`);
}

/**
 * Each policy's enforcement level and config properties, reconciled as the CLI does: the policy's own level
 * (the pack default is advisory) and its schema defaults, then "all", then the policy's entry. Stricter than
 * the CLI on purpose: an entry for an unknown policy or property is an error, so a typo in a config file
 * fails CI instead of silently doing nothing.
 */
export function resolvePackConfig(policies: Policies, packConfig: PackConfig = {}): Map<string, Resolved> {
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(packConfig)) {
    if (key !== "all" && !names.has(key)) throw new Error(`policy pack config names unknown policy "${key}"`);
  }
  const all = packConfig.all;
  const allLevel = typeof all === "string" ? checkLevel("all", all) : all?.enforcementLevel ? checkLevel("all", all.enforcementLevel) : undefined;
  const result = new Map<string, Resolved>();
  for (const p of policies) {
    const schema: PolicyConfigSchema["properties"] = p.configSchema?.properties ?? {};
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema)) if (typeof s === "object" && s.default !== undefined) properties[k] = s.default;
    let enforcementLevel: EnforcementLevel = allLevel ?? p.enforcementLevel ?? "advisory";
    const entry = packConfig[p.name];
    if (typeof entry === "string") enforcementLevel = checkLevel(p.name, entry);
    else if (entry) {
      const { enforcementLevel: level, ...given } = entry;
      if (level) enforcementLevel = checkLevel(p.name, level);
      for (const [k, v] of Object.entries(given)) {
        if (!(k in schema)) throw new Error(`${p.name}: unknown config property "${k}" (known: ${Object.keys(schema).join(", ") || "none"})`);
        checkProperty(`${p.name}.${k}`, schema[k], v);
        properties[k] = v;
      }
    }
    for (const k of p.configSchema?.required ?? []) if (!(k in properties)) throw new Error(`${p.name}: config property "${k}" is required`);
    result.set(p.name, { enforcementLevel, properties });
  }
  return result;
}

const isResourcePolicy = (p: Policies[number]): p is ResourceValidationPolicy =>
  typeof (p as ResourceValidationPolicy).validateResource === "function" ||
  Array.isArray((p as ResourceValidationPolicy).validateResource) ||
  typeof (p as ResourceValidationPolicy).remediateResource === "function";
const isStackPolicy = (p: Policies[number]): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function";

/** The type token validateResourceOfType attaches to its function, which lets the engine skip other types. */
const typeFilter = (fn: unknown): string | undefined => {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
};

/** `reportViolation` also accepts an object (`{ message, urn, ... }`), as the SDK's does. */
function violationText(message: unknown): string {
  if (typeof message === "object" && message !== null) {
    const m = message as { message?: string; description?: string };
    return m.message ?? m.description ?? "";
  }
  return String(message ?? "");
}

/**
 * One verdict per policy, in the pack's order. `packConfig` is the config object or the path of a
 * `--policy-pack-config` JSON file.
 */
export async function evaluatePolicies(recording: Recording, packConfig?: PackConfig | string, options: EvaluateOptions = {}): Promise<PolicyVerdict[]> {
  const policies = options.policies ?? packPolicies;
  const config = resolvePackConfig(policies, typeof packConfig === "string" ? JSON.parse(fs.readFileSync(packConfig, "utf8")) : packConfig);
  const project = recording.resources[0] ? urnParts(recording.resources[0].urn).project : "ecs-ec2-api";
  const stackTags = options.stackTags ?? defaultStackTags(project);
  const verdicts = new Map<string, PolicyVerdict>(
    policies.map((p) => [p.name, { policy: p.name, enforcementLevel: config.get(p.name)!.enforcementLevel, status: "pass", passed: true, violations: [] }]),
  );
  // Policies that examined something: a call that did not end in notApplicable (the engine's own record).
  const applied = new Set<string>();
  const reasons = new Map<string, Set<string>>();
  const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  const add = (p: string, list: "violations" | "unverified", v: Violation) => {
    const verdict = verdicts.get(p)!;
    (verdict[list] ??= []).push(v);
  };
  /** Runs one policy callback the way the server does: not-applicable and unknown values are not errors. */
  const guarded = async (policy: string, where: { urn?: string; resourceName?: string }, run: () => unknown) => {
    try {
      await run();
      applied.add(policy);
    } catch (e) {
      if (e instanceof NotApplicableError) {
        if (!reasons.has(policy)) reasons.set(policy, new Set());
        reasons.get(policy)!.add(e.message);
        return;
      }
      applied.add(policy);
      if (isUnknownValueError(e)) return add(policy, "unverified", { message: `can't run policy '${policy}' during preview: ${(e as Error).message}`, ...where });
      throw new Error(`policy ${policy} failed${where.urn ? ` on ${where.urn}` : ""}: ${(e as Error).message}`, { cause: e });
    }
  };

  const remediatedInputs = new Map<string, Record<string, unknown>>();
  for (const r of recording.resources) {
    const where = { urn: r.urn, resourceName: r.name };
    let inputs = toWire(r.inputs) as Record<string, unknown>;
    // Remediations run first, each on the previous one's result; validations then see the final inputs.
    for (const p of policies) {
      const c = config.get(p.name)!;
      if (c.enforcementLevel !== "remediate" || !isResourcePolicy(p) || !p.remediateResource) continue;
      const only = typeFilter(p.remediateResource);
      if (only && only !== r.type) continue;
      const remediate = p.remediateResource;
      await guarded(p.name, where, async () => {
        const result = await remediate(resourceArgs(r, { props: toWire(inputs) as Record<string, unknown>, config: c.properties, stackTags }));
        if (!result) return;
        inputs = unproxy(result) as Record<string, unknown>;
        remediatedInputs.set(r.urn, inputs);
        (verdicts.get(p.name)!.remediated ??= []).push({ urn: r.urn, resourceName: r.name });
      });
    }
    for (const p of policies) {
      const c = config.get(p.name)!;
      if (c.enforcementLevel === "disabled" || !isResourcePolicy(p) || !p.validateResource) continue;
      const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      if (validations.length === 1 && typeFilter(validations[0]) && typeFilter(validations[0]) !== r.type) continue;
      for (const validate of validations) {
        // The resource's own URN is always used: a resource policy cannot blame another resource.
        const report: ReportViolation = (message) => add(p.name, "violations", { message: violationText(message), ...where });
        await guarded(p.name, where, () => validate(resourceArgs(r, { props: inputs, config: c.properties, stackTags }), report));
      }
    }
  }

  const propsOf = (r: RecordedResource) => {
    const remediated = remediatedInputs.get(r.urn);
    return remediated ? (recording.preview ? remediated : { ...stackProps(r, false), ...remediated }) : stackProps(r, recording.preview);
  };
  for (const p of policies) {
    const c = config.get(p.name)!;
    if (c.enforcementLevel === "disabled" || !isStackPolicy(p)) continue;
    const only = typeFilter(p.validateStack);
    if (only && !recording.resources.some((r) => r.type === only)) continue;
    const report: ReportViolation = (message, urn) => add(p.name, "violations", { message: violationText(message), urn, resourceName: urn ? byUrn.get(urn)?.name : undefined });
    await guarded(p.name, {}, () => p.validateStack(stackArgs(recording, { propsOf, config: c.properties, stackTags }), report));
  }

  return [...verdicts.values()].map((v) => {
    const passed = v.violations.length === 0;
    const blocking = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate";
    const status: VerdictStatus = v.enforcementLevel === "disabled" ? "skipped"
      : !passed ? (blocking ? "fail" : "warn")
      : applied.has(v.policy) ? "pass" : "not-applicable";
    // The type check every call of a multi-type policy makes says little once a specific reason was given.
    const given = [...(reasons.get(v.policy) ?? [])];
    const specific = given.filter((r) => !r.startsWith("Policy only applies to "));
    const why = specific.length > 0 ? specific : given.length > 0 ? given : ["No resource of its types"];
    return { ...v, status, passed, ...(status === "not-applicable" ? { notApplicable: why } : {}) };
  });
}

/** How many verdicts have each status (every status present, zero or not). */
export function countStatuses(verdicts: PolicyVerdict[]): Record<VerdictStatus, number> {
  const out = Object.fromEntries(VERDICT_STATUSES.map((s) => [s, 0])) as Record<VerdictStatus, number>;
  for (const v of verdicts) out[v.status]++;
  return out;
}

/** The verdicts that block a deployment: violations of a mandatory policy (or a remediate one whose fix did not suffice). */
export function mandatoryFailures(verdicts: PolicyVerdict[]): PolicyVerdict[] {
  return verdicts.filter((v) => !v.passed && (v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate"));
}
