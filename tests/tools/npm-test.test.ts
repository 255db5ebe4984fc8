// `npm test` (tools/npm-test.cjs) runs the typecheck and the lint (one process, one TypeScript program:
// tools/check.cjs) beside mocha; it must check all that the three did one after the other, keep mocha's
// report as CI reads it, and fail when any of them fails.
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checks, checkScript, unit } from "../../tools/npm-test.cjs";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(ROOT, "tools", "npm-test.cjs");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("npm test", () => {
  it("is the runner, and the runner runs the typed lint and the whole typecheck (npm run check) and every mocha spec", () => {
    assert.equal(pkg.scripts.test, "node tools/npm-test.cjs");
    assert.deepEqual(checks, ["lint", "typecheck"]);
    assert.equal(pkg.scripts[checkScript], "node tools/check.cjs");
    assert.equal(pkg.scripts.lint, "eslint .");
    assert.equal(pkg.scripts.typecheck, "tsc --noEmit -p .");
    assert.equal(pkg.scripts[unit], "mocha");
  });

  describe("npm run check (tools/check.cjs): the typecheck and the typed lint over one program", function () {
    this.timeout(60000);
    // A small project with the repository's tsconfig.json and eslint.config.mjs: a type error, a lint
    // error that needs type information (a floating promise), and a clean file.
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
      for (const f of ["tsconfig.json", "eslint.config.mjs"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
      fs.mkdirSync(path.join(dir, "config"));
      fs.writeFileSync(path.join(dir, "index.ts"), "export const n: number = 1;\n");
      fs.writeFileSync(path.join(dir, "config", "types.ts"), 'export const port: number = "80";\n');
      fs.writeFileSync(path.join(dir, "config", "floating.ts"), "export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reports the type error as tsc does and the typed lint's finding as eslint does, each failing alone", () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, "tools", "check.cjs"), "--json", "--root", dir], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const { typecheck, lint } = JSON.parse(r.stdout);
      assert.equal(typecheck.ok, false);
      assert.match(typecheck.output, /config\/types\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'/);
      assert.equal(lint.ok, false);
      assert.match(lint.output, /floating\.ts[\s\S]*3:3\s+error\s+Promises must be awaited[\s\S]*@typescript-eslint\/no-floating-promises/);
    });
  });

  describe("with stand-ins for the checks", function () {
    this.timeout(30000);
    let dir: string;
    /**
     * Runs the runner with an `npm` of our own first on PATH: `npm run -s <script> -- ...` runs the shell
     * command given here for that script (npm itself would take a quarter of a second per start).
     */
    const runWith = (scripts: Record<string, string>) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` };
      for (const [name, command] of Object.entries(scripts)) env[`STANDIN_${name.replace(":", "_")}`] = command;
      return spawnSync(process.execPath, [RUNNER], { cwd: dir, env, encoding: "utf8" });
    };
    const passing = "echo '  3 passing (1s)'";
    /** A stand-in for `npm run check -- --json`: its one JSON line. */
    const report = (lintOk: boolean, typesOk: boolean, problem = "") => {
      const result = (ok: boolean) => ({ ok, output: ok ? "" : problem, seconds: 1 });
      return `echo '${JSON.stringify({ lint: result(lintOk), typecheck: result(typesOk) })}'`;
    };
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "npm-test-"));
      fs.writeFileSync(path.join(dir, "npm"), '#!/bin/sh\nname=$(echo "$3" | tr : _)\neval "exec sh -c \\"\\$STANDIN_$name\\""\n', { mode: 0o755 });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes when all three pass, mocha's report line intact", () => {
      const r = runWith({ [checkScript]: report(true, true), [unit]: passing });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^ {2}3 passing \(1s\)$/m);
      assert.match(r.stdout, /^lint: ok/m);
      assert.match(r.stdout, /^typecheck: ok/m);
    });

    it("fails when the lint or the typecheck fails, printing its output after mocha's report", () => {
      for (const failing of ["lint", "typecheck"]) {
        const r = runWith({ [checkScript]: report(failing !== "lint", failing !== "typecheck", `${failing}-problem`), [unit]: passing });
        assert.equal(r.status, 1, failing);
        assert.match(r.stdout, new RegExp(`3 passing[\\s\\S]*\\n${failing}: FAILED \\(.*\\)\\n${failing}-problem\\n`), r.stdout);
      }
    });

    it("fails both checks, with all the check printed, when it dies before it reports", () => {
      const r = runWith({ [checkScript]: "echo check-crashed; exit 1", [unit]: passing });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /\nlint: FAILED \(.*\)\ncheck-crashed\n[\s\S]*\ntypecheck: FAILED \(.*\)\ncheck-crashed\n/);
    });

    it("fails when mocha fails", () => {
      const r = runWith({ [checkScript]: report(true, true), [unit]: "echo '  1 failing'; exit 1" });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^ {2}1 failing$/m);
    });
  });
});
