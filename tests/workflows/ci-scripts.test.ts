/**
 * The small scripts the workflows run (issues 26 and 30), each on inputs the test makes: .ci/stacks.mjs (the stack
 * files against deploy-order), .ci/preview-role.mjs (a preview's role), .ci/deployed-commit.sh (the commit a drift
 * check previews, against a real git repository and a stub `pulumi`), .ci/review-pr.mjs (whether a pull request
 * still wants its review stack, against a stand-in for GitHub's REST API on 127.0.0.1), .ci/previous-stage.mjs
 * (whether the stage before deployed this run's commit in this run, against a stand-in for the jobs API on 127.0.0.1).
 * The .mjs scripts' decisions are tested through their exported main, in this process (a `node` start and its
 * first fetch cost about half a second each); one spawned run per script holds its command line to the same
 * behaviour: the exit status, the lines it prints, what it writes to GITHUB_OUTPUT.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { listStacks } from "../../config/stack-files";
import { teamStackDirs } from "../helpers";
import { FixtureStack, stackFixture } from "./stack-world";

const ROOT = path.resolve(__dirname, "..", "..");
const outputsOf = (file: string) =>
  Object.fromEntries(fs.readFileSync(file, "utf8").split("\n").map((l) => /^([^=]+)=(.*)$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => [m[1], m[2]]));

describe(".ci/stacks.mjs: the stack files against deploy-order (issue 26)", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const fixture = (stacks: FixtureStack[], edit?: (dir: string) => void) => {
    const dir = stackFixture(stacks);
    dirs.push(dir);
    edit?.(dir);
    const out = path.join(dir, "out");
    fs.writeFileSync(out, "");
    return { dir, out };
  };
  /** Runs the script as the workflows do: `node .ci/stacks.mjs` in the repository, GITHUB_OUTPUT set. */
  const run = (stacks: FixtureStack[], edit?: (dir: string) => void) => {
    const { dir, out } = fixture(stacks, edit);
    const r = spawnSync("node", [".ci/stacks.mjs"], { cwd: dir, encoding: "utf8", env: { ...process.env, GITHUB_OUTPUT: out } });
    return { status: r.status, stdout: r.stdout, outputs: outputsOf(out) };
  };
  /** The same run through the script's main in this process: its exit status, what it prints, its outputs. */
  const runHere = async (stacks: FixtureStack[], edit?: (dir: string) => void) => {
    const { dir, out } = fixture(stacks, edit);
    const { main } = await import(path.join(ROOT, ".ci/stacks.mjs"));
    let stdout = "";
    const status: number = main(dir, { GITHUB_OUTPUT: out }, (line: string) => (stdout += `${line}\n`));
    return { status, stdout, outputs: outputsOf(out) };
  };

  it("outputs every stack in deploy order, and the order with each stack's checks-before-approval and the stage before it", () => {
    const r = run([{ name: "qa" }, { name: "orders" }, { name: "live", checksBeforeApproval: true }]);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.outputs.stacks), ["qa", "orders", "live"]);
    assert.deepEqual(JSON.parse(r.outputs.order), [
      { stack: "qa", "checks-before-approval": false, previous: "" },
      { stack: "orders", "checks-before-approval": false, previous: "qa" },
      { stack: "live", "checks-before-approval": true, previous: "orders" },
    ]);
  });

  it("leaves out of the order, with a notice, a line whose stack file is gone (deleting a stack's files retires it)", async () => {
    const r = await runHere([{ name: "qa" }, { name: "staging", noStackFile: true }, { name: "live" }]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /::notice title=Stacks and deploy order::deploy-order:3: staging has no stack file Pulumi\.staging\.yaml, so nothing deploys it/);
    assert.deepEqual(JSON.parse(r.outputs.order).map((o: { stack: string; previous: string }) => [o.stack, o.previous]), [["qa", ""], ["live", "qa"]]);
  });

  const refused: [string, FixtureStack[], RegExp, ((dir: string) => void)?][] = [
    ["a stack file without a line of order", [{ name: "qa" }, { name: "orders", noOrderLine: true }], /Pulumi\.orders\.yaml has no line in deploy-order/],
    ["a stack without its pack config", [{ name: "qa", noPackConfig: true }], /no pack config policy-pack\/config\/qa\.json/],
    ["a stack listed twice", [{ name: "qa" }], /deploy-order:3: qa is listed twice/, (d) => fs.appendFileSync(path.join(d, "deploy-order"), "qa\n")],
    ["an unknown setting", [{ name: "qa" }], /deploy-order:2: approval-first is not a setting/, (d) => fs.writeFileSync(path.join(d, "deploy-order"), "# x\nqa approval-first\n")],
    ["a committed review stack's name", [{ name: "pr-12" }], /pr-<number> names review stacks/],
    ["no deploy-order at all", [{ name: "qa" }], /no deploy-order file/, (d) => fs.rmSync(path.join(d, "deploy-order"))],
  ];
  for (const [what, stacks, message, edit] of refused) {
    it(`fails with a clear message on ${what}`, async () => {
      const r = await runHere(stacks, edit);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, message);
      assert.deepEqual(r.outputs, {}, "no matrix for a broken list");
    });
  }

  it("fails CI's offline checks (.ci/validate-workflows.sh) on a stack file without a line of order", function () {
    // The validation runs actionlint and the schema check: seconds alone, more on a busy machine.
    this.timeout(120000);
    // A copy of what validate-workflows.sh reads, one workflow file, and the stacks of the test.
    const dir = stackFixture([{ name: "qa" }, { name: "orders", noOrderLine: true }]);
    dirs.push(dir);
    fs.cpSync(path.join(ROOT, ".ci"), path.join(dir, ".ci"), { recursive: true });
    fs.mkdirSync(path.join(dir, ".github/workflows"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, ".github/workflows/test.yml"), path.join(dir, ".github/workflows/test.yml"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const r = spawnSync("bash", [".ci/validate-workflows.sh", ".github/workflows/test.yml"], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}deploy-order and the stack files[\s\S]*Pulumi\.orders\.yaml has no line in deploy-order/);
  });

  // The team's stacks (the project's, or the adoption check's copies of them, STACK_DIRS): whatever they are.
  for (const dir of teamStackDirs()) {
    it(`the team's stack files each have a line of order and a pack config, and every line a stack file (${path.basename(dir)})`, async () => {
      const { readStacks } = await import(path.join(ROOT, ".ci/stacks.mjs"));
      const { order, problems } = readStacks(dir);
      assert.deepEqual(problems, []);
      assert.deepEqual(order.map((o: { stack: string }) => o.stack).sort(), listStacks(dir).sort());
    });
  }
});

describe(".ci/preview-role.mjs: a preview's role (issue 26)", () => {
  it("takes AWS_PREVIEW_ROLE_ARN_<STACK> (capitals, other characters as _, any case of the name), else AWS_PREVIEW_ROLE_ARN", async () => {
    const { previewRole } = await import(path.join(ROOT, ".ci/preview-role.mjs"));
    assert.equal(previewRole({ AWS_PREVIEW_ROLE_ARN_EU_WEST: "own", AWS_PREVIEW_ROLE_ARN: "repo" }, "eu-west").arn, "own");
    assert.equal(previewRole({ aws_preview_role_arn_qa: "own" }, "qa").arn, "own");
    assert.equal(previewRole({ AWS_PREVIEW_ROLE_ARN: "repo" }, "qa").arn, "repo");
    assert.equal(previewRole({}, "qa").arn, "");
    assert.match(previewRole({}, "qa").setting, /AWS_PREVIEW_ROLE_ARN_QA or AWS_PREVIEW_ROLE_ARN/);
  });
});

describe(".ci/deployed-commit.sh: the commit a drift check previews (issue 30)", () => {
  let dir: string;
  const git = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const commit = (file: string) => { fs.writeFileSync(path.join(dir, file), file); git("add", file); git("commit", "-q", "-m", file); return git("rev-parse", "HEAD"); };
  /** Runs the script in the repository with a stub `pulumi` whose `stack tag get` prints TAG, or fails as the CLI does. */
  const run = (tag: string | undefined) => {
    const bin = path.join(dir, ".bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), [
      "#!/usr/bin/env bash",
      'if [[ -n ${TAG:-} ]]; then echo "$TAG"; exit 0; fi',
      // pulumi/pulumi v3.248.0 pkg/cmd/pulumi/stack/stack_tag.go, newStackTagGetCmd
      "echo \"error: stack tag 'deployed-commit' not found for stack '$5'\" >&2; exit 255",
    ].join("\n"), { mode: 0o755 });
    const out = path.join(os.tmpdir(), `deployed-${process.pid}-${Date.now()}`);
    fs.writeFileSync(out, "");
    const r = spawnSync("bash", [path.join(ROOT, ".ci/deployed-commit.sh"), "acme/demo"], {
      cwd: dir, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: out, TAG: tag ?? "" },
    });
    const outputs = outputsOf(out);
    fs.rmSync(out);
    return { status: r.status, stdout: r.stdout + r.stderr, outputs };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployed-commit-"));
    git("init", "-q");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("checks out the tagged commit in .deployed and counts the commits main has beyond it", () => {
    const deployed = commit("a");
    commit("b");
    commit("c");
    const r = run(deployed);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(r.outputs, { commit: deployed, dir: ".deployed", ahead: "2" });
    assert.equal(spawnSync("git", ["rev-parse", "HEAD"], { cwd: path.join(dir, ".deployed"), encoding: "utf8" }).stdout.trim(), deployed);
    assert.ok(!fs.existsSync(path.join(dir, ".deployed", "b")), "the deployed commit's files, not main's");
  });

  it("a stack deployed from main's head: 0 ahead", () => {
    const head = commit("a");
    assert.deepEqual(run(head).outputs, { commit: head, dir: ".deployed", ahead: "0" });
  });

  it("a stack without the tag (deployed before deploys tagged it) is checked against main, with a notice", () => {
    commit("a");
    const r = run(undefined);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(r.outputs, { commit: "", dir: ".", ahead: "" });
    assert.match(r.stdout, /::notice .*no deployed-commit tag/);
  });

  it("fails on a tag that is no commit of the repository", () => {
    commit("a");
    for (const tag of ["f".repeat(40), "main; rm -rf /"]) {
      const r = run(tag);
      assert.equal(r.status, 1, tag);
      assert.match(r.stdout, /::error .*not a commit of this repository/);
      assert.deepEqual(r.outputs, {});
    }
  });
});

describe(".ci/review-pr.mjs: does a pull request still want its review stack? (issue 30)", () => {
  let server: http.Server;
  let api: string;
  const pulls: Record<number, unknown> = {
    7: { state: "closed", head: { repo: { full_name: "owner/repo" } }, labels: [{ name: "review-stack" }] },
    8: { state: "open", head: { repo: { full_name: "owner/repo" } }, labels: [{ name: "bug" }, { name: "review-stack" }] },
    10: { state: "open", head: { repo: { full_name: "owner/repo" } }, labels: [{ name: "bug" }] },
    11: { state: "open", head: { repo: null }, labels: [{ name: "review-stack" }] },
  };
  const seen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const m = /^\/repos\/owner\/repo\/pulls\/(\d+)$/.exec(req.url ?? "");
      const pull = m ? pulls[Number(m[1])] : undefined;
      if (Number(m?.[1]) === 500) { res.writeHead(502); res.end("bad gateway"); return; }
      res.writeHead(pull ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(pull ?? { message: "Not Found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  type Run = { status: number | null; stdout: string; outputs: Record<string, string>; summary: string };
  /** Runs `how` with the job's environment (GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files of its own); what it did. */
  const withJobEnv = async (how: (env: Record<string, string>) => Promise<{ status: number | null; stdout: string }>): Promise<Run> => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "review-pr-"));
    const out = path.join(tmp, "out");
    const summary = path.join(tmp, "summary");
    fs.writeFileSync(out, "");
    fs.writeFileSync(summary, "");
    try {
      const r = await how({ GITHUB_API_URL: api, GITHUB_REPOSITORY: "owner/repo", GITHUB_TOKEN: "t0ken", GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary });
      return { ...r, outputs: outputsOf(out), summary: fs.readFileSync(summary, "utf8") };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
  /** Runs the script as the workflows do, `node .ci/review-pr.mjs <args>` (asynchronously: the API it asks runs in this process). */
  const spawned = (args: string[]) => withJobEnv((env) => new Promise((resolve) => {
    const child = spawn("node", [path.join(ROOT, ".ci/review-pr.mjs"), ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stdout += d));
    child.on("close", (status) => resolve({ status, stdout }));
  }));
  /** The same run through the script's main in this process. */
  const run = (args: string[]) => withJobEnv(async (env) => {
    const { main } = await import(path.join(ROOT, ".ci/review-pr.mjs"));
    let stdout = "";
    const status: number = await main(args, env, (line: string) => (stdout += `${line}\n`));
    return { status, stdout };
  });

  it("runs as the workflows run it (node .ci/review-pr.mjs state <number>): live and reason to GITHUB_OUTPUT, exit 0; an API failure exits 1 with the ::error::", async () => {
    const [live, failed] = await Promise.all([spawned(["state", "8"]), spawned(["state", "500"])]);
    assert.equal(live.status, 0, live.stdout);
    assert.match(live.stdout, /^pull request #8: open and labelled review-stack$/m);
    assert.deepEqual(live.outputs, { live: "true", reason: "open and labelled review-stack" });
    assert.equal(failed.status, 1, failed.stdout);
    assert.match(failed.stdout, /^::error title=Pull request::GET .*HTTP 502/m);
    assert.deepEqual(failed.outputs, {});
  });

  it("live only while open, from this repository and labelled review-stack; closed, unlabelled, a fork's or gone is not", async () => {
    const { reviewState } = await import(path.join(ROOT, ".ci/review-pr.mjs"));
    assert.equal(reviewState(pulls[8], "owner/repo").live, true);
    for (const [pull, reason] of [[pulls[7], /closed/], [pulls[10], /not labelled/], [pulls[11], /not in this repository/], [null, /gone/],
      [{ ...(pulls[8] as object), head: { repo: { full_name: "someone/repo" } } }, /not in this repository/]] as const) {
      const state = reviewState(pull, "owner/repo");
      assert.equal(state.live, false, JSON.stringify(pull));
      assert.match(state.reason, reason);
    }
  });

  it("state <number> asks the API with the job's token and writes live and reason", async () => {
    const r = await run(["state", "8"]);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(r.outputs, { live: "true", reason: "open and labelled review-stack" });
    assert.ok(seen.includes("GET /repos/owner/repo/pulls/8 Bearer t0ken"), seen.join("\n"));
    assert.deepEqual((await run(["state", "7"])).outputs, { live: "false", reason: "closed" });
    assert.equal((await run(["state", "9"])).outputs.live, "false", "a pull request that does not exist");
  });

  it("fails, deciding nothing, when the API fails otherwise", async () => {
    const r = await run(["state", "500"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /::error title=Pull request::GET .*HTTP 502/);
    assert.deepEqual(r.outputs, {});
  });

  it("sweep: of `pulumi stack ls --json`, removes the pr-<number> stacks whose pull request is closed, unlabelled, a fork's or gone, and lists each", async () => {
    const tmpList = path.join(os.tmpdir(), `stack-ls-${process.pid}.json`);
    fs.writeFileSync(tmpList, JSON.stringify([
      { name: "acme/ecs-ec2-api/pr-7" }, { name: "pr-8" }, { name: "acme/pr-9" }, { name: "pr-10" }, { name: "pr-11" }, { name: "qa" }, { name: "pr-x" },
    ]));
    try {
      const r = await run(["sweep", tmpList]);
      assert.equal(r.status, 0, r.stdout);
      assert.deepEqual(JSON.parse(r.outputs.remove), [7, 9, 10, 11]);
      assert.match(r.summary, /\| pr-7 \| #7: closed \| to remove \|/);
      assert.match(r.summary, /\| pr-8 \| #8: open and labelled review-stack \| kept \|/);
      assert.match(r.summary, /\| pr-9 \| #9: gone/);
      assert.doesNotMatch(r.summary, /qa|pr-x/);
    } finally { fs.rmSync(tmpList); }
  });

  it("sweep with no review stack: nothing to remove, and says so", async () => {
    const tmpList = path.join(os.tmpdir(), `stack-ls-empty-${process.pid}.json`);
    fs.writeFileSync(tmpList, JSON.stringify([{ name: "qa" }]));
    try {
      const r = await run(["sweep", tmpList]);
      assert.deepEqual(r.outputs, { remove: "[]" });
      assert.match(r.summary, /No review stack/);
    } finally { fs.rmSync(tmpList); }
  });
});

describe(".ci/previous-stage.mjs: did the stage before deploy this run's commit in this run?", () => {
  const SHA = "0123456789abcdef0123456789abcdef01234567";
  const JOB = "deploy (qa) / stage / pulumi up (qa)";
  const job = (run: number, fields: Record<string, unknown> = {}) =>
    ({ id: run * 10, run_id: run, run_attempt: 1, head_sha: SHA, name: JOB, status: "completed", conclusion: "success", ...fields });
  const other = (run: number, name: string) => ({ id: run * 10 + 1, run_id: run, run_attempt: 1, head_sha: SHA, name, status: "completed", conclusion: "success" });
  /** Each run's jobs list, in the pages the stand-in serves it (GitHub paginates it: per_page at most 100). */
  const runs: Record<number, unknown[][]> = {
    41: [[other(41, "test / npm test")], [other(41, "deploy (sandbox) / stage / pulumi up (sandbox)")], [job(41)]],
    42: [[job(42, { conclusion: "cancelled" })]],
    43: [[job(43, { conclusion: "skipped" })]],
    44: [[job(44, { conclusion: "failure" })]],
    45: [[other(45, "deploy (qa) / stage"), other(45, "test / npm test")]],
    47: [[job(47, { head_sha: "f".repeat(40) })]],
    48: [[job(48, { status: "in_progress", conclusion: null })]],
    50: [[job(50, { id: 500, run_attempt: 1, conclusion: "success" }), job(50, { id: 501, run_attempt: 2, conclusion: "cancelled" })]],
    51: [[job(51, { id: 510, run_attempt: 1, conclusion: "failure" }), job(51, { id: 511, run_attempt: 2, conclusion: "success" })]],
  };
  let server: http.Server;
  let api: string;
  const seen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const url = new URL(req.url ?? "", "http://127.0.0.1");
      const m = /^\/repos\/owner\/repo\/actions\/runs\/(\d+)\/jobs$/.exec(url.pathname);
      const run = Number(m?.[1]);
      if (run === 46) { res.writeHead(502); res.end("bad gateway"); return; }
      if (run === 49) {
        // A next page off the API's origin: the token must not follow it.
        res.writeHead(200, { "content-type": "application/json", link: '<https://elsewhere.example/jobs?page=2>; rel="next"' });
        res.end(JSON.stringify({ total_count: 2, jobs: [other(49, "test / npm test")] }));
        return;
      }
      const pages = runs[run];
      if (!pages) { res.writeHead(404, { "content-type": "application/json" }); res.end(JSON.stringify({ message: "Not Found" })); return; }
      const page = Number(url.searchParams.get("page") ?? "1");
      const headers: Record<string, string> = { "content-type": "application/json" };
      const at = (p: number) => { const u = new URL(url); u.searchParams.set("page", String(p)); return `${api}${u.pathname}${u.search}`; };
      if (page < pages.length) headers.link = `<${at(page + 1)}>; rel="next", <${at(pages.length)}>; rel="last"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ total_count: pages.flat().length, jobs: pages[page - 1] ?? [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  /** The environment deploy-stage.yml runs the script in, in run `run` of commit SHA. */
  const jobEnv = (run: number, env: Record<string, string> = {}) => ({
    GITHUB_API_URL: api, GITHUB_REPOSITORY: "owner/repo", GITHUB_TOKEN: "t0ken", GITHUB_RUN_ID: String(run),
    GITHUB_SHA: SHA, PREVIOUS_STAGE: "qa", PREVIOUS_JOB: JOB, ...env,
  });
  /** Runs the script as deploy-stage.yml does, `node .ci/previous-stage.mjs` (asynchronously: the API runs in this process). */
  const spawned = (run: number) => new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn("node", [path.join(ROOT, ".ci/previous-stage.mjs")], { env: { ...process.env, ...jobEnv(run) } });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stdout += d));
    child.on("close", (status) => resolve({ status, stdout }));
  });
  /** The same run through the script's main in this process: its exit status and what it prints. */
  const check = async (run: number, env: Record<string, string> = {}) => {
    const { main } = await import(path.join(ROOT, ".ci/previous-stage.mjs"));
    let stdout = "";
    const status: number = await main(jobEnv(run, env), (line: string) => (stdout += `${line}\n`));
    return { status, stdout };
  };
  const stopped = (r: { status: number | null; stdout: string }, found: RegExp) => {
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^::error title=Previous stage::qa did not deploy this commit in this run/m);
    assert.match(r.stdout, found);
  };

  it("runs as deploy-stage.yml runs it (node .ci/previous-stage.mjs): the verdict on stdout, exit 0 when the stage before deployed, 1 with the ::error:: when not", async () => {
    const [passed, failed] = await Promise.all([spawned(41), spawned(44)]);
    assert.equal(passed.status, 0, passed.stdout);
    assert.match(passed.stdout, /^qa deployed this commit in this run/m);
    stopped(failed, /ended failure/);
  });

  it("passes when the previous stage's deploy job of this run and commit concluded success, reading every page of the jobs list", async () => {
    const r = await check(41);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /qa deployed this commit in this run/);
    for (const page of ["", "&page=2", "&page=3"]) {
      assert.ok(seen.includes(`GET /repos/owner/repo/actions/runs/41/jobs?filter=latest&per_page=100${page} Bearer t0ken`), seen.join("\n"));
    }
  });

  const outcomes: [string, number, RegExp][] = [
    ["cancelled (replaced in its concurrency group)", 42, /ended cancelled/],
    ["skipped", 43, /ended skipped/],
    ["failed", 44, /ended failure/],
    ["still running", 48, /is in_progress, not completed/],
    ["missing from the run", 45, /no job named "deploy \(qa\) \/ stage \/ pulumi up \(qa\)" in run 45 \(its jobs: "deploy \(qa\) \/ stage", "test \/ npm test"\)/],
    ["of another commit", 47, /ran commit f{40}, this run deploys 0123456789abcdef/],
  ];
  for (const [what, run, found] of outcomes) {
    it(`stops with an ::error:: naming the previous stage when its deploy job is ${what}`, async () => stopped(await check(run), found));
  }

  it("stops, naming the previous stage, when the API fails", async () => {
    stopped(await check(46), /this run's jobs could not be read: GET .*\/runs\/46\/jobs.*HTTP 502/);
  });

  it("follows no next page off the API's origin (the token stays with the API)", async () => {
    const before = seen.length;
    stopped(await check(49), /next page is off the API \(https:\/\/elsewhere\.example/);
    assert.equal(seen.length - before, 1, "one request, to the API");
  });

  it("the latest attempt of the job decides", async () => {
    stopped(await check(50), /attempt 2\) ended cancelled/);
    assert.equal((await check(51)).status, 0);
  });

  it("stops when it is not told which stage and job to check", async () => {
    const r = await check(41, { PREVIOUS_JOB: "" });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /::error title=Previous stage::.*needs PREVIOUS_STAGE, PREVIOUS_JOB/);
  });
});
