// How the Pulumi CLI loads the program and the policy pack, checked against @pulumi/pulumi 3.248.0's own
// loaders: pulumi/pulumi sdk/nodejs/cmd/run/run.ts (the program), sdk/nodejs/cmd/run-policy-pack/run.ts
// (packs), sdk/nodejs/tsutils.ts, and the language host sdk/nodejs/cmd/pulumi-language-nodejs/main.go
// (runtime options -> PULUMI_NODEJS_TYPESCRIPT, PULUMI_NODEJS_TSCONFIG_PATH, nodeargs). `npm test`
// type-checks everything (tsc --noEmit -p .), so the CLI need not check types a second time.
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stripVTControlCharacters } from "util";
import * as grpc from "@grpc/grpc-js";
import * as ts from "typescript";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import { policies } from "../../policy-pack/policies";
import { loadPack, loadProgram, PACK, runtimeOptions } from "../../cli/load";
import { ROOT } from "../../config/stack-files";
import { fixtureConfig, NS, recordFixture } from "../helpers";

const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const sdkSource = (file: string) => fs.readFileSync(path.join(SDK, file), "utf8");
/** A tsconfig's own compilerOptions, read as tsutils.loadTypeScriptCompilerOptions reads them: no `extends`. */
const ownCompilerOptions = (file: string): Record<string, unknown> =>
  ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8")).config.compilerOptions ?? {};
const program = runtimeOptions(path.join(ROOT, "Pulumi.yaml"));

describe("the Pulumi CLI loads the program without a second type check (Pulumi.yaml runtime.options)", function () {
  this.timeout(60000);

  it("the installed SDK still decides as cited: run.ts takes ts-node's transpileOnly from noCheck of the file at PULUMI_NODEJS_TSCONFIG_PATH, read without `extends`", () => {
    const run = sdkSource("cmd/run/run.js");
    assert.match(run, /process\.env\["PULUMI_NODEJS_TSCONFIG_PATH"\] \?\? defaultTsConfigPath/);
    assert.match(run, /transpileOnly = compilerOptions\.noCheck;/);
    assert.match(run, /module: useNodeNext \? "nodenext" : "commonjs",[\s\S]{0,200}\.\.\.compilerOptions,/);
    assert.match(sdkSource("tsutils.js"), /parseConfigFileTextToJson\(tsConfigPath, tsConfigString\)\.config;\s+return tsConfig\["compilerOptions"\]/);
  });

  it("points runtime.options.tsconfig at a file whose own compilerOptions (not inherited) set noCheck: true", () => {
    assert.equal(program.typescript, true);
    assert.ok(program.tsconfig, "Pulumi.yaml runtime.options.tsconfig");
    const own = ownCompilerOptions(path.join(ROOT, program.tsconfig));
    assert.equal(own.noCheck, true);
    assert.equal(ownCompilerOptions(path.join(ROOT, "tsconfig.json")).noCheck, undefined, "npm test's tsconfig.json must keep checking");
  });

  it("states module, moduleResolution and target itself, so ts-node emits what `tsc -p .` checks, not run.ts's nodenext defaults", () => {
    const file = path.join(ROOT, program.tsconfig!);
    const own = ownCompilerOptions(file);
    for (const key of ["module", "moduleResolution", "target"]) assert.ok(own[key] !== undefined, `${key} must be in ${program.tsconfig} itself`);
    // ts-node 7 (the SDK's vendored copy): the file (with `extends`) under run.ts's options under its own defaults.
    const raw = ts.readConfigFile(file, ts.sys.readFile).config;
    const fromRunTs = { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...own };
    const tsNodeDefaults = { sourceMap: true, inlineSourceMap: false, inlineSources: true, declaration: false, noEmit: false, outDir: "$$ts-node$$" };
    raw.compilerOptions = { ...raw.compilerOptions, ...fromRunTs, ...tsNodeDefaults };
    const effective = ts.parseJsonConfigFileContent(raw, ts.sys, ROOT, undefined, file).options;
    const checked = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile).config, ts.sys, ROOT).options;
    assert.equal(effective.module, ts.ModuleKind.CommonJS);
    for (const key of ["module", "moduleResolution", "target", "esModuleInterop", "resolveJsonModule", "isolatedModules"] as const) {
      assert.equal(effective[key], checked[key], key);
    }
    assert.equal(effective.allowJs, false, "ts-node would take over .js files too");
  });

  it("preloads cli/fast-start.cjs (nodeargs go before cmd/run, --require resolves from the project folder): the SDK loads npm's arborist only once closure serialization uses it", () => {
    assert.deepEqual(program.nodeargs, ["--require", "./cli/fast-start.cjs"]);
    const script = [
      'const loaded = () => Object.keys(require.cache).some((k) => k.includes("/@npmcli/arborist/"));',
      'const pulumi = require("@pulumi/pulumi");',
      "const atLoad = loaded();",
      "pulumi.runtime.computeCodePaths().then(() => console.log(JSON.stringify({ atLoad, afterUse: loaded() })));",
    ].join("\n");
    const r = spawnSync(process.execPath, [...program.nodeargs, "-e", script], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { atLoad: false, afterUse: true });
  });

  it("loads the way cmd/run does (cold ts-node cache): transpileOnly, every resource of a stack that pins its host image registered", async () => {
    // A pinned hostImage is looked up (aws.ec2.getAmi); the harness answers it as the plan does.
    const pin = { hostImage: "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64" };
    const loaded = await loadProgram(program, "small", { ...fixtureConfig("small"), [`${NS}:hostImage`]: pin.hostImage });
    assert.deepEqual([loaded.typescript, loaded.transpileOnly, loaded.tsconfig], [true, true, program.tsconfig]);
    assert.equal(loaded.resources, (await recordFixture("small", pin)).resources.length);
  });
});

describe("the Pulumi CLI starts the policy pack without a second type check (policy-pack/entry.cjs)", function () {
  this.timeout(60000);
  const packOptions = runtimeOptions(path.join(PACK, "PulumiPolicy.yaml"));

  it("the installed SDK still decides as cited: run-policy-pack registers ts-node with typeCheck: true, then requires the pack folder", () => {
    const run = sdkSource("cmd/run-policy-pack/run.js");
    assert.match(run, /typeCheck: true,/);
    assert.match(run, /const reqResult = require\(program\);/);
  });

  it("has package.json main set to entry.cjs, a file ts-node leaves alone (it takes .ts, and .js only with allowJs)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));
    assert.equal(pkg.main, "entry.cjs");
    assert.ok(fs.existsSync(path.join(PACK, pkg.main)));
    assert.notEqual(ownCompilerOptions(path.join(PACK, "tsconfig.json")).allowJs, true);
    assert.ok(pkg.dependencies.typescript, "entry.cjs requires typescript from the pack folder");
  });

  it("started the CLI's way (cold), listens and serves every policy of policies/index.ts", async () => {
    let info: AnalyzerInfo | undefined;
    await loadPack(packOptions, PACK, PACK, async (port) => {
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [SDK] }));
      info = await new Promise<AnalyzerInfo>((resolve, reject) => client.getAnalyzerInfo(new Empty(), (e, r) => (e ? reject(e) : resolve(r))));
      client.close();
    });
    assert.equal(info?.getName(), "ecs-ec2-api-policies");
    assert.deepEqual(info?.getPoliciesList().map((p) => p.getName()).sort(), policies.map((p) => p.name).sort());
  });

  describe("with a pack of fixtures (this entry, this tsconfig, the repository's node_modules)", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-entry-"));
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
      for (const f of ["entry.cjs", "sdk-lazy-load.cjs", "tsconfig.json"]) fs.copyFileSync(path.join(PACK, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture-pack", version: "0.0.1", main: "entry.cjs" }));
      fs.writeFileSync(path.join(dir, "index.ts"), [
        'import { PolicyPack } from "@pulumi/policy";',
        "",
        "interface Erased {",
        "  a: number;",
        "}",
        'export { notANumber } from "./type-error";',
        "",
        "function fail(): never {",
        '  throw new Error("thrown on line 9");',
        "}",
        'if (process.env.FIXTURE === "throw") fail();',
        'if (process.env.FIXTURE === "syntax") require("./broken");',
        'new PolicyPack("fixture-pack", { policies: [] });',
        "export type { Erased };",
        "",
      ].join("\n"));
      fs.writeFileSync(path.join(dir, "broken.ts"), "export const broken = (;\n");
      fs.writeFileSync(path.join(dir, "type-error.ts"), 'export const notANumber: number = "text" as unknown as string;\n');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Starts the fixture pack the CLI's way; rejects with what it printed (colours stripped) if it does not listen. */
    const start = async (fixture?: string, program = dir) => {
      const saved = process.env.FIXTURE;
      if (fixture) process.env.FIXTURE = fixture;
      try {
        return await loadPack(packOptions, dir, program);
      } catch (e) {
        throw new Error(stripVTControlCharacters(e instanceof Error ? e.message : String(e)));
      } finally {
        if (saved === undefined) delete process.env.FIXTURE;
        else process.env.FIXTURE = saved;
      }
    };

    it("the entry's .ts handler wins over run-policy-pack's type-checking ts-node: a module with a type error loads through entry.cjs, and is refused when ts-node gets it", async () => {
      assert.ok((await start()).port > 0);
      await assert.rejects(start(undefined, path.join(dir, "type-error.ts")), /TSError[\s\S]*type-error\.ts\(1,14\): error TS2322/);
    });

    it("a syntax error still stops the pack, with file, line and message", async () => {
      await assert.rejects(start("syntax"), /Unable to compile TypeScript:[\s\S]*broken\.ts\(1,24\): error TS1109: Expression expected/);
    });

    it("an error thrown in the pack reports the TypeScript line, not the compiled one", async () => {
      await assert.rejects(start("throw"), /Error: thrown on line 9\n\s+at fail \(\S*index\.ts:9:9\)/);
    });
  });
});

describe("npm test's typecheck covers the CLI-load files", () => {
  it("tsc --noEmit -p . includes the pack entry, the harness, the bench and this spec, JavaScript included (checkJs)", () => {
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile).config, ts.sys, ROOT);
    assert.equal(config.options.checkJs, true);
    const files = new Set(config.fileNames.map((f) => path.relative(ROOT, f)));
    for (const f of ["policy-pack/entry.cjs", "policy-pack/sdk-lazy-load.cjs", "cli/fast-start.cjs", "cli/run-program.cjs", "cli/load.ts", "tools/bench-cli-load.ts", "tests/cli/load.test.ts"]) {
      assert.ok(files.has(f), f);
    }
  });
});
