/**
 * The GitHub workflows, read as GitHub runs them (tests/workflows/workflow-model.ts): each rule encodes one way the
 * workflows failed or misbehaved on GitHub although they parsed and every input existed (issue 10), or broke when
 * a team's stacks came and went (issue 26), with the upstream source it rests on. Every rule holds for
 * .github/workflows with stacks the test declares (tests/workflows/stack-world.ts: names no workflow may know,
 * one of them with checks before approval), and is shown to catch the files of commit 06b220b
 * (tests/fixtures/workflows-06b220b), which had each defect, with the stacks of its day and one a team added.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
  EffectiveJob, EvalOptions, Level, Workflow, WorkflowSet, atLevel, condition, context, effectiveJobs, environmentOf, headerComment,
  interpolate, jobName, loadWorkflows, pulumiCommands, reusableTarget, runningJobs, settingsRead, stackOf, steps, triggered, triggers, upstream,
} from "./workflow-model";
import { StackWorld, stackWorld } from "./stack-world";

const ROOT = path.resolve(__dirname, "..", "..");
const CURRENT = loadWorkflows(path.join(ROOT, ".github/workflows"));
const OLD_DIR = path.join(ROOT, "tests/fixtures/workflows-06b220b");
const OLD = loadWorkflows(OLD_DIR);
const DOCS = fs.readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
const OLD_README = fs.readFileSync(path.join(OLD_DIR, "README-in-ci.md"), "utf8");
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
const ACTIONS = JSON.parse(fs.readFileSync(path.join(ROOT, ".ci/action-inputs.json"), "utf8")).actions as Record<
  string,
  { version: string; source: string; runs: string; inputs: string[] }
>;

const github = (overrides: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main",
  event_name: "push",
  repository: "owner/repo",
  sha: "0123456789abcdef0123456789abcdef01234567",
  run_id: "1",
  workflow: "deploy",
  event: { pull_request: { number: 1, head: { repo: { full_name: "owner/repo" } } } },
  ...overrides,
});

/** Jobs that act on a stack in the cloud: a Pulumi command or AWS credentials. */
const touchesCloud = (e: EffectiveJob) =>
  pulumiCommands(e).length > 0 || steps(e).some((s) => s.action === "aws-actions/configure-aws-credentials");

const hasUp = (e: EffectiveJob) => pulumiCommands(e).some((s) => s.with.command === "up" || s.with.command === "update");

/** The running jobs of a triggered workflow, with the stacks of `world`. */
const running = (set: WorkflowSet, wf: Workflow, world: StackWorld, extra: EvalOptions = {}) => runningJobs(set, wf, world.opts(wf, extra));

const deployWorkflows = (set: WorkflowSet, world: StackWorld) => triggered(set).filter((wf) => running(set, wf, world).some(hasUp));

const sameLevel = (a: Level, b: Level) => a.source === b.source && a.id === b.id && JSON.stringify(a.matrix) === JSON.stringify(b.matrix);
/** The depth at which two jobs' calls part (0: different jobs, or legs, of the triggered workflow). */
const parting = (a: EffectiveJob, b: EffectiveJob) => {
  let d = 0;
  while (d < a.levels.length && d < b.levels.length && sameLevel(a.levels[d], b.levels[d])) d++;
  return d;
};
const needsList = (job: any): string[] => (job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/**
 * Whether `e` runs only once the job `g` succeeded: where their calls part, e's job there needs g itself, and its `if`
 * lets it run for no other result of g's (GitHub: a job whose needed job failed or was skipped is skipped unless
 * its `if` says otherwise, workflow syntax jobs.<job_id>.needs; success() is false then).
 */
function onlyAfter(e: EffectiveJob, g: EffectiveJob, opts: EvalOptions): boolean {
  const d = parting(e, g);
  if (d >= e.levels.length || d + 1 !== g.levels.length) return false;
  const level = e.levels[d];
  const id = g.levels[d].id;
  if (!needsList(level.job).includes(id)) return false;
  const at = atLevel(e.workflow, e.levels.slice(0, d + 1));
  return ["failure", "cancelled", "skipped"].every((result) => {
    const needs = Object.fromEntries(needsList(level.job).map((n) => [n, { result: n === id ? result : "success", outputs: opts.needs?.[n]?.outputs ?? {} }]));
    return !condition(level.job?.if, { ...context(at, opts), needs, __needsSucceeded: false });
  });
}

/** The permissions a job's token gets: the nearest `permissions` from the job up through its callers to the triggered workflow's. */
function tokenPermissions(e: EffectiveJob): Record<string, string> | string | undefined {
  for (let d = e.levels.length - 1; d >= 0; d--) {
    const { job, source } = e.levels[d];
    if (job?.permissions !== undefined) return job.permissions;
    if (d > 0 && source.doc?.permissions !== undefined) return source.doc.permissions;
  }
  return e.workflow.doc?.permissions;
}
const grants = (p: Record<string, string> | string | undefined, scope: string) =>
  p === "read-all" || p === "write-all" || (typeof p === "object" && p !== null && ["read", "write"].includes(p[scope]));

/** The step of a job that checks the previous stage (.ci/previous-stage.mjs), if it runs. */
const previousStageCheck = (e: EffectiveJob, opts: EvalOptions) => steps(e, opts).find((s) => s.runs && /^node \.ci\/previous-stage\.mjs$/.test(s.run?.trim() ?? ""));

/** .ci/preview-role.mjs: the variables a preview's role comes from (it picks them from toJSON(vars)), and its choice. */
const ROLE_SCRIPT: { READS: string[]; previewRole: (vars: Record<string, string>, stack: string) => { arn: string } } = { READS: [], previewRole: () => ({ arn: "" }) };
before(async () => { Object.assign(ROLE_SCRIPT, await import(path.join(ROOT, ".ci/preview-role.mjs"))); });

/** Every setting a workflow reads: its vars.X and secrets.X, and for toJSON(vars) what the role script reads. */
const readsOf = (wf: Workflow) => [...settingsRead(wf)].flatMap((n) => (n === "vars.*" ? ROLE_SCRIPT.READS.map((r) => `vars.${r}`) : [n]));

/**
 * The role a job's AWS credentials step assumes, given the variables that are set: its role-to-assume evaluated,
 * or, when that is the output of a step that runs `node .ci/preview-role.mjs <stack>` with the vars context as
 * VARS, what that script picks from them.
 */
function roleOf(e: EffectiveJob, opts: EvalOptions): string | undefined {
  const all = steps(e, opts);
  const creds = all.find((s) => s.action === "aws-actions/configure-aws-credentials");
  if (!creds) return undefined;
  const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.arn\s*\}\}$/.exec(String(creds.raw.with?.["role-to-assume"] ?? ""));
  if (!m) return String(creds.with["role-to-assume"]);
  const step = all.find((s) => s.raw.id === m[1]);
  const script = /^node \.ci\/preview-role\.mjs (\S+)$/.exec(step?.run?.trim() ?? "");
  if (!step || !script || !String(step.raw.env?.VARS).includes("toJSON(vars)")) return undefined;
  return ROLE_SCRIPT.previewRole(JSON.parse(String(step.env.VARS)), script[1]).arn;
}

/** Each rule: what it requires, and the violations in a set of workflows with a world of stacks (none = it holds). */
interface Rule {
  name: string;
  check: (set: WorkflowSet, world: StackWorld, docs: string) => string[];
}

const RULES: Rule[] = [
  {
    // pulumi/actions v7.0.0 src/main.ts:75-77: createOrSelectStack only when `upsert` is set, otherwise
    // selectStack, which fails for a stack that does not exist.
    // A preview that runs only once the stack is known to exist (the drift check) needs no upsert.
    name: "a preview of a stack that does not exist yet works (upsert, in a pull request only in throwaway state) or is skipped",
    check: (set, world) => {
      const v: string[] = [];
      const stackOutputs = (x: Record<string, string>) => ({ stack: { outputs: { name: "s", ...x } } });
      for (const wf of triggered(set)) {
        const pr = triggers(wf).includes("pull_request");
        const opts = (x: Record<string, string>) => world.opts(wf, { steps: stackOutputs(x) });
        for (const e of running(set, wf, world)) {
          for (const s of pulumiCommands(e, world.opts(wf)).filter((x) => x.with.command === "preview")) {
            if (!steps(e, opts({ new: "true", "cloud-url": "file:///tmp/state" }))[s.index].runs) continue;
            const upsert = s.with.upsert;
            if (upsert === undefined || upsert === false || upsert === "false") {
              v.push(`${e.label}: preview without upsert fails until the stack exists`);
              continue;
            }
            if (upsert === true || upsert === "true") {
              if (pr) v.push(`${e.label}: a pull request's preview would create the stack in the real backend`);
              continue;
            }
            // An expression: a new stack is created only in throwaway local state, an existing one selected.
            const asNew = pulumiCommands(e, opts({ new: "true", "cloud-url": "file:///tmp/state" })).find((x) => x.index === s.index)!;
            const asOld = pulumiCommands(e, opts({ new: "false", "cloud-url": "" })).find((x) => x.index === s.index)!;
            if (String(asNew.with.upsert) !== "true" || !String(asNew.with["cloud-url"]).startsWith("file://")) {
              v.push(`${e.label}: a new stack is not previewed in throwaway local state`);
            }
            if (String(asOld.with.upsert) !== "false") v.push(`${e.label}: an existing stack would be created, not selected`);
          }
        }
      }
      return v;
    },
  },
  {
    // pulumi/pulumi sdk/nodejs/automation/stack.ts (v3.206.0, bundled by pulumi/actions v7.0.0): up runs
    // `pulumi up --yes --skip-preview`, so stack policies only see the final state: a preview with the pack
    // gates it. No update plan (issue 18): `--plan` is experimental (pulumi/pulumi v3.248.0
    // pkg/cmd/pulumi/operations/up.go), checked while the update runs (pkg/resource/deploy/step_generator.go,
    // step_executor.go), and fails part-way on updates that match the preview (pulumi/pulumi#16670, #16681,
    // #13765); up runs the same pack, whose resource policies check each resource again as it registers.
    name: "every up follows a preview of the same stack with the policy pack, runs the same pack, and uses no update plan",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of running(set, wf, world)) {
          const cmds = pulumiCommands(e, world.opts(wf));
          for (const up of cmds.filter((s) => s.with.command === "up" || s.with.command === "update")) {
            if (!up.with.policyPacks || !up.with.policyPackConfigs) v.push(`${e.label}: up without the policy pack and its config`);
            const preview = cmds.find((p) => p.index < up.index && p.with.command === "preview" && p.with["stack-name"] === up.with["stack-name"]);
            if (!preview) { v.push(`${e.label}: up without a preview of the same stack before it`); continue; }
            if (up.with.plan !== undefined || preview.with.plan !== undefined) v.push(`${e.label}: uses an update plan (experimental, fails part-way: issue 18)`);
            if (!preview.with.policyPacks || preview.with.policyPacks !== up.with.policyPacks || preview.with.policyPackConfigs !== up.with.policyPackConfigs) {
              v.push(`${e.label}: the preview before up does not run the same policy pack and config`);
            }
          }
        }
      }
      return v;
    },
  },
  {
    // GitHub: a job's environment protection (required reviewers) applies before its first step runs.
    name: "a stack with checks-before-approval: its placeholder check and its preview with the pack run in a job without an environment that its deploy needs",
    check: (set, world) => {
      const v: string[] = [];
      assert.ok(world.gated.size > 0, "the world has a stack with checks before approval");
      for (const wf of deployWorkflows(set, world)) {
        const opts = world.opts(wf);
        const jobs = running(set, wf, world);
        for (const stack of world.gated) {
          const deploys = jobs.filter((e) => environmentOf(e, opts) === stack && hasUp(e));
          if (!deploys.length) v.push(`${wf.file}: never deploys ${stack}`);
          for (const e of deploys) {
            const before = upstream(jobs, e).filter((j) => environmentOf(j, opts) === undefined);
            const placeholders = before.some((j) => steps(j, opts).some((s) => s.runs && new RegExp(`\\bnpm run -s plan -- ${stack} --up\\b`).test(s.run ?? "")));
            const preview = before.some((j) => pulumiCommands(j, opts).some((s) =>
              s.runs && s.with.command === "preview" && s.with.policyPacks && s.with.policyPackConfigs === `policy-pack/config/${stack}.json`));
            if (!placeholders) v.push(`${e.label}: no job before approval refuses ${stack}'s placeholders (npm run -s plan -- ${stack} --up)`);
            if (!preview) v.push(`${e.label}: no job before approval previews ${stack} with the policy pack`);
          }
        }
      }
      return v;
    },
  },
  {
    // GitHub concurrency: a job waiting for approval holds its group; a workflow-level group spans every job.
    name: "each stage deploys in its own concurrency group, never cancelled in progress",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set, world)) {
        if (wf.doc.concurrency !== undefined) v.push(`${wf.file}: a workflow-wide concurrency group makes a pending approval hold every later deploy`);
        const groups = new Map<string, string>();
        for (const e of running(set, wf, world).filter((j) => environmentOf(j, world.opts(wf)) !== undefined)) {
          const env = environmentOf(e, world.opts(wf))!;
          const c = e.job.concurrency;
          const groupIn = (g: Record<string, unknown>) => String(interpolate(typeof c === "object" ? c.group : c, context(e, world.opts(wf, { github: g }))));
          if (c === undefined) { v.push(`${e.label}: no concurrency group of its own`); continue; }
          const group = groupIn(github());
          if (group !== groupIn(github({ run_id: "2", sha: "f".repeat(40) }))) v.push(`${e.label}: its group ${group} differs between runs`);
          if (typeof c === "object" && c["cancel-in-progress"] !== undefined && c["cancel-in-progress"] !== false) {
            v.push(`${e.label}: a deploy may be cancelled in progress`);
          }
          const other = [...groups.entries()].find(([g, en]) => g === group && en !== env);
          if (other) v.push(`${e.label}: shares the group ${group} with ${other[1]}`);
          groups.set(group, env);
        }
      }
      return v;
    },
  },
  {
    // GitHub: workflow_dispatch runs on the branch chosen in the UI.
    name: "a manual run deploys main only",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set, world)) {
        const opts = world.opts(wf);
        for (const e of running(set, wf, world, { github: github({ ref: "refs/heads/feature", event_name: "workflow_dispatch" }) })) {
          if (environmentOf(e, opts) !== undefined || touchesCloud(e)) v.push(`${e.label}: runs for a manual run on refs/heads/feature`);
        }
        if (!running(set, wf, world, { github: github({ event_name: "workflow_dispatch" }) }).some(hasUp)) v.push(`${wf.file}: a manual run on main deploys nothing`);
      }
      return v;
    },
  },
  {
    // pulumi/actions v7.0.0 src/config.ts: pulumi-version defaults to ^3, whatever the runner has.
    name: "every pulumi/actions step pins pulumi-version to the @pulumi/pulumi version of package-lock.json",
    check: (set, world) => {
      const sdk = LOCK.packages["node_modules/@pulumi/pulumi"].version as string;
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of running(set, wf, world)) {
          for (const s of steps(e, world.opts(wf)).filter((x) => x.action === "pulumi/actions")) {
            if (s.with["pulumi-version"] !== sdk) v.push(`${e.label} step ${s.index + 1}: pulumi-version ${String(s.with["pulumi-version"] ?? "(default ^3)")}, the SDK is ${sdk}`);
          }
        }
      }
      return v;
    },
  },
  {
    // nodejs/Release README, release schedule: end of life of each LTS line. The project runs 22 or later.
    name: "every setup-node step runs a Node.js line of 22 or later, before its end of life",
    check: (set, world) => {
      const END_OF_LIFE: Record<number, string> = { 18: "2025-04-30", 20: "2026-04-30", 22: "2027-04-30", 24: "2028-04-30" };
      const today = new Date().toISOString().slice(0, 10);
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of running(set, wf, world)) {
          for (const s of steps(e, world.opts(wf)).filter((x) => x.action === "actions/setup-node")) {
            const major = Number(/^v?(\d+)/.exec(String(s.with["node-version"] ?? ""))?.[1]);
            const eol = END_OF_LIFE[major];
            if (!eol) v.push(`${e.label}: node-version ${String(s.with["node-version"])} is not a known LTS line (add its end of life)`);
            else if (major < 22) v.push(`${e.label}: Node.js ${major}, older than 22`);
            else if (eol <= today) v.push(`${e.label}: Node.js ${major} reached its end of life on ${eol}`);
          }
        }
      }
      return v;
    },
  },
  {
    // GitHub: JavaScript actions run on the runtime their action.yml names (runs.using); node20 is retired.
    name: "every pinned action runs on Node.js 24 (runs.using of its action.yml at the pinned commit)",
    check: (set) => {
      const v: string[] = [];
      for (const wf of set.values()) {
        for (const [, uses] of wf.text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)/gm)) {
          if (uses.startsWith("./") || uses.startsWith("docker://")) continue;
          const entry = ACTIONS[uses];
          if (!entry) v.push(`${wf.file}: ${uses} is not recorded in .ci/action-inputs.json`);
          else if (!["node24", "composite", "docker"].includes(entry.runs)) v.push(`${wf.file}: ${uses} (${entry.version}) runs on ${entry.runs}`);
        }
      }
      return v;
    },
  },
  {
    // pulumi/pulumi v3.248.0 pkg/secrets/passphrase/manager.go readPassphrase: a set, empty
    // PULUMI_CONFIG_PASSPHRASE is the passphrase "" (os.LookupEnv); GitHub sets a missing secret as "".
    name: "every job that runs Pulumi checks its backend settings (.ci/stack-settings.sh) first, with the passphrase of where it runs",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const opts = world.opts(wf);
        for (const e of running(set, wf, world)) {
          const cmds = pulumiCommands(e, opts);
          if (!cmds.length) continue;
          // Whatever earlier steps output (a pull request read again live or not), the check runs when Pulumi does.
          const scenarios = [{}, ...["true", "false"].map((live) => ({ pr: { outputs: { live } } }))].map((x) => ({ ...opts, steps: x }));
          const guarded = (o: EvalOptions) => {
            const all = steps(e, o);
            const first = all[cmds[0].index];
            return !first.runs || all.some((s) => s.runs && s.index < first.index && /\.ci\/stack-settings\.sh\b/.test(s.run ?? ""));
          };
          const guard = steps(e, opts).find((s) => s.index < cmds[0].index && /\.ci\/stack-settings\.sh\b/.test(s.run ?? ""));
          if (!guard || !scenarios.every(guarded)) { v.push(`${e.label}: runs Pulumi without checking the backend settings first`); continue; }
          const passphrase = environmentOf(e, opts) === undefined ? "secrets.PULUMI_PREVIEW_CONFIG_PASSPHRASE" : "secrets.PULUMI_CONFIG_PASSPHRASE";
          if (guard.env.BACKEND_URL !== "vars.PULUMI_BACKEND_URL" || guard.env.PULUMI_CONFIG_PASSPHRASE !== passphrase) {
            v.push(`${e.label}: the settings check does not see vars.PULUMI_BACKEND_URL and ${passphrase}`);
          }
        }
      }
      return v;
    },
  },
  {
    // The program reads the caller's account: a preview with a role in another account diffs against it.
    name: "a preview outside an environment assumes the stack's own preview role, else the repository's; a deploy the environment's",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const opts = world.opts(wf);
        for (const e of running(set, wf, world)) {
          const stack = stackOf(e, opts);
          if (!stack || roleOf(e, opts) === undefined) continue;
          if (environmentOf(e, opts) !== undefined) {
            const role = roleOf(e, { ...opts, vars: { AWS_ROLE_ARN: "environment-role" } });
            if (role !== "environment-role") v.push(`${e.label}: deploys with ${String(role)}, not the environment's vars.AWS_ROLE_ARN`);
            continue;
          }
          const own = `AWS_PREVIEW_ROLE_ARN_${stack.toUpperCase()}`;
          const both = roleOf(e, { ...opts, vars: { [own]: "own-role", AWS_PREVIEW_ROLE_ARN: "repository-role" } });
          if (both !== "own-role") v.push(`${e.label}: previews ${stack} with ${String(both)}, not vars.${own}`);
          if (roleOf(e, { ...opts, vars: { AWS_PREVIEW_ROLE_ARN: "repository-role" } }) !== "repository-role") {
            v.push(`${e.label}: without vars.${own}, does not fall back to vars.AWS_PREVIEW_ROLE_ARN`);
          }
        }
      }
      return v;
    },
  },
  {
    // GitHub: a pull_request run uses the workflow files of the pull request; environment secrets reach only
    // jobs in that environment (whose deployment branches can be limited to main).
    name: "the deploy token and the passphrase are read only in environment jobs; pull requests preview with their own token",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const pr = triggers(wf).includes("pull_request");
        const opts = world.opts(wf);
        for (const e of running(set, wf, world)) {
          for (const secret of ["secrets.PULUMI_ACCESS_TOKEN", "secrets.PULUMI_CONFIG_PASSPHRASE"]) {
            if (environmentOf(e, opts) === undefined && new RegExp(`${secret.replace(".", "\\.")}\\b`).test(JSON.stringify(e.job))) {
              v.push(`${e.label}: reads ${secret} outside an environment${pr ? " (pull-request code)" : ""}`);
            }
          }
          if (pr && environmentOf(e, opts) === undefined) {
            for (const s of pulumiCommands(e, opts)) {
              if (s.env.PULUMI_ACCESS_TOKEN !== "secrets.PULUMI_PREVIEW_ACCESS_TOKEN") v.push(`${e.label}: a pull request's Pulumi step without the preview token`);
            }
          }
        }
      }
      return v;
    },
  },
  {
    // pulumi/pulumi v3.248.0 sdk/nodejs/cmd/run/run.ts: PULUMI_NODEJS_TRANSPILE_ONLY=true -> ts-node transpileOnly.
    // A destroy runs no program (pkg/cmd/pulumi/operations/destroy.go: --run-program, off unless set).
    name: "jobs that run the program through Pulumi skip its type-check (PULUMI_NODEJS_TRANSPILE_ONLY), after a job of the same run ran npm test",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const opts = world.opts(wf);
        const jobs = running(set, wf, world);
        for (const e of jobs.filter((j) => pulumiCommands(j, opts).some((s) => s.with.command !== "destroy"))) {
          const env = context(e, opts).env as Record<string, unknown>;
          if (env.PULUMI_NODEJS_TRANSPILE_ONLY !== "true") v.push(`${e.label}: PULUMI_NODEJS_TRANSPILE_ONLY is not "true"`);
          const tested = upstream(jobs, e).some((j) => steps(j, opts).some((s) => s.runs && /(^|\n)\s*npm test\s*($|\n)/.test(s.run ?? "")));
          if (!tested) v.push(`${e.label}: no job it needs runs npm test`);
        }
      }
      return v;
    },
  },
  {
    name: "every stage deploys through one reusable workflow: no caller defines its own up",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set, world)) {
        const ups = running(set, wf, world).filter(hasUp);
        for (const e of ups.filter((j) => j.source === wf)) v.push(`${e.label}: defines its own pulumi up`);
        const sources = new Set(ups.map((e) => e.source.file));
        if (sources.size > 1) v.push(`${wf.file}: up comes from ${[...sources].join(", ")}`);
        for (const file of sources) {
          const src = set.get(file)!;
          const withUp = Object.values<any>(src.doc.jobs ?? {}).filter((j) => JSON.stringify(j.steps ?? []).includes('"command":"up"'));
          if (withUp.length > 1) v.push(`${file}: ${withUp.length} jobs run up`);
        }
      }
      return v;
    },
  },
  {
    // Issue 26: a team adds, renames and deletes stacks; the workflows follow the stack files and deploy-order.
    name: "pull requests preview and drift checks every stack file, and the deploy promotes along deploy-order, one stage at a time, stopping at a failure",
    check: (set, world) => {
      const v: string[] = [];
      const stacksOf = (wf: Workflow, pick: (e: EffectiveJob) => boolean) =>
        running(set, wf, world, { github: github({ ref: "refs/pull/7/merge", event_name: triggers(wf)[0] }) })
          .filter(pick).map((e) => stackOf(e, world.opts(wf))!).filter((s) => s && !s.startsWith("pr-"));
      const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
      const previewed = triggered(set).filter((wf) => triggers(wf).includes("pull_request"))
        .flatMap((wf) => stacksOf(wf, (e) => environmentOf(e, world.opts(wf)) === undefined && pulumiCommands(e, world.opts(wf)).some((s) => s.with.command === "preview")));
      if (!same(previewed, world.stacks)) v.push(`pull requests preview ${previewed.join(", ") || "nothing"}, the stack files are ${world.stacks.join(", ")}`);
      const driftWorkflows = triggered(set).filter((wf) => triggers(wf).includes("schedule"));
      const drifted = driftWorkflows.flatMap((wf) => running(set, wf, world, { github: github({ event_name: "schedule" }) })
        .filter((e) => pulumiCommands(e, world.opts(wf)).some((s) => s.with.command === "preview" && String(s.with.refresh) === "true"))
        .map((e) => stackOf(e, world.opts(wf))!));
      if (!same(drifted, world.stacks)) v.push(`drift checks ${drifted.join(", ") || "nothing"}, the stack files are ${world.stacks.join(", ")}`);
      for (const wf of deployWorkflows(set, world)) {
        const opts = world.opts(wf);
        const deploys = running(set, wf, world).filter((e) => hasUp(e) && environmentOf(e, opts) !== undefined);
        const order = deploys.map((e) => environmentOf(e, opts)!);
        if (JSON.stringify(order) !== JSON.stringify(world.stacks)) v.push(`${wf.file} deploys ${order.join(" -> ")}, deploy-order says ${world.stacks.join(" -> ")}`);
        // GitHub creates a matrix's jobs in the order of its values; max-parallel 1 runs them one by one, and
        // fail-fast (true unless set false) cancels the queued ones when one fails (docs.github.com, "Running
        // variations of jobs in a workflow"). Without a matrix: each stage needs the one before it.
        deploys.forEach((e, i) => {
          const strategy = e.levels[0].job?.strategy;
          if (Object.keys(e.levels[0].matrix).length) {
            if (strategy["max-parallel"] !== 1) v.push(`${e.label}: the stages' matrix runs ${String(strategy["max-parallel"] ?? "all")} at a time`);
            if (strategy["fail-fast"] === false) v.push(`${e.label}: a failed stage does not stop the later ones (fail-fast: false)`);
          } else if (i > 0 && !upstream(running(set, wf, world), e).includes(deploys[i - 1])) {
            v.push(`${e.label}: does not wait for ${order[i - 1]}`);
          }
        });
      }
      return v;
    },
  },
  {
    // A leg whose deploy job waits in its concurrency group and is replaced there by a newer run's job ends
    // cancelled, not failed; fail-fast cancels a matrix's remaining jobs when a job fails (docs.github.com,
    // "Running variations of jobs in a workflow", Handling failures) and no doc says a cancelled leg stops the rest.
    // So each stage after the first runs only where the stage before it in deploy-order provably succeeded in the
    // same run: either it needs that stage's deploy job itself (a chain of needs, the old workflows' way), or a job
    // of its own leg, in no environment and with no credential, its token allowed actions: read at every level of
    // its calls (GitHub refuses a nested job asking more than its caller grants: docs.github.com, "Reusing workflow
    // configurations", Access and permissions for nested workflows), runs .ci/previous-stage.mjs for the previous
    // stage's deploy job by the name GitHub gives it (workflow-model.ts jobName, the jobs API's name), and every
    // job of the leg that takes a credential or an environment runs only once that check succeeded.
    // 06b220b chained its stages with needs, which this rule accepts (the test after the rules); it is caught by the
    // stack a team added since: it deploys prod after staging, never after orders, the stage before prod.
    name: "a later stage deploys only after the stage before it succeeded in the same run",
    check: (set, world) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set, world)) {
        const opts = world.opts(wf);
        const jobs = running(set, wf, world);
        const deployOf = (stack: string) => jobs.find((e) => hasUp(e) && environmentOf(e, opts) === stack);
        world.stacks.forEach((stack, i) => {
          if (i === 0) return;
          const before = world.stacks[i - 1];
          const up = deployOf(stack);
          const prev = deployOf(before);
          if (!up) { v.push(`${wf.file}: never deploys ${stack}`); return; }
          if (!prev) { v.push(`${up.label}: ${before}, the stage before it in deploy-order, is never deployed`); return; }
          if (onlyAfter(up, prev, opts)) return;
          const leg = jobs.filter((e) => sameLevel(e.levels[0], up.levels[0]));
          const check = leg.find((e) => previousStageCheck(e, opts));
          if (!check) { v.push(`${up.label}: deploys ${stack} without knowing that ${before} succeeded in this run (no needs chain, no .ci/previous-stage.mjs)`); return; }
          const step = previousStageCheck(check, opts)!;
          const expected = jobName(prev, opts);
          if (step.env.PREVIOUS_STAGE !== before) v.push(`${check.label}: checks stage ${String(step.env.PREVIOUS_STAGE)}, the one before ${stack} is ${before}`);
          if (step.env.PREVIOUS_JOB !== expected) v.push(`${check.label}: looks for the job "${String(step.env.PREVIOUS_JOB)}", GitHub names ${before}'s deploy job "${expected}"`);
          if (environmentOf(check, opts) !== undefined || touchesCloud(check)) v.push(`${check.label}: the check runs in an environment or with a credential`);
          check.levels.forEach((_l, d) => {
            const at = { ...check, levels: check.levels.slice(0, d + 1), job: check.levels[d].job };
            if (!grants(tokenPermissions(at), "actions")) v.push(`${check.label}: level ${check.levels[d].id} grants no actions: read, which the check's token needs`);
          });
          for (const e of leg.filter((j) => j !== check && (touchesCloud(j) || environmentOf(j, opts) !== undefined))) {
            if (!onlyAfter(e, check, opts)) v.push(`${e.label}: takes a credential or an environment without waiting for the check that ${before} succeeded`);
          }
        });
      }
      return v;
    },
  },
  {
    // Issue 26: a stack's name in a workflow breaks it when the team renames or deletes that stack.
    name: "no workflow names staging or prod outside comments",
    check: (set) => {
      const v: string[] = [];
      for (const wf of set.values()) {
        wf.text.split("\n").forEach((line, i) => {
          const code = line.replace(/(^|\s)#.*$/, "");
          const m = /\b(staging|prod)\b/.exec(code);
          if (m) v.push(`${wf.file}:${i + 1}: names ${m[1]}`);
        });
      }
      return v;
    },
  },
  {
    name: 'docs/ci.md lists exactly the variables and secrets the workflows read',
    check: (set, _world, docs) => {
      const read = new Set([...set.values()].flatMap(readsOf));
      const listed = new Set([...docs.matchAll(/\b(vars|secrets)\.([A-Z][A-Z0-9_]*(?:<STACK>)?)/g)].map((m) => `${m[1]}.${m[2]}`));
      return [
        ...[...read].filter((n) => !listed.has(n)).map((n) => `${n} is read but not in docs/ci.md`),
        ...[...listed].filter((n) => !read.has(n)).map((n) => `${n} is in docs/ci.md but no workflow reads it`),
      ];
    },
  },
];

/** The stacks the rules run the current workflows with: names no workflow may know, one with checks before approval. */
const SWEEP = { list: { outputs: { remove: "[7]" } } }; // the sweep's list job found pull request 7 gone
const WORLD = stackWorld([{ name: "sandbox" }, { name: "qa" }, { name: "live", checksBeforeApproval: true }], SWEEP);
/** The stacks of 06b220b's day, and one a team added since. */
const OLD_WORLD = stackWorld([{ name: "dev" }, { name: "staging" }, { name: "orders" }, { name: "prod", checksBeforeApproval: true }]);
after(() => { WORLD.remove(); OLD_WORLD.remove(); });

describe("workflows (issues 10 and 26)", () => {
  for (const rule of RULES) {
    describe(rule.name, () => {
      it("holds for .github/workflows", () => {
        assert.deepEqual(rule.check(CURRENT, WORLD, DOCS), []);
      });
      it("catches the workflows of 06b220b", () => {
        assert.notDeepEqual(rule.check(OLD, OLD_WORLD, OLD_README), []);
      });
    });
  }

  it("a chain of needs keeps a later stage after the stage before it: 06b220b, with the stacks of its day, holds the rule", () => {
    // GitHub: a job whose needed job failed, was cancelled or skipped is skipped unless its `if` says otherwise
    // (workflow syntax, jobs.<job_id>.needs): 06b220b's staging needed dev and prod staging.
    const rule = RULES.find((r) => r.name === "a later stage deploys only after the stage before it succeeded in the same run")!;
    const day = stackWorld([{ name: "dev" }, { name: "staging" }, { name: "prod", checksBeforeApproval: true }]);
    try {
      assert.deepEqual(rule.check(OLD, day, OLD_README), []);
    } finally { day.remove(); }
  });

  it("only the job that checks the previous stage (.ci/previous-stage.mjs) gets a token that reads Actions (actions: read)", () => {
    // docs.github.com, "REST API endpoints for workflow jobs": listing a run's jobs takes actions: read; no other job
    // reads the run's jobs, so no other job's token gets it (least privilege).
    for (const wf of triggered(CURRENT)) {
      const opts = WORLD.opts(wf);
      for (const e of effectiveJobs(CURRENT, wf, opts)) {
        const reads = grants(tokenPermissions(e), "actions");
        const checks = steps(e, opts).some((s) => /\.ci\/previous-stage\.mjs\b/.test(s.run ?? ""));
        assert.equal(reads, checks, `${e.label}: actions ${reads ? "granted" : "not granted"}, checks the previous stage: ${checks}`);
      }
    }
  });

  it("every call of a reusable workflow passes the secrets it reads (secrets: inherit, or each by name)", () => {
    // GitHub: a called workflow sees only the secrets its caller passes; environment secrets of its jobs
    // also read as empty without them (actions/runner issue 4453).
    for (const wf of CURRENT.values()) {
      for (const [id, job] of Object.entries<any>(wf.doc.jobs ?? {})) {
        const target = reusableTarget(CURRENT, job.uses);
        if (!target || job.secrets === "inherit") continue;
        for (const name of readsOf(target).filter((n) => n.startsWith("secrets.")).map((n) => n.slice("secrets.".length))) {
          assert.ok(job.secrets && typeof job.secrets === "object" && name in job.secrets, `${wf.file} ${id} does not pass ${name} to ${target.file}`);
        }
      }
    }
  });

  it("each workflow's header comment names every variable and secret it and the workflows it calls read", () => {
    for (const wf of CURRENT.values()) {
      const callees = Object.values<any>(wf.doc.jobs ?? {}).map((j) => reusableTarget(CURRENT, j.uses)).filter((t): t is Workflow => !!t);
      const header = headerComment(wf);
      for (const name of new Set([wf, ...callees].flatMap(readsOf))) {
        const escaped = name.replace(/[.<>]/g, (c) => `\\${c}`);
        assert.ok(new RegExp(`\\b${escaped}(?![A-Za-z0-9_])`).test(header), `${wf.file}'s header does not name ${name}`);
      }
    }
  });
});
