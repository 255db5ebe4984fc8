// The mock engine the plan and the tests share (plan/mock-engine.ts).
import assert from "node:assert/strict";
import { runProgram } from "../../plan/mock-engine";
import { fixtureConfig } from "../helpers";
import main = require("../../index");

describe("the mock engine", () => {
  it("records each run's own program when runs are asked for at once (the SDK's config and mocks are process-wide)", async () => {
    const run = (stack: string) => runProgram(main, { stack, config: fixtureConfig(stack), preview: true });
    const alone = [(await run("small")).resources.length, (await run("hardened")).resources.length];
    assert.notEqual(alone[0], alone[1], "the two fixtures plan different resources");
    const together = await Promise.all([run("small"), run("hardened")]);
    assert.deepEqual(together.map((r) => r.resources.length), alone);
  });
});
