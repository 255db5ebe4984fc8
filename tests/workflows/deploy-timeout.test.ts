// A deploy job must outlast `pulumi up`, which waits for every ECS deployment to finish, bake included
// (terraform-provider-aws PR #43434): .ci/deploy-timeout.mjs, run by deploy-stack.yml before any credential.
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { DEPLOYMENT_SETTLE_MINUTES } from "../../config/releases";
import { ROOT } from "../../config/stack-files";
import { planFixture } from "../helpers";

const check = (plan: string, minutes: number) =>
  spawnSync("node", [".ci/deploy-timeout.mjs"], { cwd: ROOT, input: plan, env: { ...process.env, TIMEOUT_MINUTES: String(minutes) }, encoding: "utf8" });

describe("the deploy job outlasts the stack's longest release (.ci/deploy-timeout.mjs)", () => {
  it("refuses a job shorter than a linear release's update timeout plus the steps before up, naming the service and the timeout it needs", async () => {
    const { out } = await planFixture("small", "--up", "--json", "--config", "deploymentStrategy=linear");
    const services = JSON.parse(out).resources.filter((r: { type: string }) => r.type === "aws:ecs/service:Service");
    const [longest] = services
      .map((r: any) => ({ name: r.properties.name, minutes: Number(/^(\d+)m$/.exec(r.options.customTimeouts.update)![1]) }))
      .sort((a: { minutes: number }, b: { minutes: number }) => b.minutes - a.minutes);
    assert.ok(longest.minutes >= 30 + 61, "a linear release's 61 minutes on top of the settle time");
    const needed = longest.minutes + 20;
    const short = check(out, needed - 1);
    assert.equal(short.status, 1, short.stdout + short.stderr);
    assert.match(short.stdout, new RegExp(`::error title=timeout-minutes::service ${longest.name} may keep .* at least ${needed} `));
    assert.equal(check(out, needed).status, 0);
  });

  it("the docs and deploy-stack.yml give the margin the check needs: the longest release plus the settle time plus the steps before up", async () => {
    const { MARGIN } = await import(path.join(ROOT, ".ci/deploy-timeout.mjs"));
    const margin = DEPLOYMENT_SETTLE_MINUTES + MARGIN;
    const text = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8").replace(/\s+/g, " ");
    const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/deploy-stack.yml"), "utf8")) as any;
    assert.match(text("docs/ci.md"), new RegExp(`longest release plus ${margin} minutes`));
    assert.match(workflow.on.workflow_call.inputs["timeout-minutes"].description.replace(/\s+/g, " "), new RegExp(`plus ${margin} minutes`));
    assert.match(text(".github/workflows/deploy-stack.yml"), new RegExp(`longest release \\+ ${margin} minutes`));
    for (const f of ["docs/ci.md", ".github/workflows/deploy-stack.yml", "README.md"]) assert.doesNotMatch(text(f), /longest release (plus|\+) 30 minutes/, f);
  });

  it("runs in deploy-stack.yml with the job's own timeout, before the AWS credentials", () => {
    const job = (yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/deploy-stack.yml"), "utf8")) as any).jobs.deploy;
    const step = job.steps.find((s: { run?: string }) => s.run?.includes(".ci/deploy-timeout.mjs"));
    assert.ok(step, "a step runs .ci/deploy-timeout.mjs");
    assert.equal(step.env.TIMEOUT_MINUTES, "${{ inputs.timeout-minutes }}");
    assert.match(step.run, /npm run -s plan -- "\$STACK" --up --json .*\| node \.ci\/deploy-timeout\.mjs/);
    const creds = job.steps.findIndex((s: { uses?: string }) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
    assert.ok(job.steps.indexOf(step) < creds);
  });
});
