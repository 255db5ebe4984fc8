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
  config?: Record<string, { type?: string; default?: unknown; value?: unknown } | string | number | boolean>;
}

function readYaml<T>(file: string): T {
  return yaml.load(fs.readFileSync(file, "utf8")) as T;
}

export function readProject(root = ROOT): ProjectFile {
  return readYaml<ProjectFile>(path.join(root, "Pulumi.yaml"));
}

/** The stacks that have a Pulumi.<stack>.yaml in the project. */
export function listStacks(root = ROOT): string[] {
  return fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

const asString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Pulumi.yaml's declared defaults (and plain values), fully qualified, with each declared key's type. */
export function projectConfig(root = ROOT): { values: Record<string, string>; types: Map<string, string | undefined>; name: string } {
  const project = readProject(root);
  const values: Record<string, string> = {};
  const types = new Map<string, string | undefined>();
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const q = key.includes(":") ? key : `${project.name}:${key}`;
    if (spec !== null && typeof spec === "object") {
      types.set(q, spec.type);
      const v = spec.default ?? spec.value;
      if (v !== undefined) values[q] = asString(v);
    } else {
      values[q] = asString(spec);
    }
  }
  return { values, types, name: project.name };
}

/** Fully qualified key ("ecs-ec2-api:maxSize", "aws:region") -> string value. */
export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new Error(`no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(root).join(", ")}`);
  }
  const project = projectConfig(root);
  const out = { ...project.values };
  const stackConfig = readYaml<{ config?: Record<string, unknown> }>(stackFile)?.config ?? {};
  for (const [key, value] of Object.entries(stackConfig)) {
    const q = key.includes(":") ? key : `${project.name}:${key}`;
    const text = asString(value);
    const type = project.types.get(q);
    const ok = type === "integer" ? /^-?\d+$/.test(text) : type === "boolean" ? text === "true" || text === "false" : true;
    if (!ok) throw new Error(`Stack '${stack}' with configuration key '${key}' must be of type '${type}', got ${JSON.stringify(value)}`);
    out[q] = text;
  }
  return out;
}
