/**
 * Start-up trim for the offline plan. `@pulumi/pulumi` loads its function-serialization machinery
 * eagerly: npm's arborist and the TypeScript compiler, about 0.8 s of the SDK's 1 s load here. A
 * program that serializes no closures (this one) never calls into them, so the plan hands the SDK lazy
 * stand-ins that load the real module on first use: behaviour is unchanged, the wait is not paid.
 * Loaded by `npm run plan` (node --require) before anything imports `@pulumi/pulumi`; tests do not load
 * it, so they keep source-mapped stack traces.
 *
 * Also: tsx turns on Node's source-map support, and the SDK captures a stack trace for every resource
 * and output it creates; mapping those traces through source maps cost about 0.15 s per plan. The plan's
 * errors are reported by message, so it runs without them.
 */
import { deferSdkModules } from "../policy-pack/sdk-lazy-load.cjs";

process.setSourceMapsEnabled(false);

// Modules the SDK requires only for closure serialization, by the request string it uses.
deferSdkModules(["@npmcli/arborist", "../../typescript-shim"]);
