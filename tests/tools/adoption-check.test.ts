// The adoption check (tools/adoption-check.ts): its scenarios are what a team does to make the program its
// own, they act on whatever stacks the repository has, and only the specs it runs read the team's stacks.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_SCHEMA, parseStackConfig } from "../../config";
import { listStacks, readStackConfig, ROOT, stackOrder } from "../../config/stack-files";
import { adoptions } from "../fixtures/adoption-edits";
import { ADOPTION_SPECS, adoptedCopy } from "../../tools/adoption-check";

describe("the adoption check: the suite survives a team's edits to its stacks", () => {
  it("acts on the stacks by their place in the deploy order, and leaves out a scenario the stacks cannot hold", () => {
    const three = adoptions(["dev", "staging", "prod"]);
    assert.deepEqual(Object.keys(three), ["own-api", "existing-vpc", "fourth-stack", "no-staging"]);
    assert.deepEqual(Object.keys(three["own-api"].edit!), ["dev"]);
    assert.deepEqual(three["fourth-stack"].copy, [["staging", "orders"]]);
    assert.deepEqual(Object.keys(three["fourth-stack"].edit!).sort(), ["orders", "prod"]);
    assert.deepEqual(three["no-staging"].remove, ["staging"]);
    const two = adoptions(["qa", "live"]);
    assert.deepEqual(Object.keys(two), ["own-api", "existing-vpc", "fourth-stack"], "with two stacks none is between the first and the last");
    assert.deepEqual(Object.keys(two["own-api"].edit!), ["qa"]);
    assert.deepEqual(Object.keys(adoptions(["orders", "prod"])["fourth-stack"].edit!).sort(), ["orders-2", "prod"], "a new stack's name no stack has");
  });

  it("takes the stacks in deploy-order's order, then any stack it does not list by name", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "tests", ".order-"));
    try {
      for (const s of ["prod", "orders", "dev", "staging", "billing"]) fs.writeFileSync(path.join(dir, `Pulumi.${s}.yaml`), "config: {}\n");
      fs.writeFileSync(path.join(dir, "deploy-order"), "# the order\ndev\nstaging\nprod checks-before-approval\n");
      assert.deepEqual(stackOrder(dir), ["dev", "staging", "prod", "billing", "orders"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [name, adoption] of Object.entries(adoptions(stackOrder()))) {
    it(`${name}: ${adoption.what}, with keys the program knows, no placeholder among its values`, function () {
      // Inside an adopted copy (no git work tree) there is nothing to copy from.
      if (!fs.existsSync(path.join(ROOT, ".git"))) this.skip();
      for (const edits of Object.values(adoption.edit ?? {})) {
        for (const key of Object.keys(edits)) assert.ok(key in CONFIG_SCHEMA || key.startsWith("aws:"), key);
      }
      const dir = adoptedCopy(name, adoption);
      try {
        const stacks = listStacks(dir);
        for (const gone of adoption.remove ?? []) assert.ok(!stacks.includes(gone) && !fs.existsSync(path.join(dir, "policy-pack", "config", `${gone}.json`)), `${gone} is gone`);
        for (const [, to] of adoption.copy ?? []) assert.ok(stacks.includes(to), `${to} is a stack`);
        for (const [stack, edits] of Object.entries(adoption.edit ?? {})) {
          const c = parseStackConfig(readStackConfig(stack, dir), { rootDir: ROOT });
          const edited = c.placeholders.filter((p) => p.key.replace(/^ecs-ec2-api:/, "") in edits);
          assert.deepEqual(edited, [], stack);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("runs every spec file that reads the team's stack files, and only those read them", () => {
    const specs: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith(".test.ts") && f !== path.join("tests", "tools", "adoption-check.test.ts")) specs.push(f.split(path.sep).join("/"));
      }
    };
    walk("tests");
    // The ways a spec reaches the project's own stacks: tests/helpers.ts' recordStack and runPlan without
    // --stacks-dir, config/stack-files.ts read at the project's folder, the stack files by name or by listing,
    // the team's folders (teamStackDirs), the pack configs' folder or one of them by name.
    const reads = /recordStack\(|runPlan\(|readStackConfig\(|listStacks\(\)|readdirSync\(ROOT\)|teamStackDirs\(|Pulumi\.(dev|staging|prod)\.yaml|policy-pack\/config\/(dev|staging|prod)|policy-pack\/config"|"(dev|staging|prod)\.json"/;
    const reading = specs.filter((f) => reads.test(fs.readFileSync(path.join(ROOT, f), "utf8"))).sort();
    assert.deepEqual(reading, [...ADOPTION_SPECS].sort());
  });
});
