/**
 * `npm run sync-config`: writes the config contract (config/schema.ts CONFIG_SCHEMA) where the CLI and people
 * read it: the `config:` section of Pulumi.yaml (type, items, default, description per key) and the
 * README's configuration table. tests/config/config.test.ts and tests/stacks/readme.test.ts fail when either is stale.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_SCHEMA, KeySpec } from "../config";
import { ROOT } from "../config/stack-files";

/** Pulumi.yaml's declaration of one key. */
export function declaration(spec: KeySpec): Record<string, unknown> {
  return { type: spec.type, ...(spec.items ? { items: spec.items } : {}), ...(spec.programDefault ? {} : { default: spec.default }), description: spec.description };
}

/** The README table's cell for a default. */
export function shownDefault(spec: KeySpec): string {
  if (spec.default === "") return "(empty)";
  return `\`${typeof spec.default === "object" ? JSON.stringify(spec.default) : spec.default}\``;
}

/** The README table's row for one key. */
export function readmeRow(key: string, spec: KeySpec): string {
  return `| \`${key}\` | ${spec.type} | ${shownDefault(spec)} | ${spec.description.replace(/\|/g, "\\|")} |`;
}

export const README_TABLE_HEADER = "| key | type | default | what it does |";

function sync(): void {
  const projectFile = path.join(ROOT, "Pulumi.yaml");
  const project = fs.readFileSync(projectFile, "utf8");
  const at = project.search(/^config:\s*$/m);
  if (at < 0) throw new Error("Pulumi.yaml has no top-level config: section");
  const config = Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, spec]) => [k, declaration(spec as KeySpec)]));
  fs.writeFileSync(projectFile, project.slice(0, at) + yaml.dump({ config }, { lineWidth: -1, flowLevel: 3 }));

  const readmeFile = path.join(ROOT, "README.md");
  const readme = fs.readFileSync(readmeFile, "utf8").split("\n");
  const start = readme.indexOf(README_TABLE_HEADER);
  if (start < 0) throw new Error(`README.md has no table headed ${README_TABLE_HEADER}`);
  let end = start + 2;
  while (end < readme.length && readme[end].startsWith("|")) end++;
  const rows = Object.entries(CONFIG_SCHEMA).map(([k, spec]) => readmeRow(k, spec as KeySpec));
  readme.splice(start + 2, end - start - 2, ...rows);
  fs.writeFileSync(readmeFile, readme.join("\n"));
}

if (require.main === module) sync();
