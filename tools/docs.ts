/**
 * `npm run docs`: writes what the documentation states about the program from where it is defined, so it
 * cannot drift: the config contract (config/schema.ts) into Pulumi.yaml's `config:` section and the key table
 * of docs/configuration.md; the pack's policies (policy-pack/policies) into docs/policy-pack.md's table; the
 * price tables (plan/prices) into docs/operations.md's price notes. Nothing here describes the team's
 * stacks (`npm run stacks` prints those, from the files as they are). tests/tools/docs.test.ts fails, saying
 * "run npm run docs", when a generated part is stale.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_SCHEMA, KeySpec } from "../config";
import { ROOT } from "../config/stack-files";
import { policies } from "../policy-pack/policies";
import { priceNotes, priceTable, PRICES_DIR } from "../plan/cost";

/** Pulumi.yaml's declaration of one key. */
export function declaration(spec: KeySpec): Record<string, unknown> {
  return { type: spec.type, ...(spec.items ? { items: spec.items } : {}), ...(spec.programDefault ? {} : { default: spec.default }), description: spec.description };
}

/** The key table's cell for a default. */
export function shownDefault(spec: KeySpec): string {
  if (spec.default === "") return "(empty)";
  return `\`${typeof spec.default === "object" ? JSON.stringify(spec.default) : spec.default}\``;
}

/** The key table's row for one key. */
export function keyRow(key: string, spec: KeySpec): string {
  return `| \`${key}\` | ${spec.type} | ${shownDefault(spec)} | ${spec.description.replace(/\|/g, "\\|")} |`;
}

const tag = (p: { tags?: string[] }, prefix: string) => (p.tags ?? []).filter((t) => t.startsWith(`${prefix}:`)).map((t) => t.slice(prefix.length + 1)).join(", ") || "none";

/** A generated part of a document: the file, its markers, and what goes between them. */
export interface Generated { file: string; name: string; lines: () => string[] }

export const GENERATED: Generated[] = [
  {
    file: "docs/configuration.md",
    name: "config-keys",
    lines: () => ["| key | type | default | what it does |", "|---|---|---|---|", ...Object.entries(CONFIG_SCHEMA).map(([k, spec]) => keyRow(k, spec as KeySpec))],
  },
  {
    file: "docs/policy-pack.md",
    name: "policies",
    lines: () => ["| policy | default level | AWS Security Hub FSBP | Checkov |", "|---|---|---|---|",
      ...policies.map((p) => `| \`${p.name}\` | ${p.enforcementLevel} | ${tag(p, "fsbp")} | ${tag(p, "checkov")} |`)],
  },
  {
    file: "docs/operations.md",
    name: "price-notes",
    lines: () => fs.readdirSync(PRICES_DIR).filter((f) => f.endsWith(".json")).sort().map((f) => priceNotes(priceTable(f.replace(/\.json$/, ""))!)),
  },
];

export const begin = (name: string) => `<!-- ${name}: written by \`npm run docs\`; edit its source, not this -->`;
export const end = (name: string) => `<!-- /${name} -->`;

/** What stands between a generated part's markers in `text`; undefined when the markers are missing. */
export function generatedPart(text: string, name: string): string | undefined {
  const start = text.indexOf(begin(name));
  const stop = text.indexOf(end(name));
  return start < 0 || stop < start ? undefined : text.slice(start + begin(name).length, stop).trim();
}

/** `text` with the generated part `name` replaced by `lines`. */
export function withGenerated(text: string, name: string, lines: string[]): string {
  const start = text.indexOf(begin(name));
  const stop = text.indexOf(end(name));
  if (start < 0 || stop < start) throw new Error(`no markers ${begin(name)} ... ${end(name)}`);
  return `${text.slice(0, start + begin(name).length)}\n${lines.join("\n")}\n${text.slice(stop)}`;
}

/** Pulumi.yaml with its `config:` section declaring every key of the schema. */
export function projectFileText(project: string): string {
  const at = project.search(/^config:\s*$/m);
  if (at < 0) throw new Error("Pulumi.yaml has no top-level config: section");
  const config = Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, declaration(spec as KeySpec)]));
  return project.slice(0, at) + yaml.dump({ config }, { lineWidth: -1, flowLevel: 3 });
}

function write(): void {
  const projectFile = path.join(ROOT, "Pulumi.yaml");
  fs.writeFileSync(projectFile, projectFileText(fs.readFileSync(projectFile, "utf8")));
  for (const g of GENERATED) {
    const file = path.join(ROOT, g.file);
    fs.writeFileSync(file, withGenerated(fs.readFileSync(file, "utf8"), g.name, g.lines()));
  }
}

if (require.main === module) write();
