// Issue 28, item 12: the plan's signals for a change. Spot hosts are priced (ECS splits the tasks above a
// capacity provider strategy's base by the weights: "CapacityProviderStrategyItem", Amazon ECS API
// Reference); under autoscaling the estimate follows what the capacity provider keeps, not desiredCount
// (components/service.ts ignores desiredCount then, as the provider owns it); an update in place names its
// properties; a protected stack is warned about images whose tag moves.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { imageTag, mutableImageWarnings, mutableTag } from "../../config/images";
import { priceTable } from "../../plan/cost";
import { fixtureConfig, fixtureSpec, planFixture, recordFixture } from "../helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-signals-"));
const HOURS = 730;

/** The fixture's plan saved as --json (the "before" of --against). */
async function saved(stack: string, ...argv: string[]): Promise<{ file: string; report: any }> {
  const { code, out } = await planFixture(stack, ...argv, "--json");
  assert.equal(code, 0, out.slice(0, 1000));
  const file = path.join(dir, `${stack}-${fs.readdirSync(dir).length}.json`);
  fs.writeFileSync(file, out);
  return { file, report: JSON.parse(out) };
}

const sum = (lines: { quantity: number; unitUsd: number }[]) => lines.reduce((n, l) => n + l.quantity * l.unitUsd, 0);

describe("the plan's signals for a change (--against)", () => {
  const table = priceTable("us-east-1")!;

  it("turning Spot on adds a Spot host line at the cheapest Spot type's price less the discount, and the difference is what the new hosts and their alarm cost", async () => {
    const before = await saved("small");
    const spot = fixtureSpec("small").instanceType.replace(/\.\w+$/, ".large");
    const types = [spot, spot.replace(/\.large$/, ".xlarge")];
    const { code, out } = await planFixture("small", "--config", `spotInstanceTypes=${JSON.stringify(types)}`, "--against", before.file, "--json");
    assert.equal(code, 0, out.slice(0, 1000));
    const after = JSON.parse(out);
    const line = after.cost.lines.find((l: any) => l.item === "hosts, Spot");
    assert.ok(line, "a Spot line");
    assert.equal(line.unitUsd, Math.round(Math.min(...types.map((t) => table.ec2Hour.usd[t])) * (1 - table.assumptions.spotDiscount.value) * 1e6) / 1e6);
    assert.ok(line.quantity >= HOURS, "the small fixture's task above the base may land on Spot: one Spot host is kept for it");
    // Every line that changed is the Spot hosts', their volumes' or the Spot capacity alarm's: the difference is theirs.
    const changed = after.cost.lines.filter((l: any) => !before.report.cost.lines.some((b: any) => b.item === l.item && b.monthlyUsd === l.monthlyUsd));
    const gone = before.report.cost.lines.filter((b: any) => !after.cost.lines.some((l: any) => l.item === b.item && l.monthlyUsd === b.monthlyUsd));
    assert.deepEqual(changed.map((l: any) => l.item).sort(), ["CloudWatch alarms", "host root volumes (gp3)", "hosts, Spot"]);
    assert.ok(Math.abs(after.costChange.differenceUsd - (sum(changed) - sum(gone))) < 0.01, `${after.costChange.differenceUsd} vs ${sum(changed) - sum(gone)}`);
    assert.ok(after.costChange.differenceUsd > line.monthlyUsd, `${after.costChange.differenceUsd}: more than the alarm's 0.10 it showed before`);
  });

  it("a desiredCount change under autoscaling changes neither a resource nor the estimate; minCount does", async () => {
    const c = fixtureSpec("shaped");
    const [web] = c.services;
    assert.ok(web.autoscaling, "the shaped fixture autoscales");
    const before = await saved("shaped");
    const desired = await planFixture("shaped", "--config", `desiredCount=${web.autoscaling.maxCount}`, "--against", before.file, "--json");
    const report = JSON.parse(desired.out);
    assert.deepEqual(report.changes.summary, { ...report.changes.summary, create: 0, update: 0, replace: 0, delete: 0 });
    assert.equal(report.costChange.differenceUsd, 0);
    const fewer = Math.max(1, web.autoscaling.minCount - 2);
    const min = JSON.parse((await planFixture("shaped", "--config", `autoscalingMinCount=${fewer}`, "--config", `desiredCount=${Math.max(fewer, web.desiredCount)}`, "--against", before.file, "--json")).out);
    assert.ok(min.costChange.differenceUsd < 0, `fewer tasks kept: ${min.costChange.differenceUsd}`);
    assert.equal(min.cost.lines.find((l: any) => l.item === "container logs ingested").quantity, fewer * table.assumptions.logGbPerTaskMonth.value);
  });

  it("an image bump names what changes in place: the service's taskDefinition, from the replaced task definition", async () => {
    const before = await saved("small");
    const { out } = await planFixture("small", "--config", "imageUrl=public.ecr.aws/docker/library/nginx:1.27.5", "--against", before.file);
    assert.match(out, /\n {2}~ {2}ecs:Service web-service {2}update in place: taskDefinition\n {7}taskDefinition: \(known after up\) -> \(known after up\) {2}\(from web-task, replaced\)\n/);
  });
});

describe("a protected stack's images whose tag moves (:latest, or none)", () => {
  it("reads the tag after the last path part's colon, and a digest pins any tag", () => {
    const cases: [string, string | undefined, boolean][] = [
      ["nginx", undefined, true],
      ["public.ecr.aws/docker/library/nginx:latest", "latest", true],
      ["registry.acme.dev:5000/team/api", undefined, true],
      ["registry.acme.dev:5000/team/api:1.4.2", "1.4.2", false],
      [`nginx:latest@sha256:${"a".repeat(64)}`, "latest", false],
      [`nginx@sha256:${"a".repeat(64)}`, undefined, false],
    ];
    for (const [ref, tag, mutable] of cases) {
      assert.equal(imageTag(ref), tag, ref);
      assert.equal(mutableTag(ref) !== undefined, mutable, ref);
    }
  });

  it("warns in the plan of a stack with deletionProtection, naming the key, the service and the fix; not without protection, not for a pinned image", async () => {
    const c = fixtureSpec("hardened");
    assert.ok(c.deletionProtection, "the hardened fixture is the production shape");
    const image = c.services[0].imageUrl!;
    const { out } = await planFixture("hardened");
    if (mutableTag(image)) assert.match(out, new RegExp(`! ecs-ec2-api:imageUrl = "${image.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" \\(service web\\) (uses the tag :latest|has no tag).* pin a version tag .* or a digest`));
    const latest = await planFixture("hardened", "--config", "imageUrl=nginx", "--config", `services=${JSON.stringify({ v2: { imageUrl: "nginx:latest", pathPatterns: ["/v2/*"], priority: 10, sidecars: { otel: { imageUrl: "otel/collector" } } } })}`);
    assert.match(latest.out, /! ecs-ec2-api:imageUrl = "nginx" \(service web\) has no tag, which means :latest in a stack with deletionProtection/);
    assert.match(latest.out, /! ecs-ec2-api:services\.v2\.imageUrl = "nginx:latest" \(service v2\) uses the tag :latest/);
    assert.match(latest.out, /! ecs-ec2-api:services\.v2\.sidecars\.otel\.imageUrl = "otel\/collector" \(sidecar otel of service v2\) has no tag/);
    const pinned = await planFixture("hardened", "--config", "imageUrl=public.ecr.aws/docker/library/nginx:1.27.5");
    assert.doesNotMatch(pinned.out, /in a stack with deletionProtection/);
    assert.deepEqual(mutableImageWarnings({ ...fixtureSpec("shaped"), deletionProtection: false }), [], "no warning without protection");
  });

  it("warns in preview too (pulumi.log.warn from config/)", async () => {
    const g = await recordFixture("hardened", { imageUrl: "nginx" }, true);
    assert.ok(g.recording.warnings.some((w) => /^ecs-ec2-api:imageUrl = "nginx" \(service web\) has no tag/.test(w)), g.recording.warnings.join("\n"));
    assert.equal(fixtureConfig("hardened")["ecs-ec2-api:deletionProtection"], "true");
  });
});
