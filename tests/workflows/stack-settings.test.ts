/**
 * .ci/stack-settings.sh, the settings check every job that runs Pulumi starts with: it stops on settings that
 * would fail later or silently misbehave, and decides where a stack that does not exist yet is previewed.
 * Run in a copy of the repository's layout, with a stub `pulumi` on PATH.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

describe(".ci/stack-settings.sh", () => {
  let dir: string;
  let outputs: string;

  /** Runs the script in a copy of the repository's layout with a stub `pulumi` (STUB_SELECT: ok|missing|error). */
  const run = (env: Record<string, string>, args: string[] = ["demo"]) => {
    fs.writeFileSync(outputs, "");
    const r = spawnSync("bash", [path.join(dir, ".ci/stack-settings.sh"), ...args], {
      encoding: "utf8",
      env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, GITHUB_OUTPUT: outputs, RUNNER_TEMP: path.join(dir, "tmp"), ...env },
    });
    const out: Record<string, string> = {};
    for (const line of fs.readFileSync(outputs, "utf8").split("\n")) {
      const m = /^([^=]+)=(.*)$/.exec(line);
      if (m) out[m[1]] = m[2];
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out, calls: fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8") : "" };
  };
  const cloud = { ROLE: "arn:aws:iam::111111111111:role/preview", REGION: "us-east-1", PULUMI_ACCESS_TOKEN: "pul-token", PULUMI_CONFIG_PASSPHRASE: "" };
  const selfManaged = { ...cloud, PULUMI_ACCESS_TOKEN: "", BACKEND_URL: "s3://state-bucket" };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-settings-"));
    fs.mkdirSync(path.join(dir, ".ci"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.copyFileSync(path.join(ROOT, ".ci/stack-settings.sh"), path.join(dir, ".ci/stack-settings.sh"));
    fs.writeFileSync(path.join(dir, "Pulumi.demo.yaml"), "config:\n  aws:region: us-east-1\n");
    fs.writeFileSync(path.join(dir, "bin/pulumi"), [
      "#!/usr/bin/env bash",
      `echo "$*" >> "${path.join(dir, "calls")}"`,
      'case "$*" in',
      '  *"stack select"*) case "${STUB_SELECT:-ok}" in',
      '      ok) exit 0 ;;',
      "      missing) echo \"error: no stack named 'demo' found\" >&2; exit 255 ;;",
      '      *) echo "error: [403] Forbidden" >&2; exit 255 ;;',
      "    esac ;;",
      "esac",
      "exit 0",
    ].join("\n"), { mode: 0o755 });
    outputs = path.join(dir, "outputs");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("passes Pulumi Cloud settings without a passphrase, naming the bare stack", () => {
    assert.deepEqual(run(cloud).out, { name: "demo", "cloud-url": "" });
  });

  it("names the stack <org>/<stack> when PULUMI_ORG is set", () => {
    assert.deepEqual(run({ ...cloud, ORG: "acme" }).out, { name: "acme/demo", "cloud-url": "" });
  });

  it("fails early when a self-managed backend is set and the passphrase is empty", () => {
    const r = run(selfManaged);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /::error.*PULUMI_CONFIG_PASSPHRASE is empty/);
    assert.deepEqual(r.out, {});
  });

  it("needs no passphrase when the stack names another secrets provider", () => {
    fs.appendFileSync(path.join(dir, "Pulumi.demo.yaml"), "secretsprovider: awskms://alias/pulumi\n");
    assert.deepEqual(run(selfManaged).out, { name: "demo", "cloud-url": "s3://state-bucket" });
  });

  it("refuses PULUMI_ORG with a self-managed backend (the organization is a Pulumi Cloud one)", () => {
    const r = run({ ...selfManaged, PULUMI_CONFIG_PASSPHRASE: "p", ORG: "acme" });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /PULUMI_ORG is for Pulumi Cloud only/);
  });

  it("fails without a backend: neither a Pulumi Cloud token nor a backend URL", () => {
    const r = run({ ...cloud, PULUMI_ACCESS_TOKEN: "" });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /::error.*no Pulumi backend/);
  });

  it("fails without a role, naming the variables it comes from", () => {
    const r = run({ ...cloud, ROLE: "", ROLE_SETTING: "vars.AWS_PREVIEW_ROLE_ARN_DEMO or vars.AWS_PREVIEW_ROLE_ARN" });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /no AWS role to assume for demo: set vars\.AWS_PREVIEW_ROLE_ARN_DEMO or vars\.AWS_PREVIEW_ROLE_ARN/);
  });

  it("--check-exists: a missing stack is previewed in throwaway local state, with a notice", () => {
    const r = run({ ...cloud, ORG: "acme", STUB_SELECT: "missing" }, ["demo", "--check-exists"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.out, { name: "demo", "cloud-url": `file://${path.join(dir, "tmp")}/pulumi-new-stack-state`, new: "true" });
    assert.ok(fs.existsSync(path.join(dir, "tmp/pulumi-new-stack-state")));
    assert.match(r.stdout, /::notice title=New stack demo::acme\/demo does not exist yet/);
    assert.match(r.calls, /stack select acme\/demo/);
  });

  it("--check-exists: an existing stack is selected in the configured backend", () => {
    const r = run({ ...selfManaged, PULUMI_CONFIG_PASSPHRASE: "p", STUB_SELECT: "ok" }, ["demo", "--check-exists"]);
    assert.deepEqual(r.out, { name: "demo", "cloud-url": "s3://state-bucket", new: "false" });
    assert.match(r.calls, /^--non-interactive login s3:\/\/state-bucket$/m);
  });

  it("--check-exists: any other error of the lookup fails the job instead of passing for a new stack", () => {
    const r = run({ ...cloud, STUB_SELECT: "error" }, ["demo", "--check-exists"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /403/);
    assert.deepEqual(r.out, {});
  });
});

