import assert from "node:assert/strict";
import * as path from "path";
import { runProgram } from "../../scripts/mock-engine";
import { evaluatePolicies, mandatoryFailures } from "../../scripts/run-policies";
import { listStacks, readStackConfig } from "../../scripts/stack-config";
import { recordStack } from "../helpers";
import brokenMain = require("../fixtures/broken-program");

const packConfig = (stack: string) => path.resolve(__dirname, "../../policy-pack/config", `${stack}.json`);

describe("the pack on our own program", () => {
  for (const stack of listStacks()) {
    for (const preview of [true, false]) {
      it(`passes every mandatory policy for the ${stack} stack (${preview ? "preview" : "up"}) with ${stack}.json`, async () => {
        const { recording } = await recordStack(stack, {}, preview);
        const verdicts = await evaluatePolicies(recording, packConfig(stack));
        assert.deepEqual(mandatoryFailures(verdicts).map((v) => [v.policy, v.violations]), []);
      });
    }
  }

  for (const preview of [true, false]) {
    it(`rejects the broken variant (tasks in public subnets, IMDSv1 hosts) in ${preview ? "preview" : "up"}`, async () => {
      const recording = await runProgram(brokenMain, { stack: "dev", config: readStackConfig("dev"), preview });
      const failures = mandatoryFailures(await evaluatePolicies(recording, packConfig("dev")));
      assert.deepEqual(failures.map((v) => v.policy).sort(), ["ecs-tasks-private-subnets", "imdsv2-required"]);
      const byPolicy = Object.fromEntries(failures.map((v) => [v.policy, v.violations.map((x) => x.resourceName)]));
      assert.deepEqual(byPolicy["imdsv2-required"], ["api-hosts"]);
      assert.deepEqual(byPolicy["ecs-tasks-private-subnets"], ["web-service", "web-service"]);
    });
  }
});
