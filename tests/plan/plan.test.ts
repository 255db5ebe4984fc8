import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import { parseStackConfig, type StackConfig } from "../../config";
import { KNOWN_AFTER_UP } from "../../plan/report";
import { npmEatenOptions, UsageError } from "../../plan/args";
import { ELASTIC_IP_QUOTA, elasticIpWarnings, elasticIps } from "../../plan/settings";
import { listStacks } from "../../config/stack-files";
import { FIXTURES, filledIn, fixtureConfig, fixturePack, fixtureSpec, planFixture } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the offline plan (npm run plan -- <stack>)", () => {
  // Each stack is planned once; the tests read the same report.
  const reports = new Map<string, Promise<{ code: number; out: string; err: string }>>();
  const planOf = (stack: string) => {
    if (!reports.has(stack)) reports.set(stack, planFixture(stack));
    return reports.get(stack)!;
  };

  it("runs as the README says, from npm, and passes a clean stack", function () {
    this.timeout(60000);
    const r = spawnSync("npm", ["run", "-s", "plan", "--", "small", "--stacks-dir", FIXTURES], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Plan of stack small \(us-east-1\)/);
    assert.match(r.stdout, /OK: no mandatory policy violated/);
  });

  for (const stack of ["small", "shaped", "hardened"]) {
    it(`prints ${stack}'s resources by component, its settings and every policy's verdict`, async () => {
      const { code, out } = await planOf(stack);
      assert.equal(code, 0, out);
      const c = fixtureSpec(stack);
      const components = ["ecs-ec2-api:network:Network api", "ecs-ec2-api:ecs:Ec2Cluster api", "ecs-ec2-api:edge:PublicEdge edge", ...c.services.map((s) => `ecs-ec2-api:ecs:Service ${s.name}`)];
      for (const component of components) assert.match(out, new RegExp(`\\n  ${component} \\(\\d+\\)\\n`), component);
      for (const setting of ["vpc", "NAT gateways", "hosts", "per host", "tasks", "room at most", "listeners", "route", "task", "health check"]) {
        assert.match(out, new RegExp(`\\n    ${setting} +\\S`), setting);
      }
      for (const s of c.services) assert.match(out, new RegExp(`\\n  service ${s.name}\\n`), `a section for service ${s.name}`);
      for (const p of policies) assert.match(out, new RegExp(`\\n  (pass|skip|warn|n/a )  ${p.name} \\(`), p.name);
    });
  }

  for (const stack of ["small", "shaped", "hardened"]) {
    it(`reports ${stack}'s figures as the config computes them: tasks per host, the cluster's tasks and room, listeners`, async () => {
      const { out } = await planOf(stack);
      const c = fixtureSpec(stack);
      const cap = c.capacity;
      const [web] = c.services;
      assert.match(out, new RegExp(`\\n    task +${web.cpu} CPU / ${web.memory} MiB, port ${web.port}; ${web.perHost.perInstance} per host \\(limited by ${web.perHost.limitedBy}\\)\\n`));
      assert.match(out, new RegExp(`\\n    tasks +${cap.desired.tasks} desired, ${cap.peak.tasks} at most, of ${cap.perHost.tasks * cap.hosts} that ${cap.hosts} hosts hold\\n`));
      assert.match(out, new RegExp(`\\n    room at most +${cap.perHost.cpu * cap.hosts - cap.peak.cpu} CPU, `));
      assert.match(out, c.https ? /listeners +443 HTTPS \(TLS 1\.3\/1\.2\), 80 redirects to 443/ : /listeners +80 HTTP\n/);
      assert.match(out, c.natGateways === "single" ? /NAT gateways +1 shared \(single\)/ : new RegExp(`NAT gateways +${c.availabilityZones}, one per AZ`));
    });
  }

  it("gives machines JSON with the same verdicts and counts", async () => {
    const { code, out } = await planFixture("hardened", "--json");
    assert.equal(code, 0);
    const report = JSON.parse(out);
    assert.equal(report.ok, true);
    assert.equal(report.policies.length, policies.length);
    assert.equal(report.counts["aws:ec2/natGateway:NatGateway"], fixtureSpec("hardened").availabilityZones, "one NAT gateway per AZ");
    assert.equal(report.resources.filter((r: { custom: boolean }) => r.custom).length, Object.values(report.counts as Record<string, number>).reduce((a, b) => a + b, 0));
  });

  it("counts pass, fail, warn, skipped and not applicable apart; the HTTPS checks do not apply without an HTTPS listener", async () => {
    const { out } = await planOf("small");
    assert.equal(fixtureSpec("small").https, false, "the fixture serves HTTP only");
    for (const name of ["alb-http-redirects-to-https", "alb-tls-policy"]) assert.match(out, new RegExp(`\\n  n/a   ${name} \\(mandatory\\)\\n`), name);
    const disabled = Object.entries(JSON.parse(fs.readFileSync(fixturePack("small"), "utf8")) as Record<string, unknown>).filter(([, v]) => v === "disabled").map(([k]) => k);
    for (const name of disabled) assert.match(out, new RegExp(`\\n  skip  ${name} \\(disabled\\)\\n`), name);
    const m = /\nPolicies: (\d+) pass, (\d+) fail, (\d+) warn, (\d+) skipped, (\d+) not applicable \(of (\d+)\)\n/.exec(out);
    assert.ok(m, "the Policies line counts each status");
    const [pass, fail, warn, skipped, na, total] = m.slice(1).map(Number);
    assert.equal(total, policies.length);
    assert.equal(pass + fail + warn + skipped + na, total);
    assert.equal(skipped, disabled.length);
    assert.ok(na >= 2, "at least the two HTTPS checks");
  });

  it("exits 1 on a broken program (tasks in public subnets, IMDSv1), naming the policies and the resources", async () => {
    const { code, out } = await planFixture("small", "--program", "tests/fixtures/broken-program.ts");
    assert.equal(code, 1);
    assert.match(out, /FAIL {2}imdsv2-required \(mandatory\)\n {10}api-hosts: metadataOptions\.httpTokens is "optional"/);
    // Every service of the stack is named, whichever the stack has (the default service first in config).
    const names = fixtureSpec("small").services.map((s) => s.name);
    const section = /FAIL {2}ecs-tasks-private-subnets \(mandatory\)\n((?: {10}.*\n)+)/.exec(out)?.[1] ?? "";
    for (const name of names) assert.match(section, new RegExp(`^ {10}${name}-service: .*subnet api-public-\\d`, "m"), section);
    assert.match(out, /FAILED: 2 blocking policies violated: imdsv2-required, ecs-tasks-private-subnets/);
  });

  it("exits 1 on a config error with the message, before running the program", async () => {
    const { code, out, err } = await planFixture("small", "--config", "instanceType=t3.medium", "--config", "maxSize=4", "--config", "services={}", "--config", "desiredCount=100");
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(err, /ecs-ec2-api:desiredCount = "100" is not allowed: at most 8/);
  });

  it("prints its usage and exits 0 on --help", async () => {
    const { code, out } = await planFixture("--help");
    assert.equal(code, 0);
    assert.match(out, /^usage: npm run plan -- <stack> \[options\]/);
    for (const option of ["--json", "--up", "--config", "--policy-config"]) assert.match(out, new RegExp(`\\n  ${option}`), option);
  });

  it("writes the whole --json report into a pipe before it exits (a pipe takes 64 KiB at a time)", function () {
    this.timeout(60000);
    // The reader starts late, so the pipe is full when the plan is done writing: what is still queued then
    // must not be dropped by the exit.
    const r = spawnSync("bash", ["-o", "pipefail", "-c", `npm run -s plan -- hardened --stacks-dir ${FIXTURES} --json | (sleep 1; cat)`], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    const report = ((): { stack?: string } | undefined => {
      try {
        return JSON.parse(r.stdout);
      } catch {
        return undefined;
      }
    })();
    assert.equal(report?.stack, "hardened", `the report was cut after ${r.stdout.length} characters`);
    assert.ok(r.stdout.length > 64 * 1024, `the report is ${r.stdout.length} characters; this test needs one larger than a pipe's buffer`);
  });

  it("hints at the missing -- when npm took the plan's options for itself (npm run plan dev --json)", () => {
    // npm keeps options before `--` and exports them as npm_config_<name>; the plan then sees only "small".
    assert.match(npmEatenOptions({ npm_lifecycle_event: "plan", npm_config_json: "true" }) ?? "", /npm took --json for itself: put the plan's options after --, e\.g\. npm run plan -- dev --json/);
    assert.equal(npmEatenOptions({ npm_lifecycle_event: "plan" }), undefined);
    assert.equal(npmEatenOptions({ npm_config_json: "true" }), undefined, "only when run as the plan script");
    const r = spawnSync("npm", ["run", "-s", "plan", "small", "--json"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /npm took --json for itself/);
  });

  it("prints a usage error as one line that points to --help, not the whole usage", () => {
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "plan/plan.ts", "small", "--verbose"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, "unknown option --verbose (npm run plan -- --help lists the options)\n");
    assert.equal(r.stdout, "");
  });

  /** The url the plan shows: the stack's own domain when it has one, else the load balancer's DNS name. */
  const urlOf = (c: StackConfig, mode: "preview" | "up"): RegExp => c.domainName
    ? new RegExp(`\\n {2}url +https://${c.domainName.replace(/\./g, "\\.")}\\n`)
    : mode === "preview" ? new RegExp(`\\n  url +${KNOWN_AFTER_UP.replace(/[()]/g, "\\$&")}\\n`) : new RegExp(`\\n {2}url +${c.https ? "https" : "http"}://\\S+\\.elb\\.amazonaws\\.com\\n`);

  it("runs as `pulumi preview` by default: what is known only after up says so, and placeholders are warnings", async () => {
    const { code, out } = await planOf("hardened");
    const c = fixtureSpec("hardened");
    assert.equal(code, 0);
    assert.match(out, /as `pulumi preview` would run it/);
    assert.match(out, urlOf(c, "preview"));
    assert.ok(c.placeholders.length > 0, "the fixture holds placeholders");
    for (const p of c.placeholders) assert.ok(out.includes(`\n  ! ${p.key} = ${JSON.stringify(p.value)} is a placeholder`), p.key);
  });

  it("refuses the placeholders with --up, as `pulumi up` would, before running the program", async () => {
    const { code, out, err } = await planFixture("hardened", "--up");
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(err, /`pulumi up` would refuse the stack's placeholders:\n(?: {2}- .*\n)*? {2}- ecs-ec2-api:alarmEmail = "ops@example\.com" is a placeholder/);
    // As a team does before its first up: every placeholder replaced by a real value.
    const committed = fixtureConfig("hardened");
    const real = filledIn(committed);
    const fills = Object.keys(committed).filter((k) => real[k] !== committed[k]).flatMap((k) => ["--config", `${k}=${real[k]}`]);
    const filled = await planFixture("hardened", "--up", ...fills);
    assert.equal(filled.code, 0, filled.err);
    assert.match(filled.out, /as `pulumi up` would run it/);
    assert.match(filled.out, urlOf(parseStackConfig(real, { rootDir: ROOT }), "up"));
  });

  it("shows each stack's Elastic IPs: one per NAT gateway", async () => {
    for (const stack of ["small", "shaped"]) {
      const { out } = await planOf(stack);
      assert.match(out, new RegExp(`Elastic IPs +${elasticIps(fixtureSpec(stack))} \\(one per NAT gateway\\)`), stack);
    }
  });

  describe("warnings about the planned stack only; others' with --all-warnings", () => {
    it("shows the Elastic IP warning that counts other stacks only with --all-warnings, and says that it held one back", async () => {
      // The fixtures together need 7 (small 1, shaped 3, hardened 3); small alone needs 1.
      assert.equal(elasticIpWarnings("small", FIXTURES).length, 1);
      assert.equal(elasticIpWarnings("small", FIXTURES, fixtureConfig("small"), false).length, 0);
      const quiet = await planOf("small");
      assert.doesNotMatch(quiet.out, /! Elastic IPs/);
      const all = await planFixture("small", "--all-warnings");
      assert.match(quiet.out, /\n\(1 warning about the stacks that may share small's account not shown: --all-warnings\)\n/);
      assert.match(all.out, /\n {2}! Elastic IPs: the committed stacks that may share /);
    });

    it("warns without the flag when the planned stack alone needs more Elastic IPs than the quota", async () => {
      const { out } = await planFixture("small", "--config", "availabilityZones=6", "--config", "natGateways=perAz");
      assert.match(out, /\n {2}! Elastic IPs: small alone needs 6 \(one per NAT gateway\), more than the default quota of 5/);
    });
  });

  describe("the Elastic IP quota across the committed stacks of a region (default 5 per region and account)", () => {
    let root: string;
    const stackFile = (name: string, lines: string[]) => fs.writeFileSync(path.join(root, `Pulumi.${name}.yaml`), ["config:", ...lines.map((l) => `  ${l}`)].join("\n"));
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "eip-"));
      fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("warns when stacks that may share an account need more together, naming each stack's figure", () => {
      stackFile("a", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3"]);
      stackFile("b", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3"]);
      const [warning] = elasticIpWarnings("a", root);
      assert.match(warning, new RegExp(`need 6 \\(a 3, b 3\\), more than the default quota of ${ELASTIC_IP_QUOTA} per region and account`));
    });

    it("counts the planned stack as planned: a --config value it is tried with counts, not the committed one", () => {
      stackFile("a", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3"]);
      stackFile("b", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3"]);
      const tried = { "aws:region": "us-east-1", "ecs-ec2-api:availabilityZones": "3", "ecs-ec2-api:natGateways": "single" };
      assert.deepEqual(elasticIpWarnings("a", root, tried), []);
    });

    it("counts stacks pinned to different accounts, or in other regions, apart", () => {
      stackFile("a", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3", 'aws:allowedAccountIds: ["210987654321"]']);
      stackFile("b", ["aws:region: us-east-1", "ecs-ec2-api:availabilityZones: 3", 'aws:allowedAccountIds: ["310987654321"]']);
      stackFile("c", ["aws:region: eu-west-1", "ecs-ec2-api:availabilityZones: 3"]);
      assert.deepEqual(elasticIpWarnings("a", root), []);
      assert.deepEqual(elasticIpWarnings("c", root), []);
    });
  });

  it("refuses a placeholder certificateArn beside a real domainName with --up, and warns about it in preview", async () => {
    const args = ["--config", "domainName=api.acme-orders.dev", "--config", "hostedZoneId=Z04512343SFJ1ABCDEF",
      "--config", "certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"];
    const beside = /certificateArn = .* is a placeholder \(.*set beside domainName api\.acme-orders\.dev and wins over the certificate the stack requests for it/;
    const up = await planFixture("hardened", ...args, "--up");
    assert.equal(up.code, 1, up.out);
    assert.match(up.err, beside);
    const preview = await planFixture("hardened", ...args);
    assert.match(preview.out, /WARNINGS \(\d+\)\n(?: {2}! .*\n)*? {2}! .*certificateArn = .* is a placeholder \(.*set beside domainName api\.acme-orders\.dev/);
  });

  it("refuses a --config key in an unknown namespace, with the namespace it likely misspells", async () => {
    const { code, err } = await planFixture("small", "--config", "ecs-ec2-ap:desiredCount=3");
    assert.equal(code, 1, err);
    assert.match(err, /ecs-ec2-ap:desiredCount is in the namespace ecs-ec2-ap:, which nothing here reads \(did you mean ecs-ec2-api:desiredCount\?\)/);
  });

  it("refuses an unknown stack or option as usage errors", async () => {
    await assert.rejects(planFixture("qa"), (e) => e instanceof UsageError && e.message.endsWith(`; stacks: ${listStacks(FIXTURES).join(", ")}`) && /no stack file Pulumi\.qa\.yaml in /.test(e.message));
    await assert.rejects(planFixture("small", "--verbose"), UsageError);
    await assert.rejects(planFixture(), UsageError);
  });
});
