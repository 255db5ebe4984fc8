// Shared pieces of the pack: compliance metadata, config schemas with an exemption list, typed dispatch
// over several resource types, and explicit handling of values that are unknown during preview.
import type {
  PolicyComplianceFramework,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  Severity,
} from "@pulumi/policy";

// `UnknownValueError` is what the policy SDK's property proxy throws when a policy reads a value that is
// unknown during preview. Its typings are stripped, so it is loaded untyped; it must be the same module
// instance the SDK's server uses, which `require` of the installed package guarantees.
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: any[]) => Error };

/** Stands for a value that cannot be known until `pulumi up` (an id, an ARN, a computed string). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * Reads a property without letting an unknown value abort the policy. The SDK would turn the abort into an
 * advisory "can't run during preview" note, which is a silent pass for a mandatory policy; the mission
 * policies read through here and report "cannot verify in preview" themselves.
 */
export function read<T>(get: () => T): T | Unknown {
  try {
    return get();
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** Launch-template booleans arrive as the strings "true"/"false"; other resources use real booleans. */
export function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

export const FSBP = "AWS Foundational Security Best Practices";

export interface Controls {
  /** Security Hub FSBP control ids, e.g. "EC2.8, AutoScaling.3". */
  fsbp: string;
  /** Checkov check ids, e.g. "CKV_AWS_79"; "none" when Checkov has no equivalent check. */
  checkov: string;
}

/**
 * The Policy type has no free-form metadata field, so the controls go where the SDK has room for them:
 * `framework` (FSBP, shown by Pulumi Cloud), `tags` (one per control id) and a suffix of the description.
 * policies/index.ts derives its CONTROLS map back from `framework.reference` and the `checkov:` tags.
 */
export function controls(sentence: string, c: Controls, severity: Severity) {
  const framework: PolicyComplianceFramework = { name: FSBP, version: "1.0.0", reference: c.fsbp, specification: sentence };
  const ids = (s: string) => s.split(",").map((x) => x.trim()).filter((x) => x && x !== "none");
  return {
    description: `${sentence} (FSBP ${c.fsbp}; Checkov ${c.checkov})`,
    framework,
    severity,
    tags: [...ids(c.fsbp).map((id) => `fsbp:${id}`), ...ids(c.checkov).map((id) => `checkov:${id}`)],
  };
}

type JsonSchema = PolicyConfigSchema["properties"][string];

/** Every policy lets a team exempt resources by name; `props` adds the policy's own knobs. */
export function schema(props: Record<string, JsonSchema> = {}): PolicyConfigSchema {
  return {
    properties: {
      exemptResources: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Names of resources (the name given in the program) this policy does not check.",
      },
      ...props,
    },
  };
}

/**
 * The policy's config with the schema's defaults filled in. The CLI already fills them in; doing it here too
 * keeps a policy correct when it runs under a host that does not (an older CLI, a unit test).
 */
export function configOf<T>(args: { getConfig<C extends object>(): C }, s: PolicyConfigSchema): T & { exemptResources: string[] } {
  const defaults = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, typeof v === "object" ? v.default : undefined]));
  return { ...defaults, ...args.getConfig<object>() } as T & { exemptResources: string[] };
}

/** A class of @pulumi/aws or a bare type token like "aws:alb/listener:Listener". */
export type ResourceType = string | (new (...args: any[]) => unknown);

/** The type token: a class carries it as a static `__pulumiType`, which the SDK's typings do not declare. */
export function token(t: ResourceType): string {
  if (typeof t === "string") return t;
  const tok = (t as unknown as { __pulumiType?: unknown }).__pulumiType;
  if (typeof tok !== "string") throw new Error(`${t.name} has no Pulumi type token`);
  return tok;
}

/**
 * One validation over several resource types. `validateResourceOfType` takes a single class; giving a policy
 * one such function per type would make every resource "not applicable" to all but one of them, which the
 * engine records per policy. Type tokens (not classes) also cover `aws:alb/*` next to `aws:lb/*`.
 */
export function validateTypes(
  types: ResourceType[],
  s: PolicyConfigSchema,
  validate: (args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  const tokens = types.map(token);
  return (args, report) => {
    if (!tokens.includes(args.type)) args.notApplicable(`Policy only applies to ${tokens.join(", ")}`);
    if (configOf(args, s).exemptResources.includes(args.name)) args.notApplicable(`${args.name} is exempted by config`);
    validate(args, report);
  };
}

/** The same exemption, for `validateResourceOfType` callbacks. */
export function exempted(args: ResourceValidationArgs, s: PolicyConfigSchema): void {
  if (configOf(args, s).exemptResources.includes(args.name)) args.notApplicable(`${args.name} is exempted by config`);
}

/** A one-or-many field of an IAM document (Action, Resource, a condition's values) as a list; unset: none. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? [...v] : v === undefined ? [] : [v]);

/** The statements of an IAM policy document given as a JSON string (the usual case) or as an object; a string that is not JSON is a finding, not a crash. */
export function policyStatements(doc: unknown): { statements: unknown[] } | { error: string } {
  let parsed = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch (e) {
      return { error: `the policy document is not valid JSON: ${(e as Error).message}` };
    }
  }
  return { statements: asList((parsed as { Statement?: unknown } | undefined)?.Statement) };
}

/** Parses a task definition's `containerDefinitions` (a JSON string); a bad document is a finding, not a crash. */
export function containers(json: unknown): { list: Record<string, any>[] } | { error: string } {
  if (typeof json !== "string") return { error: "containerDefinitions is not a JSON string" };
  try {
    const parsed = JSON.parse(json);
    return Array.isArray(parsed) ? { list: parsed } : { error: "containerDefinitions is not a JSON array" };
  } catch (e) {
    return { error: `containerDefinitions is not valid JSON: ${(e as Error).message}` };
  }
}
