// @ts-check
/**
 * `npm test`: the lint (`npm run lint`), the typecheck (`npm run typecheck`) and mocha (`npm run test:unit`)
 * at once. They are independent and mostly single-threaded, so on two cores this takes the time of the
 * slowest instead of the sum. Mocha's report streams as it runs (CI reads its "N passing" / "N failing"
 * lines); the lint's and the typecheck's output is held and printed, each under its own heading, when
 * mocha is done. Exits 1 when any of the three fails. Arguments go to mocha (`npm test -- --grep plan`).
 */
"use strict";
const { spawn } = require("child_process");

const tty = process.stdout.isTTY;
/** The checks run beside mocha, by npm script name (package.json). */
const checks = [
  { name: "lint", args: ["run", "-s", "lint", "--", ...(tty ? ["--color"] : [])] },
  { name: "typecheck", args: ["run", "-s", "typecheck", "--", ...(tty ? ["--pretty"] : [])] },
];
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
  const held = checks.map((c) => run(c.args, true));
  const mocha = await run(["run", "-s", unit, "--", ...process.argv.slice(2)], false);
  let failed = mocha.code !== 0;
  for (const [i, result] of (await Promise.all(held)).entries()) {
    const { name } = checks[i];
    const verdict = result.code === 0 ? "ok" : "FAILED";
    if (result.code !== 0) failed = true;
    if (result.output.trim() || result.code !== 0) {
      process.stdout.write(`\n${name}: ${verdict} (${result.seconds.toFixed(1)} s)\n${result.output.trimEnd()}\n`);
    } else {
      process.stdout.write(`${name}: ${verdict} (${result.seconds.toFixed(1)} s)\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

module.exports = { checks, unit };
if (require.main === module) void main();
