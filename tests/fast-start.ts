/**
 * Start-up trim for the mocha processes (.mocharc.cjs `require`, before any spec): `@pulumi/pulumi` loads
 * npm's arborist and the TypeScript compiler eagerly, for closure serialization only, which no test does;
 * they load on first use instead (policy-pack/sdk-lazy-load.cjs, as plan/fast-start.ts does for the plan).
 * About 1.2 s of CPU per worker. Unlike the plan's, source maps stay on: a failing test's stack points at
 * the TypeScript lines.
 */
import { deferSdkModules } from "../policy-pack/sdk-lazy-load.cjs";

// Modules the SDK requires only for closure serialization, by the request string it uses.
deferSdkModules(["@npmcli/arborist", "../../typescript-shim"]);
