/**
 * Day-two workflows (issues 18 and 23), read as GitHub runs them (tests/workflows/workflow-model.ts):
 *   - deploy-stack.yml: the job's timeout is an input and the AWS role session lasts as long (issue 18; the
 *     update-plan decision is the rule "no update plan" in tests/workflows/workflows.test.ts);
 *   - drift.yml (+ drift-stack.yml): read-only, never a deploy's concurrency group, issues: write only where
 *     the issue is written;
 *   - review-stack.yml: a stack pr-<number> only for a labelled pull request of this repository, gated by the
 *     policy pack, destroyed and removed on close or unlabel, pull-requests: write only for the comment.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import {
  EffectiveJob, EvalOptions, WorkflowSet, context, effectiveJobs, environmentOf, interpolate, loadWorkflows, permissionsOf, pulumiCommands,
  runningJobs, stackOf, steps, triggers,
} from "./workflow-model";

const ROOT = path.resolve(__dirname, "..", "..");
const SET: WorkflowSet = loadWorkflows(path.join(ROOT, ".github/workflows"));
const wf = (file: string) => SET.get(file)!;
const STACKS = fs.readdirSync(ROOT).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();

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
  for (const e of runningJobs(SET, wf("deploy.yml"), { github: push({ event_name: "push", workflow: "deploy" }) })) {
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
  const jobs = runningJobs(SET, drift, { github: push() });
  /** Every job, whatever its `if` (the issue job runs on the check's outputs). */
  const all = effectiveJobs(SET, drift, { github: push() });

  it("runs daily (schedule) and by hand, for every committed stack (a matrix)", () => {
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

  it("previews with --refresh --expect-no-changes, the stack's read-only preview role and the preview token", () => {
    for (const e of jobs.filter((j) => pulumiCommands(j).length)) {
      const stack = stackOf(e)!;
      const preview = pulumiCommands(e).find((s) => s.with.command === "preview")!;
      assert.equal(String(preview.with.refresh), "true", e.label);
      assert.equal(String(preview.with["expect-no-changes"]), "true", e.label);
      assert.equal(preview.env.PULUMI_ACCESS_TOKEN, "secrets.PULUMI_PREVIEW_ACCESS_TOKEN", e.label);
      const role = steps(e).find((s) => s.action === "aws-actions/configure-aws-credentials")!.with["role-to-assume"];
      assert.equal(role, `vars.AWS_PREVIEW_ROLE_ARN_${stack.toUpperCase()}`, e.label);
    }
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
    const issue = all.find((e) => e.label.endsWith("issue (dev)"))!;
    const ifFor = (state: string) => {
      const ctx = { ...context(issue, { github: push() }), needs: { check: { outputs: { state } } }, __needsSucceeded: false };
      return Boolean(interpolate(issue.job.if, ctx));
    };
    assert.equal(ifFor("drifted"), true);
    assert.equal(ifFor("clean"), true);
    assert.equal(ifFor("error"), false);
    assert.equal(ifFor("not-deployed"), false);
    const check = jobs.find((e) => e.label.endsWith("check (dev)"))!;
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

describe("review-stack.yml: review stacks (issue 23)", () => {
  const review = wf("review-stack.yml");
  const run = (g: Record<string, unknown>) => runningJobs(SET, review, { github: g });
  const deploys = (g: Record<string, unknown>) => run(g).filter((e) => pulumiCommands(e, { github: g }).some((s) => s.with.command === "up"));
  const destroys = (g: Record<string, unknown>) => run(g).filter((e) => pulumiCommands(e, { github: g }).some((s) => s.with.command === "destroy"));

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
      assert.deepEqual(run(g).map((e) => e.label), [], action);
    }
  });

  it("the review stack is pr-<number>, in dev's environment with dev's deploy role, gated by the pack-checked preview", () => {
    const g = pr("synchronize", ["review-stack"], { number: 123 });
    const [e] = deploys(g);
    assert.equal(environmentOf(e, { github: g }), "dev");
    assert.equal(e.inputs.stack, "pr-123");
    const s = steps(e, { github: g });
    assert.equal(s.find((x) => x.action === "aws-actions/configure-aws-credentials")!.with["role-to-assume"], "vars.AWS_ROLE_ARN");
    const write = s.find((x) => /review-stack-settings\.mjs/.test(x.run ?? ""))!;
    assert.ok(write.runs && /node \.ci\/review-stack-settings\.mjs "?dev"? "?pr-123"?/.test(write.run!), write.run);
    const placeholders = s.find((x) => /npm run -s plan -- "?pr-123"? --up/.test(x.run ?? ""))!;
    assert.ok(placeholders && write.index < placeholders.index, "the settings are written before the offline plan");
    const cmds = pulumiCommands(e, { github: g });
    const preview = cmds.find((x) => x.with.command === "preview")!;
    const up = cmds.find((x) => x.with.command === "up")!;
    assert.ok(preview.index < up.index);
    for (const x of [preview, up]) {
      assert.equal(x.with.policyPacks, "policy-pack");
      assert.equal(x.with.policyPackConfigs, "policy-pack/config/dev.json");
    }
  });

  it("on close (while labelled) or when the label is removed: pulumi destroy, then pulumi stack rm, in dev's environment", () => {
    for (const g of [pr("closed", ["review-stack"]), pr("unlabeled", [], { label: "review-stack" })]) {
      assert.equal(deploys(g).length, 0);
      const [e] = destroys(g);
      assert.ok(e, JSON.stringify(g.event));
      assert.equal(environmentOf(e, { github: g }), "dev");
      const s = steps(e, { github: g });
      const destroy = s.find((x) => x.action === "pulumi/actions" && x.with.command === "destroy")!;
      const rm = s.find((x) => /pulumi --non-interactive stack rm --yes/.test(x.run ?? ""))!;
      assert.ok(rm && destroy.index < rm.index, "stack rm after destroy");
      assert.equal(destroy.raw.if, rm.raw.if, "both only for a stack that exists");
      assert.equal(s.find((x) => x.action === "aws-actions/configure-aws-credentials")!.with["role-to-assume"], "vars.AWS_ROLE_ARN");
      assert.equal(e.job.env.STACK, "pr-${{ github.event.pull_request.number }}");
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

  it("pull-requests: write only for the comment job, which has no cloud credentials and comments the stack's url", () => {
    const g = pr("synchronize", ["review-stack"]);
    const all = [...run(g), ...run(pr("closed", ["review-stack"]))];
    const writers = all.filter((e) => canWrite(e, "pull-requests"));
    assert.deepEqual(writers.map((e) => e.label), ["review-stack.yml comment"]);
    const [c] = writers;
    assert.deepEqual(permissionsOf(c), { "pull-requests": "write" });
    assert.ok(!touchesCloud(c, { github: g }));
    assert.deepEqual(c.job.needs, "deploy");
    assert.equal(c.job.steps[0].env.URL, "${{ needs.deploy.outputs.url }}");
    assert.equal(wf("deploy-stack.yml").doc.on.workflow_call.outputs.url.value, "${{ jobs.deploy.outputs.url }}");
    for (const e of all.filter((j) => touchesCloud(j, { github: g }))) assert.ok(!canWrite(e, "pull-requests"), e.label);
  });

  it("a review stack's name always starts pr-: it can never be dev, staging, prod or any committed stack", async () => {
    const { REVIEW_STACK, reviewSettings, OVERRIDES } = await import(path.join(ROOT, ".ci/review-stack-settings.mjs"));
    for (const stack of [...STACKS, "dev", "staging", "prod", "pr-", "pr-0", "pr-1x", "pr-1/../prod"]) assert.ok(!REVIEW_STACK.test(stack), stack);
    for (const stack of ["pr-1", "pr-123", "pr-4294967295"]) assert.ok(REVIEW_STACK.test(stack), stack);
    assert.ok(STACKS.every((s) => !s.startsWith("pr-")), "no committed stack is named pr-*");
    // The name the workflow passes: pr- and the pull request's number, for any number.
    const d = deploys(pr("labeled", ["review-stack"], { number: 99999, label: "review-stack" }))[0];
    assert.ok(REVIEW_STACK.test(String(d.inputs.stack)), String(d.inputs.stack));
    // The settings: dev's, with what a destroy needs (no deletion protection) and the smallest shape.
    const text = reviewSettings(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"), "ecs-ec2-api", "dev", "pr-7");
    const config = (yaml.load(text) as any).config;
    assert.equal(config["ecs-ec2-api:deletionProtection"], "false");
    assert.equal(config["ecs-ec2-api:natGateways"], "single");
    assert.equal(config["ecs-ec2-api:maxSize"], "1");
    assert.equal(config["ecs-ec2-api:desiredCount"], "1");
    assert.equal(config["aws:region"], (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as any).config["aws:region"]);
    const schema = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any).config;
    for (const key of Object.keys(OVERRIDES)) assert.ok(key in schema, `${key} is a project config key (Pulumi.yaml)`);
    // The script refuses a committed stack's name.
    const r = spawnSync("node", [".ci/review-stack-settings.mjs", "dev", "prod"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a review stack name/);
  });
});
