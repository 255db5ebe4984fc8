// Mocha's settings. The specs run in parallel worker processes, one per core (mocha's default leaves one
// core idle, which on 2 cores means no parallelism): each spec file gets its own process, so the mock
// engine's process-wide state never leaks from one file into another.
"use strict";
const os = require("os");

module.exports = {
  spec: ["tests/**/*.test.ts"],
  require: ["tsx/cjs"],
  extension: ["ts"],
  timeout: 20000,
  "fail-zero": true,
  reporter: "spec",
  parallel: true,
  jobs: Math.max(2, os.availableParallelism()),
};
