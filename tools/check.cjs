// @ts-check
/**
 * `npm run check`: the typecheck (`tsc --noEmit -p .`) and the typed lint (`eslint .`) over ONE TypeScript
 * program. Each of the two builds the same program from tsconfig.json on its own (the lint for its
 * type-aware rules); here the lint is handed the typecheck's program (typescript-eslint's
 * `parserOptions.programs`), which saves a quarter of their CPU time in `npm test`. The same files, the
 * same rules, the same diagnostics: `npm run lint` and `npm run typecheck` stay for running either alone.
 *
 * `node tools/check.cjs`: prints both reports, exit 1 when either fails. `--json`: one JSON line
 * { typecheck: Result, lint: Result } for tools/npm-test.cjs, exit 0.
 */
"use strict";
const path = require("path");
const { stripVTControlCharacters } = require("util");
const ts = require("typescript");
const { ESLint } = require("eslint");

/** The project checked: the repository, or `--root <dir>` (the tests' small projects). */
const rootArg = process.argv.indexOf("--root");
const ROOT = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(__dirname, "..");

/** @typedef {{ ok: boolean; output: string; seconds: number }} Result */

/** @param {boolean} color @returns {{ program: ts.Program; typecheck: Result }} */
function typecheck(color) {
  const started = Date.now();
  /** @type {ts.Diagnostic[]} */
  const configProblems = [];
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (/** @type {ts.Diagnostic} */ d) => configProblems.push(d) };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, host);
  if (!config) throw new Error(ts.formatDiagnostics(configProblems, formatHost()));
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  const output = diagnostics.length === 0 ? "" : color ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost()) : ts.formatDiagnostics(diagnostics, formatHost());
  return { program, typecheck: { ok: diagnostics.length === 0, output, seconds: (Date.now() - started) / 1000 } };
}

/** @returns {ts.FormatDiagnosticsHost} */
function formatHost() {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
}

/** @param {ts.Program} program @param {boolean} color @returns {Promise<Result>} */
async function lint(program, color) {
  const started = Date.now();
  // eslint.config.mjs as it is, but the .ts files take their types from `program` instead of a second
  // build of tsconfig.json (the config's `project`); the other files are linted as the config says.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parserOptions: { programs: [program], project: null } } }],
  });
  const results = await eslint.lintFiles(["."]);
  const formatter = await eslint.loadFormatter("stylish");
  const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
  let output = String(await formatter.format(results));
  if (!color) output = stripVTControlCharacters(output);
  return { ok: errors === 0, output, seconds: (Date.now() - started) / 1000 };
}

/** @param {boolean} color */
async function check(color) {
  const { program, typecheck: types } = typecheck(color);
  return { typecheck: types, lint: await lint(program, color) };
}

module.exports = { check };

if (require.main === module) {
  const json = process.argv.includes("--json");
  const color = process.argv.includes("--color");
  check(color).then((r) => {
    if (json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return;
    }
    for (const [name, result] of Object.entries(r)) {
      process.stdout.write(`${name}: ${result.ok ? "ok" : "FAILED"} (${result.seconds.toFixed(1)} s)\n${result.output ? `${result.output.trimEnd()}\n` : ""}`);
    }
    process.exitCode = r.typecheck.ok && r.lint.ok ? 0 : 1;
  }, (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
