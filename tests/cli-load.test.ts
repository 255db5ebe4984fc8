// How the Pulumi CLI loads the program and the policy pack, checked against @pulumi/pulumi 3.248.0's own
// loaders: pulumi/pulumi sdk/nodejs/cmd/run/run.ts (the program), sdk/nodejs/cmd/run-policy-pack/run.ts
// (packs), sdk/nodejs/tsutils.ts, and the language host sdk/nodejs/cmd/pulumi-language-nodejs/main.go
// (runtime options -> PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_TSCONFIG_PATH, nodeargs).
import assert from "node:assert/strict";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "../scripts/cli-load";

describe("npm test's typecheck covers the CLI-load files", () => {
  it("tsc --noEmit -p . includes the harness, the bench and this spec, JavaScript included (checkJs)", () => {
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile).config, ts.sys, ROOT);
    assert.equal(config.options.checkJs, true);
    const files = new Set(config.fileNames.map((f) => path.relative(ROOT, f)));
    for (const f of ["scripts/cli-run-program.cjs", "scripts/cli-load.ts", "scripts/bench-cli-load.ts", "tests/cli-load.test.ts"]) {
      assert.ok(files.has(f), f);
    }
  });
});
