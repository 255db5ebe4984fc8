// @ts-check
/**
 * `@pulumi/pulumi`'s index loads, eagerly, modules it needs only to serialize closures (npm's arborist, the
 * TypeScript compiler through its typescript-shim). Neither this program nor its pack serializes a closure,
 * so each of their start-ups (plan/fast-start.ts for the offline plan, cli/fast-start.cjs for the
 * CLI's program, entry.cjs for the CLI's pack, tests/fast-start.ts for mocha) hands the SDK a stand-in that
 * loads the real module on first use: behaviour is unchanged, the wait is not paid unless it is used.
 *
 * In the pack's folder so that the pack stays self-contained (the program's start-ups import it from here).
 */
"use strict";
const path = require("path");
const Module = require("module");

const SDK = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;

/**
 * From now on, when a file of `@pulumi/pulumi` requires one of `requests` (by the exact request string it
 * uses), it gets a stand-in that loads the module on first use.
 * @param {readonly string[]} requests
 */
function deferSdkModules(requests) {
  const deferred = new Set(requests);
  /** @type {{ _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => any }} */
  const loader = /** @type {any} */ (Module);
  const load = loader._load;
  loader._load = function (request, parent, isMain) {
    if (deferred.has(request) && parent?.filename?.includes(SDK)) {
      return onFirstUse(() => load.call(this, request, parent, isMain));
    }
    return load.call(this, request, parent, isMain);
  };
}

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

/**
 * The SDK tags each of its promises (one or more for every input, output, invoke and registration) with
 * `new Error().stack`, read at once, for the message it prints if a promise is still pending at exit. Each
 * read formats the stack, through the source maps where they are on (tsx, ts-node): under tsx that was
 * about three quarters of a recording's time. From now on the tag's text is made only if a leak report
 * reads it: the SDK's own function runs with no frames to format, and the frames taken here are formatted
 * on demand. Behaviour is unchanged: a leak report prints the same stacks. `keepFrames` false (the mock
 * engine: a recording under mocks is no place to hunt a leak) takes no frames at all: a leak report then
 * names each promise's context only, and a recording costs a sixth less.
 * @param {boolean} [keepFrames]
 */
function deferPromiseStackTraces(keepFrames = true) {
  /** @typedef {(p: Promise<unknown>, ctx: unknown) => Promise<unknown>} Tag */
  /** @type {{ debuggablePromise: Tag & { sdkOwn?: Tag } }} */
  const debuggable = /** @type {any} */ (require("@pulumi/pulumi/runtime/debuggable"));
  // Called again, it wraps the SDK's own function anew (never a wrapper): the last call decides.
  const tag = debuggable.debuggablePromise.sdkOwn ?? debuggable.debuggablePromise;
  /** @type {Tag & { sdkOwn?: Tag }} */
  const deferred = (p, ctx) => {
    const frames = keepFrames ? new Error("promise created here") : undefined;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let tracked;
    try {
      tracked = tag(p, ctx);
    } finally {
      Error.stackTraceLimit = limit;
    }
    /** @type {any} */ (p)._debugStackTrace = frames ? { toString: () => frames.stack ?? "" } : "(not taken under the mock engine)";
    return tracked;
  };
  deferred.sdkOwn = tag;
  debuggable.debuggablePromise = deferred;
}

module.exports = { deferSdkModules, deferPromiseStackTraces };
