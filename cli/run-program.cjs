// @ts-check
/**
 * Runs the program the way `pulumi preview`/`up` loads it, under the mock engine instead of a real one.
 * Started by cli/load.ts (for the bench and tests/cli/load.test.ts) as the Node.js language host
 * starts `@pulumi/pulumi/cmd/run`: Pulumi.yaml's nodeargs before this script, the environment the host sets
 * (PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_TSCONFIG_PATH), cwd = the project; plus the stack's name in
 * CLI_LOAD_STACK and its config as JSON in CLI_LOAD_CONFIG. Prints one JSON line
 * {stack, resources, typescript, transpileOnly, tsconfig} once every resource is registered, and exits.
 *
 * Plain JavaScript on purpose: the TypeScript handling here must be ts-node's alone, as in the CLI.
 *
 * What it mirrors, in @pulumi/pulumi 3.248.0 (pulumi/pulumi sdk/nodejs/):
 *  - cmd/run/index.ts: `import "source-map-support/register"`, then the v8 hooks (`isInitializedAsync`).
 *  - cmd/run/run.ts run(): the tsconfig path from PULUMI_NODEJS_TSCONFIG_PATH (default tsconfig.json,
 *    skipProject when it does not exist, an error when a set path is missing); its compilerOptions read
 *    with tsutils.loadTypeScriptCompilerOptions (that one file's `compilerOptions`, no `extends`);
 *    transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY, else from that `noCheck`; ts-node and typescript
 *    from tsutils.typeScriptRequireStrings(); not ESM (package.json has no "type": "module"), so
 *    `tsn.register({compiler, transpileOnly, project, skipProject, compilerOptions: {target: "ES2020",
 *    module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions}})` (TS >= 4.7);
 *    the entry point from package.json `main` (Pulumi.yaml has no `main`, so the host passes "."); then
 *    `require(program)`, called when it exports a function, inside the stack (here: runProgram's).
 * Not mirrored: the gRPC connection to a real engine and tracing; runProgram's mock monitor stands in. The
 * project is Pulumi.yaml's `name`, as the CLI tells the program; of the account only a pinned host image is
 * assumed (as the plan assumes it), no hosted zone and no existing network, so a stack that looks those up
 * fails here as it would without them.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");

const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** A module as @pulumi/pulumi resolves it (untyped). @param {string} id @returns {any} */
const sdkRequire = (id) => require(require.resolve(id, { paths: [SDK] }));

/**
 * A plan/ module, compiled to JavaScript by the caller (the environment variable `env` names the file), loaded
 * as if it were the .ts file: no loader is registered and no compiler is loaded for it here.
 * @param {string} env @param {string} name
 */
function loadCompiled(env, name) {
  const file = path.join(__dirname, `${name}.ts`);
  const js = fs.readFileSync(process.env[env] ?? "", "utf8");
  const m = new Module(file, module);
  m.filename = file;
  /** @type {any} */ (m).paths = /** @type {any} */ (Module)._nodeModulePaths(__dirname);
  /** @type {any} */ (m)._compile(js, file);
  return m.exports;
}

/** cmd/run/run.ts's ts-node registration, step for step. Returns what it decided. */
function registerLikeCmdRun() {
  // Internal to the SDK (no typings), and exactly what run.ts calls.
  const tsutils = sdkRequire("@pulumi/pulumi/tsutils");
  const semver = sdkRequire("semver");
  const typeScript = process.env["PULUMI_NODEJS_TYPESCRIPT"] === "true";
  const defaultTsConfigPath = "tsconfig.json";
  const tsConfigPath = process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? defaultTsConfigPath;
  const skipProject = !fs.existsSync(tsConfigPath);
  if (skipProject && tsConfigPath !== defaultTsConfigPath) {
    throw new Error(`tsconfig path was set to ${tsConfigPath} but the file was not found`);
  }
  /** @type {boolean | undefined} */
  let transpileOnly = undefined;
  if (typeScript) {
    /** @type {Record<string, any>} */
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const transpileOnlyEnv = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
    if (transpileOnlyEnv) {
      transpileOnly = transpileOnlyEnv === "true";
    } else {
      transpileOnly = compilerOptions.noCheck;
    }
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const ts = require(typescriptRequire);
    const tsVersion = semver.parse(ts.version);
    const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
    const tsn = require(tsnodeRequire);
    tsn.register({
      compiler: typescriptRequire,
      transpileOnly,
      project: tsConfigPath,
      skipProject,
      compilerOptions: {
        target: "ES2020",
        module: useNodeNext ? "nodenext" : "commonjs",
        moduleResolution: useNodeNext ? "nodenext" : "node",
        sourceMap: "true",
        ...compilerOptions,
      },
    });
  }
  return { typescript: typeScript, transpileOnly: transpileOnly === true, tsconfig: tsConfigPath };
}

/**
 * run.ts: no `main` in Pulumi.yaml, so the program is package.json's `exports` or `main`, else the folder.
 * @param {string} root
 */
function entryPoint(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  if (pkg.type === "module") throw new Error("this harness mirrors run.ts's CommonJS path only");
  if (typeof pkg.exports === "string") return path.join(root, pkg.exports);
  if (pkg.main && fs.existsSync(path.join(root, pkg.main))) return path.join(root, pkg.main);
  return root + "/";
}

async function main() {
  const root = process.cwd();
  const config = JSON.parse(process.env["CLI_LOAD_CONFIG"] ?? "{}");
  const stack = process.env["CLI_LOAD_STACK"] ?? "dev";
  sdkRequire("source-map-support/register");
  await sdkRequire("@pulumi/pulumi/runtime/closure/v8Hooks").isInitializedAsync();
  const { runProgram } = loadCompiled("CLI_LOAD_MOCK_ENGINE", "mock-engine");
  const { imageLookup } = loadCompiled("CLI_LOAD_MOCK_IMAGE", "mock-image");
  const decided = registerLikeCmdRun();
  const program = entryPoint(root);
  // Pulumi.yaml's top-level `name:` line (no YAML parser loaded into the timed process for one scalar).
  const name = /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"))?.[1];
  if (!name) throw new Error("Pulumi.yaml has no name");
  const recording = await runProgram(() => {
    const exported = require(program);
    return exported instanceof Function ? exported() : exported;
  }, {
    // A pinned host image (hostImage) is looked up as the plan assumes it (plan/mock-image.ts); nothing else.
    project: { name, account: () => ({ invoke: imageLookup }) },
    stack, config,
  });
  process.stdout.write(JSON.stringify({ stack, resources: recording.resources.length, ...decided }) + "\n");
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
