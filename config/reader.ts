/**
 * Typed reads of config values that collect every problem instead of throwing at the first. Pure, tested
 * through config.ts.
 *
 * The same reads serve the flat stack keys, which the CLI passes as strings (lists and objects as JSON),
 * and the entries of structured keys (`services.<name>.<key>`), which arrive as parsed JSON values. Each
 * problem names the key as the user wrote it, the value as written, and what is allowed.
 */

import { maskCredentials } from "../lib/secrets";
import { nearest } from "../lib/suggest";

export type Raw = unknown;

export class ConfigReader {
  /**
   * @param values what the user set (a missing key takes its default)
   * @param defaults each known key's default
   * @param label the key as the user writes it ("ecs-ec2-api:maxSize", "services.v2.containerPort")
   * @param problems where problems are collected
   */
  constructor(
    private readonly values: Record<string, Raw>,
    private readonly defaults: Record<string, Raw>,
    readonly label: (key: string) => string,
    readonly problems: string[],
  ) {}

  /** True when the user set `key` (not its default). */
  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  /** The raw value: what the user set, else the default. */
  raw(key: string): Raw {
    return this.values[key] ?? this.defaults[key];
  }

  /** The value as the user wrote it, for messages, with any credential in it masked (never repeated). */
  shown(key: string): string {
    const v = this.raw(key);
    return maskCredentials(typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
  }

  bad(key: string, allowed: string): void {
    this.problems.push(`${this.label(key)} = ${JSON.stringify(this.shown(key))} is not allowed: ${allowed}`);
  }

  str(key: string): string {
    const v = this.raw(key);
    if (v === undefined || v === null) return "";
    if (typeof v === "string") return v.trim();
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    this.bad(key, "a string");
    return "";
  }

  int(key: string, min: number, max: number, allowed: string): number {
    const v = this.raw(key);
    const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.bad(key, allowed);
      const fallback = Number(this.defaults[key]);
      return Number.isFinite(fallback) ? fallback : min;
    }
    return n;
  }

  bool(key: string): boolean {
    const v = this.raw(key);
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.bad(key, "true or false");
    return this.defaults[key] === true;
  }

  /** A JSON value: parsed from a string (flat keys, --config), or as given (entries of structured keys). */
  private json(key: string): Raw {
    const v = this.raw(key);
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }

  /** A list of strings. */
  strings(key: string): string[] {
    const v = this.json(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      this.bad(key, 'a list of strings (a YAML list in the stack file; a JSON array like ["a","b"] with --config)');
      return [];
    }
    return v.map((x) => x.trim());
  }

  /** A list of anything (entries checked by the caller). */
  list(key: string, what: string): Raw[] {
    const v = this.json(key);
    if (!Array.isArray(v)) {
      this.bad(key, `a list of ${what} (a YAML list in the stack file; a JSON array with --config)`);
      return [];
    }
    return v;
  }

  /** A map of names to values (entries checked by the caller). */
  map(key: string, what: string): Record<string, Raw> {
    const v = this.json(key);
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      this.bad(key, `a map of ${what} (a YAML mapping in the stack file; a JSON object with --config)`);
      return {};
    }
    return v as Record<string, Raw>;
  }

  /**
   * Reports every key set that `known` does not list: with `explain`'s word on it where there is one,
   * else with the nearest known key.
   */
  unknownKeys(known: readonly string[], suggest: (key: string, known: readonly string[]) => string, explain?: (key: string) => string | undefined): void {
    for (const key of Object.keys(this.values)) {
      if (known.includes(key)) continue;
      const why = explain?.(key);
      this.problems.push(why ? `${this.label(key)} is not a key here: ${why}` : `${this.label(key)} is not a known key${suggest(key, known)}; the nearest of the ${known.length} keys: ${nearest(key, known).join(", ")}`);
    }
  }

  /** A reader over `key`'s entries (a map inside this one), labelled `<key>.<entry>`. */
  nested(values: Record<string, Raw>, defaults: Record<string, Raw>, prefix: string): ConfigReader {
    return new ConfigReader(values, defaults, (k) => `${prefix}.${k}`, this.problems);
  }
}
