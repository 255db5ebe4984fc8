// `npm run docs` (tools/docs.ts): what the docs state about the config contract, the pack and the prices
// is written from where it is defined; a stale part fails here with the command that mends it.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../config/stack-files";
import { GENERATED, generatedPart, projectFileText, withGenerated } from "../../tools/docs";

describe("npm run docs", () => {
  for (const g of GENERATED) {
    it(`${g.file}: its ${g.name} part is what its source says (else: run npm run docs)`, () => {
      const part = generatedPart(fs.readFileSync(path.join(ROOT, g.file), "utf8"), g.name);
      assert.ok(part !== undefined, `${g.file} has the ${g.name} markers`);
      assert.equal(part, g.lines().join("\n").trim(), `${g.file}'s ${g.name} is stale: run npm run docs`);
    });
  }

  it("Pulumi.yaml declares every key as the schema does (else: run npm run docs)", () => {
    const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    assert.equal(project, projectFileText(project), "Pulumi.yaml's config section is stale: run npm run docs");
  });

  it("replaces exactly the text between a part's markers", () => {
    const text = "before\n<!-- x: written by `npm run docs`; edit its source, not this -->\nold\n<!-- /x -->\nafter\n";
    assert.equal(withGenerated(text, "x", ["new", "lines"]), "before\n<!-- x: written by `npm run docs`; edit its source, not this -->\nnew\nlines\n<!-- /x -->\nafter\n");
    assert.throws(() => withGenerated("no markers", "x", []), /no markers/);
  });
});
