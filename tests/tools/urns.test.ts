// tools/urns.ts: a stack's baseline of resource identities, and what a change of the program would lose.
import assert from "node:assert/strict";
import { runProgram } from "../../plan-project";
import { lostUrns, plannedUrns } from "../../tools/urns";
import { fixtureConfig } from "../helpers";
import main = require("../../index");

describe("a stack's URN baseline (npm run urns)", () => {
  it("records every resource the program plans, sorted, without the stack itself", async () => {
    const urns = await plannedUrns("small", fixtureConfig("small"));
    assert.deepEqual(urns, [...urns].sort());
    assert.ok(urns.some((u) => u.endsWith("$aws:ec2/vpc:Vpc::api-vpc")), "the VPC");
    assert.ok(!urns.some((u) => u.includes("pulumi:pulumi:Stack::")), "not the stack");
  });

  it("finds nothing lost when the program plans the same stack, and each resource of a renamed service when its name changes", async () => {
    const urns = await plannedUrns("small", fixtureConfig("small"));
    const same = await runProgram(main, { stack: "small", config: fixtureConfig("small"), preview: true });
    assert.deepEqual(lostUrns(same, urns), []);
    const renamed = await runProgram(main, { stack: "small", config: { ...fixtureConfig("small"), "ecs-ec2-api:serviceName": "orders" }, preview: true });
    const lost = lostUrns(renamed, urns);
    assert.ok(lost.some((u) => u.endsWith("$aws:ecs/service:Service::web-service")), lost.join("\n"));
    assert.ok(!lost.some((u) => u.endsWith("::api-vpc")), "the network keeps its identity");
  });
});
