/**
 * The plan's monthly cost estimate: list prices of the stack's region (plan/prices/<region>.json, with
 * their date and sources) times what the stack runs, from the validated config (hosts for the tasks, at
 * the planned count and at the autoscaling maximum, work queues) and from the recording (NAT gateways, Elastic
 * IPs, the load balancer and its subnets, volume sizes, alarms, and what is configured later: web ACLs,
 * dashboards, Spot). Usage-driven items (NAT data, LCUs, log volume, WAF and SQS requests) rest on stated
 * assumptions that the report prints. A region without a price table says so; nothing is guessed.
 */
import * as fs from "fs";
import * as path from "path";
import { taskCount, type StackConfig } from "../config";
import type { RecordedResource } from "./mock-engine";

export interface Price {
  usd: number;
  unit: string;
  source: string;
}

export interface PriceTable {
  region: string;
  currency: string;
  date: string;
  note: string;
  hoursPerMonth: number;
  prices: Record<"natGatewayHour" | "natGatewayGb" | "publicIpv4Hour" | "albHour" | "albLcuHour" | "ebsGp3GbMonth" | "logsIngestionGb"
    | "vendedLogsIngestionGb" | "alarmMonth" | "dashboardMonth" | "wafWebAclMonth" | "wafRuleMonth" | "wafMillionRequests" | "sqsMillionRequests", Price>;
  ec2Hour: { source: string; unit: string; usd: Record<string, number> };
  assumptions: Record<"natProcessedGbPerMonth" | "albLcus" | "logGbPerTaskMonth" | "flowLogGbPerMonth" | "wafMillionRequestsPerMonth" | "spotDiscount"
    | "sqsMillionRequestsPerQueueMonth", { value: number; why: string }>;
}

export const PRICES_DIR = path.join(__dirname, "prices");

/** The price table of `region`, or undefined when the repository has none. */
export function priceTable(region: string): PriceTable | undefined {
  const file = path.join(PRICES_DIR, `${region}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable) : undefined;
}

export interface CostLine {
  item: string;
  quantity: number;
  /** What one unit is ("NAT gateway-hour", "GB-month"). */
  unit: string;
  unitUsd: number;
  monthlyUsd: number;
  /** How the quantity follows from the stack. */
  basis: string;
}

export type CostEstimate =
  | {
    available: true;
    region: string;
    currency: string;
    /** At the planned task counts. */
    monthlyUsd: number;
    /** With every service at its autoscaling maximum (hosts, volumes and logs grow). */
    atMaximumUsd: number;
    lines: CostLine[];
    /** The lines that differ at the autoscaling maximum. */
    atMaximum: CostLine[];
    hosts: { planned: number; atMaximum: number };
    assumptions: Record<string, { value: number; why: string }>;
    notEstimated: string[];
    prices: { file: string; date: string; note: string; sources: string[] };
  }
  | { available: false; region: string; reason: string };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Hosts that hold `need` (CPU units, MiB, task network interfaces summed over the services) when each
 * host offers `perHost`: the largest of the three quotients, rounded up; never more than maxSize.
 */
export function hostsFor(need: { cpu: number; memoryMiB: number; tasks: number }, perHost: { cpu: number; memoryMiB: number; tasks: number }, maxSize: number): number {
  if (need.tasks === 0) return 0;
  // Shares of tasks are fractions (hostSplit): a quotient a rounding error above a whole number is that number.
  const n = Math.max(...(["cpu", "memoryMiB", "tasks"] as const).map((k) => Math.ceil(need[k] / perHost[k] - 1e-9)));
  return Math.min(n, maxSize);
}

/**
 * Hosts each pool needs (what the services keep, or each at its most), and the on-demand hosts the group
 * keeps whatever they need: its minimum (one host per AZ where tasks spread over AZs) and, with taskSpread
 * hosts, one host per task of the largest service (no two of its tasks share a host).
 */
export function hostSplit(c: StackConfig, at: "kept" | "peak"): { onDemand: number; spot: number } {
  const split = taskHostSplit(c, at);
  const distinct = c.taskSpread === "hosts" ? Math.max(0, ...c.services.map((s) => taskCount(s, at))) - split.spot : 0;
  return { onDemand: Math.min(c.maxSize, Math.max(split.onDemand, c.minHosts, distinct)), spot: split.spot };
}

/**
 * Hosts each pool needs for the services' tasks: on-demand only; or, with Spot hosts, each service's first
 * onDemandBaseTasks on on-demand hosts and the rest split by the weights, Spot hosts counted at their
 * smallest type. The split is by share, not rounded to whole tasks: ECS does not say which provider takes
 * the task a weight ratio leaves over (one task above the base at 1:1 may land on either), so each pool
 * keeps room for its share and a Spot pool with any share costs a host.
 */
function taskHostSplit(c: StackConfig, at: "kept" | "peak"): { onDemand: number; spot: number } {
  const cap = c.capacity;
  const tasks = (pick: (s: StackConfig["services"][number]) => number) => c.services.reduce((n, s) => n + pick(s), 0);
  if (!c.spot || !cap.spot) {
    const need = { cpu: tasks((s) => taskCount(s, at) * s.cpu), memoryMiB: tasks((s) => taskCount(s, at) * s.memory), tasks: tasks((s) => taskCount(s, at)) };
    return { onDemand: hostsFor(need, cap.perHost, c.maxSize), spot: 0 };
  }
  const { onDemandBaseTasks: base, onDemandWeight: od, spotWeight: sp } = c.spot;
  const need = { onDemand: { cpu: 0, memoryMiB: 0, tasks: 0 }, spot: { cpu: 0, memoryMiB: 0, tasks: 0 } };
  for (const s of c.services) {
    const count = taskCount(s, at);
    const above = Math.max(0, count - base);
    const onSpot = od + sp === 0 ? 0 : above * sp / (od + sp);
    for (const [pool, n] of [["onDemand", count - onSpot], ["spot", onSpot]] as const) {
      need[pool].cpu += n * s.cpu;
      need[pool].memoryMiB += n * s.memory;
      need[pool].tasks += n;
    }
  }
  return { onDemand: hostsFor(need.onDemand, cap.perHost, c.maxSize), spot: hostsFor(need.spot, cap.spot.perHost, cap.spot.hosts) };
}

/** What the estimate leaves out, always. */
export const NOT_ESTIMATED = [
  "data transfer out to the internet and between AZs",
  "Container Insights metrics (containerInsights is enabled)",
  "CloudWatch Logs storage beyond ingestion",
  "S3 storage of ALB access logs",
  "Route 53 queries and hosted zones, ECR image storage",
  "free tier, Savings Plans and Reserved Instances",
];

/** The monthly estimate of a stack: its config, its recorded resources, the region's price table. */
export function estimateCost(c: StackConfig, resources: RecordedResource[], table: PriceTable | undefined = priceTable(c.region)): CostEstimate {
  if (!table) {
    return { available: false, region: c.region, reason: `no price table for ${c.region} (plan/prices/${c.region}.json): the plan does not guess; add the region's list prices with their date and sources` };
  }
  const p = table.prices;
  const a = table.assumptions;
  const H = table.hoursPerMonth;
  const ofType = (t: string) => resources.filter((r) => r.type === t);
  const line = (item: string, quantity: number, unit: string, unitUsd: number, basis: string): CostLine =>
    ({ item, quantity, unit, unitUsd, monthlyUsd: round2(quantity * unitUsd), basis });

  const lines: CostLine[] = [];
  const nats = ofType("aws:ec2/natGateway:NatGateway").length;
  if (nats > 0) {
    lines.push(line("NAT gateways", nats * H, p.natGatewayHour.unit, p.natGatewayHour.usd, `${nats} × ${H} h`));
    lines.push(line("NAT data processed", a.natProcessedGbPerMonth.value, p.natGatewayGb.unit, p.natGatewayGb.usd, "assumption natProcessedGbPerMonth"));
  }
  const albs = ofType("aws:lb/loadBalancer:LoadBalancer").filter((r) => (r.inputs.loadBalancerType ?? "application") === "application");
  const albAddresses = albs.reduce((n, r) => n + (Array.isArray(r.inputs.subnets) ? r.inputs.subnets.length : 0), 0);
  const eips = ofType("aws:ec2/eip:Eip").length;
  if (albs.length > 0) {
    lines.push(line("Application Load Balancer", albs.length * H, p.albHour.unit, p.albHour.usd, `${albs.length} × ${H} h`));
    lines.push(line("ALB capacity units", albs.length * a.albLcus.value * H, p.albLcuHour.unit, p.albLcuHour.usd, `${albs.length} × assumption albLcus × ${H} h`));
  }
  if (eips + albAddresses > 0) {
    lines.push(line("public IPv4 addresses", (eips + albAddresses) * H, p.publicIpv4Hour.unit, p.publicIpv4Hour.usd,
      `(${eips} Elastic IP${eips === 1 ? "" : "s"} of the NAT gateways + ${albAddresses} of the ALB, one per subnet) × ${H} h`));
  }

  // Hosts for the tasks, and their root volumes.
  const cap = c.capacity;
  const split = (at: "kept" | "peak") => hostSplit(c, at);
  const planned = split("kept");
  const most = split("peak");
  const hourly = table.ec2Hour.usd[c.instanceType];
  // Spot hosts: the cheapest of their types, less the assumed discount (price-capacity-optimized leans cheap).
  const spotTypes = c.spot?.instanceTypes ?? [];
  const unpricedSpot = spotTypes.filter((t) => table.ec2Hour.usd[t] === undefined);
  const spotTypePrices = spotTypes.map((t) => table.ec2Hour.usd[t]).filter((x): x is number => x !== undefined);
  const spotHourly = spotTypePrices.length > 0 ? Math.round(Math.min(...spotTypePrices) * (1 - a.spotDiscount.value) * 1e6) / 1e6 : undefined;
  const volumeGiB = ofType("aws:ec2/launchTemplate:LaunchTemplate").reduce((n, lt) =>
    Math.max(n, (lt.inputs.blockDeviceMappings ?? []).reduce((m: number, b: any) => m + (b?.ebs?.volumeType === "gp3" && typeof b.ebs.volumeSize === "number" ? b.ebs.volumeSize : 0), 0)), 0);
  const hostLines = (hosts: { onDemand: number; spot: number }, when: string): CostLine[] => {
    const out: CostLine[] = [];
    if (hourly !== undefined && (hosts.onDemand > 0 || hosts.spot === 0)) {
      out.push(line(`hosts, on-demand ${c.instanceType}`, hosts.onDemand * H, table.ec2Hour.unit, hourly, `${hosts.onDemand} host${hosts.onDemand === 1 ? "" : "s"} ${when} × ${H} h`));
    }
    // A stack with Spot hosts always shows their line and price, even when no share of its tasks is on Spot.
    if (spotHourly !== undefined && c.spot) {
      out.push(line("hosts, Spot", hosts.spot * H, `${table.ec2Hour.unit} of the cheapest Spot type, less the Spot discount`, spotHourly,
        `${hosts.spot} Spot host${hosts.spot === 1 ? "" : "s"} ${when} × ${H} h, assumption spotDiscount`));
    }
    const all = hosts.onDemand + hosts.spot;
    if (volumeGiB > 0) out.push(line("host root volumes (gp3)", all * volumeGiB, p.ebsGp3GbMonth.unit, p.ebsGp3GbMonth.usd, `${all} × ${volumeGiB} GiB`));
    return out;
  };
  // A stopped instance is billed for its EBS volumes only, not for instance usage (Amazon EC2 User Guide, "Stop and
  // start Amazon EC2 instances"; Amazon EC2 Auto Scaling User Guide, warm pools: "you pay only for the volumes that
  // you use"); the hosts are in private subnets, so no public IPv4 address either.
  const warmLine = () => line("warm pool root volumes (gp3)", c.warmPool * volumeGiB, p.ebsGp3GbMonth.unit, p.ebsGp3GbMonth.usd,
    `${c.warmPool} stopped host${c.warmPool === 1 ? "" : "s"} × ${volumeGiB} GiB; no instance-hours while stopped`);
  const logLine = (tasks: number, when: string) => line("container logs ingested", tasks * a.logGbPerTaskMonth.value, p.logsIngestionGb.unit, p.logsIngestionGb.usd, `${tasks} task${tasks === 1 ? "" : "s"} ${when} × assumption logGbPerTaskMonth`);
  lines.push(...hostLines(planned, "for the planned tasks"));
  if (c.warmPool > 0 && volumeGiB > 0) lines.push(warmLine());
  const keptTasks = c.services.reduce((n, s) => n + taskCount(s, "kept"), 0);
  lines.push(logLine(keptTasks, "planned"));

  if (ofType("aws:ec2/flowLog:FlowLog").length > 0) {
    lines.push(line("VPC flow logs ingested", a.flowLogGbPerMonth.value, p.vendedLogsIngestionGb.unit, p.vendedLogsIngestionGb.usd, "assumption flowLogGbPerMonth"));
  }
  // CloudWatch bills a standard alarm per metric it watches: a metric-math alarm (a job's failed runs) counts each.
  const alarmList = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
  const alarms = alarmList.length;
  const alarmMetrics = alarmList.reduce((n, r) => n + (Array.isArray(r.inputs.metricQueries) ? Math.max(1, r.inputs.metricQueries.filter((q: any) => q?.metric).length) : 1), 0);
  if (alarms > 0) lines.push(line("CloudWatch alarms", alarmMetrics, p.alarmMonth.unit, p.alarmMonth.usd, alarmMetrics === alarms ? `${alarms} alarms` : `${alarms} alarms watching ${alarmMetrics} metrics, billed per metric`));
  const dashboards = ofType("aws:cloudwatch/dashboard:Dashboard").length;
  if (dashboards > 0) lines.push(line("CloudWatch dashboards", dashboards, p.dashboardMonth.unit, p.dashboardMonth.usd, `${dashboards} dashboard${dashboards === 1 ? "" : "s"} (the account's first 3 are free: not counted)`));
  const acls = ofType("aws:wafv2/webAcl:WebAcl");
  if (acls.length > 0) {
    const rules = acls.reduce((n, r) => n + (Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0), 0);
    lines.push(line("WAF web ACLs", acls.length, p.wafWebAclMonth.unit, p.wafWebAclMonth.usd, `${acls.length} web ACL${acls.length === 1 ? "" : "s"}`));
    if (rules > 0) lines.push(line("WAF rules", rules, p.wafRuleMonth.unit, p.wafRuleMonth.usd, `${rules} rules in the web ACLs`));
    lines.push(line("WAF requests", acls.length * a.wafMillionRequestsPerMonth.value, p.wafMillionRequests.unit, p.wafMillionRequests.usd, `${acls.length} × assumption wafMillionRequestsPerMonth`));
  }

  // A work queue's requests (its dead-letter queue's are few): sends, receives, deletes and the workers' polling.
  const queues = c.services.filter((s) => s.queue);
  if (queues.length > 0) {
    lines.push(line("SQS requests", queues.length * a.sqsMillionRequestsPerQueueMonth.value, p.sqsMillionRequests.unit, p.sqsMillionRequests.usd,
      `${queues.length} work queue${queues.length === 1 ? "" : "s"} × assumption sqsMillionRequestsPerQueueMonth`));
  }

  const atMaximum = [...hostLines(most, "at the autoscaling maximum"), logLine(cap.peak.tasks, "at the autoscaling maximum")];
  const total = (ls: CostLine[]) => round2(ls.reduce((n, l) => n + l.quantity * l.unitUsd, 0));
  const varying = new Set(["container logs ingested", "host root volumes (gp3)"]);
  const fixed = lines.filter((l) => !l.item.startsWith("hosts,") && !varying.has(l.item));
  const notEstimated = [
    ...NOT_ESTIMATED, ...(hourly === undefined ? [`hosts: no price for ${c.instanceType} in the table`] : []),
    ...(unpricedSpot.length > 0 ? [`Spot hosts: no price for ${unpricedSpot.join(", ")} in the table${spotHourly === undefined ? "" : " (the cheapest priced type stands for them)"}`] : []),
    // A job's task runs for minutes on hosts the services already keep; Scheduler's invocations are free up to a monthly quota.
    ...(ofType("aws:scheduler/schedule:Schedule").length > 0 ? ["scheduled jobs: their tasks' runs (hosts the autoscaling adds for them) and logs, EventBridge Scheduler invocations beyond the free tier"] : []),
    ...(queues.some((s) => s.queue!.kmsKeyArn) ? ["KMS requests of the queues encrypted with a customer managed key, and the key itself"] : []),
  ];
  return {
    available: true,
    region: c.region,
    currency: table.currency,
    monthlyUsd: total(lines),
    atMaximumUsd: total([...fixed, ...atMaximum]),
    lines,
    atMaximum,
    hosts: { planned: planned.onDemand + planned.spot, atMaximum: most.onDemand + most.spot },
    assumptions: Object.fromEntries(Object.entries(a)),
    notEstimated,
    prices: {
      file: path.relative(path.join(__dirname, ".."), path.join(PRICES_DIR, `${table.region}.json`)),
      date: table.date,
      note: table.note,
      sources: priceSources(table),
    },
  };
}

const usd = (n: number) => n.toFixed(2);

/** The text report's cost section. */
export function formatCost(e: CostEstimate): string[] {
  if (!e.available) return [`Cost: not estimated: ${e.reason}`];
  const lines = [`Cost: about ${usd(e.monthlyUsd)} ${e.currency} a month at the planned task counts (${e.hosts.planned} host${e.hosts.planned === 1 ? "" : "s"}), `
    + `${usd(e.atMaximumUsd)} with every service at its autoscaling maximum (${e.hosts.atMaximum} host${e.hosts.atMaximum === 1 ? "" : "s"}); ${e.region} list prices of ${e.prices.date}`];
  const row = (l: CostLine) => `  ${l.item.padEnd(30)} ${String(round2(l.quantity)).padStart(7)} × ${String(l.unitUsd).padEnd(7)} = ${usd(l.monthlyUsd).padStart(8)}  (${l.basis})`;
  lines.push(...e.lines.map(row));
  lines.push("  at the autoscaling maximum, instead:", ...e.atMaximum.map(row));
  const used = Object.entries(e.assumptions).filter(([k]) => [...e.lines, ...e.atMaximum].some((l) => l.basis.includes(`assumption ${k}`)));
  lines.push("  assumptions:");
  for (const [k, v] of used) lines.push(`    ${k} = ${v.value}: ${v.why}`);
  lines.push(`  not estimated: ${e.notEstimated.join("; ")}`);
  lines.push(`  prices: ${e.prices.file}, ${e.prices.date}: ${e.prices.sources.join(", ")}`);
  return lines;
}

/** The monthly estimate before (a saved plan's `cost.monthlyUsd`), after, and the difference; null where unknown. */
export interface CostChange {
  beforeUsd: number | null;
  afterUsd: number | null;
  differenceUsd: number | null;
}

export function costChange(saved: { cost?: { monthlyUsd?: number | null } }, afterUsd: number | undefined): CostChange {
  const beforeUsd = typeof saved.cost?.monthlyUsd === "number" ? saved.cost.monthlyUsd : null;
  const after = afterUsd ?? null;
  return { beforeUsd, afterUsd: after, differenceUsd: beforeUsd !== null && after !== null ? round2(after - beforeUsd) : null };
}

/** "Cost against <file>: 203.59 -> 215.00 USD a month (+11.41)", one line. */
export function formatCostChange(c: CostChange, against: string): string {
  const shown = (v: number | null) => (v === null ? "not estimated" : usd(v));
  const sign = c.differenceUsd === null ? "" : ` (${c.differenceUsd > 0 ? "+" : c.differenceUsd < 0 ? "-" : "±"}${usd(Math.abs(c.differenceUsd))})`;
  return `Cost against ${against}: ${shown(c.beforeUsd)} -> ${shown(c.afterUsd)} USD a month at the planned task counts${sign}`;
}

/** The monthly cost of each stack, side by side, as a markdown table (`npm run stacks`). */
export function costTable(estimates: Record<string, CostEstimate>): string[] {
  const stacks = Object.keys(estimates);
  const cell = (s: string, f: (e: Extract<CostEstimate, { available: true }>) => string) => {
    const e = estimates[s];
    return e.available ? f(e) : "no price table";
  };
  const item = (e: Extract<CostEstimate, { available: true }>, name: string) => usd(e.lines.filter((l) => l.item === name).reduce((n, l) => n + l.monthlyUsd, 0));
  const hosts = (e: Extract<CostEstimate, { available: true }>) => usd(e.lines.filter((l) => l.item.startsWith("hosts,") || l.item.endsWith("root volumes (gp3)")).reduce((n, l) => n + l.monthlyUsd, 0));
  const rows: [string, (e: Extract<CostEstimate, { available: true }>) => string][] = [
    ["NAT gateways (hours + data)", (e) => usd(Number(item(e, "NAT gateways")) + Number(item(e, "NAT data processed")))],
    ["ALB (hours + LCUs)", (e) => usd(Number(item(e, "Application Load Balancer")) + Number(item(e, "ALB capacity units")))],
    ["public IPv4 addresses", (e) => item(e, "public IPv4 addresses")],
    ["hosts and their volumes, planned tasks", (e) => `${hosts(e)} (${e.hosts.planned} host${e.hosts.planned === 1 ? "" : "s"})`],
    ["**total, planned tasks**", (e) => `**${usd(e.monthlyUsd)}**`],
    ["**total, autoscaling maximum**", (e) => `**${usd(e.atMaximumUsd)}** (${e.hosts.atMaximum} host${e.hosts.atMaximum === 1 ? "" : "s"})`],
  ];
  return [
    `| USD a month | ${stacks.join(" | ")} |`,
    `|---|${stacks.map(() => "---").join("|")}|`,
    ...rows.map(([label, f]) => `| ${label} | ${stacks.map((s) => cell(s, f)).join(" | ")} |`),
  ];
}

/** Every page a price table's prices come from, once each. */
export function priceSources(table: PriceTable): string[] {
  return [...new Set([...Object.values(table.prices).map((x) => x.source), table.ec2Hour.source])];
}

/** What a region's price table is, where its prices come from, what the estimate assumes and leaves out. */
export function priceNotes(table: PriceTable): string {
  const as = table.assumptions;
  return `${table.region} list prices of ${table.date} (\`plan/prices/${table.region}.json\`: ${priceSources(table).map((u) => `<${u}>`).join(", ")}), ${table.hoursPerMonth} hours a month. `
    + `Assumed: ${as.natProcessedGbPerMonth.value} GB a month through the NAT gateways, ${as.albLcus.value} LCU, ${as.logGbPerTaskMonth.value} GB of logs per task a month, `
    + `${as.flowLogGbPerMonth.value} GB of flow logs a month where they are on, ${as.wafMillionRequestsPerMonth.value} million requests a month through a web ACL, Spot hosts ${Math.round(as.spotDiscount.value * 100)} % below on-demand, `
    + `${as.sqsMillionRequestsPerQueueMonth.value} million SQS requests a month per work queue. `
    + `Not included: ${NOT_ESTIMATED.join("; ")}.`;
}
