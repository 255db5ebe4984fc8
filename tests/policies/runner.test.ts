// The offline runner and the argument builder it shares with the tests: pack config as the CLI reconciles it,
// and policy arguments as the engine builds them (preview's unknown values, notApplicable, stackTags, links).
import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import assert from "node:assert/strict";
import { CONTROLS, albDeletionProtection, imdsv2Required, policies } from "../../policy-pack/policies";
import { NotApplicableError, isUnknownValueError, resourceArgs, stackArgs } from "../../plan/policy-args";
import { countStatuses, evaluatePolicies, mandatoryFailures, resolvePackConfig } from "../../plan/policies";
import { fixturePack } from "../helpers";
import { UNKNOWN, recordMiniStack, recording, resource, verdict } from "./helpers";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const badLt = resource(LT, "hosts", {});
const unprotectedLb = resource(LB, "alb", { loadBalancerType: "application", dropInvalidHeaderFields: true });

describe("evaluatePolicies and the pack config", () => {
  it("returns one verdict per policy of the pack, in the pack's order", async () => {
    const verdicts = await evaluatePolicies(recording([]));
    assert.deepEqual(verdicts.map((v) => v.policy), policies.map((p) => p.name));
    assert.ok(verdicts.every((v) => v.passed && v.violations.length === 0), "every verdict passes");
  });

  it("overrides a policy's enforcement level, turning an advisory finding into a blocking one", async () => {
    const before = await evaluatePolicies(recording([unprotectedLb]));
    assert.deepEqual(mandatoryFailures(before).map((v) => v.policy), []);
    const after = await evaluatePolicies(recording([unprotectedLb]), { "alb-deletion-protection": "mandatory" });
    assert.deepEqual(mandatoryFailures(after).map((v) => [v.policy, v.enforcementLevel]), [["alb-deletion-protection", "mandatory"]]);
  });

  it("applies \"all\" to every policy, and a policy's own entry over \"all\"", async () => {
    const verdicts = await evaluatePolicies(recording([badLt]), { all: "advisory", "alb-access-logs": { enforcementLevel: "mandatory" } });
    const level = (name: string) => verdicts.find((v) => v.policy === name)!.enforcementLevel;
    assert.equal(level("imdsv2-required"), "advisory");
    assert.equal(level("alb-access-logs"), "mandatory");
    assert.deepEqual(mandatoryFailures(verdicts), []);
  });

  it("skips a disabled policy entirely", async () => {
    const v = await verdict(imdsv2Required, [badLt], { config: { "imdsv2-required": "disabled" } });
    assert.deepEqual([v.enforcementLevel, v.status, v.passed, v.violations], ["disabled", "skipped", true, []]);
  });

  it("says not-applicable for a policy that examined nothing: no resource of its types, or every call said notApplicable", async () => {
    assert.equal((await verdict(imdsv2Required, [unprotectedLb])).status, "not-applicable");
    const nlb = resource(LB, "nlb", { loadBalancerType: "network" });
    const v = await verdict(policies.find((p) => p.name === "alb-drop-invalid-headers")!, [nlb]);
    assert.deepEqual([v.status, v.passed, v.notApplicable], ["not-applicable", true, ["Applies to application load balancers only"]]);
  });

  it("tells a pass (examined, nothing found), a blocking fail and an advisory warn apart, and counts each status", async () => {
    const lt = resource(LT, "hosts", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
    assert.equal((await verdict(imdsv2Required, [lt])).status, "pass");
    assert.equal((await verdict(imdsv2Required, [badLt])).status, "fail");
    assert.equal((await verdict(imdsv2Required, [badLt], { config: { "imdsv2-required": "advisory" } })).status, "warn");
    const verdicts = await evaluatePolicies(recording([badLt]), { "alb-access-logs": "disabled" });
    const counts = countStatuses(verdicts);
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), verdicts.length);
    assert.deepEqual([counts.fail, counts.skipped], [mandatoryFailures(verdicts).length, 1]);
    assert.ok(counts.fail > 0, "the bad launch template fails");
  });

  it("fills config properties from the schema defaults, then from the config entry", () => {
    const resolved = resolvePackConfig(policies, { "log-retention-set": { minimumDays: 90 } });
    assert.deepEqual(resolved.get("log-retention-set"), { enforcementLevel: "mandatory", properties: { exemptResources: [], minimumDays: 90 } });
    assert.deepEqual(resolved.get("security-group-no-world-open-ports")!.properties, { exemptResources: [], allowedPorts: [80, 443] });
  });

  it("exempts a resource named in exemptResources", async () => {
    assert.equal((await verdict(imdsv2Required, [badLt], { config: { "imdsv2-required": { exemptResources: ["hosts"] } } })).passed, true);
  });

  it("rejects a config that names an unknown policy or property, a bad value or a bad level (a typo must not pass silently)", () => {
    assert.throws(() => resolvePackConfig(policies, { "imdsv2-requird": "mandatory" }), /unknown policy "imdsv2-requird"/);
    assert.throws(() => resolvePackConfig(policies, { "log-retention-set": { minDays: 3 } }), /unknown config property "minDays"/);
    assert.throws(() => resolvePackConfig(policies, { "log-retention-set": { minimumDays: "7" } }), /log-retention-set.minimumDays: "7" does not match/);
    assert.throws(() => resolvePackConfig(policies, { "imdsv2-required": "strict" as any }), /"strict" is not an enforcement level/);
  });

  it("reads a --policy-pack-config file, as the CLI does", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pack-")), "strict.json");
    fs.writeFileSync(file, JSON.stringify({ "alb-deletion-protection": "mandatory" }));
    const verdicts = await evaluatePolicies(recording([unprotectedLb]), file);
    assert.ok(mandatoryFailures(verdicts).some((v) => v.policy === albDeletionProtection.name), "the file's level applies");
  });

  it("reads a policy's level given as a string or as an object with properties, and keeps the properties", () => {
    const hardened = resolvePackConfig(policies, require(fixturePack("hardened")));
    for (const name of ["alb-deletion-protection", "alb-access-logs", "alb-http-redirects-to-https"]) assert.equal(hardened.get(name)!.enforcementLevel, "mandatory", name);
    assert.equal(hardened.get("alb-http-redirects-to-https")!.properties.requireHttps, true);
    assert.equal(hardened.get("log-retention-set")!.properties.minimumDays, 365);
  });

  it("reports a check that read an unknown value as unverified, not as a violation (the engine's advisory note)", async () => {
    const doc = resource("aws:iam/policy:Policy", "p", { policy: UNKNOWN }, { preview: true });
    const [v] = await evaluatePolicies(recording([doc], true), undefined, { policies: [policies.find((p) => p.name === "no-iam-star-star")!] });
    assert.equal(v.passed, true);
    assert.match(v.unverified![0].message, /^can't run policy 'no-iam-star-star' during preview: string value at \.policy can't be known during preview/);
  });
});

describe("the policy arguments, built as the engine builds them", () => {
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { httpTokens: "required" } };
  const lt = resource(LT, "hosts", { imageId: UNKNOWN, metadataOptions: secret, tags: { a: "b" } }, { preview: true, parent: "urn:pulumi:test::ecs-ec2-api::ecs-ec2-api:ecs:Ec2Cluster::api" });

  it("in preview, a read of an unknown value throws the SDK's UnknownValueError; known values and unwrapped secrets read normally", () => {
    const args = resourceArgs(lt);
    assert.deepEqual({ ...args.props.metadataOptions }, { httpTokens: "required" });
    assert.equal(args.props.tags.a, "b");
    assert.throws(() => args.props.imageId, (e: unknown) => isUnknownValueError(e));
  });

  it("carries type, name, urn, options with the parent, the default provider, stack tags and config", () => {
    const args = resourceArgs(lt, { config: { maxHopLimit: 1 }, stackTags: { "pulumi:project": "ecs-ec2-api" } });
    assert.equal(args.type, LT);
    assert.equal(args.name, "hosts");
    assert.equal(args.opts.parent, "urn:pulumi:test::ecs-ec2-api::ecs-ec2-api:ecs:Ec2Cluster::api");
    assert.deepEqual([args.opts.protect, args.opts.ignoreChanges, args.opts.aliases], [false, [], []]);
    assert.equal(args.provider?.type, "pulumi:providers:aws");
    assert.equal(args.stackTags.get("pulumi:project"), "ecs-ec2-api");
    assert.deepEqual(args.getConfig(), { maxHopLimit: 1 });
  });

  it("answers isType/asType by type token and throws NotApplicableError from notApplicable", () => {
    const args = resourceArgs(lt);
    assert.equal(args.isType(aws.ec2.LaunchTemplate), true);
    assert.equal(args.isType(aws.ec2.Instance), false);
    assert.equal(args.asType(aws.ec2.Instance), undefined);
    assert.throws(() => args.notApplicable("not mine"), (e: unknown) => e instanceof NotApplicableError && e.reason === "not mine");
  });

  for (const preview of [true, false]) {
    it(`links stack resources to their dependencies as objects ${preview ? "in preview (no ids)" : "at up (ids among the props)"}`, async () => {
      const rec = await recordMiniStack({}, preview);
      const args = stackArgs(rec);
      const svc = args.resources.find((r) => r.type === "aws:ecs/service:Service")!;
      const subnet = args.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.name === "private")!;
      assert.ok(svc.propertyDependencies.networkConfiguration.includes(subnet), "the service's networkConfiguration depends on the private subnet object");
      assert.ok(svc.dependencies.includes(subnet), "the service depends on its subnet");
      assert.equal(svc.parent?.type, "pulumi:pulumi:Stack");
      if (preview) assert.throws(() => subnet.props.vpcId, (e: unknown) => isUnknownValueError(e));
      else assert.equal(subnet.props.id, "private-id");
      assert.equal(args.stackTags.size, 0);
      assert.throws(() => args.notApplicable(), NotApplicableError);
    });
  }
});

describe("the pack's metadata", () => {
  it("names each policy in kebab-case, once, with one sentence naming its FSBP control and Checkov check", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      const [, sentence] = /^(.*) \(FSBP [^;]+; Checkov [^)]+\)$/.exec(p.description) ?? [];
      assert.ok(sentence && /^[A-Z].*\.$/.test(sentence) && !/\. [A-Z]/.test(sentence), `${p.name}: one sentence, then the controls`);
      assert.ok(p.enforcementLevel, `${p.name} sets its enforcement level`);
      assert.deepEqual(p.configSchema?.properties.exemptResources, { type: "array", items: { type: "string" }, default: [], description: "Names of resources (the name given in the program) this policy does not check." });
      assert.equal(p.framework?.name, "AWS Foundational Security Best Practices");
      assert.equal(CONTROLS[p.name].fsbp, p.framework?.reference);
      assert.ok(p.description.includes(`Checkov ${CONTROLS[p.name].checkov})`), p.name);
    }
  });

  it("makes the mission's policies mandatory and maps them to their controls", () => {
    const level = (name: string) => policies.find((p) => p.name === name)?.enforcementLevel;
    for (const name of ["imdsv2-required", "ecs-tasks-no-public-ip", "ecs-tasks-private-subnets", "container-hosts-no-public-ip", "container-hosts-private"]) assert.equal(level(name), "mandatory", name);
    assert.deepEqual(CONTROLS["imdsv2-required"], { fsbp: "EC2.8, EC2.170, AutoScaling.3", checkov: "CKV_AWS_79, CKV_AWS_341" });
    assert.deepEqual(CONTROLS["ecs-tasks-no-public-ip"], { fsbp: "ECS.2", checkov: "CKV_AWS_333" });
  });

  it("keeps policy-pack/index.ts to the PolicyPack construction over ./policies", () => {
    const fs = require("fs") as typeof import("fs");
    const code = fs.readFileSync(path.join(__dirname, "../../policy-pack/index.ts"), "utf8").replace(/^\s*\/\/.*$/gm, "").trim();
    assert.equal(code, 'import { PolicyPack } from "@pulumi/policy";\nimport { policies } from "./policies";\n\nnew PolicyPack("ecs-ec2-api-policies", { policies });');
    assert.match(fs.readFileSync(path.join(__dirname, "../../policy-pack/PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
  });
});
