// @ts-check
/**
 * The pack's entry point for the Pulumi CLI (package.json `main`). `pulumi preview --policy-pack policy-pack`
 * runs `@pulumi/pulumi/cmd/run-policy-pack` in this folder, which registers ts-node for `.ts` with
 * `typeCheck: true` (always, for every pack: pulumi/pulumi sdk/nodejs/cmd/run-policy-pack/run.ts) and then
 * `require`s the folder, that is this file. Type checking the pack there takes seconds on every preview and
 * repeats what `npm test` does (`tsc --noEmit -p .` covers policy-pack/). So this file takes the `.ts`
 * extension over before it loads index.ts: each file of the pack is transpiled on its own by the same
 * compiler (`ts.transpileModule`, with this folder's tsconfig.json), a syntax error still stops the pack
 * with file, line and message, types are not checked, and stack traces point at the TypeScript lines.
 *
 * Plain JavaScript on purpose: ts-node only handles `.ts`, so it never sees this file. Tests and the offline
 * plan import ./policies, never this file or index.ts (constructing the PolicyPack starts the analyzer's
 * gRPC server). tests/cli/load.test.ts starts the pack the CLI's way.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const PACK = __dirname;
/** @type {Record<string, (m: { _compile(code: string, filename: string): void }, filename: string) => void>} */
const extensions = /** @type {any} */ (require.extensions);

// `@pulumi/pulumi`'s index loads npm's arborist eagerly, for closure serialization only (a third of the time
// this pack takes to start); a pack serializes no closures.
require("./sdk-lazy-load.cjs").deferSdkModules(["@npmcli/arborist"]);

/** @type {ts.FormatDiagnosticsHost} */
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => PACK, getNewLine: () => "\n" };

/** This folder's tsconfig.json, as ts-node reads it, made to emit CommonJS with an inline source map. */
function compilerOptions() {
  const file = path.join(PACK, "tsconfig.json");
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw new Error(ts.formatDiagnostics([read.error], host));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, PACK, undefined, file);
  return { ...parsed.options, noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false };
}
const options = compilerOptions();

/** Compiled output by file name, for stack traces. @type {Map<string, string>} */
const outputs = new Map();

/**
 * One file of the pack as JavaScript; a syntax error throws as ts-node's would (a TSError with the
 * formatted diagnostics, which the CLI prints without a stack).
 * @param {string} filename
 */
function transpile(filename) {
  const result = ts.transpileModule(fs.readFileSync(filename, "utf8"), { fileName: filename, compilerOptions: options, reportDiagnostics: true });
  const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const error = new Error(`⨯ Unable to compile TypeScript:\n${ts.formatDiagnostics(errors, host)}`);
    error.name = "TSError";
    throw error;
  }
  outputs.set(filename, result.outputText);
  return result.outputText;
}

/** @param {string} filename */
const own = (filename) => filename.startsWith(PACK + path.sep) && !filename.includes(`${path.sep}node_modules${path.sep}`);
const previous = extensions[".ts"];
extensions[".ts"] = function (m, filename) {
  if (own(filename)) return m._compile(transpile(filename), filename);
  if (!previous) throw new Error(`no loader for ${filename}`);
  return previous(m, filename);
};

// Stack traces: formatted as source-map-support formats them, with the SDK's instance of it (the one
// cmd/run-policy-pack installed), which now also knows the pack's compiled outputs and their inline maps.
const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** @type {{ install(o: object): void; wrapCallSite(frame: NodeJS.CallSite, state: object): NodeJS.CallSite }} */
const sourceMaps = require(require.resolve("source-map-support", { paths: [sdk] }));
sourceMaps.install({ environment: "node", handleUncaughtExceptions: false, retrieveFile: (/** @type {string} */ p) => outputs.get(p) ?? null });
Error.prepareStackTrace = (error, frames) => {
  const state = { nextPosition: null, curPosition: null };
  const lines = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    lines.push(`\n    at ${sourceMaps.wrapCallSite(frames[i], state)}`);
    state.nextPosition = state.curPosition;
  }
  return `${error.name || "Error"}: ${error.message || ""}${lines.reverse().join("")}`;
};

require("./index");
