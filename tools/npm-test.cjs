// @ts-check
/**
 * `npm test`: the typecheck and the typed lint (`npm run check`: both over one TypeScript program, see
 * tools/check.cjs) beside mocha (`npm run test:unit`). They are independent, so on two cores this takes
 * about the time of the slowest instead of the sum. Mocha's report streams as it runs (CI reads its
 * "N passing" / "N failing" lines); the check's reports are held and printed when mocha is done, one
 * heading each ("lint: ok (…)", "typecheck: FAILED (…)"). Exits 1 when any of them fails. Arguments go to
 * mocha (`npm test -- --grep plan`).
 */
"use strict";
const { spawn } = require("child_process");

const tty = process.stdout.isTTY;
/** What `npm run check` reports on, in the order printed (each also an npm script of its own). */
const checks = ["lint", "typecheck"];
const checkScript = "check";
const unit = "test:unit";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * @param {string[]} args
 * @param {boolean} held output collected instead of shown
 * @returns {Promise<{ code: number; output: string; seconds: number }>}
 */
function run(args, held) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, args, { stdio: held ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (s) => (output += s));
    child.stderr?.setEncoding("utf8").on("data", (s) => (output += s));
    child.on("error", (e) => resolve({ code: 1, output: `${output}${e.message}\n`, seconds: (Date.now() - started) / 1000 }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main() {
  const held = run(["run", "-s", checkScript, "--", "--json", ...(tty ? ["--color"] : [])], true);
  const mocha = await run(["run", "-s", unit, "--", ...process.argv.slice(2)], false);
  let failed = mocha.code !== 0;
  const checked = await held;
  /** @type {Record<string, { ok: boolean; output: string; seconds: number }> | undefined} */
  let results;
  try {
    results = checked.code === 0 ? JSON.parse(checked.output.trim().split("\n").pop() ?? "") : undefined;
  } catch {
    results = undefined;
  }
  for (const name of checks) {
    // A check that died before it could report fails both, with all it printed.
    const result = results?.[name] ?? { ok: false, output: checked.output, seconds: checked.seconds };
    const verdict = result.ok ? "ok" : "FAILED";
    if (!result.ok) failed = true;
    process.stdout.write(`${result.output.trim() || !result.ok ? "\n" : ""}${name}: ${verdict} (${result.seconds.toFixed(1)} s)\n${result.output.trim() ? `${result.output.trimEnd()}\n` : ""}`);
  }
  process.exitCode = failed ? 1 : 0;
}

module.exports = { checks, checkScript, unit };
if (require.main === module) void main();
