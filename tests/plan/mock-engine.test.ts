// The mock engine the plan and the tests share (plan/mock-engine.ts).
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ProgramError, runProgram as runAnyProgram } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
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

  it("names no project: the engine, the mock network and the plan's driver hold no project's name", () => {
    for (const f of ["mock-engine.ts", "mock-network.ts", "plan.ts", "stack-plan.ts", "project.ts", "report.ts", "args.ts"]) {
      assert.doesNotMatch(fs.readFileSync(path.join(__dirname, "../../plan", f), "utf8"), /ecs-ec2-api/, f);
    }
  });

  it("takes no stack trace for a resource's source position, which a recording never reads (the SDK's Resource.stackTrace gives none)", () => {
    assert.deepEqual((pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] }).stackTrace(0), []);
  });

  it("records any project under its own name, its account and lookups as the project answers them, and fails an invoke no one answers", async () => {
    const project = {
      name: "other",
      account: () => ({ accountId: "210987654321", invoke: (token: string) => (token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider" ? { arn: "x", url: "u", clientIdLists: ["a"], thumbprintLists: [], tags: {} } : undefined) }),
    };
    const recording = await runAnyProgram(async () => {
      const found = await aws.iam.getOpenIdConnectProvider({ arn: "x" });
      const role = new aws.iam.Role("r", { assumeRolePolicy: "{}" });
      return { project: pulumi.getProject(), audiences: found.clientIdLists, arn: role.arn };
    }, { project, stack: "s", config: { "aws:region": "us-east-1" } });
    assert.deepEqual(recording.outputs, { project: "other", audiences: ["a"], arn: "arn:aws:iam::210987654321:role/r-1a2b3c4" });
    assert.equal(recording.resources.find((r) => r.name === "r")?.urn, "urn:pulumi:s::other::aws:iam/role:Role::r");
    const error = await runAnyProgram(() => aws.ec2.getVpc({ id: "vpc-1" }).then(() => ({})), { project: { name: "other" }, stack: "s", config: {} }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, String(error));
    assert.match(error.message, /no matching EC2 VPC found/);
    const unknown = await runAnyProgram(() => aws.ec2.getAmi({ owners: ["amazon"] }).then(() => ({})), { project: { name: "other" }, stack: "s", config: {} }).then(() => undefined, (e) => e);
    assert.match(unknown?.message, /unexpected invoke aws:ec2\/getAmi:getAmi/);
  });
});
