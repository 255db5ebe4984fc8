/**
 * Loads the program and the policy pack the way the Pulumi CLI does, each in its own process with a cold
 * ts-node cache, and times them. Used by tools/bench-cli-load.ts (`npm run bench:cli-load`) and by
 * tests/cli/load.test.ts. Everything here follows @pulumi/pulumi 3.248.0's Node.js language host
 * (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go):
 *
 *  - parseOptions: Pulumi.yaml's (PulumiPolicy.yaml's) `runtime.options` `typescript` (default true),
 *    `tsconfig`, `nodeargs`.
 *  - execRuntime (the program): env PULUMI_NODEJS_TYPESCRIPT=true when typescript, PULUMI_NODEJS_TSCONFIG_PATH
 *    when tsconfig; `node <nodeargs...> @pulumi/pulumi/cmd/run ...` in the project folder. Here the child
 *    is cli/run-program.cjs, which does what cmd/run does up to the program's last registration,
 *    under plan/mock-engine.ts instead of an engine.
 *  - RunPlugin (the pack, kind analyzer): the same env; `node @pulumi/pulumi/cmd/run-policy-pack <nodeargs...>
 *    <engine address> <pack folder>` with the pack folder as working directory (the nodeargs land after
 *    the script, as the host puts them). That is the SDK's own script, run as is; it is ready when the
 *    PolicyPack's gRPC server prints its port.
 *
 * "Cold": each child gets a fresh, empty TMPDIR, so os.tmpdir() (where ts-node 7 keeps its compile cache,
 * ts-node-<hash>, and tsx its own) starts empty, as on every CI runner.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import * as ts from "typescript";
import { ROOT } from "../config/stack-files";

export const PACK = path.join(ROOT, "policy-pack");

/** A project's (or pack's) `runtime.options` for nodejs, as main.go parseOptions reads them. */
export interface NodejsRuntimeOptions {
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string[];
}

export function runtimeOptions(projectFile: string): NodejsRuntimeOptions {
  const doc = yaml.load(fs.readFileSync(projectFile, "utf8")) as { runtime?: string | { name: string; options?: Record<string, unknown> } };
  const options = typeof doc.runtime === "object" ? doc.runtime.options ?? {} : {};
  const typescript = options.typescript ?? true;
  if (typeof typescript !== "boolean") throw new Error(`${projectFile}: typescript option must be a boolean`);
  if (options.tsconfig !== undefined && typeof options.tsconfig !== "string") throw new Error(`${projectFile}: tsconfig option must be a string`);
  if (options.nodeargs !== undefined && typeof options.nodeargs !== "string") throw new Error(`${projectFile}: nodeargs option must be a string`);
  return { typescript, tsconfig: options.tsconfig || undefined, nodeargs: shlexSplit(options.nodeargs ?? "") };
}

/** The CLI's defaults: what loads when no runtime option changes how TypeScript is handled. */
export const CLI_DEFAULTS: NodejsRuntimeOptions = { typescript: true, nodeargs: [] };

/** Splits like the host's shlex.Split: whitespace-separated words, single and double quotes, backslash escapes. */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === "\\" && i + 1 < s.length && quote !== "'") {
      word = (word ?? "") + s[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`nodeargs: unterminated ${quote}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** The environment the host adds for the nodejs runtime, over a cleaned copy of ours. */
function childEnv(options: NodejsRuntimeOptions, tmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, ...extra };
  // Nothing from our own shell may decide for the child what the runtime options decide.
  for (const key of Object.keys(env)) {
    if (key.startsWith("TS_NODE_") || key.startsWith("PULUMI_NODEJS_") || key === "NODE_OPTIONS") delete env[key];
  }
  if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  return env;
}

function freshTmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "cli-load-"));
}

export interface ProgramLoad {
  ms: number;
  /** Resources registered (the stack included). */
  resources: number;
  /** Whether cmd/run registered ts-node (PULUMI_NODEJS_TYPESCRIPT), with transpileOnly, and from which tsconfig. */
  typescript: boolean;
  transpileOnly: boolean;
  tsconfig: string;
}

/**
 * plan/<name>.ts compiled to CommonJS in `dir`, with every plan module it requires compiled beside it and
 * its other requires resolved from plan/ to absolute paths (the compiled file does not live where its
 * source does, nor beside node_modules).
 * Returns the compiled file's path.
 */
function compilePlanModule(name: string, dir: string): string {
  const out = path.join(dir, `${name}.js`);
  if (fs.existsSync(out)) return out;
  const source = fs.readFileSync(path.join(ROOT, "plan", `${name}.ts`), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  fs.writeFileSync(out, ""); // taken: a module that requires this one back gets this path
  fs.writeFileSync(out, js.replace(/require\("([^"]+)"\)/g, (_, spec: string) => {
    const target = path.resolve(ROOT, "plan", spec);
    if (spec.startsWith(".") && fs.existsSync(`${target}.ts`) && path.dirname(target) === path.join(ROOT, "plan")) {
      return `require(${JSON.stringify(compilePlanModule(path.basename(target), dir))})`;
    }
    return `require(${JSON.stringify(require.resolve(spec, { paths: [path.join(ROOT, "plan")] }))})`;
  }));
  return out;
}

/**
 * Runs the program as `pulumi up` loads it, with `options` as Pulumi.yaml's runtime options, through to
 * its last registration; resolves to the wall time from spawn to that point. `config`: the stack's config,
 * fully qualified, as the CLI hands it over.
 */
export async function loadProgram(options: NodejsRuntimeOptions, stack: string, config: Record<string, string>): Promise<ProgramLoad> {
  const tmp = freshTmp();
  try {
    // The harness's own helpers (plan/mock-engine.ts and the plan modules it imports, plan/mock-image.ts for
    // a pinned host image's lookup) are compiled here, outside the timed process; their relative requires
    // point at the compiled siblings or the real files.
    const env = childEnv(options, tmp, {
      CLI_LOAD_STACK: stack, CLI_LOAD_CONFIG: JSON.stringify(config),
      CLI_LOAD_MOCK_ENGINE: compilePlanModule("mock-engine", tmp), CLI_LOAD_MOCK_IMAGE: compilePlanModule("mock-image", tmp),
    });
    const started = process.hrtime.bigint();
    const { code, stdout, stderr } = await run(process.execPath, [...options.nodeargs, path.join(ROOT, "cli", "run-program.cjs")], ROOT, env);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) throw new Error(`the program failed to load the CLI's way (exit ${code}):\n${stderr}`);
    const line = stdout.trim().split("\n").pop() ?? "";
    return { ms, ...JSON.parse(line) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export interface PackLoad {
  ms: number;
  port: number;
  stderr: string;
}

/**
 * Starts the pack as `pulumi preview --policy-pack <packDir>` does and resolves once its server listens
 * (after `whileListening`, if given, has talked to it), then stops it. `program`: what the host passes as
 * the pack (default the folder, whose package.json `main` Node then loads).
 */
export async function loadPack(options: NodejsRuntimeOptions, packDir = PACK, program = packDir, whileListening?: (port: number) => Promise<void>): Promise<PackLoad> {
  const tmp = freshTmp();
  try {
    const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const env = childEnv(options, tmp);
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [runPath, ...options.nodeargs, "127.0.0.1:0", program], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (s: string) => {
        stdout += s;
        const m = /^(\d+)\n/m.exec(stdout);
        if (m) resolve(Number(m[1]));
      });
      child.on("error", reject);
      child.on("close", (code) => reject(new Error(`the pack exited (${code}) before listening:\n${stderr}${stdout}`)));
    }).catch((e) => {
      child.kill();
      throw e;
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    try {
      await whileListening?.(port);
    } finally {
      child.kill();
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once("exit", r)));
    return { ms, port, stderr };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** `npm run plan -- <stack>` as the README has a newcomer run it; wall time to exit. */
export function timePlan(stack: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync("npm", ["run", "-s", "plan", "--", stack], { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`npm run plan -- ${stack} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
