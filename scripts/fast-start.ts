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
import Module = require("module");

process.setSourceMapsEnabled(false);

/** Modules the SDK requires only for closure serialization, by the request string it uses. */
const DEFERRED = new Set(["@npmcli/arborist", "../../typescript-shim"]);

function deferred(load: () => any): any {
  let real: any;
  const target = () => (real ??= load());
  return new Proxy({}, {
    // Claiming to be an ES module keeps TypeScript's __importStar from copying (and so loading) it.
    get: (_t, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
    has: (_t, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
  });
}

const loader = Module as unknown as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => any };
const load = loader._load;
loader._load = function (request, parent, isMain) {
  if (DEFERRED.has(request) && parent?.filename?.includes("@pulumi/pulumi")) {
    return deferred(() => load.call(this, request, parent, isMain));
  }
  return load.call(this, request, parent, isMain);
};
