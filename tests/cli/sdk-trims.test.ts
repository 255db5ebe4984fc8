// The SDK start-up trims the plan, the tests and the CLI's program share (policy-pack/sdk-lazy-load.cjs).
import assert from "node:assert/strict";
import { deferPromiseStackTraces } from "../../policy-pack/sdk-lazy-load.cjs";

const debuggable = require("@pulumi/pulumi/runtime/debuggable");

describe("the stack traces the SDK tags its promises with (deferPromiseStackTraces)", () => {
  // Back to plan/mock-engine.ts's setting, for the recordings this process makes after these tests: with the
  // frames kept, a recording costs about a third more CPU.
  afterEach(() => deferPromiseStackTraces(false));

  it("are still in a leak report, pointing at where the promise was made, and the tagged promise behaves as the SDK's", async () => {
    deferPromiseStackTraces(false);
    deferPromiseStackTraces(); // a later call wraps the SDK's own function, not the earlier wrapper
    const made = Promise.resolve(42);
    const tracked = debuggable.debuggablePromise(made, "the test's promise");
    assert.equal(await tracked, 42);
    const report: string = debuggable.promiseDebugString(made);
    assert.match(report, /^CONTEXT\(\d+\): the test's promise\nSTACK_TRACE:\nError: promise created here\n\s+at /);
    assert.match(report, /sdk-trims\.test\.ts/, "the frames reach the caller");
    await assert.rejects(debuggable.debuggablePromise(Promise.reject(new Error("no")), "failing"), /no/);
  });

  it("are not taken at all under the mock engine (keepFrames false): the report names the promise's context", () => {
    deferPromiseStackTraces(false);
    const made = Promise.resolve(1);
    void debuggable.debuggablePromise(made, "a recording's promise");
    assert.match(debuggable.promiseDebugString(made), /^CONTEXT\(\d+\): a recording's promise\nSTACK_TRACE:\n\(not taken under the mock engine\)$/);
  });
});
