/**
 * The GitHub workflows, read as GitHub runs them (tests/workflows/workflow-model.ts): each rule encodes one way the
 * workflows failed or misbehaved on GitHub although they parsed and every input existed (issue 10), with
 * the upstream source it rests on. Every rule holds for .github/workflows and is shown to catch the files of
 * commit 06b220b (tests/fixtures/workflows-06b220b), which had each defect.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
  EffectiveJob, EvalOptions, Workflow, WorkflowSet, context, environmentOf, headerComment, interpolate, loadWorkflows, needsClosure,
  pulumiCommands, reusableTarget, runningJobs, settingsRead, stackOf, steps, triggered, triggers,
} from "./workflow-model";

const ROOT = path.resolve(__dirname, "..", "..");
const CURRENT = loadWorkflows(path.join(ROOT, ".github/workflows"));
const OLD_DIR = path.join(ROOT, "tests/fixtures/workflows-06b220b");
const OLD = loadWorkflows(OLD_DIR);
const CI_DOC = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
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

const deployWorkflows = (set: WorkflowSet) => triggered(set).filter((wf) => runningJobs(set, wf).some(hasUp));

/** Each rule: what it requires, and the violations in a set of workflows (none = it holds). */
interface Rule {
  name: string;
  check: (set: WorkflowSet, readmeInCi: string) => string[];
}

const RULES: Rule[] = [
  {
    // pulumi/actions v7.0.0 src/main.ts:75-77: createOrSelectStack only when `upsert` is set, otherwise
    // selectStack, which fails for a stack that does not exist.
    // A preview that runs only once the stack is known to exist (the drift check) needs no upsert.
    name: "a preview of a stack that does not exist yet works (upsert, in a pull request only in throwaway state) or is skipped",
    check: (set) => {
      const v: string[] = [];
      const newStack = { steps: { stack: { outputs: { new: "true", name: "s", "cloud-url": "file:///tmp/state" } } } };
      for (const wf of triggered(set)) {
        const pr = triggers(wf).includes("pull_request");
        for (const e of runningJobs(set, wf)) {
          for (const s of pulumiCommands(e).filter((x) => x.with.command === "preview")) {
            if (!steps(e, newStack)[s.index].runs) continue;
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
            const id = (x: EvalOptions["steps"]) => ({ steps: x });
            const asNew = pulumiCommands(e, id({ stack: { outputs: { new: "true", name: "s", "cloud-url": "file:///tmp/state" } } }))
              .find((x) => x.index === s.index)!;
            const asOld = pulumiCommands(e, id({ stack: { outputs: { new: "false", name: "s", "cloud-url": "" } } }))
              .find((x) => x.index === s.index)!;
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
    check: (set) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of runningJobs(set, wf)) {
          const cmds = pulumiCommands(e);
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
    name: "prod's placeholder check and its preview with the pack run in a job without an environment that prod's deploy needs",
    check: (set) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set)) {
        const jobs = runningJobs(set, wf);
        for (const prod of jobs.filter((e) => environmentOf(e) === "prod")) {
          const before = jobs.filter((j) => needsClosure(wf, prod.id).has(j.id) && environmentOf(j) === undefined);
          const placeholders = before.some((j) => steps(j).some((s) => s.runs && /\bnpm run -s plan -- prod --up\b/.test(s.run ?? "")));
          const preview = before.some((j) => pulumiCommands(j).some((s) =>
            s.runs && s.with.command === "preview" && s.with.policyPacks && s.with.policyPackConfigs === "policy-pack/config/prod.json"));
          if (!placeholders) v.push(`${prod.label}: no job before approval refuses prod's placeholders (npm run -s plan -- prod --up)`);
          if (!preview) v.push(`${prod.label}: no job before approval previews prod with the policy pack`);
        }
      }
      return v;
    },
  },
  {
    // GitHub concurrency: a job waiting for approval holds its group; a workflow-level group spans every job.
    name: "each stage deploys in its own concurrency group, never cancelled in progress",
    check: (set) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set)) {
        if (wf.doc.concurrency !== undefined) v.push(`${wf.file}: a workflow-wide concurrency group makes a pending prod approval hold every later deploy`);
        const groups = new Map<string, string>();
        for (const e of runningJobs(set, wf).filter((j) => environmentOf(j) !== undefined)) {
          const env = environmentOf(e)!;
          const c = e.job.concurrency;
          const groupIn = (g: Record<string, unknown>) => String(interpolate(typeof c === "object" ? c.group : c, context(e, { github: g })));
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
    check: (set) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set)) {
        for (const e of runningJobs(set, wf, { github: github({ ref: "refs/heads/feature", event_name: "workflow_dispatch" }) })) {
          if (environmentOf(e) !== undefined || touchesCloud(e)) v.push(`${e.label}: runs for a manual run on refs/heads/feature`);
        }
        if (!runningJobs(set, wf, { github: github({ event_name: "workflow_dispatch" }) }).some(hasUp)) v.push(`${wf.file}: a manual run on main deploys nothing`);
      }
      return v;
    },
  },
  {
    // pulumi/actions v7.0.0 src/config.ts: pulumi-version defaults to ^3, whatever the runner has.
    name: "every pulumi/actions step pins pulumi-version to the @pulumi/pulumi version of package-lock.json",
    check: (set) => {
      const sdk = LOCK.packages["node_modules/@pulumi/pulumi"].version as string;
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of runningJobs(set, wf)) {
          for (const s of steps(e).filter((x) => x.action === "pulumi/actions")) {
            if (s.with["pulumi-version"] !== sdk) v.push(`${e.label} step ${s.index + 1}: pulumi-version ${String(s.with["pulumi-version"] ?? "(default ^3)")}, the SDK is ${sdk}`);
          }
        }
      }
      return v;
    },
  },
  {
    // nodejs/Release README, release schedule: end of life of each LTS line.
    name: "every setup-node step runs a Node.js line before its end of life",
    check: (set) => {
      const END_OF_LIFE: Record<number, string> = { 18: "2025-04-30", 20: "2026-04-30", 22: "2027-04-30", 24: "2028-04-30" };
      const today = new Date().toISOString().slice(0, 10);
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of runningJobs(set, wf)) {
          for (const s of steps(e).filter((x) => x.action === "actions/setup-node")) {
            const major = Number(/^v?(\d+)/.exec(String(s.with["node-version"] ?? ""))?.[1]);
            const eol = END_OF_LIFE[major];
            if (!eol) v.push(`${e.label}: node-version ${String(s.with["node-version"])} is not a known LTS line (add its end of life)`);
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
    name: "every job that runs Pulumi checks its backend settings (.ci/stack-settings.sh) first",
    check: (set) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of runningJobs(set, wf)) {
          const cmds = pulumiCommands(e);
          if (!cmds.length) continue;
          const guard = steps(e).find((s) => s.runs && s.index < cmds[0].index && /\.ci\/stack-settings\.sh\b/.test(s.run ?? ""));
          if (!guard) { v.push(`${e.label}: runs Pulumi without checking the backend settings first`); continue; }
          if (guard.env.BACKEND_URL !== "vars.PULUMI_BACKEND_URL" || guard.env.PULUMI_CONFIG_PASSPHRASE !== "secrets.PULUMI_CONFIG_PASSPHRASE") {
            v.push(`${e.label}: the settings check does not see vars.PULUMI_BACKEND_URL and secrets.PULUMI_CONFIG_PASSPHRASE`);
          }
        }
      }
      return v;
    },
  },
  {
    // The program reads the caller's account: a preview with a role in another account diffs against it.
    name: "a preview outside an environment assumes the stack's own preview role, else the repository's",
    check: (set) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        for (const e of runningJobs(set, wf)) {
          const stack = stackOf(e);
          const role = (opts: EvalOptions) =>
            steps(e, opts).find((s) => s.action === "aws-actions/configure-aws-credentials")?.with["role-to-assume"];
          if (!stack || role({}) === undefined) continue;
          if (environmentOf(e) !== undefined) {
            if (role({}) !== "vars.AWS_ROLE_ARN") v.push(`${e.label}: deploys with ${String(role({}))}, not the environment's vars.AWS_ROLE_ARN`);
            continue;
          }
          const own = `vars.AWS_PREVIEW_ROLE_ARN_${stack.toUpperCase()}`;
          if (role({}) !== own) v.push(`${e.label}: previews ${stack} with ${String(role({}))}, not ${own}`);
          if (role({ vars: { AWS_PREVIEW_ROLE_ARN: "repository-role" } }) !== "repository-role") {
            v.push(`${e.label}: without ${own}, does not fall back to vars.AWS_PREVIEW_ROLE_ARN`);
          }
        }
      }
      return v;
    },
  },
  {
    // GitHub: a pull_request run uses the workflow files of the pull request; environment secrets reach only
    // jobs in that environment (whose deployment branches can be limited to main).
    name: "the deploy token is read only in environment jobs; pull requests preview with their own token",
    check: (set) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const pr = triggers(wf).includes("pull_request");
        for (const e of runningJobs(set, wf)) {
          if (environmentOf(e) === undefined && JSON.stringify(e.job).includes("secrets.PULUMI_ACCESS_TOKEN")) {
            v.push(`${e.label}: reads secrets.PULUMI_ACCESS_TOKEN outside an environment${pr ? " (pull-request code)" : ""}`);
          }
          if (pr) {
            for (const s of pulumiCommands(e)) {
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
    name: "jobs that run Pulumi skip its type-check (PULUMI_NODEJS_TRANSPILE_ONLY), after a job of the same run ran npm test",
    check: (set) => {
      const v: string[] = [];
      for (const wf of triggered(set)) {
        const jobs = runningJobs(set, wf);
        for (const e of jobs.filter((j) => pulumiCommands(j).length > 0)) {
          const env = context(e).env as Record<string, unknown>;
          if (env.PULUMI_NODEJS_TRANSPILE_ONLY !== "true") v.push(`${e.label}: PULUMI_NODEJS_TRANSPILE_ONLY is not "true"`);
          const tested = jobs.some((j) => needsClosure(wf, e.id).has(j.id) && steps(j).some((s) => s.runs && /(^|\n)\s*npm test\s*($|\n)/.test(s.run ?? "")));
          if (!tested) v.push(`${e.label}: no job it needs runs npm test`);
        }
      }
      return v;
    },
  },
  {
    name: "every stage deploys through one reusable workflow: no caller defines its own up",
    check: (set) => {
      const v: string[] = [];
      for (const wf of deployWorkflows(set)) {
        const ups = runningJobs(set, wf).filter(hasUp);
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
    name: 'the "In CI" section of docs/ci.md lists exactly the variables and secrets the workflows read',
    check: (set, readmeInCi) => {
      const read = new Set([...set.values()].flatMap((wf) => [...settingsRead(wf)]));
      const listed = new Set([...readmeInCi.matchAll(/\b(vars|secrets)\.([A-Z][A-Z0-9_]*)/g)].map((m) => `${m[1]}.${m[2]}`));
      return [
        ...[...read].filter((n) => !listed.has(n)).map((n) => `${n} is read but not in the README`),
        ...[...listed].filter((n) => !read.has(n)).map((n) => `${n} is in the README but no workflow reads it`),
      ];
    },
  },
];

function inCiSection(doc: string): string {
  const start = doc.indexOf("## In CI");
  assert.ok(start >= 0, 'docs/ci.md has no "## In CI" section');
  const rest = doc.slice(start + "## In CI".length);
  const end = rest.search(/\n##? /);
  return end < 0 ? rest : rest.slice(0, end);
}

describe("workflows (issue 10)", () => {
  for (const rule of RULES) {
    describe(rule.name, () => {
      it("holds for .github/workflows", () => {
        assert.deepEqual(rule.check(CURRENT, inCiSection(CI_DOC)), []);
      });
      it("catches the workflows of 06b220b", () => {
        assert.notDeepEqual(rule.check(OLD, OLD_README), []);
      });
    });
  }

  it("every call of a reusable workflow passes the secrets it reads (secrets: inherit, or each by name)", () => {
    // GitHub: a called workflow sees only the secrets its caller passes; environment secrets of its jobs
    // also read as empty without them (actions/runner issue 4453).
    for (const wf of CURRENT.values()) {
      for (const [id, job] of Object.entries<any>(wf.doc.jobs ?? {})) {
        const target = reusableTarget(CURRENT, job.uses);
        if (!target || job.secrets === "inherit") continue;
        for (const name of [...settingsRead(target)].filter((n) => n.startsWith("secrets.")).map((n) => n.slice("secrets.".length))) {
          assert.ok(job.secrets && typeof job.secrets === "object" && name in job.secrets, `${wf.file} ${id} does not pass ${name} to ${target.file}`);
        }
      }
    }
  });

  it("each workflow's header comment names every variable and secret it and the workflows it calls read", () => {
    for (const wf of CURRENT.values()) {
      const callees = Object.values<any>(wf.doc.jobs ?? {}).map((j) => reusableTarget(CURRENT, j.uses)).filter((t): t is Workflow => !!t);
      const header = headerComment(wf);
      for (const name of new Set([wf, ...callees].flatMap((w) => [...settingsRead(w)]))) {
        assert.ok(new RegExp(`\\b${name.replace(".", "\\.")}\\b`).test(header), `${wf.file}'s header does not name ${name}`);
      }
    }
  });
});
