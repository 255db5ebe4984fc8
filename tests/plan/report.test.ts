// The plan's view of each resource: --json carries properties, parent, dependencies and options, with
// secrets redacted and preview's unknowns spelled out; --details prints one resource's properties.
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../../lib/cidr";
import { runProgram } from "../../plan-project";
import { KNOWN_AFTER_UP } from "../../plan/report";
import { UsageError } from "../../plan/args";
import { fixtureSpec, planFixture } from "../helpers";
import { resourceEntry, SECRET } from "../../plan/report";

const SUBNET = "aws:ec2/subnet:Subnet";

describe("the plan's resources: --json properties and --details", () => {
  const reports = new Map<string, Promise<any>>();
  const jsonOf = (...argv: string[]) => {
    const key = argv.join(" ");
    if (!reports.has(key)) reports.set(key, planFixture(...argv, "--json").then((r) => JSON.parse(r.out)));
    return reports.get(key)!;
  };

  it("--json carries every resource with urn, type, name, parent urn, properties, dependencies and options", async () => {
    const report = await jsonOf("shaped");
    const byUrn = new Map<string, any>(report.resources.map((r: any) => [r.urn, r]));
    const custom = report.resources.filter((r: any) => r.custom);
    assert.equal(custom.length, Object.values(report.counts as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const r of report.resources) {
      for (const key of ["urn", "type", "name", "custom", "properties", "dependencies", "propertyDependencies", "aliases", "protect", "options"]) assert.ok(key in r, `${r.name} has ${key}`);
      if (r.type !== "pulumi:pulumi:Stack") assert.ok(byUrn.has(r.parent), `${r.name}'s parent is a resource of the report`);
      for (const d of r.dependencies) assert.ok(byUrn.has(d), `${r.name}'s dependency ${d} is a resource of the report`);
    }
  });

  it("--json gives each subnet its CIDR as the config plans it, and the VPC id it is fed as (known after up) in preview", async () => {
    const report = await jsonOf("shaped");
    const c = fixtureSpec("shaped");
    const planned = planSubnets(c.vpcCidr, c.availabilityZones);
    const subnets = report.resources.filter((r: any) => r.type === SUBNET);
    assert.deepEqual(subnets.map((s: any) => s.properties.cidrBlock).sort(), [...planned.public, ...planned.private].sort());
    const vpc = report.resources.find((r: any) => r.type === "aws:ec2/vpc:Vpc");
    for (const s of subnets) {
      assert.equal(s.properties.vpcId, KNOWN_AFTER_UP);
      assert.deepEqual(s.propertyDependencies.vpcId, [vpc.urn]);
    }
    assert.equal(report.mode, "preview");
  });

  it("--json with --up has no unknown left in any property", async () => {
    const report = await jsonOf("small", "--up");
    assert.equal(report.mode, "up");
    assert.ok(!JSON.stringify(report.resources).includes(KNOWN_AFTER_UP), "as pulumi up, every input is known");
  });

  it("redacts secrets: a secret input is [secret] and its value appears nowhere", async () => {
    const recording = await runProgram(() => {
      new aws.ssm.Parameter("db-password", { type: "SecureString", value: pulumi.secret("hunter2-s3cret") });
      return {};
    }, { stack: "t", config: { "aws:region": "us-east-1" }, preview: true });
    const entry = resourceEntry(recording.resources.find((r) => r.name === "db-password")!);
    assert.equal(entry.properties.value, SECRET);
    assert.ok(!JSON.stringify(entry).includes("hunter2-s3cret"), "the secret's value is not in the entry");
  });

  it("--details <short type> prints every subnet's CIDR and AZ", async () => {
    const { code, out } = await planFixture("shaped", "--details", "ec2:Subnet");
    assert.equal(code, 0);
    const c = fixtureSpec("shaped");
    const planned = planSubnets(c.vpcCidr, c.availabilityZones);
    planned.public.forEach((cidr, i) => assert.match(out, new RegExp(`\\nec2:Subnet api-public-${i + 1}\\n[^]*?\\n    cidrBlock: ${cidr.replace(/[./]/g, "\\$&")}\\n`), `public ${i + 1}`));
    planned.private.forEach((cidr, i) => assert.match(out, new RegExp(`\\nec2:Subnet api-private-${i + 1}\\n[^]*?\\n    cidrBlock: ${cidr.replace(/[./]/g, "\\$&")}\\n`), `private ${i + 1}`));
    assert.doesNotMatch(out, /\nResources: /, "only the details, not the whole plan");
  });

  it("--details <name> prints a task definition's container definition parsed, and a role's trust policy statements", async () => {
    const c = fixtureSpec("small");
    const [web] = c.services;
    const task = await planFixture("small", "--details", `${web.name}-task`);
    assert.match(task.out, /\(containerDefinitions: JSON document, shown parsed\)/);
    assert.match(task.out, new RegExp(`\\n {6}- name: ${web.name}\\n {8}image: ${web.imageUrl!.replace(/[./]/g, "\\$&")}\\n`));
    const role = await planFixture("small", "--details", "aws:iam/role:Role");
    assert.match(role.out, /\n {6}Statement:\n {8}- Effect: Allow\n/);
    assert.match(role.out, /Service: ec2\.amazonaws\.com/);
  });

  it("--details with a name or type no resource has is a usage error that lists the types", async () => {
    await assert.rejects(planFixture("small", "--details", "ec2:Nothing"), (e) => e instanceof UsageError && /no resource has that logical name or type; .*types: .*aws:ec2\/subnet:Subnet/.test(e.message));
  });

  it("prints nested outputs one line per value, not as [object Object]", async () => {
    const { out } = await planFixture("small");
    assert.doesNotMatch(out, /\[object Object\]/);
    assert.match(out, /\n {2}services\.web\.serviceName +web\n/);
  });
});
