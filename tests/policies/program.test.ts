import assert from "node:assert/strict";
import * as path from "path";
import { runProgram } from "../../plan-project";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { listStacks, readStackConfig } from "../../config/stack-files";
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

  // The broken variant puts every ECS service's tasks in the public subnets: the stack policy must name
  // each service, the default one and those of the services map alike, once per public subnet.
  const twoMore = JSON.stringify({
    v2: { imageUrl: "public.ecr.aws/docker/library/nginx:1.27", pathPatterns: ["/v2/*"], priority: 100, desiredCount: 1 },
    worker: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", desiredCount: 1 },
  });
  for (const [what, servicesMap] of [["one service", "{}"], ["three services", twoMore]]) {
    for (const preview of [true, false]) {
      it(`rejects the broken variant (tasks in public subnets, IMDSv1 hosts) with ${what}, in ${preview ? "preview" : "up"}`, async () => {
        const config = { ...readStackConfig("dev"), "ecs-ec2-api:services": servicesMap };
        const recording = await runProgram(brokenMain, { stack: "dev", config, preview });
        const failures = mandatoryFailures(await evaluatePolicies(recording, packConfig("dev")));
        assert.deepEqual(failures.map((v) => v.policy).sort(), ["ecs-tasks-private-subnets", "imdsv2-required"]);
        const byPolicy = Object.fromEntries(failures.map((v) => [v.policy, v.violations.map((x) => x.resourceName)]));
        assert.deepEqual(byPolicy["imdsv2-required"], ["api-hosts"]);
        const ecsServices = recording.resources.filter((r) => r.type === "aws:ecs/service:Service").map((r) => r.name);
        const publicSubnets = recording.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.inputs.mapPublicIpOnLaunch === true).length;
        assert.deepEqual([...byPolicy["ecs-tasks-private-subnets"]].sort(), ecsServices.flatMap((s) => Array(publicSubnets).fill(s)).sort());
        assert.equal(ecsServices.length, what === "one service" ? 1 : 3);
      });
    }
  }
});
