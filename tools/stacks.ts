/**
 * `npm run stacks`: a table of the team's stacks as their files are now, side by side: network, hosts,
 * tasks, the public entry, logs, protection, alarms, the pack config, and what each costs a month (the offline
 * plan's estimate). Computed at each run, never written down, so it cannot go stale.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig, type StackConfig } from "../config";
import { readStackConfig, ROOT, stackOrder } from "../config/stack-files";
import { costTable, estimateCost, type CostEstimate } from "../plan/cost";
import { runProgram } from "../plan-project";
import main = require("../index");

/** One row per property, one column per stack, from each stack's validated config. */
export function stacksTable(configs: Record<string, StackConfig>, packConfigs: Record<string, string | undefined>): string[] {
  const stacks = Object.keys(configs);
  const rows: [string, (c: StackConfig, stack: string) => string][] = [
    ["region", (c) => c.region],
    ["network", (c) => (c.existingNetwork ? `existing ${c.existingNetwork.vpcId}` : `${c.availabilityZones} AZs, ${c.natGateways === "single" ? "1 NAT gateway" : `${c.availabilityZones} NAT gateways`}`)],
    ["hosts", (c) => `${c.instanceType}, 0..${c.maxSize}${c.spot ? ` + Spot 0..${c.spot.maxSize}` : ""}`],
    ["services", (c) => c.services.map((s) => `${s.name} (${s.autoscaling ? `${s.autoscaling.minCount}..${s.autoscaling.maxCount}` : s.desiredCount}${s.route.kind === "worker" ? ", worker" : ""})`).join(", ")],
    ["jobs", (c) => (c.jobs.length ? c.jobs.map((j) => j.name).join(", ") : "none")],
    ["listeners", (c) => (c.https ? `HTTPS${c.domainName ? ` on ${c.domainName}` : ""}, 80 redirects` : "HTTP 80")],
    ["access logs / flow logs", (c) => `${c.accessLogs ? "on" : "off"} / ${c.existingNetwork ? "the VPC's" : c.flowLogs ? "on" : "off"}`],
    ["deletion protection", (c) => (c.deletionProtection ? "on" : "off")],
    ["WAF", (c) => (c.waf ? "on" : "off")],
    ["alarms notify", (c) => [c.alarmEmail, c.alarmTopicArn].filter(Boolean).join(", ") || "nobody"],
    ["log retention", (c) => `${c.logRetentionDays} days`],
    ["placeholders", (c) => (c.placeholders.length ? c.placeholders.map((p) => p.key.replace(/^[^:]+:/, "")).join(", ") : "none")],
    ["pack config", (_c, s) => (packConfigs[s] ? `policy-pack/config/${s}.json` : "none (the pack's defaults)")],
  ];
  return [
    `| | ${stacks.join(" | ")} |`,
    `|---|${stacks.map(() => "---").join("|")}|`,
    ...rows.map(([label, f]) => `| ${label} | ${stacks.map((s) => f(configs[s], s).replace(/\|/g, "\\|")).join(" | ")} |`),
  ];
}

async function print(dir = ROOT): Promise<void> {
  const stacks = stackOrder(dir);
  const configs: Record<string, StackConfig> = {};
  const estimates: Record<string, CostEstimate> = {};
  for (const stack of stacks) {
    const raw = readStackConfig(stack, dir);
    configs[stack] = parseStackConfig(raw, { rootDir: ROOT });
    const recording = await runProgram(main, { stack, config: raw, preview: true });
    estimates[stack] = estimateCost(configs[stack], recording.resources);
  }
  const packs = Object.fromEntries(stacks.map((s) => [s, fs.existsSync(path.join(dir, "policy-pack", "config", `${s}.json`)) ? s : undefined]));
  console.log([...stacksTable(configs, packs), "", ...costTable(estimates)].join("\n"));
}

if (require.main === module) print().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
