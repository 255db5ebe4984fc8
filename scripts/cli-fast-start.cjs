// @ts-check
/**
 * Start-up trim for `pulumi preview`/`up`, preloaded before @pulumi/pulumi/cmd/run by Pulumi.yaml's
 * `nodeargs: --require ./scripts/cli-fast-start.cjs` (the Node.js language host puts nodeargs before the
 * run script: pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go execRuntime). The CLI's
 * counterpart of scripts/fast-start.ts, in JavaScript because it runs before ts-node is registered.
 *
 * `@pulumi/pulumi`'s index loads npm's arborist eagerly, for closure serialization only (about a fifth of
 * the program's load); this program serializes no closures. The SDK gets a stand-in that loads the real
 * module on first use: behaviour is unchanged, the wait is not paid. (The SDK's typescript-shim, which
 * fast-start.ts also defers, costs nothing here: ts-node has loaded TypeScript already.)
 */
"use strict";
const path = require("path");
const Module = require("module");

const SDK = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
/** @type {{ _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => any }} */
const loader = /** @type {any} */ (Module);
const load = loader._load;
loader._load = function (request, parent, isMain) {
  if (request === "@npmcli/arborist" && parent?.filename?.includes(SDK)) {
    return onFirstUse(() => load.call(this, request, parent, isMain));
  }
  return load.call(this, request, parent, isMain);
};

/** @param {() => any} loadReal */
function onFirstUse(loadReal) {
  /** @type {any} */
  let real;
  const target = () => (real ??= loadReal());
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
