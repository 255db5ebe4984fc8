// The plan as a review of a change: --against a saved plan shows what is created, updated in place,
// replaced (and the property that forces it) or deleted, for changes whose real effect is known from the
// provider's schema (plan/replacements.ts).
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { INSTANCE_TYPES } from "../../lib/instance-types";
import { UsageError } from "../../plan/args";
import type { PlanDiff, ResourceChange } from "../../plan/diff";
import { IDENTITY_TYPES, isComponentType, REPLACEMENTS } from "../../plan/replacements";
import { fixtureConfig, fixtureSpec, planFixture, planFixtureAnew, recordFixture, recordSeed } from "../helpers";
import { VARIANTS } from "./urn-variants";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-against-"));
const saved = new Map<string, Promise<string>>();
/** The saved --json plan of `stack` as committed (in the given mode), as a file: of a run of the program of its own. */
function savedPlan(stack: string, ...mode: string[]): Promise<string> {
  const key = [stack, ...mode].join(" ");
  if (!saved.has(key)) {
    saved.set(key, planFixtureAnew(stack, "--json", ...mode).then((r) => {
      const file = path.join(dir, `${key.replace(/\W+/g, "-")}.json`);
      fs.writeFileSync(file, r.out);
      return file;
    }));
  }
  return saved.get(key)!;
}

/** The diff of `stack` with `--config` overrides against its committed plan. */
async function changesOf(stack: string, overrides: Record<string, string>, ...extra: string[]): Promise<{ code: number; diff: PlanDiff; report: any }> {
  const file = await savedPlan(stack);
  const r = await planFixture(stack, "--json", "--against", file, ...Object.entries(overrides).flatMap(([k, v]) => ["--config", `${k}=${v}`]), ...extra);
  const report = JSON.parse(r.out);
  return { code: r.code, diff: report.changes, report };
}

const config = fixtureSpec;
const of = (d: PlanDiff, kind: ResourceChange["kind"], type?: string) => d.resources.filter((r) => r.kind === kind && (type === undefined || r.type === type));

describe("the replacement table (plan/replacements.ts)", () => {
  it("has an entry, with its source, for every resource type the program registers (committed stacks, the seed with everything on, every optional part)", async function () {
    this.timeout(60000);
    const everything = VARIANTS["seed, everything on"].overrides;
    const graphs = [
      ...await Promise.all(["small", "shaped", "hardened", "queued"].map((s) => recordFixture(s, {}, true))),
      await recordSeed(everything, true),
      await recordSeed({
        ...everything, certificateArn: "", domainName: "api.acme-api.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ",
        secrets: JSON.stringify({ DB_PASSWORD: "arn:aws:ssm:us-east-1:210987654321:parameter/db" }),
        taskPolicyArns: JSON.stringify(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]),
        services: JSON.stringify({
          v2: { imageUrl: "public.ecr.aws/docker/library/nginx:1.27", pathPatterns: ["/v2/*"], priority: 100 },
          worker: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", command: ["sleep", "3600"], talksTo: ["v2"] },
        }),
      }, true),
    ];
    const types = new Set(graphs.flatMap((g) => g.resources.map((r) => r.type)).filter((t) => !isComponentType(t)));
    const missing = [...types].filter((t) => !REPLACEMENTS[t]).sort();
    assert.deepEqual(missing, [], "a new resource type needs its replacement-forcing properties in plan/replacements.ts");
    assert.ok(types.has("aws:lb/listenerRule:ListenerRule") && types.has("aws:acm/certificate:Certificate") && types.has("awsx:ecr:Repository") && types.has("aws:servicediscovery/httpNamespace:HttpNamespace")
      && types.has("aws:sqs/redrivePolicy:RedrivePolicy"), "the variants reach the optional parts");
  });

  it("also covers the types being added: WAF, SNS alarms, the dashboard, Spot capacity", () => {
    for (const t of ["aws:wafv2/webAcl:WebAcl", "aws:wafv2/webAclAssociation:WebAclAssociation", "aws:sns/topic:Topic", "aws:sns/topicSubscription:TopicSubscription",
      "aws:cloudwatch/dashboard:Dashboard", "aws:ecs/capacityProvider:CapacityProvider", "aws:autoscaling/group:Group"]) assert.ok(REPLACEMENTS[t], t);
  });

  it("names a source for every entry, a commit where its file was read, and covers every identity-bearing type", () => {
    for (const [type, rule] of Object.entries(REPLACEMENTS)) {
      assert.match(rule.source, /\S+\.(go|ts)\b/, `${type}: a source file`);
      if (rule.read) assert.match(rule.read, /^[0-9a-f]{40}$/, `${type}: a full commit`);
      if (rule.forceNew.includes("*")) assert.ok(rule.except, `${type}: "*" with the exceptions`);
    }
    for (const t of IDENTITY_TYPES.filter((t) => t !== "aws:s3/bucketV2:BucketV2")) assert.ok(REPLACEMENTS[t], t);
  });
});

describe("npm run plan -- <stack> --against <saved plan>", () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the same program against its own saved plan changes nothing", async () => {
    const { code, diff } = await changesOf("small", {});
    assert.equal(code, 0);
    assert.deepEqual(diff.resources, []);
    assert.deepEqual([diff.summary.create, diff.summary.update, diff.summary.replace, diff.summary.delete], [0, 0, 0, 0]);
  });

  it("a new vpcCidr replaces the VPC (cidrBlock forces it) and every subnet", async () => {
    const c = config("small");
    const { diff } = await changesOf("small", { vpcCidr: c.vpcCidr === "10.1.0.0/16" ? "10.2.0.0/16" : "10.1.0.0/16" });
    const [vpc] = of(diff, "replace", VPC);
    assert.ok(vpc, "the VPC is replaced");
    assert.deepEqual(vpc.replacedBy, ["cidrBlock"]);
    assert.equal(of(diff, "replace", SUBNET).length, c.availabilityZones * 2, "every subnet, public and private");
    for (const s of of(diff, "replace", SUBNET)) assert.ok(s.replacedBy!.includes("cidrBlock") && s.replacedBy!.includes("vpcId"), s.name);
    assert.equal(diff.summary.replace, of(diff, "replace").filter((r) => r.custom).length);
  });

  it("a new desiredCount updates the service in place and replaces nothing", async () => {
    const c = config("small");
    const [web] = c.services;
    assert.equal(web.autoscaling, undefined, "the fixture's service has a fixed count");
    const { diff } = await changesOf("small", { desiredCount: String(web.desiredCount === 1 ? 2 : web.desiredCount - 1) });
    assert.deepEqual(of(diff, "replace"), []);
    assert.deepEqual(diff.resources.map((r) => [r.kind, r.type, r.changes.map((x) => x.path)]), [["update", "aws:ecs/service:Service", ["desiredCount"]]]);
  });

  it("a new desiredCount of an autoscaled service changes nothing: the service ignores it (autoscaling owns the count)", async () => {
    const c = config("shaped");
    const [web] = c.services;
    assert.ok(web.autoscaling, "the fixture's service autoscales");
    const next = web.desiredCount < web.autoscaling.maxCount ? web.desiredCount + 1 : web.desiredCount - 1;
    const { diff } = await changesOf("shaped", { desiredCount: String(next) });
    assert.deepEqual(diff.resources.filter((r) => r.type === "aws:ecs/service:Service"), []);
  });

  it("a new instanceType updates the launch template and the Auto Scaling group in place, and replaces no subnet", async () => {
    const c = config("small");
    const other = Object.keys(INSTANCE_TYPES).find((t) => t !== c.instanceType && INSTANCE_TYPES[t].arch === c.instance.arch && INSTANCE_TYPES[t].vcpus >= c.instance.vcpus && !t.startsWith("t"))!;
    const { code, diff } = await changesOf("small", { instanceType: other });
    assert.equal(code, 0);
    assert.deepEqual(of(diff, "replace"), []);
    const lt = of(diff, "update", "aws:ec2/launchTemplate:LaunchTemplate");
    assert.equal(lt.length, 1);
    assert.deepEqual(lt[0].changes.map((x) => [x.path, x.new]), [["instanceType", other]]);
    const asg = of(diff, "update", "aws:autoscaling/group:Group");
    assert.equal(asg.length, 1, "the group takes the template's new version");
    assert.deepEqual(asg[0].changes.map((x) => x.path), ["launchTemplate"]);
    assert.deepEqual(diff.resources.filter((r) => r.type === SUBNET), []);
  });

  it("a renamed service is a delete and a create of each of its resources, with the alias that would keep it", async () => {
    const c = config("small");
    const [web] = c.services;
    const { diff } = await changesOf("small", { serviceName: `${web.name}x` });
    const deleted = of(diff, "delete").find((r) => r.type === "ecs-ec2-api:ecs:Service")!;
    const created = of(diff, "create").find((r) => r.type === "ecs-ec2-api:ecs:Service")!;
    assert.equal(deleted.name, web.name);
    assert.equal(created.name, `${web.name}x`);
    assert.match(created.hint!, new RegExp(`add aliases: \\[\\{ name: "${web.name}" \\}\\] to ${web.name}x to keep it`));
    const ecs = (kind: ResourceChange["kind"]) => of(diff, kind, "aws:ecs/service:Service").map((r) => r.name);
    assert.deepEqual([ecs("delete"), ecs("create")], [[`${web.name}-service`], [`${web.name}x-service`]]);
    assert.equal(diff.summary.delete, of(diff, "delete").filter((r) => r.custom).length);
    assert.ok(diff.summary.delete > 0 && diff.summary.delete === diff.summary.create, "each deleted resource has its new counterpart");
  });

  it("a resource moved with an alias is itself, not a delete and a create", async () => {
    // The edge's security group was the default service's child (an alias names that old parent).
    const file = await savedPlan("small");
    const old = JSON.parse(fs.readFileSync(file, "utf8"));
    const sg = old.resources.find((r: any) => r.name.endsWith("-alb-sg"));
    sg.urn = `urn:pulumi:small::ecs-ec2-api::ecs-ec2-api:ecs:LoadBalancedService$aws:ec2/securityGroup:SecurityGroup::${sg.name}`;
    const moved = path.join(dir, "moved.json");
    fs.writeFileSync(moved, JSON.stringify(old));
    const r = await planFixture("small", "--json", "--against", moved);
    const diff: PlanDiff = JSON.parse(r.out).changes;
    assert.deepEqual(diff.resources.filter((x) => x.name === sg.name), [], "unchanged under its alias");
    assert.deepEqual([diff.summary.create, diff.summary.delete], [0, 0]);
  });

  it("shows the text report: the summary line, each replacement with the property that forces it", async () => {
    const file = await savedPlan("small");
    const { out } = await planFixture("small", "--against", file, "--config", "vpcCidr=10.9.0.0/16");
    assert.match(out, /\nChanges against \S+: \d+ to create, \d+ to update, \d+ to replace, \d+ to delete, \d+ unchanged\n/);
    assert.match(out, /\n {2}\+- ec2:Vpc api-vpc {2}replace: cidrBlock forces it {2}\[identity\]\n {7}cidrBlock: "10\.0\.0\.0\/16" -> "10\.9\.0\.0\/16" {2}\[forces replacement\]\n/);
    assert.doesNotMatch(out, /\nResources: \d+ to create\n/, "the change list replaces the list of everything to create");
  });

  it("prints a changed JSON document value by value, by path inside it, each line short (no whole documents)", async () => {
    const file = await savedPlan("small");
    const { out } = await planFixture("small", "--against", file, "--config", "imageUrl=public.ecr.aws/docker/library/nginx:1.27.5",
      "--config", `environment=${JSON.stringify({ ...JSON.parse(fixtureConfig("small")["ecs-ec2-api:environment"] ?? "{}"), ZZ_ADOPTION_FLAG: "on" })}`);
    const changes = out.slice(out.indexOf("Changes against"), out.indexOf("\nSettings"));
    assert.match(changes, /\n {7}containerDefinitions\[0\]\.image: "[^"]+" -> "public\.ecr\.aws\/docker\/library\/nginx:1\.27\.5" {2}\[forces replacement\]\n/, changes);
    assert.match(changes, /\n {7}containerDefinitions\[0\]\.environment\[\d+\]: (added \{"name":"ZZ_ADOPTION_FLAG","value":"on"\}|.*-> "ZZ_ADOPTION_FLAG")/, changes);
    const longest = Math.max(...changes.split("\n").map((l) => l.length));
    assert.ok(longest <= 300, `a change line of ${longest} characters`);
  });

  it("shows the monthly cost before, after and the difference (the saved plan's cost.monthlyUsd)", async () => {
    const file = await savedPlan("small");
    const before = JSON.parse(fs.readFileSync(file, "utf8")).cost.monthlyUsd as number;
    const { report } = await changesOf("small", { desiredCount: "9", autoscaling: "false", maxSize: "10" });
    const after = report.cost.monthlyUsd as number;
    assert.ok(after > before, `${after} > ${before}`);
    assert.deepEqual(report.costChange, { beforeUsd: before, afterUsd: after, differenceUsd: Math.round((after - before) * 100) / 100 });
    const { out } = await planFixture("small", "--against", file, "--config", "desiredCount=9", "--config", "autoscaling=false", "--config", "maxSize=10");
    assert.match(out, new RegExp(`\\nCost against ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${before.toFixed(2)} -> ${after.toFixed(2)} USD a month at the planned task counts \\(\\+${(after - before).toFixed(2)}\\)\\n`));
  });

  it("--fail-on-replace exits 1 when an identity-bearing resource is replaced or deleted, and 0 otherwise", async () => {
    const replaced = await changesOf("small", { vpcCidr: "10.9.0.0/16" }, "--fail-on-replace");
    assert.equal(replaced.code, 1);
    const refused = replaced.report.refusedReplacements.map((r: any) => r.type);
    assert.ok(refused.includes(VPC) && refused.includes(SUBNET), "the VPC and the subnets");
    const c = config("small");
    const scaled = await changesOf("small", { desiredCount: String(c.services[0].desiredCount === 1 ? 2 : 1) }, "--fail-on-replace");
    assert.equal(scaled.code, 0);
    assert.deepEqual(scaled.report.refusedReplacements, []);
  });

  it("says a protected resource's replacement is refused by pulumi preview (a protected stack's VPC)", async () => {
    assert.equal(config("hardened").deletionProtection, true);
    const { diff } = await changesOf("hardened", { vpcCidr: "10.9.0.0/16" });
    const [vpc] = of(diff, "replace", VPC);
    assert.equal(vpc.protectedRefusal, true);
  });

  it("refuses a saved plan of another stack, of the other mode, or of a plan without properties", async () => {
    const dev = await savedPlan("small");
    await assert.rejects(planFixture("shaped", "--against", dev), (e) => e instanceof UsageError && /a plan of stack small, not shaped/.test(e.message));
    await assert.rejects(planFixture("small", "--up", "--against", dev), (e) => e instanceof UsageError && /saved as `pulumi preview`, this plan runs as `pulumi up`; compare like with like: drop --up/.test(e.message));
    const legacy = path.join(dir, "legacy.json");
    fs.writeFileSync(legacy, JSON.stringify({ stack: "small", mode: "preview", resources: [{ type: "aws:ec2/vpc:Vpc", name: "api-vpc" }] }));
    await assert.rejects(planFixture("small", "--against", legacy), (e) => e instanceof UsageError && /saved by a plan older than --against/.test(e.message));
    await assert.rejects(planFixture("small", "--fail-on-replace"), (e) => e instanceof UsageError && /needs --against/.test(e.message));
  });

  it("compares two --up plans as well (ids known on both sides)", async () => {
    const file = await savedPlan("small", "--up");
    const r = await planFixture("small", "--up", "--json", "--against", file, "--config", "vpcCidr=10.9.0.0/16");
    const diff: PlanDiff = JSON.parse(r.out).changes;
    assert.equal(of(diff, "replace", SUBNET).length, config("small").availabilityZones * 2);
  });
});
