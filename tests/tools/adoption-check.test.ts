// The adoption check (tools/adoption-check.ts): the edits it applies are ones a team would make and the
// program accepts, they cover what issue #20 names, and it runs every spec file that reads the stack files.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_SCHEMA, parseStackConfig } from "../../config";
import { listStacks, readStackConfig, ROOT } from "../../config/stack-files";
import { ADOPTION_EDITS } from "../fixtures/adoption-edits";
import { ADOPTION_SPECS, adoptedCopy } from "../../tools/adoption-check";

describe("the adoption check: the suite survives a team's edits to the stack files", () => {
  let dir: string;
  before(function () {
    // Inside an adopted copy (no git work tree: tools/adoption-check.ts --all) the edits are already applied.
    if (!fs.existsSync(path.join(ROOT, ".git"))) this.skip();
    dir = adoptedCopy();
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("edits every committed stack, with keys the program knows", () => {
    assert.deepEqual(Object.keys(ADOPTION_EDITS).sort(), listStacks());
    for (const [stack, edits] of Object.entries(ADOPTION_EDITS)) {
      for (const key of Object.keys(edits)) assert.ok(key in CONFIG_SCHEMA || key.startsWith("aws:"), `${stack}: ${key}`);
    }
  });

  it("gives stacks that plan, with no placeholder left, and differ from the committed ones where the issue says", () => {
    const adopted = Object.fromEntries(listStacks(dir).map((s) => [s, parseStackConfig(readStackConfig(s, dir), { rootDir: dir })]));
    for (const [stack, c] of Object.entries(adopted)) {
      assert.deepEqual(c.placeholders, [], stack);
      const [main, ...others] = c.services;
      assert.notEqual(main.imageUrl, CONFIG_SCHEMA.imageUrl.default, `${stack}: its own image`);
      assert.notEqual(main.port, 80, `${stack}: its own port`);
      assert.ok(Object.keys(main.environment).length > 0 && main.secrets.some((x) => x.source.service === "ssm"), `${stack}: environment and an SSM secret`);
      assert.deepEqual(others.map((s) => s.route.kind).sort(), ["rule", "worker"], `${stack}: a routed service and a worker`);
      assert.notEqual(c.instanceType, parseStackConfig(readStackConfig(stack), { rootDir: ROOT }).instanceType, `${stack}: another instance type`);
    }
    assert.equal(adopted.staging.natGateways, "single");
    assert.ok(adopted.prod.domainName && adopted.prod.hostedZoneId && !adopted.prod.certificateArn, "prod on its own domain, no certificateArn");
    assert.equal(adopted.prod.services[0].deployment.strategy, "canary");
  });

  it("runs every spec file that reads the committed stack files", () => {
    const specs: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith(".test.ts") && f !== path.join("tests", "tools", "adoption-check.test.ts")) specs.push(f.split(path.sep).join("/"));
      }
    };
    walk("tests");
    const reads = /recordStack\(|runPlan\(|readStackConfig\(|listStacks\(|Pulumi\.(dev|staging|prod)/;
    const reading = specs.filter((f) => reads.test(fs.readFileSync(path.join(ROOT, f), "utf8"))).sort();
    assert.deepEqual([...ADOPTION_SPECS].sort(), reading);
  });
});
