#!/usr/bin/env node
/* global process, console */
/**
 * Developer cross-check (not part of the plan, which needs no Terraform): writes the resources of a recorded
 * plan as Terraform JSON and runs the Terraform AWS provider's own validation on them, to find rules that
 * plan/provider-rules lacks.
 *
 *   npm run -s plan -- dev --json > /tmp/plan.json
 *   node tools/provider-rules/tf-validate.mjs /tmp/plan.json [--keep <dir>]
 *
 * Needs terraform (TERRAFORM, default /usr/local/bin/terraform) and the hashicorp/aws provider in a
 * filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins: the folder above registry.terraform.io).
 * The mirror's provider is 5.100.0 while @pulumi/aws 7.48.0 bridges a 6.x provider: arguments added in
 * 6.x are reported by 5.100.0 as unsupported (listed separately). Unknowns ("(known after up)") become
 * placeholders of the right shape (an ARN for *Arn/arn properties, else an id-like string).
 * Limits: Pulumi names map back to Terraform by camel->snake and the plural table below; list-of-string
 * values pass as they are; maps (tags, dimensions) pass as objects.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const TERRAFORM = process.env.TERRAFORM ?? "/usr/local/bin/terraform";
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";
const SINGULAR = {
  metricQueries: "metric_query", capacityProviderStrategies: "capacity_provider_strategy", loadBalancers: "load_balancer",
  orderedPlacementStrategies: "ordered_placement_strategy", defaultCapacityProviderStrategies: "default_capacity_provider_strategy",
  defaultActions: "default_action", ingress: "ingress", egress: "egress", containerDefinitions: "container_definitions",
  vpcZoneIdentifiers: "vpc_zone_identifier", settings: "setting", rules: "rule",
};
/** Names Pulumi autonames (the engine fills them; the recording has none): the resource's own name stands in. */
const AUTONAME = {
  aws_cloudwatch_metric_alarm: "alarm_name", aws_ecs_cluster: "name", aws_autoscaling_group: "name", aws_ecs_capacity_provider: "name", aws_lb_target_group: "name", aws_lb: "name",
  aws_wafv2_web_acl: "name", aws_service_discovery_http_namespace: "name", aws_ecr_repository: "name", aws_appautoscaling_policy: "name",
};
const RENAMES = { "aws_cloudwatch_metric_alarm.name": "alarm_name", "aws_sns_topic_subscription.topic": "topic_arn" };
const MAPS = new Set(["tags", "dimensions", "triggers"]);
/** Per type, Pulumi names whose Terraform block differs from snake case at the top level. */
const TOP = { aws_autoscaling_group: { tags: "tag" } };
const snake = (s) => s.replace(/([A-Z])/g, "_$1").toLowerCase();

function placeholder(key) {
  if (/body|policy|document|definitions$/i.test(key)) return "{}";
  return /arn$/i.test(key) ? "arn:aws:iam::123456789012:role/placeholder" : /ids?$/i.test(key) || /subnets|groups/i.test(key) ? "id-placeholder" : "placeholder";
}
function toTf(tfType, value, key, top) {
  if (value === "(known after up)" || value === "[secret]") return /(ids|identifiers|subnets|groups|names)$/i.test(key) ? [placeholder(key)] : placeholder(key);
  if (Array.isArray(value)) return value.map((v) => toTf(tfType, v, `${key}[]`, false));
  if (value && typeof value === "object") {
    if (MAPS.has(key)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTf(tfType, v, k, false)]));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [(top && (RENAMES[`${tfType}.${k}`] || TOP[tfType]?.[k])) || SINGULAR[k] || snake(k), toTf(tfType, v, k, false)]));
  }
  return value;
}

function main() {
  const [planFile, ...rest] = process.argv.slice(2);
  if (!planFile) throw new Error("usage: tf-validate.mjs <plan.json> [--keep <dir>]");
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const rules = JSON.parse(fs.readFileSync(path.join(ROOT, "plan", "provider-rules", "rules.generated.json"), "utf8")).types;
  const keep = rest[0] === "--keep" ? rest[1] : undefined;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "tf-validate-"));
  fs.mkdirSync(dir, { recursive: true });
  const resource = {}, names = {}, skipped = new Set();
  for (const r of plan.resources) {
    if (!r.custom || !r.type.startsWith("aws:")) continue;
    const tfType = rules[r.type]?.tfType;
    if (!tfType) { skipped.add(r.type); continue; }
    const name = r.name.replace(/[^\w-]/g, "_");
    names[`${tfType}.${name}`] = { urn: r.urn, type: r.type };
    const body = toTf(tfType, r.properties, "", true);
    if (AUTONAME[tfType] && body[AUTONAME[tfType]] === undefined) body[AUTONAME[tfType]] = name.slice(0, 32);
    (resource[tfType] ??= {})[name] = body;
  }
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ provider: { aws: { region: plan.region ?? "us-east-1" } }, resource }, null, 1));
  const cli = path.join(dir, "cli.tfrc");
  fs.writeFileSync(cli, `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cli, TF_IN_AUTOMATION: "1" };
  execFileSync(TERRAFORM, ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  let out;
  try {
    out = execFileSync(TERRAFORM, ["validate", "-json", "-no-color"], { cwd: dir, env, encoding: "utf8" });
  } catch (e) {
    out = e.stdout;
  }
  const result = JSON.parse(out);
  const unsupported = [], others = [];
  for (const d of result.diagnostics ?? []) {
    const where = d.range ? ` (${path.basename(d.range.filename)}:${d.range.start.line})` : "";
    const addr = d.address ?? "";
    const line = `${d.severity}: ${d.summary}${d.detail ? `: ${d.detail.replace(/\s+/g, " ")}` : ""} ${addr}${where}`;
    (/Unsupported (argument|block type)|Extraneous JSON object property/.test(d.summary) ? unsupported : others).push(line);
  }
  console.log(`terraform validate: ${result.valid ? "valid" : "invalid"}; ${others.length} diagnostics, ${unsupported.length} unsupported by the mirror's provider`);
  for (const l of others) console.log(`  ${l}`);
  if (unsupported.length) console.log("arguments the mirror's provider does not know (newer in the bridged 6.x provider, or a name this script maps wrongly):");
  for (const l of unsupported) console.log(`  ${l}`);
  if (skipped.size) console.log(`not written (no Terraform type known): ${[...skipped].join(", ")}`);
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = result.valid ? 0 : 1;
}

main();
