// Pull requests from forks get no secrets, so no `pulumi preview`: every pull request, forks included, gets
// the offline plan of each stack against the base branch in its job summary (issue 14).
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { EffectiveJob, loadWorkflows, runningJobs, steps } from "./workflow-model";
import { stackWorld } from "./stack-world";

const ROOT = path.resolve(__dirname, "..", "..");
const SET = loadWorkflows(path.join(ROOT, ".github/workflows"));
const PR = [...SET.values()].find((wf) => wf.file.endsWith("pull-request.yml"))!;
/** The pull request's stack files: stacks the test declares. */
const WORLD = stackWorld([{ name: "sandbox" }, { name: "orders" }, { name: "live", checksBeforeApproval: true }]);
const STACKS = [...WORLD.stacks].sort();
after(() => WORLD.remove());

/** The github context of a pull request from a fork (another repository's head). */
const fork = {
  ref: "refs/pull/7/merge", event_name: "pull_request", repository: "owner/repo", sha: "0123456789abcdef0123456789abcdef01234567", run_id: "1", workflow: "pull-request",
  event: { pull_request: { number: 7, head: { repo: { full_name: "someone/repo" } }, base: { sha: "89abcdef0123456789abcdef0123456789abcdef" } } },
};

const reviewJobs = (jobs: EffectiveJob[]) => jobs.filter((e) => steps(e, { github: fork }).some((s) => /--against/.test(s.run ?? "")));

describe("the offline review of a pull request (forks included)", () => {
  const jobs = runningJobs(SET, PR, WORLD.opts(PR, { github: fork }));
  const review = reviewJobs(jobs);

  it("runs for a fork's pull request, once per stack file, while the previews (which need secrets) do not", () => {
    assert.deepEqual(review.map((e) => String(e.matrix.stack)).sort(), STACKS);
    assert.ok(!jobs.some((e) => steps(e, { github: fork }).some((s) => s.action === "pulumi/actions" || s.action === "aws-actions/configure-aws-credentials")), "no preview, no AWS credentials for a fork");
  });

  for (const stack of STACKS) {
    it(`${stack}: checks out the base commit, plans it with --json, then the pull request --against it with --fail-on-replace, into the job summary`, () => {
      const e = review.find((x) => x.matrix.stack === stack)!;
      const s = steps(e, { github: fork });
      const checkout = s.filter((x) => x.action === "actions/checkout");
      assert.ok(checkout.some((x) => x.with.ref === fork.event.pull_request.base.sha && typeof x.with.path === "string"), "the base branch's commit, in a folder of its own");
      assert.ok(checkout.every((x) => x.with["persist-credentials"] === false), "no token left in the checkouts");
      const base = s.find((x) => /--json/.test(x.run ?? ""))!;
      const head = s.find((x) => /--against/.test(x.run ?? ""))!;
      assert.ok(base && base.index < head.index, "the base is planned first");
      assert.match(base.run!, new RegExp(`cd \\S+ && npm run -s plan -- "?${stack}"? --json > "?(\\$RUNNER_TEMP|/runner/temp)/base-plan\\.json`));
      assert.match(head.run!, new RegExp(`npm run -s plan -- "?${stack}"? --against "?(\\$RUNNER_TEMP|/runner/temp)/base-plan\\.json"? --fail-on-replace`));
      assert.match(head.run!, />> "\$GITHUB_STEP_SUMMARY"/);
      assert.match(head.run!, /pulumi preview/, "the summary says pulumi preview stays the authority");
    });
  }

  it("reads no secret and asks for no write permission (a fork's run has neither)", () => {
    const text = fs.readFileSync(path.join(ROOT, ".github/workflows/pull-request.yml"), "utf8");
    const job = text.slice(text.indexOf("\n  review:"));
    assert.doesNotMatch(job, /secrets\./);
    assert.doesNotMatch(job, /permissions:/, "the workflow's contents: read applies");
  });
});
