/**
 * The host-image workflow (issue 31, .github/workflows/host-image.yml), read as GitHub runs it
 * (tests/workflows/workflow-model.ts), its scripts run against stand-ins for `gh`, `git` and `npm`, and its stacks
 * declared by the test (tests/workflows/stack-world.ts): weekly and by hand from main only, reading AWS's two
 * recommended-image parameters with a role that may read only those, writing one pull request from a fixed branch,
 * updated rather than opened again, and never deploying.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EffectiveJob, loadWorkflows, permissionsOf, runningJobs, steps, triggers, type WorkflowSet } from "./workflow-model";
import { stackWorld } from "./stack-world";
import { recommendedParameter } from "../../lib/host-images";
import { hostImageStatements } from "../../bootstrap/policies";

const ROOT = path.resolve(__dirname, "..", "..");
const SET: WorkflowSet = loadWorkflows(path.join(ROOT, ".github/workflows"));
const WF = SET.get("host-image.yml")!;
const github = (overrides: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main", event_name: "schedule", repository: "owner/repo", sha: "0".repeat(40), run_id: "1", workflow: "host-image",
  server_url: "https://github.com", event: {}, ...overrides,
});
const jobs = (overrides: Record<string, unknown> = {}) => runningJobs(SET, WF, { github: github(overrides), needs: { lookup: { outputs: { recommended: "{}" } } } });
const job = (id: string): EffectiveJob => jobs().find((e) => e.levels[0].id === id)!;
const step = (e: EffectiveJob, name: RegExp) => steps(e).find((s) => name.test(String(s.raw.name)))!;
const scripts = (e: EffectiveJob) => steps(e).map((s) => String(s.raw.run ?? "")).join("\n");

/** Runs a step's script with bash in `cwd`, with stand-ins (`bin`: name -> script) first on PATH; returns what they logged. */
function runStep(script: string, cwd: string, env: Record<string, string>, bin: Record<string, string>): { status: number | null; log: string[]; stderr: string } {
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), "host-image-bin-"));
  const log = path.join(binDir, "calls.log");
  try {
    for (const [name, body] of Object.entries(bin)) fs.writeFileSync(path.join(binDir, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd, encoding: "utf8", env: { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir, ...env } });
    return { status: r.status, log: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [], stderr: r.stderr };
  } finally {
    fs.rmSync(binDir, { recursive: true, force: true });
  }
}

describe("host-image.yml: the weekly bump of the pinned host images (issue 31)", () => {
  // GitHub: a schedule runs on the default branch; workflow_dispatch on the branch chosen in the UI.
  it("runs weekly and by hand, on nothing else, and only on main", () => {
    assert.deepEqual(triggers(WF).sort(), ["schedule", "workflow_dispatch"]);
    const [{ cron }] = WF.doc.on.schedule;
    assert.match(cron, /^\d+ \d+ \* \* [0-6]$/, "one day of the week");
    assert.deepEqual(jobs({ event_name: "workflow_dispatch", ref: "refs/heads/feature" }).map((e) => e.label), [], "a manual run off main runs no job");
    assert.deepEqual(jobs().map((e) => e.levels[0].id).sort(), ["lookup", "propose"]);
  });

  // docs.github.com, "Controlling permissions for GITHUB_TOKEN": a job's permissions replace the workflow's; a scope
  // left out is none.
  it("holds only id-token: write for the lookup, and contents: write and pull-requests: write for the pull request", () => {
    assert.deepEqual(WF.doc.permissions, {}, "nothing at the workflow's level");
    assert.deepEqual(permissionsOf(job("lookup")), { "id-token": "write" });
    assert.deepEqual(permissionsOf(job("propose")), { contents: "write", "pull-requests": "write" });
  });

  it("keeps the AWS credentials and the write token apart: the job with credentials runs no code of the repository and writes nothing", () => {
    const lookup = job("lookup");
    const propose = job("propose");
    assert.ok(steps(lookup).some((s) => s.action === "aws-actions/configure-aws-credentials"));
    assert.ok(!steps(propose).some((s) => s.action === "aws-actions/configure-aws-credentials"), "propose takes no AWS credentials");
    assert.ok(!steps(lookup).some((s) => s.action === "actions/checkout"), "lookup checks nothing out");
    assert.doesNotMatch(scripts(lookup), /\b(node|npm|npx|bash \.|\.\/)/, "lookup runs only the AWS CLI and jq");
  });

  it("reads exactly AWS's two recommended-image parameters, which the bootstrap's host-image role allows and nothing else", () => {
    const commands = [...scripts(job("lookup")).matchAll(/\baws ([a-z0-9-]+ [a-z0-9-]+)[^\n]*?--name (\S+)/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(commands, [["ssm get-parameter", recommendedParameter("x86_64")], ["ssm get-parameter", recommendedParameter("arm64")]]);
    assert.equal([...scripts(job("lookup")).matchAll(/\baws /g)].length, 2, "no other AWS call");
    const [allowed] = hostImageStatements({ partition: "aws", accountId: "210987654321", region: "us-east-1" });
    assert.deepEqual(allowed.Resource, commands.map(([, name]) => `arn:aws:ssm:us-east-1::parameter${name}`));
    assert.deepEqual(allowed.Action, ["ssm:GetParameter"]);
  });

  it("never deploys: no Pulumi, no environment, no deploy role or token", () => {
    for (const e of jobs()) {
      assert.equal(e.job.environment, undefined, `${e.label} runs in no environment`);
      assert.ok(!steps(e).some((s) => s.action === "pulumi/actions"), `${e.label} runs no Pulumi action`);
      assert.doesNotMatch(scripts(e), /(^|[\s;&|(])pulumi\s/m, `${e.label} runs no pulumi command`);
    }
    assert.doesNotMatch(WF.text, /vars\.AWS_ROLE_ARN\b|secrets\.PULUMI_|AWS_PREVIEW_ROLE_ARN/);
  });

  describe("one pull request, from a fixed branch, updated rather than opened again", () => {
    let dir: string;
    const open = step(job("propose"), /^Open or update the pull request/);
    const close = step(job("propose"), /^Close the pull request/);
    const env = () => ({ BRANCH: job("propose").job.env.BRANCH, GH_TOKEN: "t0ken", GH_REPO: "owner/repo", SERVER_URL: "https://github.com", RUNNER_TEMP: dir });
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-image-pr-"));
      fs.writeFileSync(path.join(dir, "bumps.json"), JSON.stringify([{ stack: "qa", arch: "x86_64", from: null, to: "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64" }]));
      fs.writeFileSync(path.join(dir, "body.md"), "body\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const gh = (existing: string) => `if [[ $1 == pr && $2 == list ]]; then echo "${existing}"; fi`;

    it("pushes a branch whose name is fixed in the workflow, never an expression", () => {
      assert.match(String(job("propose").job.env.BRANCH), /^[a-z0-9/-]+$/);
    });

    it("opens the pull request when none is open: force-pushes the fixed branch, then gh pr create from it", () => {
      const r = runStep(String(open.raw.run), dir, env(), { git: "", gh: gh("") });
      assert.equal(r.status, 0, r.stderr);
      const push = r.log.filter((l) => l.startsWith("git ") && / push /.test(l));
      assert.equal(push.length, 1);
      assert.match(push[0], / push --force https:\/\/github\.com\/owner\/repo\.git HEAD:refs\/heads\/host-image\/bump$/);
      assert.deepEqual(r.log.filter((l) => l.startsWith("gh ")).map((l) => l.split(" ").slice(0, 3).join(" ")), ["gh pr list", "gh pr create"]);
      assert.match(r.log.find((l) => l.startsWith("gh pr create"))!, /--head host-image\/bump --base main/);
    });

    it("updates the open pull request instead of opening another: gh pr edit of its number", () => {
      const r = runStep(String(open.raw.run), dir, env(), { git: "", gh: gh("42") });
      assert.equal(r.status, 0, r.stderr);
      const calls = r.log.filter((l) => l.startsWith("gh "));
      assert.deepEqual(calls.map((l) => l.split(" ").slice(0, 5).join(" ")), ["gh pr list --head host-image/bump", "gh pr edit 42 --title"]);
    });

    it("closes the open pull request (and its branch) when main pins the recommended images already, and opens none", () => {
      const r = runStep(String(close.raw.run), dir, env(), { gh: gh("42") });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.log.map((l) => l.split(" ").slice(0, 5).join(" ")), ["gh pr list --head host-image/bump", "gh pr close 42 --comment"]);
      assert.match(r.log[1], /--delete-branch$/);
      assert.equal(runStep(String(close.raw.run), dir, env(), { gh: gh("") }).log.length, 1, "nothing to close: only the list");
    });
  });

  // Issue 26: the stacks are the stack files that exist; the workflow names none.
  it("plans every stack file that exists, with names no workflow knows", () => {
    const world = stackWorld([{ name: "sandbox" }, { name: "qa" }, { name: "live", checksBeforeApproval: true }]);
    try {
      const plan = step(job("propose"), /^Plan every stack as main has it/);
      const r = runStep(String(plan.raw.run), world.dir, { RUNNER_TEMP: world.dir }, { npm: "echo '{}'" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.log.map((l) => l.split(" ")[5]).sort(), [...world.stacks].sort());
    } finally {
      world.remove();
    }
  });
});
