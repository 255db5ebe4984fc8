// Rule of the real path: a resource's URN is its identity in a deployed stack's state. A change of name,
// type or parent (a move to another component) without an alias is a delete and a create on the next
// `pulumi up`: a new VPC, a new load balancer and DNS name, a new cluster. Every URN deployed stacks have
// (tests/fixtures/urns.json, per tests/plan/urn-variants.ts) must still be planned, as itself or as an alias.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../../plan/mock-engine";
import { oldUrnOf } from "../../plan/urns";
import { projectConfig, readStackFile } from "../../config/stack-files";
import { VARIANTS } from "./urn-variants";
import { fixtureConfig } from "../helpers";
import main = require("../../index");

const deployed: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "urns.json"), "utf8"));

describe("resource identities: deployed stacks keep every resource (URNs, or aliases)", () => {
  it("has the deployed URNs of every variant", () => {
    assert.deepEqual(Object.keys(deployed).sort(), Object.keys(VARIANTS).sort());
  });

  for (const [name, variant] of Object.entries(VARIANTS)) {
    it(`${name}: every deployed resource is planned under its URN or an alias of it`, async () => {
      const base = variant.fixture ? fixtureConfig(variant.fixture) : variant.stack
        ? readStackFile(path.join(__dirname, "..", "fixtures", "urn-stacks", `Pulumi.${variant.stack}.yaml`), variant.stack)
        : { ...projectConfig().values, "aws:region": "us-east-1" };
      const config = { ...base, ...Object.fromEntries(Object.entries(variant.overrides).map(([k, v]) => [`ecs-ec2-api:${k}`, v])) };
      for (const key of variant.removed ?? []) delete config[`ecs-ec2-api:${key}`];
      const recording = await runProgram(main, { stack: variant.fixture ?? variant.stack ?? "seed", config, preview: true });
      const olds = new Set(deployed[name]);
      const taken = new Set(oldUrnOf(recording, olds).values());
      const lost = deployed[name].filter((urn) => !taken.has(urn));
      assert.deepEqual(lost, [], "these would be deleted (and recreated under a new URN) by the next pulumi up");
    });
  }
});
