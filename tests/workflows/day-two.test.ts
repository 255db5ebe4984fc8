/**
 * Day-two workflows (issues 18, 23 and 30), read as GitHub runs them (tests/workflows/workflow-model.ts), with
 * stacks the test declares (tests/workflows/stack-world.ts):
 *   - deploy-stack.yml: the job's timeout is an input and the AWS role session lasts as long (issue 18; the
 *     update-plan decision is the rule "no update plan" in tests/workflows/workflows.test.ts);
 *   - drift.yml (+ drift-stack.yml): read-only, against the deployed commit, never a deploy's concurrency group,
 *     issues: write only where the issue is written;
 *   - review-stack.yml (+ review-destroy.yml): a stack pr-<number> only for a labelled pull request of this
 *     repository, in the environment review and dev's network, gated by the policy pack, the pull request read
 *     again inside its concurrency group, destroyed and removed on close or unlabel, pull-requests: write only
 *     for the comment;
 *   - review-sweep.yml: the pr-* stacks whose pull request is gone, destroyed daily through review-destroy.yml.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import {
  EffectiveJob, EvalOptions, WorkflowSet, context, effectiveJobs, environmentOf, interpolate, loadWorkflows, permissionsOf, pulumiCommands,
  runningJobs, stackOf, steps, triggers, upstream,
} from "./workflow-model";
import { stackWorld } from "./stack-world";

const ROOT = path.resolve(__dirname, "..", "..");
const SET: WorkflowSet = loadWorkflows(path.join(ROOT, ".github/workflows"));
const wf = (file: string) => SET.get(file)!;
/** The stacks the workflows run with here: names no workflow may know. */
const WORLD = stackWorld([{ name: "sandbox" }, { name: "qa" }, { name: "live", checksBeforeApproval: true }]);
const STACKS = [...WORLD.stacks].sort();
after(() => WORLD.remove());

const push = (overrides: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main", event_name: "schedule", repository: "owner/repo", sha: "0".repeat(40), run_id: "1", workflow: "drift",
  server_url: "https://github.com", event: {}, ...overrides,
});

/** A pull_request event: action, labels, and whether its head is a fork. */
const pr = (action: string, labels: string[], opts: { fork?: boolean; label?: string; number?: number } = {}) => ({
  ref: `refs/pull/${opts.number ?? 7}/merge`, event_name: "pull_request", repository: "owner/repo", sha: "1".repeat(40), run_id: "2",
  workflow: "review-stack", server_url: "https://github.com",
  event: {
    action,
    ...(opts.label ? { label: { name: opts.label } } : {}),
    pull_request: {
      number: opts.number ?? 7, labels: labels.map((name) => ({ name })), head: { sha: "2".repeat(40), repo: { full_name: opts.fork ? "someone/repo" : "owner/repo" } },
    },
  },
});

const canWrite = (e: EffectiveJob, scope: string) => {
  const p = permissionsOf(e);
  return p === "write-all" || (typeof p === "object" && p !== null && p[scope] === "write");
};
const touchesCloud = (e: EffectiveJob, opts: EvalOptions = {}) =>
  pulumiCommands(e, opts).length > 0 || steps(e, opts).some((s) => s.action === "aws-actions/configure-aws-credentials");
const groupOf = (e: EffectiveJob, opts: EvalOptions) => {
  const c = e.job?.concurrency ?? (e.source === e.workflow ? e.workflow.doc?.concurrency : undefined);
  if (c === undefined) return undefined;
  return String(interpolate(typeof c === "object" ? c.group : c, context(e, opts)));
};
const deployGroups = () => {
  const groups = new Set<string>();
  for (const e of runningJobs(SET, wf("deploy.yml"), WORLD.opts(wf("deploy.yml"), { github: push({ event_name: "push", workflow: "deploy" }) }))) {
    const g = groupOf(e, { github: push({ event_name: "push" }) });
    if (g) groups.add(g);
  }
  return groups;
};

describe("deploy-stack.yml: the job's timeout and the role session (issue 18)", () => {
  const ds = wf("deploy-stack.yml");
  const job = ds.doc.jobs.deploy;
  const input = ds.doc.on.workflow_call.inputs["timeout-minutes"];
  const sessionStep = job.steps.find((s: any) => s.id === "session");
  const session = (minutes: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "session-"));
    try {
      const out = path.join(dir, "out");
      fs.writeFileSync(out, "");
      const r = spawnSync("bash", ["-c", sessionStep.run], { env: { ...process.env, TIMEOUT_MINUTES: String(minutes), GITHUB_OUTPUT: out }, encoding: "utf8" });
      return { status: r.status, seconds: Number(/seconds=(\d+)/.exec(fs.readFileSync(out, "utf8"))?.[1]), stdout: r.stdout };
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  };

  it("the job's timeout is the input timeout-minutes, a number with a default within GitHub's 360 minutes", () => {
    assert.equal(job["timeout-minutes"], "${{ inputs.timeout-minutes }}");
    assert.equal(input.type, "number");
    assert.ok(input.default >= 60 && input.default <= 360, String(input.default));
  });

  it("the role session lasts the job's whole timeout (it starts after the job, so it outlasts it), within AWS's 900..43200 s", () => {
    const creds = job.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
    assert.equal(creds.with["role-duration-seconds"], "${{ steps.session.outputs.seconds }}");
    assert.ok(job.steps.indexOf(sessionStep) < job.steps.indexOf(creds));
    assert.equal(sessionStep.env.TIMEOUT_MINUTES, "${{ inputs.timeout-minutes }}");
    for (const minutes of [input.default, 60, 360]) {
      const r = session(minutes);
      assert.equal(r.status, 0, r.stdout);
      assert.ok(r.seconds >= minutes * 60 && r.seconds <= 43200, `${minutes} min -> ${r.seconds} s`);
    }
    assert.equal(session(721).status, 1, "more than AWS's 43200 s is refused");
    assert.equal(session(10).status, 1, "less than AWS's 900 s is refused");
  });

  it("every caller's timeout-minutes is within GitHub's 360 and AWS's 43200 s", () => {
    for (const w of SET.values()) {
      for (const [id, j] of Object.entries<any>(w.doc.jobs ?? {})) {
        if (j.uses !== "./.github/workflows/deploy-stack.yml" || j.with?.["timeout-minutes"] === undefined) continue;
        const m = Number(j.with["timeout-minutes"]);
        assert.ok(m * 60 >= 900 && m <= 360, `${w.file} ${id}: ${m}`);
      }
    }
  });
});

describe("drift.yml: drift detection (issue 23)", () => {
  const drift = wf("drift.yml");
  const opts = WORLD.opts(drift, { github: push() });
  const jobs = runningJobs(SET, drift, opts);
  /** Every job, whatever its `if` (the issue job runs on the check's outputs). */
  const all = effectiveJobs(SET, drift, opts);

  it("runs daily (schedule) and by hand, for every stack file (a matrix)", () => {
    assert.deepEqual(triggers(drift).sort(), ["schedule", "workflow_dispatch"]);
    assert.ok(drift.doc.on.schedule.every((s: any) => /^\S+ \S+ \* \* \*$/.test(s.cron)), "a daily cron");
    const checked = jobs.filter((e) => pulumiCommands(e).length).map((e) => stackOf(e)).sort();
    assert.deepEqual(checked, STACKS);
  });

  it("never deploys: no up, update, destroy or refresh, no GitHub environment (no approval), no deploy token", () => {
    for (const e of all) {
      for (const s of pulumiCommands(e)) assert.equal(s.with.command, "preview", `${e.label}: pulumi ${String(s.with.command)}`);
      assert.equal(environmentOf(e), undefined, e.label);
      assert.doesNotMatch(JSON.stringify(e.job), /secrets\.PULUMI_ACCESS_TOKEN\b/, e.label);
    }
  });

  it("never shares a deploy's concurrency group (deploy-<stack>), at workflow or job level", () => {
    const deploy = deployGroups();
    assert.ok(deploy.size >= 3, [...deploy].join(", "));
    for (const e of all) {
      const groups = [groupOf(e, { github: push() }), drift.doc.concurrency?.group].filter((g): g is string => !!g);
      for (const g of groups) {
        assert.ok(!deploy.has(g) && !g.startsWith("deploy-"), `${e.label}: group ${g}`);
      }
    }
  });

  it("previews with --refresh --expect-no-changes and the preview token (its role: the rule on preview roles, workflows.test.ts)", () => {
    for (const e of jobs.filter((j) => pulumiCommands(j).length)) {
      const preview = pulumiCommands(e).find((s) => s.with.command === "preview")!;
      assert.equal(String(preview.with.refresh), "true", e.label);
      assert.equal(String(preview.with["expect-no-changes"]), "true", e.label);
      assert.equal(preview.env.PULUMI_ACCESS_TOKEN, "secrets.PULUMI_PREVIEW_ACCESS_TOKEN", e.label);
    }
  });

  it("previews the commit the stack was deployed from (its stack tag), which every deploy sets after a successful up", () => {
    const deployed = { stack: { outputs: { new: "false", name: "acme/qa", "cloud-url": "" } }, deployed: { outputs: { dir: ".deployed", commit: "c".repeat(40), ahead: "3" } } };
    for (const e of jobs.filter((j) => pulumiCommands(j).length)) {
      const s = steps(e, { ...opts, steps: deployed });
      const find = s.find((x) => /\.ci\/deployed-commit\.sh "?acme\/qa"?/.test(x.run ?? ""))!;
      const preview = pulumiCommands(e, { ...opts, steps: deployed }).find((x) => x.with.command === "preview")!;
      const install = s.find((x) => x.raw["working-directory"] !== undefined && /npm ci/.test(x.run ?? ""))!;
      assert.ok(find?.runs && find.index < install.index && install.index < preview.index, e.label);
      assert.equal(find.raw.id, "deployed");
      assert.equal(preview.with["work-dir"], ".deployed", "the preview runs the deployed commit's program and stack file");
      assert.equal(String(interpolate(install.raw["working-directory"], context(e, { ...opts, steps: deployed }))), ".deployed");
      assert.ok(s.find((x) => x.action === "actions/checkout")!.with["fetch-depth"] === 0, "main's history, to find the commit in");
      assert.ok(!steps(e, { ...opts, steps: { stack: { outputs: { new: "true" } } } })[find.index].runs, "a stack not deployed is skipped");
    }
    // deploy-stack.yml tags the stack with the commit it deployed, after up, with up's condition.
    const deploy = runningJobs(SET, wf("deploy.yml"), WORLD.opts(wf("deploy.yml"))).find((e) => pulumiCommands(e).some((x) => x.with.command === "up"))!;
    const ds = steps(deploy, WORLD.opts(wf("deploy.yml")));
    const up = ds.find((x) => x.raw.id === "up")!;
    const tag = ds.find((x) => /pulumi --non-interactive stack tag set deployed-commit "?\$GITHUB_SHA"? --stack/.test(x.run ?? ""))!;
    assert.ok(tag && up.index < tag.index && tag.raw.if === up.raw.if, "set after a successful up only");
  });

  it("reports drift (an issue) apart from commits on main not yet deployed (a line in the job summary, no issue)", () => {
    const check = jobs.find((e) => e.label.endsWith(`check (${STACKS[0]})`))!;
    const report = check.job.steps.find((x: any) => x.id === "report");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drift-report-"));
    try {
      const run = (env: Record<string, string>) => {
        for (const f of ["out", "summary"]) fs.writeFileSync(path.join(tmp, f), "");
        const r = spawnSync("bash", ["-c", report.run], {
          cwd: ROOT, encoding: "utf8",
          env: { ...process.env, STACK: "qa", NAME: "qa", DIR: ".deployed", GITHUB_OUTPUT: path.join(tmp, "out"), GITHUB_STEP_SUMMARY: path.join(tmp, "summary"), RUNNER_TEMP: tmp, ...env },
        });
        return { status: r.status, state: /state=(\S+)/.exec(fs.readFileSync(path.join(tmp, "out"), "utf8"))?.[1], summary: fs.readFileSync(path.join(tmp, "summary"), "utf8") };
      };
      const ahead = run({ NEW: "false", OUTCOME: "success", COMMIT: "c".repeat(40), AHEAD: "3" });
      assert.equal(ahead.status, 0, "commits ahead alone fail nothing");
      assert.equal(ahead.state, "clean", "and are not drift: the issue job closes, never opens, an issue");
      assert.match(ahead.summary, new RegExp(`qa is deployed from ${"c".repeat(40)}; main is 3 commits ahead of what is deployed`));
      const untagged = run({ NEW: "false", OUTCOME: "success", COMMIT: "", AHEAD: "" });
      assert.equal(untagged.summary, "", "no ahead line without a deployed commit");
      assert.equal(run({ NEW: "true" }).state, "not-deployed");
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });

  it("issues: write only in the issue job, which has no cloud credentials; the check has id-token: write and no issues", () => {
    const writers = all.filter((e) => canWrite(e, "issues"));
    assert.deepEqual(writers.map((e) => e.label).sort(), STACKS.map((s) => `drift.yml drift/issue (${s})`).sort());
    for (const e of writers) {
      assert.deepEqual(permissionsOf(e), { issues: "write" }, e.label);
      assert.ok(!touchesCloud(e), e.label);
      assert.ok(steps(e).some((s) => s.action === "actions/github-script"), e.label);
    }
    for (const e of all.filter((j) => touchesCloud(j))) {
      assert.ok(!canWrite(e, "issues"), e.label);
      assert.equal((permissionsOf(e) as Record<string, string>)["id-token"], "write", e.label);
    }
  });

  it("a drifted stack fails the check and updates its issue; a clean one closes it; an unknown result changes none", () => {
    const issue = all.find((e) => e.label.endsWith(`issue (${STACKS[0]})`))!;
    const ifFor = (state: string) => {
      const ctx = { ...context(issue, { github: push() }), needs: { check: { outputs: { state } } }, __needsSucceeded: false };
      return Boolean(interpolate(issue.job.if, ctx));
    };
    assert.equal(ifFor("drifted"), true);
    assert.equal(ifFor("clean"), true);
    assert.equal(ifFor("error"), false);
    assert.equal(ifFor("not-deployed"), false);
    const check = jobs.find((e) => e.label.endsWith(`check (${STACKS[0]})`))!;
    const report = check.job.steps.find((s: any) => s.id === "report");
    assert.match(report.run, /drifted\)[^\n]*exit 1/, "the check fails on drift");
    const script = issue.job.steps[0].with.script as string;
    assert.match(script, /Drift in stack \$\{STACK\}/);
    assert.match(script, /state: "closed"/);
  });

  it(".ci/drift-report.mjs lists the resources the refreshed preview would change, with their properties", async () => {
    const { drifted, markdown } = await import(path.join(ROOT, ".ci/drift-report.mjs"));
    const items = drifted({
      steps: [
        { op: "same", urn: "urn:pulumi:dev::ecs-ec2-api::aws:ec2/vpc:Vpc::api-vpc" },
        { op: "refresh", urn: "urn:pulumi:dev::ecs-ec2-api::aws:ec2/subnet:Subnet::api-private-0" },
        { op: "update", urn: "urn:pulumi:dev::ecs-ec2-api::ecs-ec2-api:x:Hosts$aws:ec2/securityGroup:SecurityGroup::api-host-sg", diffReasons: ["ingress"], detailedDiff: { "ingress[0]": { kind: "delete" } } },
        { op: "create", urn: "urn:pulumi:dev::ecs-ec2-api::aws:cloudwatch/metricAlarm:MetricAlarm::api-5xx", detailedDiff: {} },
      ],
    });
    assert.deepEqual(items.map((i: any) => [i.op, i.name, i.properties]), [
      ["update", "api-host-sg", ["ingress", "ingress[0]"]],
      ["create", "api-5xx", []],
    ]);
    assert.match(markdown(items), /^- `update` aws:ec2\/securityGroup:SecurityGroup `api-host-sg`: `ingress`, `ingress\[0\]`$/m);
    assert.deepEqual(drifted({ steps: [{ op: "same", urn: "u" }] }), []);
  });
});

describe("review-stack.yml: review stacks (issues 23 and 30)", () => {
  const review = wf("review-stack.yml");
  /** What the jobs see: dev's network from the network job, and the deploy's answer on the pull request. */
  const NETWORK = JSON.stringify({ vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0aaa0000000000001"], privateSubnetIds: ["subnet-0bbb0000000000001"] });
  const needs = (live?: string) => ({ network: { outputs: { network: NETWORK } }, ...(live ? { deploy: { outputs: { live } } } : {}) });
  const run = (g: Record<string, unknown>, live?: string) => runningJobs(SET, review, { github: g, needs: needs(live) });
  const deploys = (g: Record<string, unknown>) => run(g).filter((e) => pulumiCommands(e, { github: g }).some((s) => s.with.command === "up"));
  const destroys = (g: Record<string, unknown>, live?: string) => run(g, live).filter((e) => pulumiCommands(e, { github: g }).some((s) => s.with.command === "destroy"));
  const live = (value: string) => ({ pr: { outputs: { live: value, reason: "r" } } });

  it("deploys only a pull request of this repository that carries the label review-stack, on label, push and reopen", () => {
    for (const action of ["labeled", "synchronize", "reopened"]) {
      const g = pr(action, ["bug", "review-stack"], { label: action === "labeled" ? "review-stack" : undefined });
      assert.equal(deploys(g).length, 1, action);
      assert.equal(destroys(g).length, 0, action);
    }
    for (const g of [pr("synchronize", ["bug"]), pr("labeled", ["review-stack"], { fork: true, label: "review-stack" }), pr("synchronize", ["review-stack"], { fork: true })]) {
      assert.deepEqual(run(g).filter((e) => touchesCloud(e, { github: g })).map((e) => e.label), [], JSON.stringify(g.event));
    }
  });

  it("a fork's pull request never gets a job with cloud credentials, whatever its labels and action", () => {
    for (const action of ["labeled", "synchronize", "reopened", "unlabeled", "closed"]) {
      const g = pr(action, ["review-stack"], { fork: true, label: "review-stack" });
      assert.deepEqual(run(g, "false").map((e) => e.label), [], action);
    }
  });

  it("the review stack is pr-<number>, in the environment review with its role, in dev's network, gated by the pack-checked preview", () => {
    const g = pr("synchronize", ["review-stack"], { number: 123 });
    const [e] = deploys(g);
    const o = { github: g, needs: needs(), steps: live("true") };
    assert.equal(environmentOf(e, o), "review", "dev's environment stays main-only");
    assert.equal(e.inputs.stack, "pr-123");
    const s = steps(e, o);
    assert.equal(s.find((x) => x.action === "aws-actions/configure-aws-credentials")!.with["role-to-assume"], "vars.AWS_ROLE_ARN");
    const write = s.find((x) => /review-stack-settings\.mjs/.test(x.run ?? ""))!;
    assert.ok(write.runs && /node \.ci\/review-stack-settings\.mjs "?dev"? "?pr-123"?/.test(write.run!), write.run);
    assert.equal(write.env.NETWORK, NETWORK, "dev's outputs, from the network job");
    const placeholders = s.find((x) => /npm run -s plan -- "?pr-123"? --up/.test(x.run ?? ""))!;
    assert.ok(placeholders && write.index < placeholders.index, "the settings are written before the offline plan");
    const cmds = pulumiCommands(e, o);
    const preview = cmds.find((x) => x.with.command === "preview")!;
    const up = cmds.find((x) => x.with.command === "up")!;
    assert.ok(preview.index < up.index);
    for (const x of [preview, up]) {
      assert.equal(x.with.policyPacks, "policy-pack");
      assert.equal(x.with.policyPackConfigs, "policy-pack/config/pr-123.json", "dev's pack config with dev's subnets, written beside the settings");
    }
    // The network job: dev's outputs, read in the environment review, before the deploy.
    const jobs = run(g);
    const network = jobs.find((x) => x.id === "network")!;
    assert.equal(environmentOf(network, { github: g }), "review");
    assert.ok(upstream(jobs, jobs.find((x) => x.label === e.label)!).includes(network), "the deploy needs it");
    assert.match(network.job.steps.find((x: any) => x.id === "network").run, /pulumi --non-interactive stack output --stack "\$NAME" --json \| node \.ci\/review-stack-settings\.mjs --network/);
  });

  it("its settings take dev's network (the existing-VPC path: no VPC, NAT gateway or Elastic IP) and its pack config lists the subnets", async () => {
    const { reviewSettings, reviewPackConfig, networkOf, CREATED_NETWORK_KEYS, OVERRIDES, PLACEMENT_POLICIES } = await import(path.join(ROOT, ".ci/review-stack-settings.mjs"));
    const base = "config:\n  aws:region: eu-west-1\n  demo:availabilityZones: \"3\"\n  demo:natGateways: perAz\n  demo:flowLogs: \"true\"\n  demo:deletionProtection: \"true\"\n  demo:instanceType: m6i.large\n";
    const network = networkOf({ ...JSON.parse(NETWORK), url: "http://x", clusterName: "c" });
    assert.deepEqual(network, JSON.parse(NETWORK), "only the three outputs");
    assert.throws(() => networkOf({ vpcId: "vpc-1" }), /no vpcId, publicSubnetIds and privateSubnetIds/);
    const config = (yaml.load(reviewSettings(base, "demo", "qa", "pr-7", network)) as any).config;
    for (const key of CREATED_NETWORK_KEYS) assert.ok(!(`demo:${key}` in config), `${key} removed: refused with an existing VPC`);
    assert.equal(config["demo:vpcId"], network.vpcId);
    assert.deepEqual(config["demo:publicSubnetIds"], network.publicSubnetIds);
    assert.deepEqual(config["demo:privateSubnetIds"], network.privateSubnetIds);
    assert.equal(config["demo:deletionProtection"], "false");
    assert.equal(config["demo:instanceType"], "m6i.large", "the base's other keys");
    assert.equal(config["aws:region"], "eu-west-1");
    const withoutNetwork = (yaml.load(reviewSettings(base, "demo", "qa", "pr-7")) as any).config;
    assert.equal(withoutNetwork["demo:natGateways"], "perAz", "without a network (a destroy), the network keys stay as the base's");
    const pack = reviewPackConfig({ "ecs-tasks-private-subnets": "mandatory", "log-retention-set": { minimumDays: 1 } }, network);
    for (const name of PLACEMENT_POLICIES) {
      assert.deepEqual(pack[name].externalPrivateSubnetIds, network.privateSubnetIds, name);
      assert.deepEqual(pack[name].externalPublicSubnetIds, network.publicSubnetIds, name);
    }
    assert.equal(pack["ecs-tasks-private-subnets"].enforcementLevel, "mandatory", "the base's level kept");
    assert.deepEqual(pack["log-retention-set"], { minimumDays: 1 });
    // The keys are the program's own (Pulumi.yaml), the policies the pack's.
    const schema = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any).config;
    for (const key of [...Object.keys(OVERRIDES), ...CREATED_NETWORK_KEYS, ...Object.keys(network)]) assert.ok(key in schema, `${key} is a project config key (Pulumi.yaml)`);
    const pack$ = fs.readFileSync(path.join(ROOT, "policy-pack/policies/network.ts"), "utf8");
    for (const name of PLACEMENT_POLICIES) assert.ok(pack$.includes(`name: "${name}"`), name);
  });

  it("inside its concurrency group the deploy reads the pull request again first, and does nothing but hand over to the destroy if it no longer wants a stack", () => {
    const g = pr("synchronize", ["review-stack"]);
    const [e] = deploys(g);
    const check = steps(e, { github: g, needs: needs() }).find((x) => /node \.ci\/review-pr\.mjs state "?7"?/.test(x.run ?? ""))!;
    assert.ok(check && check.raw.id === "pr", "the deploy job itself (which holds deploy-pr-<number>) reads the pull request");
    assert.equal(check.raw.env.GITHUB_TOKEN, "${{ github.token }}", "the job's own token (pull-requests: read)");
    const gone = steps(e, { github: g, needs: needs(), steps: live("false") });
    const after = gone.filter((x) => x.index > check.index && x.runs);
    assert.deepEqual(after.map((x) => x.raw.name), [], "nothing runs after it: no install, no settings, no credentials, no Pulumi");
    assert.ok(gone.slice(0, check.index).every((x) => !x.action || ["actions/checkout", "actions/setup-node"].includes(x.action)), "nothing before it but the checkout and Node.js");
    assert.equal(e.job.outputs.live, "${{ steps.pr.outputs.live }}");
    assert.equal(wf("deploy-stack.yml").doc.on.workflow_call.outputs.live.value, "${{ jobs.deploy.outputs.live }}");
    assert.equal((permissionsOf(e) as Record<string, string>)["pull-requests"], "read");
    // A deploy that found the pull request closed or unlabelled: the destroy job of the same run follows it.
    assert.equal(destroys(g, "false").length, 1);
    assert.equal(destroys(g, "true").length, 0);
    // The deploy of a committed stack never reads a pull request.
    const main = runningJobs(SET, wf("deploy.yml"), WORLD.opts(wf("deploy.yml"))).find((x) => pulumiCommands(x).some((c) => c.with.command === "up"))!;
    const mainSteps = steps(main, WORLD.opts(wf("deploy.yml")));
    assert.ok(!mainSteps.find((x) => x.raw.id === "pr")!.runs);
    assert.ok(pulumiCommands(main, WORLD.opts(wf("deploy.yml"))).every((c) => c.runs));
  });

  it("on close (while labelled) or when the label is removed: review-destroy.yml reads the pull request again, then pulumi destroy and pulumi stack rm, in the environment review", () => {
    for (const g of [pr("closed", ["review-stack"]), pr("unlabeled", [], { label: "review-stack" })]) {
      assert.equal(deploys(g).length, 0);
      const [e] = destroys(g);
      assert.ok(e, JSON.stringify(g.event));
      assert.equal(e.source.file, "review-destroy.yml");
      assert.equal(environmentOf(e, { github: g }), "review");
      const s = steps(e, { github: g, steps: { ...live("false"), stack: { outputs: { new: "false", name: "pr-7" } } } });
      const check = s.find((x) => /node \.ci\/review-pr\.mjs state "?7"?/.test(x.run ?? ""))!;
      const destroy = s.find((x) => x.action === "pulumi/actions" && x.with.command === "destroy")!;
      const rm = s.find((x) => /pulumi --non-interactive stack rm --yes/.test(x.run ?? ""))!;
      assert.ok(check.index < destroy.index && destroy.index < rm.index, "read, destroy, then stack rm");
      assert.ok(destroy.runs && rm.runs && destroy.raw.if === rm.raw.if, "both only for a stack that exists, of a pull request that no longer wants it");
      assert.equal(destroy.with.policyPacks, undefined, "a destroy registers nothing for the pack to judge");
      assert.equal(s.find((x) => x.action === "aws-actions/configure-aws-credentials")!.with["role-to-assume"], "vars.AWS_ROLE_ARN");
      assert.equal(context(e, { github: g }).env && (context(e, { github: g }).env as any).STACK, "pr-7");
      // Relabelled or reopened since: the destroy does nothing (that event's deploy follows it).
      const relabelled = steps(e, { github: g, steps: { ...live("true"), stack: { outputs: { new: "false" } } } });
      assert.ok(relabelled.filter((x) => x.index > check.index && x.runs).every((x) => /Report/.test(x.raw.name)), "nothing but the report");
    }
    assert.equal(destroys(pr("unlabeled", ["review-stack"], { label: "bug" })).length, 0, "removing another label destroys nothing");
    assert.equal(destroys(pr("closed", ["bug"])).length, 0, "a pull request without the label has no stack");
  });

  it("deploy and destroy of one pull request share one group keyed by its number, never cancelled in progress, never a committed stack's", () => {
    const deploy = deployGroups();
    const groups = new Set<string>();
    for (const number of [7, 8]) {
      const d = deploys(pr("synchronize", ["review-stack"], { number }))[0];
      const x = destroys(pr("closed", ["review-stack"], { number }))[0];
      const gd = groupOf(d, { github: pr("synchronize", ["review-stack"], { number }) })!;
      const gx = groupOf(x, { github: pr("closed", ["review-stack"], { number }) })!;
      assert.equal(gd, `deploy-pr-${number}`);
      assert.equal(gx, gd);
      for (const e of [d, x]) assert.equal(e.job.concurrency["cancel-in-progress"], false, e.label);
      assert.ok(!deploy.has(gd), gd);
      groups.add(gd);
    }
    assert.equal(groups.size, 2, "each pull request its own group");
    assert.equal(review.doc.concurrency, undefined, "no workflow-wide group: another label's run never replaces a waiting deploy");
  });

  it("pull-requests: write only for the comment job, which has no cloud credentials and comments the stack's url and monthly cost", () => {
    const g = pr("synchronize", ["review-stack"]);
    const all = [...run(g, "true"), ...run(pr("closed", ["review-stack"]))];
    const writers = all.filter((e) => canWrite(e, "pull-requests"));
    assert.deepEqual(writers.map((e) => e.label), ["review-stack.yml comment"]);
    const [c] = writers;
    assert.deepEqual(permissionsOf(c), { "pull-requests": "write" });
    assert.ok(!touchesCloud(c, { github: g }));
    assert.deepEqual(c.job.needs, "deploy");
    assert.equal(c.job.steps[0].env.URL, "${{ needs.deploy.outputs.url }}");
    assert.equal(c.job.steps[0].env.COST, "${{ needs.deploy.outputs.monthly-cost }}");
    assert.match(c.job.steps[0].with.script, /\$\{COST/);
    assert.equal(run(g, "false").filter((e) => e.id === "comment").length, 0, "no comment when nothing was deployed");
    assert.equal(wf("deploy-stack.yml").doc.on.workflow_call.outputs.url.value, "${{ jobs.deploy.outputs.url }}");
    for (const e of all.filter((j) => touchesCloud(j, { github: g }))) assert.ok(!canWrite(e, "pull-requests"), e.label);
  });

  it("the monthly cost comes from the offline plan the deploy already runs (its JSON's cost)", () => {
    const g = pr("synchronize", ["review-stack"]);
    const [e] = deploys(g);
    const s = steps(e, { github: g, needs: needs(), steps: live("true") });
    const plan = s.find((x) => /deploy-timeout\.mjs/.test(x.run ?? ""))!;
    const cost = s.find((x) => x.raw.id === "cost")!;
    assert.match(plan.run!, /--json \| tee "\$RUNNER_TEMP\/plan\.json" \|/);
    assert.ok(plan.index < cost.index && cost.runs);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
    try {
      const out = path.join(tmp, "out");
      for (const [planCost, expected] of [[{ available: true, currency: "USD", monthlyUsd: 67.93 }, "67.93 USD"], [{ available: false }, ""]] as const) {
        fs.writeFileSync(path.join(tmp, "plan.json"), JSON.stringify({ cost: planCost }));
        fs.writeFileSync(out, "");
        const r = spawnSync("bash", ["-c", cost.raw.run], { encoding: "utf8", env: { ...process.env, RUNNER_TEMP: tmp, GITHUB_OUTPUT: out } });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(fs.readFileSync(out, "utf8").trim(), `monthly-cost=${expected}`);
      }
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  });

  it("a review stack's name always starts pr-: it can never be a committed stack", async () => {
    const { REVIEW_STACK } = await import(path.join(ROOT, ".ci/review-stack-settings.mjs"));
    for (const stack of [...STACKS, "dev", "staging", "prod", "pr-", "pr-0", "pr-1x", "pr-1/../prod"]) assert.ok(!REVIEW_STACK.test(stack), stack);
    for (const stack of ["pr-1", "pr-123", "pr-4294967295"]) assert.ok(REVIEW_STACK.test(stack), stack);
    // The name the workflow passes: pr- and the pull request's number, for any number.
    const d = deploys(pr("labeled", ["review-stack"], { number: 99999, label: "review-stack" }))[0];
    assert.ok(REVIEW_STACK.test(String(d.inputs.stack)), String(d.inputs.stack));
    // The script refuses a committed stack's name (.ci/stacks.mjs refuses a committed pr-<number>).
    const r = spawnSync("node", [".ci/review-stack-settings.mjs", "dev", "prod"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a review stack name/);
  });
});

describe("review-sweep.yml: review stacks whose pull request is gone (issue 30)", () => {
  const sweep = wf("review-sweep.yml");
  const g = push({ workflow: "review-sweep" });
  const run = (remove: string) => runningJobs(SET, sweep, { github: g, needs: { list: { outputs: { remove } } } });

  it("runs daily and by hand, on main only", () => {
    assert.deepEqual(triggers(sweep).sort(), ["schedule", "workflow_dispatch"]);
    assert.ok(sweep.doc.on.schedule.every((s: any) => /^\S+ \S+ \* \* \*$/.test(s.cron)), "a daily cron");
    assert.deepEqual(runningJobs(SET, sweep, { github: push({ ref: "refs/heads/feature", event_name: "workflow_dispatch" }), needs: { list: { outputs: { remove: "[7]" } } } }).map((e) => e.label), []);
  });

  it("lists the backend's pr-* stacks and their pull requests in the environment review, into the job summary", () => {
    const [list] = run("[]").filter((e) => e.id === "list");
    assert.equal(environmentOf(list, { github: g }), "review");
    const s = steps(list, { github: g });
    const ls = s.find((x) => /pulumi --non-interactive stack ls --json/.test(x.run ?? ""))!;
    assert.match(ls.run!, /node \.ci\/review-pr\.mjs sweep/);
    assert.ok(s.findIndex((x) => /\.ci\/stack-settings\.sh/.test(x.run ?? "")) < ls.index, "the settings checked first");
    assert.equal(list.job.outputs.remove, "${{ steps.sweep.outputs.remove }}");
    assert.equal(run("[]").filter((e) => e.id === "destroy").length, 0, "nothing to remove, no destroy");
  });

  it("removes each through review-destroy.yml, the review workflow's destroy path, in its pull request's group", () => {
    const destroys = run("[7,9]").filter((e) => pulumiCommands(e).some((s) => s.with.command === "destroy"));
    assert.deepEqual(destroys.map((e) => [e.source.file, e.inputs.number]), [["review-destroy.yml", 7], ["review-destroy.yml", 9]]);
    assert.equal(destroys[0].levels[0].job.strategy["fail-fast"], false, "one stack's failure leaves the others to their removal");
    assert.deepEqual(destroys.map((e) => groupOf(e, { github: g })), ["deploy-pr-7", "deploy-pr-9"]);
    const fromReview = runningJobs(SET, wf("review-stack.yml"), { github: pr("closed", ["review-stack"]) }).filter((e) => pulumiCommands(e, { github: pr("closed", ["review-stack"]) }).some((s) => s.with.command === "destroy"));
    assert.deepEqual(fromReview.map((e) => e.source.file), ["review-destroy.yml"], "the same path");
    const report = destroys[0].job.steps.find((x: any) => x.name === "Report");
    assert.match(report.run, /removed \$STACK/);
    assert.match(report.run, />> "\$GITHUB_STEP_SUMMARY"|tee -a "\$GITHUB_STEP_SUMMARY"/);
  });
});
