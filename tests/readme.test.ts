import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_SCHEMA, KeySpec } from "../config";
import { readmeRow } from "../scripts/sync-config-docs";
import { policies } from "../policy-pack/policies";
import { listStacks } from "../scripts/stack-config";

const ROOT = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("README", () => {
  it("documents every config key with its type, default and description (npm run sync-config)", () => {
    for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) assert.ok(readme.includes(readmeRow(key, spec as KeySpec)), `README config table lacks or misstates ${key}`);
  });

  it("lists every policy of the pack with its default enforcement level", () => {
    for (const p of policies) assert.ok(readme.includes(`| \`${p.name}\` | ${p.enforcementLevel} |`), `README policy table lacks ${p.name}`);
  });

  it("gives the two commands after cloning on its first screen", () => {
    const firstScreen = readme.split("\n").slice(0, 40).join("\n");
    assert.match(firstScreen, /npm ci && npm run plan -- dev/);
    assert.match(firstScreen, /^npm test/m);
  });

  it("names only npm scripts that exist, and only committed stacks and pack configs", () => {
    for (const [, script] of readme.matchAll(/npm run (?:-s )?([\w:-]+)/g)) assert.ok(pkg.scripts[script], `npm run ${script}`);
    for (const [, stack] of readme.matchAll(/Pulumi\.(\w+)\.yaml/g)) assert.ok(listStacks().includes(stack), stack);
    for (const [, file] of readme.matchAll(/(policy-pack\/config\/\w+\.json)/g)) assert.ok(fs.existsSync(path.join(ROOT, file)), file);
  });
});
