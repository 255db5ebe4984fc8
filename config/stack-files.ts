/**
 * A stack's config exactly as the Pulumi CLI hands it to the program: Pulumi.yaml's declared defaults
 * for the project's keys, overridden by Pulumi.<stack>.yaml, every value a string, and every value of a
 * declared key checked against its declared type (the CLI refuses `maxSize: lots` before the program
 * runs, and so does this).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export const ROOT = path.resolve(__dirname, "..");

interface ProjectFile {
  name: string;
  config?: Record<string, { type?: string; items?: ItemsType; default?: unknown; value?: unknown } | string | number | boolean>;
}

interface ItemsType {
  type: string;
  items?: ItemsType;
}

/**
 * A stack value against its declared type, as the CLI checks it before the program runs
 * (pulumi/pulumi sdk/go/common/workspace/project.go, ValidateConfigValue): integers may be whole numbers
 * or strings that parse as integers, booleans true/false or their strings, objects maps, arrays lists
 * whose every item has the items' type.
 */
export function validConfigValue(type: string | undefined, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^[-+]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return Array.isArray(value) && items !== undefined && value.every((v) => validConfigValue(items.type, items.items, v));
    default:
      return false;
  }
}

function readYaml<T>(file: string): T {
  return yaml.load(fs.readFileSync(file, "utf8")) as T;
}

export function readProject(root = ROOT): ProjectFile {
  return readYaml<ProjectFile>(path.join(root, "Pulumi.yaml"));
}

/** The stacks that have a Pulumi.<stack>.yaml in `dir` (the project's folder, or a folder of test fixtures). */
export function listStacks(dir = ROOT): string[] {
  return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/** The stack a line of deploy-order names: its first word, comments left out ("" for a blank or comment line). */
export const orderLineStack = (line: string): string => line.replace(/#.*/, "").trim().split(/\s+/)[0];

/**
 * The stacks of `dir` in the order main deploys them: as `deploy-order` lists them (one stack a line, its
 * name first; CI's .ci/stacks.mjs holds the file and the stack files to each other), then any stack it does
 * not list, by name.
 */
export function stackOrder(dir = ROOT): string[] {
  const file = path.join(dir, "deploy-order");
  const listed = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").map(orderLineStack).filter(Boolean) : [];
  const rank = (s: string) => (listed.includes(s) ? listed.indexOf(s) : listed.length);
  return listStacks(dir).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const asString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Pulumi.yaml's declared defaults (and plain values), fully qualified, with each declared key's type. */
export function projectConfig(root = ROOT): { values: Record<string, string>; types: Map<string, { type?: string; items?: ItemsType }>; required: string[]; name: string } {
  const project = readProject(root);
  const values: Record<string, string> = {};
  const types = new Map<string, { type?: string; items?: ItemsType }>();
  const required: string[] = [];
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const q = key.includes(":") ? key : `${project.name}:${key}`;
    if (spec !== null && typeof spec === "object") {
      types.set(q, { type: spec.type, items: spec.items });
      const v = spec.default ?? spec.value;
      if (v !== undefined && v !== null) values[q] = asString(v);
      else if (q.startsWith(`${project.name}:`)) required.push(key);
    } else {
      values[q] = asString(spec);
    }
  }
  return { values, types, required, name: project.name };
}

/**
 * Fully qualified key ("ecs-ec2-api:maxSize", "aws:region") -> string value, for the stack file
 * Pulumi.<stack>.yaml in `dir` over the Pulumi.yaml in `root` (the project's folder for both, unless `dir`
 * is a folder of test fixtures).
 */
export function readStackConfig(stack: string, dir = ROOT, root = ROOT): Record<string, string> {
  const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new Error(`no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(dir).join(", ")}`);
  }
  return readStackFile(stackFile, stack, root);
}

/** The same for a stack file anywhere (a test's copy), over the project's Pulumi.yaml in `root`. */
export function readStackFile(stackFile: string, stack: string, root = ROOT): Record<string, string> {
  const project = projectConfig(root);
  const out = { ...project.values };
  const stackConfig = readYaml<{ config?: Record<string, unknown> }>(stackFile)?.config ?? {};
  for (const [key, value] of Object.entries(stackConfig)) {
    const q = key.includes(":") ? key : `${project.name}:${key}`;
    const declared = project.types.get(q);
    if (declared && !validConfigValue(declared.type, declared.items, value)) {
      const type = declared.items ? `array<${declared.items.type}>` : declared.type;
      throw new Error(`Stack '${stack}' with configuration key '${key}' must be of type '${type}', got ${JSON.stringify(value)}`);
    }
    out[q] = asString(value);
  }
  // A project key declared without a default must be set by every stack (pulumi/pulumi
  // sdk/go/common/workspace/config.go, ValidateStackConfigAndApplyProjectConfig): the CLI refuses the stack.
  const missing = project.required.filter((key) => out[key.includes(":") ? key : `${project.name}:${key}`] === undefined).sort();
  if (missing.length > 0) {
    const quoted = missing.map((k) => `'${k}'`);
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
    throw new Error(`Stack '${stack}' is missing configuration value${missing.length === 1 ? "" : "s"} ${list}`);
  }
  return out;
}
