// `npm test` (tools/npm-test.cjs) runs the lint, the typecheck and mocha at once; it must check all that
// the three did one after the other, keep mocha's report as CI reads it, and fail when any of them fails.
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checks, unit } from "../../tools/npm-test.cjs";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(ROOT, "tools", "npm-test.cjs");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("npm test", () => {
  it("is the runner, and the runner runs the typed lint, the whole typecheck and every mocha spec", () => {
    assert.equal(pkg.scripts.test, "node tools/npm-test.cjs");
    assert.deepEqual(checks.map((c) => c.name), ["lint", "typecheck"]);
    assert.equal(pkg.scripts.lint, "eslint .");
    assert.equal(pkg.scripts.typecheck, "tsc --noEmit -p .");
    assert.equal(pkg.scripts[unit], "mocha");
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
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "npm-test-"));
      fs.writeFileSync(path.join(dir, "npm"), '#!/bin/sh\nname=$(echo "$3" | tr : _)\neval "exec sh -c \\"\\$STANDIN_$name\\""\n', { mode: 0o755 });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes when all three pass, mocha's report line intact", () => {
      const r = runWith({ lint: "true", typecheck: "true", [unit]: passing });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^ {2}3 passing \(1s\)$/m);
      assert.match(r.stdout, /^lint: ok/m);
      assert.match(r.stdout, /^typecheck: ok/m);
    });

    it("fails when the lint or the typecheck fails, printing its output after mocha's report", () => {
      for (const failing of ["lint", "typecheck"]) {
        const r = runWith({ lint: "true", typecheck: "true", [failing]: `echo ${failing}-problem; exit 2`, [unit]: passing });
        assert.equal(r.status, 1, failing);
        assert.match(r.stdout, new RegExp(`3 passing[\\s\\S]*\\n${failing}: FAILED \\(.*\\)\\n${failing}-problem\\n`), r.stdout);
      }
    });

    it("fails when mocha fails", () => {
      const r = runWith({ lint: "true", typecheck: "true", [unit]: "echo '  1 failing'; exit 1" });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^ {2}1 failing$/m);
    });
  });
});
