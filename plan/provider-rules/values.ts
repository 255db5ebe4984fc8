/**
 * Reading recorded inputs without the Pulumi engine: unknowns (what preview cannot know) are skipped, never
 * guessed; secrets are unwrapped. An unknown arrives as the SDK's `pulumi.unknown` (an object carrying
 * `__pulumiUnknown`, as plan/mock-engine.ts records it), as the wire sentinel
 * "04da6b54-80e4-46f7-96ec-b56ff0331ba9" (@pulumi/pulumi runtime/rpc.js `unknownValue`), or in a saved
 * `--json` plan as "(known after up)"; a secret as the SDK's wrapper { [specialSigKey]: specialSecretSig,
 * value } (runtime/rpc.js), or in a saved plan as "[secret]" (its value is not there: unknown here).
 */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PLAN_UNKNOWNS = new Set([UNKNOWN_SENTINEL, "(known after up)", "[secret]"]);

export function isUnknown(v: unknown): boolean {
  if (typeof v === "string") return PLAN_UNKNOWNS.has(v);
  return typeof v === "object" && v !== null && (v as { __pulumiUnknown?: unknown }).__pulumiUnknown === true;
}

/** The value with every secret wrapper removed (deep); unknowns kept as they are. */
export function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (typeof v !== "object" || v === null || isUnknown(v)) return v;
  const o = v as Record<string, unknown>;
  if (o[SIG_KEY] === SECRET_SIG) return unwrap(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
}

/** Set, unset, or unknown (an unknown may resolve to nothing, so its presence is not known either). */
export type Presence = "set" | "unset" | "unknown";
export function presence(v: unknown): Presence {
  if (isUnknown(v)) return "unknown";
  if (v === undefined || v === null) return "unset";
  if (Array.isArray(v) && v.length === 0) return "unset";
  return "set";
}

/** A located value: the property path as the program spells it ("metricQueries[0].metric.stat"). */
export interface Located {
  path: string;
  value: unknown;
}

/**
 * The values at a rule path ("metricQueries[].metric.stat": `[]` is every element of a list; a block the
 * bridge flattens (MaxItems 1) is an object). Yields nothing below an unknown or an absent block, and an
 * unknown list yields a single unknown at the list's path.
 */
export function locate(inputs: Record<string, unknown>, rulePath: string): Located[] {
  let at: Located[] = [{ path: "", value: inputs }];
  for (const seg of rulePath.split(".")) {
    const each = seg.endsWith("[]");
    const key = each ? seg.slice(0, -2) : seg;
    const next: Located[] = [];
    for (const { path, value } of at) {
      if (isUnknown(value)) { next.push({ path, value }); continue; }
      if (typeof value !== "object" || value === null) continue;
      const p = path ? `${path}.${key}` : key;
      const v = (value as Record<string, unknown>)[key];
      if (!each || isUnknown(v) || !Array.isArray(v)) { next.push({ path: p, value: v }); continue; }
      v.forEach((x, i) => next.push({ path: `${p}[${i}]`, value: x }));
    }
    at = next;
  }
  return at;
}

/** The parent block's location of a located path ("a[0].b.c" -> "a[0].b"), "" for a top-level one. */
export const parentPath = (p: string): string => (p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "");
