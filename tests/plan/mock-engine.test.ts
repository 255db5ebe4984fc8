// The mock engine the plan and the tests share (plan/mock-engine.ts).
import assert from "node:assert/strict";
import { runProgram } from "../../plan-project";
import { readStackConfig } from "../../config/stack-files";
import main = require("../../index");

describe("the mock engine", () => {
  it("records each run's own program when runs are asked for at once (the SDK's config and mocks are process-wide)", async () => {
    const run = (stack: string) => runProgram(main, { stack, config: readStackConfig(stack), preview: true });
    const alone = [(await run("dev")).resources.length, (await run("prod")).resources.length];
    assert.notEqual(alone[0], alone[1], "dev and prod plan different resources");
    const together = await Promise.all([run("dev"), run("prod")]);
    assert.deepEqual(together.map((r) => r.resources.length), alone);
  });
});
