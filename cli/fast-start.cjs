// @ts-check
/**
 * Start-up trim for `pulumi preview`/`up`, preloaded before @pulumi/pulumi/cmd/run by Pulumi.yaml's
 * `nodeargs: --require ./cli/fast-start.cjs` (the Node.js language host puts nodeargs before the
 * run script: pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go execRuntime). The CLI's
 * counterpart of plan/fast-start.ts, in JavaScript because it runs before ts-node is registered.
 *
 * The SDK's eager load of npm's arborist is about a fifth of the program's load; it is deferred to first
 * use (policy-pack/sdk-lazy-load.cjs). The SDK's typescript-shim, which fast-start.ts also defers, costs
 * nothing here: ts-node has loaded TypeScript already. The stack trace the SDK takes for every promise is
 * formatted (through ts-node's source maps) only if a leak report reads it (same file).
 */
"use strict";
const { deferSdkModules, deferPromiseStackTraces } = require("../policy-pack/sdk-lazy-load.cjs");
deferSdkModules(["@npmcli/arborist"]);
deferPromiseStackTraces();
