/**
 * Does the suite stay green when a team makes the program its own? Each scenario of
 * tests/fixtures/adoption-edits.ts (a renamed service with more services, a sidecar and a job; an existing VPC;
 * a fourth stack; staging deleted) is applied alone to a copy of the team's stack files (Pulumi.<stack>.yaml,
 * policy-pack/config/<stack>.json, urns/<stack>.json) in a folder of its own; then one mocha run checks every
 * folder with the specs that read a team's stacks (ADOPTION_SPECS, which take the folders from STACK_DIRS).
 * The other specs test the program on their own fixtures and cannot see a team's stacks
 * (tests/tools/adoption-check.test.ts holds that).
 * `node --require tsx/cjs tools/adoption-check.ts [scenario...] [--keep]`; CI runs it (.ci/run).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { adoptions, applyEdits, type Adoption } from "../tests/fixtures/adoption-edits";
import { listStacks, orderLineStack, stackOrder } from "../config/stack-files";

const ROOT = path.resolve(__dirname, "..");
const NAMESPACE = "ecs-ec2-api";

/**
 * The specs that read a team's stack files, each over every folder of STACK_DIRS (the project's folder when
 * it is unset). tests/tools/adoption-check.test.ts finds every spec that reads them and fails if this list
 * misses one.
 */
export const ADOPTION_SPECS = [
  "tests/stacks/invariants.test.ts",
  "tests/workflows/ci-scripts.test.ts",
];

/** A stack's own files, relative to the folder that holds them. */
const stackFiles = (stack: string) => [`Pulumi.${stack}.yaml`, path.join("policy-pack", "config", `${stack}.json`), path.join("urns", `${stack}.json`)];

/** Writes the project's stack files, with `adoption` applied, to a new folder; returns it. */
export function adoptedCopy(name: string, adoption: Adoption, root = ROOT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ecs-ec2-api-${name}-`));
  const copy = (from: string, to: string) => {
    if (!fs.existsSync(from)) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  };
  for (const stack of listStacks(root)) for (const f of stackFiles(stack)) copy(path.join(root, f), path.join(dir, f));
  for (const [from, to] of adoption.copy ?? []) {
    const [fromFiles, toFiles] = [stackFiles(from), stackFiles(to)];
    // A new stack has no deployed resources yet: no URN baseline.
    for (let i = 0; i < 2; i++) copy(path.join(dir, fromFiles[i]), path.join(dir, toFiles[i]));
  }
  const stackFile = (stack: string) => path.join(dir, `Pulumi.${stack}.yaml`);
  const packFile = (stack: string) => path.join(dir, "policy-pack", "config", `${stack}.json`);
  for (const [stack, edits] of Object.entries(adoption.edit ?? {})) {
    const parsed = (yaml.load(fs.readFileSync(stackFile(stack), "utf8")) ?? {}) as { config?: Record<string, unknown> };
    fs.writeFileSync(stackFile(stack), `# ${stack} as a team made it its own (tools/adoption-check.ts)\n${yaml.dump(applyEdits(parsed, edits, NAMESPACE))}`);
    // The team renamed resources on purpose (a new service name): its next baseline records them anew.
    fs.rmSync(path.join(dir, "urns", `${stack}.json`), { force: true });
  }
  for (const [stack, entries] of Object.entries(adoption.pack ?? {})) {
    const before = fs.existsSync(packFile(stack)) ? JSON.parse(fs.readFileSync(packFile(stack), "utf8")) : {};
    fs.mkdirSync(path.dirname(packFile(stack)), { recursive: true });
    fs.writeFileSync(packFile(stack), `${JSON.stringify({ ...before, ...entries }, null, 2)}\n`);
  }
  for (const stack of adoption.remove ?? []) for (const f of stackFiles(stack)) fs.rmSync(path.join(dir, f), { force: true });
  // deploy-order, as the team edits it with its stacks (.ci/stacks.mjs): a copied stack's line after its source's;
  // a removed stack's line stays (deleting its files retires it: the line is only a notice).
  const order = path.join(root, "deploy-order");
  if (fs.existsSync(order)) {
    const lines = fs.readFileSync(order, "utf8").split("\n");
    for (const [from, to] of adoption.copy ?? []) {
      const i = lines.findIndex((l) => orderLineStack(l) === from);
      lines.splice(i + 1, 0, lines[i].replace(from, to));
    }
    fs.writeFileSync(path.join(dir, "deploy-order"), lines.join("\n"));
  }
  return dir;
}

function main(argv: string[]): number {
  const started = Date.now();
  const all = adoptions(stackOrder());
  const keep = argv.includes("--keep");
  const chosen = argv.filter((a) => !a.startsWith("--"));
  const unknown = chosen.filter((n) => !(n in all));
  if (unknown.length > 0) {
    console.error(`unknown scenario ${unknown.join(", ")}; scenarios: ${Object.keys(all).join(", ")}`);
    return 2;
  }
  const names = chosen.length > 0 ? chosen : Object.keys(all);
  const dirs = names.map((n) => {
    const dir = adoptedCopy(n, all[n]);
    console.log(`${n}: ${all[n].what} (${dir})`);
    return dir;
  });
  const mocha = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "--no-config", "--require", "tsx/cjs", "--extension", "ts",
    "--timeout", "30000", "--reporter", "dot", "--parallel", "--jobs", String(Math.max(2, os.availableParallelism())), ...ADOPTION_SPECS],
  { cwd: ROOT, stdio: "inherit", env: { ...process.env, STACK_DIRS: dirs.join(path.delimiter) } });
  if (!keep) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  const ok = mocha.status === 0;
  console.log(`adoption check: ${ok ? "ok" : "FAILED"}, ${names.length} scenario(s): ${names.join(", ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
