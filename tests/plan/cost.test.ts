// The monthly cost estimate: each fixture stack's figure computed here by hand from the price table and
// the stack's config, against what the plan prints; the price notes and the stacks' table from the same table.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parseConfig, StackConfig } from "../../config";
import { INSTANCE_TYPES } from "../../lib/instance-types";
import { costChange, costTable, estimateCost, formatCost, formatCostChange, NOT_ESTIMATED, PriceTable, priceNotes, priceTable } from "../../plan/cost";
import { listStacks, ROOT } from "../../config/stack-files";
import { FIXTURES, fixtureSpec, planFixture, recordFixture, recordSeed } from "../helpers";

const HOURS = 730;
/** components/cluster.ts gives every host a 50 GiB gp3 root volume. */
const ROOT_VOLUME_GIB = 50;

/** Hosts that hold `need` at `per` each: the largest quotient, rounded up. */
const hostsHolding = (need: { cpu: number; memoryMiB: number; tasks: number }, per: { cpu: number; memoryMiB: number; tasks: number }) =>
  need.tasks === 0 ? 0 : Math.max(Math.ceil(need.cpu / per.cpu), Math.ceil(need.memoryMiB / per.memoryMiB), Math.ceil(need.tasks / per.tasks));

/** A stack's monthly figure, by hand: prices times what the config asks for. */
function byHand(c: StackConfig, t: PriceTable, at: "kept" | "peak"): number {
  const p = (k: keyof PriceTable["prices"]) => t.prices[k].usd;
  const a = (k: keyof PriceTable["assumptions"]) => t.assumptions[k].value;
  const nats = c.natGateways === "single" ? 1 : c.availabilityZones;
  assert.equal(c.spot, undefined, "the hand computation covers on-demand hosts; Spot is priced in its own test");
  // What the services keep: desiredCount, or under autoscaling its minCount (the capacity provider owns the count).
  const count = (s: StackConfig["services"][number]) => (at === "peak" ? s.autoscaling?.maxCount ?? s.desiredCount : s.autoscaling?.minCount ?? s.desiredCount);
  const need = { cpu: c.services.reduce((n, s) => n + count(s) * s.cpu, 0), memoryMiB: c.services.reduce((n, s) => n + count(s) * s.memory, 0), tasks: c.services.reduce((n, s) => n + count(s), 0) };
  // taskSpread zones or hosts keeps one on-demand host per AZ at least, and hosts one per task of the largest
  // service (no two of its tasks on one host); never more than maxSize.
  const azs = c.existingNetwork ? c.existingNetwork.privateSubnetIds.length : c.availabilityZones;
  const floor = c.taskSpread === "binpack" ? 0 : Math.max(azs, c.taskSpread === "hosts" ? Math.max(...c.services.map(count)) : 0);
  const hosts = Math.min(c.maxSize, Math.max(hostsHolding(need, c.capacity.perHost), floor));
  // Per routed service: target 5xx, unhealthy targets, p99 latency, each billed per metric it watches (one
  // target group, or both with blue/green, canary and linear); the load balancer's 5xx; the capacity
  // provider's reservation.
  const groups = (d: { strategy: string }) => (d.strategy === "rolling" ? 1 : 2);
  // Per work queue: a dead letter, the oldest message's age, and (a worker that sleeps at 0) the wake
  // alarm's two metrics; and its assumed requests.
  const queues = c.services.filter((s) => s.queue);
  const queueAlarms = queues.reduce((n, s) => n + 2 + (s.autoscaling!.minCount === 0 ? 2 : 0), 0);
  const alarms = c.services.filter((s) => s.route.kind !== "worker").reduce((n, s) => n + 3 * groups(s.deployment), 0) + 1 + 1 + queueAlarms;
  const sqs = queues.length * a("sqsMillionRequestsPerQueueMonth") * p("sqsMillionRequests");
  const waf = c.waf ? p("wafWebAclMonth") + (1 + 3) * p("wafRuleMonth") + a("wafMillionRequestsPerMonth") * p("wafMillionRequests") : 0; // the rate limit and 3 managed groups
  return nats * HOURS * p("natGatewayHour") + a("natProcessedGbPerMonth") * p("natGatewayGb")
    + HOURS * p("albHour") + a("albLcus") * HOURS * p("albLcuHour")
    + (nats + c.availabilityZones) * HOURS * p("publicIpv4Hour") // each NAT gateway's Elastic IP, the ALB's address in each AZ
    + hosts * HOURS * t.ec2Hour.usd[c.instanceType] + hosts * ROOT_VOLUME_GIB * p("ebsGp3GbMonth")
    + c.warmPool * ROOT_VOLUME_GIB * p("ebsGp3GbMonth") // stopped hosts in the warm pool: their volumes, no instance-hours
    + need.tasks * a("logGbPerTaskMonth") * p("logsIngestionGb")
    + (c.flowLogs ? a("flowLogGbPerMonth") * p("vendedLogsIngestionGb") : 0)
    + alarms * p("alarmMonth") + p("dashboardMonth") + waf + sqs;
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

  for (const stack of listStacks(FIXTURES)) {
    it(`${stack}: the plan's monthly figures are the table's prices times what the config asks for`, async () => {
      const c = fixtureSpec(stack);
      const { out } = await planFixture(stack, "--json");
      const { cost } = JSON.parse(out);
      assert.ok(Math.abs(cost.monthlyUsd - byHand(c, table, "kept")) < 0.01, `${cost.monthlyUsd} vs ${byHand(c, table, "kept")}`);
      assert.ok(Math.abs(cost.atMaximumUsd - byHand(c, table, "peak")) < 0.01, `${cost.atMaximumUsd} vs ${byHand(c, table, "peak")}`);
      assert.ok(cost.lines.every((l: any) => typeof l.quantity === "number" && typeof l.unitUsd === "number" && typeof l.monthlyUsd === "number"), "line items");
    });
  }

  it("prints the figure, each line item and the table's date and sources in the text report", async () => {
    const { out } = await planFixture("small");
    const c = fixtureSpec("small");
    assert.match(out, new RegExp(`\\nCost: about ${byHand(c, table, "kept").toFixed(2)} USD a month at the planned task counts`));
    assert.match(out, /\n {2}NAT gateways +\d+ × 0\.045 += +\d+\.\d\d {2}\(/);
    assert.match(out, new RegExp(`\\n {2}prices: plan/prices/us-east-1\\.json, ${table.date}: https://aws\\.amazon\\.com/`));
  });

  it("prices Spot hosts apart: each service's base on on-demand hosts, the rest by the weights, at the cheapest Spot type less the discount", async () => {
    const spotConfig = { spotInstanceTypes: JSON.stringify(["c5.xlarge", "m5.xlarge"]), onDemandBaseTasks: "1", onDemandWeight: "1", spotWeight: "1", desiredCount: "5" };
    const g = await recordSeed(spotConfig);
    const c = parseConfig(Object.fromEntries(Object.entries(spotConfig)), "us-east-1", { rootDir: ROOT });
    const e = estimateCost(c, g.resources, table);
    assert.ok(e.available);
    // 5 tasks: 1 base + 2 of the 4 above it on on-demand (3 tasks, 1 c5.xlarge holds 3), 2 on Spot (1 host).
    const spotLine = e.lines.find((l) => l.item === "hosts, Spot")!;
    assert.equal(spotLine.quantity, 1 * HOURS);
    assert.equal(spotLine.unitUsd, Math.round(table.ec2Hour.usd["c5.xlarge"] * (1 - table.assumptions.spotDiscount.value) * 1e6) / 1e6);
    assert.equal(e.lines.find((l) => l.item === "hosts, on-demand c5.xlarge")!.quantity, 1 * HOURS);
    assert.equal(e.hosts.planned, 2);
  });

  it("prices the web ACL, its rules and the assumed requests where the stack has one", async () => {
    const c = parseConfig({ waf: "true" }, "us-east-1", { rootDir: ROOT });
    const e = estimateCost(c, (await recordSeed({ waf: "true" })).resources, table);
    assert.ok(e.available);
    assert.deepEqual(e.lines.filter((l) => l.item.startsWith("WAF")).map((l) => [l.item, l.quantity]), [["WAF web ACLs", 1], ["WAF rules", 4], ["WAF requests", table.assumptions.wafMillionRequestsPerMonth.value]]);
  });

  it("says so for a region without a price table, and guesses nothing", async () => {
    const c = parseConfig({}, "eu-west-1", { rootDir: ROOT });
    const e = estimateCost(c, (await recordSeed({ "aws:region": "eu-west-1" })).resources);
    assert.equal(e.available, false);
    assert.match(formatCost(e).join("\n"), /^Cost: not estimated: no price table for eu-west-1 \(plan\/prices\/eu-west-1\.json\)/);
    assert.ok(!fs.existsSync(path.join(ROOT, "plan", "prices", "eu-west-1.json")));
  });

  it("says what the price table is: its date, every source, each assumption and what it leaves out", () => {
    const notes = priceNotes(table);
    assert.ok(notes.startsWith(`us-east-1 list prices of ${table.date} (\`plan/prices/us-east-1.json\``), notes);
    for (const url of new Set([...Object.values(table.prices).map((p) => p.source), table.ec2Hour.source])) assert.ok(notes.includes(`<${url}>`), url);
    for (const a of Object.values(table.assumptions)) assert.ok(notes.includes(String(a.value)) || notes.includes(String(Math.round(a.value * 100))), a.why);
    for (const n of NOT_ESTIMATED) assert.ok(notes.includes(n), n);
  });

  it("sets stacks side by side: one column each, the totals of their estimates", async () => {
    const estimates = Object.fromEntries(await Promise.all(["small", "hardened"].map(async (s) => [s, estimateCost(fixtureSpec(s), (await recordFixture(s, {}, true)).resources, table)] as const)));
    const lines = costTable(estimates);
    assert.equal(lines[0], "| USD a month | small | hardened |");
    const total = lines.find((l) => l.startsWith("| **total, planned tasks** |"))!;
    for (const e of Object.values(estimates)) assert.ok(e.available && total.includes(`**${e.monthlyUsd.toFixed(2)}**`), total);
  });

  it("states the cost change against a saved plan: before, after, the signed difference, or what is not estimated", () => {
    const after = 120.5;
    assert.equal(formatCostChange(costChange({ cost: { monthlyUsd: 100 } }, after), "a.json"), "Cost against a.json: 100.00 -> 120.50 USD a month at the planned task counts (+20.50)");
    assert.equal(formatCostChange(costChange({ cost: { monthlyUsd: 130 } }, after), "a.json"), "Cost against a.json: 130.00 -> 120.50 USD a month at the planned task counts (-9.50)");
    assert.equal(formatCostChange(costChange({}, after), "a.json"), "Cost against a.json: not estimated -> 120.50 USD a month at the planned task counts");
  });
});
