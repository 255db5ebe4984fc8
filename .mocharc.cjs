// Mocha's settings. The specs run in parallel worker processes, one per core (mocha's default leaves one
// core idle, which on 2 cores means no parallelism). A worker runs several spec files one after another in
// one process: what the mock engine keeps process-wide (config, mocks) is set anew by every run, and runs
// take turns (plan/mock-engine.ts runProgram).
"use strict";
const os = require("os");

module.exports = {
  spec: ["tests/**/*.test.ts"],
  require: ["tsx/cjs", "./tests/fast-start.ts"],
  extension: ["ts"],
  timeout: 20000,
  "fail-zero": true,
  reporter: "spec",
  // Young generation spaces of 32 MiB instead of V8's 16: a recording makes many short-lived objects, and with
  // fewer, larger scavenges the specs that record take about a seventh less CPU. Mocha starts its process
  // with the option, and its workers inherit it.
  "node-option": ["max-semi-space-size=32"],
  parallel: true,
  jobs: Math.max(2, os.availableParallelism()),
};
