import assert from "node:assert/strict";
import { runProgram } from "../../plan-project";
import { evaluatePolicies, mandatoryFailures } from "../../plan/policies";
import { listStacks } from "../../config/stack-files";
import { FIXTURES, fixtureConfig, fixturePack, recordFixture } from "../helpers";
import brokenMain = require("../fixtures/broken-program");

describe("the pack on our own program", () => {
  for (const stack of listStacks(FIXTURES)) {
    for (const preview of [true, false]) {
      it(`passes every mandatory policy for the fixture stack ${stack} (${preview ? "preview" : "up"}) with its pack config`, async () => {
        const { recording } = await recordFixture(stack, {}, preview);
        const verdicts = await evaluatePolicies(recording, fixturePack(stack));
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
        const config = { ...fixtureConfig("small"), "ecs-ec2-api:services": servicesMap };
        const recording = await runProgram(brokenMain, { stack: "small", config, preview });
        const failures = mandatoryFailures(await evaluatePolicies(recording, fixturePack("small")));
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
