/**
 * The `with:` check of .ci/validate-workflows.sh (.ci/check-action-inputs.mjs): every input of a pinned action
 * against the inputs its action.yml declares at that commit (.ci/action-inputs.json), every input of a called
 * reusable workflow against its on.workflow_call.inputs.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const OLD_DIR = path.join(ROOT, "tests/fixtures/workflows-06b220b");
const ACTIONS = JSON.parse(fs.readFileSync(path.join(ROOT, ".ci/action-inputs.json"), "utf8")).actions as Record<
  string,
  { version: string; source: string; runs: string; inputs: string[] }
>;

describe("with: inputs (.ci/validate-workflows.sh, .ci/check-action-inputs.mjs)", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-inputs-")); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A copy of a workflow file with one line changed; returns its path and the changed line's number. */
  const variant = (file: string, from: string, to: string) => {
    const text = fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8");
    assert.ok(text.includes(from), `${file} has no ${from}`);
    const out = path.join(dir, file);
    fs.writeFileSync(out, text.replace(from, to));
    return { file: out, line: text.slice(0, text.indexOf(from)).split("\n").length };
  };
  const checkInputs = (...files: string[]) => spawnSync("node", [".ci/check-action-inputs.mjs", ...files], { cwd: ROOT, encoding: "utf8" });

  it("a misspelt input of a pinned action fails the validation with the file, the line and the allowed names", () => {
    const { file, line } = variant("test.yml", "persist-credentials: false", "persist-credential: false");
    const r = spawnSync("bash", [".ci/validate-workflows.sh", file], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 1);
    const inputs = ACTIONS["actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"].inputs.join(", ");
    assert.ok(r.stdout.includes(`${file}:${line}: actions/checkout@v7.0.1 has no input "persist-credential"; inputs: ${inputs}`), r.stdout);
  });

  it("an input the called reusable workflow does not declare fails, with its declared inputs", () => {
    const { file, line } = variant("deploy.yml", "      stack: ${{ matrix.stack }}", "      stage: ${{ matrix.stack }}");
    const r = checkInputs(file);
    assert.equal(r.status, 1);
    const declared = Object.keys((yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/deploy-stage.yml"), "utf8")) as any).on.workflow_call.inputs);
    assert.ok(declared.includes("stack") && !declared.includes("stage"));
    assert.ok(r.stdout.includes(`${file}:${line}: ./.github/workflows/deploy-stage.yml has no input "stage"; inputs: ${declared.join(", ")}`), r.stdout);
  });

  it("a pinned commit without recorded inputs fails (the files of 06b220b)", () => {
    const r = checkInputs(path.join(OLD_DIR, "deploy.yml"));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /deploy\.yml:\d+: actions\/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 has no recorded inputs/);
  });

  it("records each pinned action with the source of its inputs at that commit", () => {
    for (const [key, entry] of Object.entries(ACTIONS)) {
      const [repo, sha] = key.split("@");
      assert.match(sha, /^[0-9a-f]{40}$/, key);
      assert.equal(entry.source, `https://github.com/${repo}/blob/${sha}/action.yml`, key);
      assert.match(entry.version, /^v\d+\.\d+\.\d+$/, key);
      assert.ok(entry.inputs.length > 0, key);
    }
  });
});
