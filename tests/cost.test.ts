// The monthly cost estimate: each committed stack's figure computed here by hand from the price table and
// the stack's config, against what the plan prints; the README's cost notes from the same table.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig, StackConfig } from "../config";
import { INSTANCE_TYPES } from "../components/instance-types";
import { costNotes, estimateCost, PriceTable, priceTable } from "../scripts/cost";
import { plan } from "../scripts/plan";
import { COST_BEGIN, COST_END } from "../scripts/sync-cost-notes";
import { listStacks, readStackConfig, ROOT } from "../scripts/stack-config";
import { recordStack } from "./helpers";

async function runPlan(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await plan(argv, (s) => (out += s + "\n"), () => undefined);
  return { code, out };
}

const HOURS = 730;
/** components/cluster.ts gives every host a 50 GiB gp3 root volume. */
const ROOT_VOLUME_GIB = 50;

/** A stack's monthly figure, by hand: prices times what the config asks for. */
function byHand(c: StackConfig, t: PriceTable, at: "desired" | "peak"): number {
  const p = (k: keyof PriceTable["prices"]) => t.prices[k].usd;
  const a = (k: keyof PriceTable["assumptions"]) => t.assumptions[k].value;
  const nats = c.natGateways === "single" ? 1 : c.availabilityZones;
  const need = c.capacity[at];
  const per = c.capacity.perHost;
  const hosts = need.tasks === 0 ? 0 : Math.max(Math.ceil(need.cpu / per.cpu), Math.ceil(need.memoryMiB / per.memoryMiB), Math.ceil(need.tasks / per.tasks));
  const routed = c.services.filter((s) => s.route.kind !== "worker").length;
  return nats * HOURS * p("natGatewayHour") + a("natProcessedGbPerMonth") * p("natGatewayGb")
    + HOURS * p("albHour") + a("albLcus") * HOURS * p("albLcuHour")
    + (nats + c.availabilityZones) * HOURS * p("publicIpv4Hour") // each NAT gateway's Elastic IP, the ALB's address in each AZ
    + hosts * HOURS * t.ec2Hour.usd[c.instanceType] + hosts * ROOT_VOLUME_GIB * p("ebsGp3GbMonth")
    + need.tasks * a("logGbPerTaskMonth") * p("logsIngestionGb")
    + (c.flowLogs ? a("flowLogGbPerMonth") * p("vendedLogsIngestionGb") : 0)
    + routed * 2 * p("alarmMonth"); // two deployment alarms per routed service
}

describe("the cost estimate", () => {
  const table = priceTable("us-east-1")!;

  it("has a us-east-1 price table with its date, a source for every price, and every instance type the config allows", () => {
    assert.match(table.date, /^\d{4}-\d{2}-\d{2}$/);
    for (const [k, v] of Object.entries(table.prices)) assert.match(v.source, /^https:\/\/aws\.amazon\.com\//, k);
    assert.match(table.ec2Hour.source, /^https:\/\/aws\.amazon\.com\/ec2\/pricing\//);
    assert.deepEqual(Object.keys(INSTANCE_TYPES).filter((t) => table.ec2Hour.usd[t] === undefined), []);
    assert.equal(table.hoursPerMonth, HOURS);
  });

  for (const stack of listStacks()) {
    it(`${stack}: the plan's monthly figures are the table's prices times what the config asks for`, async () => {
      const c = parseStackConfig(readStackConfig(stack), { rootDir: ROOT });
      const { out } = await runPlan(stack, "--json");
      const { cost } = JSON.parse(out);
      assert.ok(Math.abs(cost.monthlyUsd - byHand(c, table, "desired")) < 0.01, `${cost.monthlyUsd} vs ${byHand(c, table, "desired")}`);
      assert.ok(Math.abs(cost.atMaximumUsd - byHand(c, table, "peak")) < 0.01, `${cost.atMaximumUsd} vs ${byHand(c, table, "peak")}`);
      assert.ok(cost.lines.every((l: any) => typeof l.quantity === "number" && typeof l.unitUsd === "number" && typeof l.monthlyUsd === "number"), "line items");
    });
  }

  it("prints the figure, each line item and the table's date and sources in the text report", async () => {
    const { out } = await runPlan("dev");
    const c = parseStackConfig(readStackConfig("dev"), { rootDir: ROOT });
    assert.match(out, new RegExp(`\\nCost: about ${byHand(c, table, "desired").toFixed(2)} USD a month at the planned task counts`));
    assert.match(out, /\n {2}NAT gateways +\d+ × 0\.045 += +\d+\.\d\d {2}\(/);
    assert.match(out, new RegExp(`\\n {2}prices: scripts/prices/us-east-1\\.json, ${table.date}: https://aws\\.amazon\\.com/`));
  });

  it("prices WAF and Spot where the recording has them (a web ACL with rules, a group with Spot above its base)", async () => {
    const c = parseStackConfig(readStackConfig("staging"), { rootDir: ROOT });
    const g = await recordStack("staging", {}, true);
    const base = estimateCost(c, g.resources, table);
    assert.ok(base.available);
    const acl = { ...g.resources[0], type: "aws:wafv2/webAcl:WebAcl", name: "acl", inputs: { rules: [{}, {}, {}] } };
    const asg = g.resources.find((r) => r.type === "aws:autoscaling/group:Group")!;
    const spotAsg = { ...asg, inputs: { ...asg.inputs, mixedInstancesPolicy: { instancesDistribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0 } } } };
    const withBoth = estimateCost(c, [...g.resources.filter((r) => r !== asg), spotAsg, acl], table);
    assert.ok(withBoth.available);
    const waf = table.prices.wafWebAclMonth.usd + 3 * table.prices.wafRuleMonth.usd + table.assumptions.wafMillionRequestsPerMonth.value * table.prices.wafMillionRequests.usd;
    const hosts = base.hosts.planned * HOURS * table.ec2Hour.usd[c.instanceType];
    const spotSaving = hosts * table.assumptions.spotDiscount.value;
    assert.ok(Math.abs(withBoth.monthlyUsd - (base.monthlyUsd + waf - spotSaving)) < 0.02, `${withBoth.monthlyUsd} vs ${base.monthlyUsd + waf - spotSaving}`);
  });

  it("says so for a region without a price table, and guesses nothing", async () => {
    const { code, out } = await runPlan("dev", "--config", "aws:region=eu-west-1");
    assert.equal(code, 0);
    assert.match(out, /\nCost: not estimated: no price table for eu-west-1 \(scripts\/prices\/eu-west-1\.json\)/);
    assert.ok(!fs.existsSync(path.join(ROOT, "scripts", "prices", "eu-west-1.json")));
  });

  it("keeps the README's cost notes equal to the estimates of the committed stacks (npm run sync-config writes them)", async () => {
    // One program at a time: the mock engine's runtime is global.
    const estimates: Record<string, ReturnType<typeof estimateCost>> = {};
    for (const s of listStacks()) estimates[s] = estimateCost(parseStackConfig(readStackConfig(s), { rootDir: ROOT }), (await recordStack(s, {}, true)).resources);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf(COST_BEGIN) + COST_BEGIN.length, readme.indexOf(COST_END)).trim();
    assert.equal(block, costNotes(estimates).join("\n"), "the README's cost notes are stale: run npm run sync-config");
  });
});
