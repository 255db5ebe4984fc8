/**
 * The offline plan: `npm run plan -- <stack> [--json] [--up]`.
 *
 * Evaluates the whole program for a stack's config (Pulumi.yaml defaults + Pulumi.<stack>.yaml, merged as
 * the CLI merges them) under Pulumi's mock engine, with no cloud account and no Pulumi CLI, as `pulumi
 * preview` would (or, with --up, as `pulumi up` would: ids known, placeholders refused), and prints what
 * it would create, grouped by component; the settings that matter; the program's warnings; and the
 * verdict of every policy of the pack. Exit status: 0 when no blocking (mandatory) policy is violated, 1
 * on a blocking violation, a config error or a program error, 2 on bad usage (including an unknown stack).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, clusterHolds, describePlaceholders, parseStackConfig, ServiceSpec, StackConfig } from "../config";
import { Graph, ProgramError, RecordedResource, runProgram } from "./mock-engine";
import { countStatuses, evaluatePolicies, mandatoryFailures, PolicyVerdict, VerdictStatus } from "./run-policies";
import { estimateCost, formatCost } from "./cost";
import { AgainstError, diffPlans, formatChanges, identityReplacements, readSavedPlan, SavedPlan } from "./plan-diff";
import { formatDetails, KNOWN_AFTER_UP, matching, resourceEntries, shortType, showValue } from "./plan-report";
import { listStacks, readStackConfig, ROOT } from "./stack-config";

export { KNOWN_AFTER_UP };

interface PlanOptions {
  stack: string;
  json: boolean;
  /** Evaluate as `pulumi up` would (ids known, placeholders refused); default: as `pulumi preview`. */
  up: boolean;
  /** Print the usage and exit 0. */
  help: boolean;
  /** `--details <name|type>`: the properties of the resources of that logical name or type. */
  details?: string;
  /** `--against <file>`: a saved `--json` plan to compare with: what is created, updated, replaced, deleted. */
  against?: string;
  /** `--fail-on-replace`: exit 1 when a VPC, subnet, load balancer, cluster, image repository or bucket is replaced or deleted. */
  failOnReplace: boolean;
  /** Pack config file (as for `--policy-pack-config`); default policy-pack/config/<stack>.json when present. */
  policyConfig?: string;
  /** `--config key=value`: this run only, over the stack file, as `pulumi config set` would be. */
  overrides: Record<string, string>;
  /**
   * Another program module to plan with the stack's config (default: the project's index.ts). For
   * testing the pack against deliberately broken variants of the program, which no config can produce.
   */
  program?: string;
}

/** Bad command-line usage: exit status 2. */
export class UsageError extends Error {}

export const USAGE = `usage: npm run plan -- <stack> [options]

Plans <stack> (Pulumi.<stack>.yaml) offline: the program under Pulumi's mock engine, no cloud account.

  --json                    the report as JSON: every resource with its properties (secrets as [secret],
                            what preview cannot know as (known after up)), parent, dependencies, aliases
  --against <plan.json>     compare with a saved plan (a previous --json of the same stack and mode, e.g. of
                            the base branch): each resource created, updated, replaced (and the property that
                            forces it) or deleted; renames without an alias show as delete + create
  --fail-on-replace         with --against: exit 1 when it replaces or deletes a stateful or identity-bearing
                            resource: VPC, subnet, load balancer, ECS cluster, image repository, S3 bucket
  (every report)             a monthly cost estimate from scripts/prices/<region>.json: line items, the
                            assumptions it rests on, the table's date and sources (JSON: cost.monthlyUsd)
  --details <name|type>     the properties of the resources of that logical name (api-vpc) or type
                            (aws:ec2/subnet:Subnet, or ec2:Subnet): CIDRs, rules, container definitions, IAM
  --up                      evaluate as \`pulumi up\` would: ids known, placeholders refused
  --config <key>=<value>    a value for this run only (a project key, or ns:key); JSON for lists and objects
  --policy-config <file>    the pack config (default policy-pack/config/<stack>.json)
  --program <module>        plan another program module with the stack's config (tests)
  -h, --help                this text

Exit status: 0 planned, no mandatory policy violated; 1 config error, program error, a blocking
violation, or (--fail-on-replace) an identity-bearing replacement; 2 usage error, or a saved plan that
cannot be compared. The offline plan is a review, not the authority: \`pulumi preview\` against the
deployed stack is.`;

/** The plan's options that npm takes for its own when they come before `--` (npm sets npm_config_<name>). */
const NPM_EATEN = ["json", "config", "policy_config", "program", "details", "against", "fail_on_replace"];

/**
 * Options npm swallowed: `npm run plan dev --json` runs the plan with "dev" alone and sets
 * npm_config_json. Returns a hint, or undefined.
 */
export function npmEatenOptions(env: NodeJS.ProcessEnv): string | undefined {
  if (env.npm_lifecycle_event !== "plan") return undefined;
  const eaten = NPM_EATEN.filter((o) => env[`npm_config_${o}`] !== undefined && env[`npm_config_${o}`] !== "");
  if (eaten.length === 0) return undefined;
  const flags = eaten.map((o) => `--${o.replace(/_/g, "-")}`).join(", ");
  return `npm took ${flags} for itself: put the plan's options after --, e.g. npm run plan -- dev ${flags.split(", ")[0]}`;
}

export function parseArgs(argv: string[]): PlanOptions {
  const opts: Partial<PlanOptions> & { overrides: Record<string, string> } = { json: false, up: false, help: false, failOnReplace: false, overrides: {} };
  const value = (i: number, what: string) => {
    if (argv[i] === undefined) throw new UsageError(`${argv[i - 1]} needs ${what}`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") opts.json = true;
    else if (a === "--up") opts.up = true;
    else if (a === "--help" || a === "-h") opts.help = true;
    else if (a === "--policy-config") opts.policyConfig = value(++i, "a file");
    else if (a === "--program") opts.program = value(++i, "a module");
    else if (a === "--details") opts.details = value(++i, "a resource name or type");
    else if (a === "--against") opts.against = value(++i, "a saved plan (JSON)");
    else if (a === "--fail-on-replace") opts.failOnReplace = true;
    else if (a === "--config") {
      const m = /^([^=]+)=(.*)$/.exec(value(++i, "key=value"));
      if (!m) throw new UsageError(`--config takes key=value, got ${argv[i]}`);
      opts.overrides[m[1].includes(":") ? m[1] : `ecs-ec2-api:${m[1]}`] = m[2];
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (opts.stack) throw new UsageError(`one stack at a time (got ${opts.stack} and ${a})`);
    else opts.stack = a;
  }
  if (!opts.stack && !opts.help) throw new UsageError(`which stack? (${listStacks().join(", ")})`);
  if (opts.failOnReplace && !opts.against) throw new UsageError("--fail-on-replace needs --against <saved plan>: replacements are relative to it");
  return opts as PlanOptions;
}

/** The stack's settings that matter, per component, from the validated config. */
export function settings(c: StackConfig): Record<string, Record<string, string>> {
  const cap = c.capacity;
  const room = (k: "cpu" | "memoryMiB" | "tasks") => clusterHolds(cap, k) - cap.peak[k];
  const hosts = `${cap.hosts} hosts${cap.spot ? ` and ${cap.spot.hosts} Spot hosts` : ""}`;
  const out: Record<string, Record<string, string>> = {
    network: {
      vpc: `${c.vpcCidr} over ${c.availabilityZones} AZs`,
      AZs: c.availabilityZoneNames ? c.availabilityZoneNames.join(", ") : `the region's first ${c.availabilityZones} standard AZs by name`,
      "NAT gateways": c.natGateways === "single" ? "1 shared (single)" : `${c.availabilityZones}, one per AZ (perAz)`,
      "Elastic IPs": `${elasticIps(c)} (one per NAT gateway)`,
      "flow logs": c.flowLogs ? `on, ${c.logRetentionDays} days` : "off",
    },
    cluster: {
      hosts: `${c.instanceType} (${c.instance.vcpus} vCPU, ${c.instance.memoryGiB} GiB, ${c.instance.arch}), 0..${c.maxSize}, ${c.desiredCapacity} at start`,
      "Spot hosts": c.spot
        ? `${c.spot.instanceTypes.join(", ")} (price-capacity-optimized), 0..${c.spot.maxSize}; each service: ${c.spot.onDemandBaseTasks} on-demand task(s) first, then on-demand:Spot ${c.spot.onDemandWeight}:${c.spot.spotWeight}`
        : "none (on-demand only)",
      "per host": `${cap.perHost.cpu} CPU, ${cap.perHost.memoryMiB} MiB, ${cap.perHost.tasks} task interfaces${c.eniTrunking ? " (ENI trunking on)" : ""}`,
      "tasks": `${cap.desired.tasks} desired, ${cap.peak.tasks} at most, of ${clusterHolds(cap, "tasks")} that ${hosts} hold`,
      "room at most": `${room("cpu")} CPU, ${room("memoryMiB")} MiB, ${room("tasks")} task interfaces left on ${hosts}`,
      AMI: `SSM ${c.ecsAmiParameter}`,
      "session manager": c.hostSessionManager ? "on" : "off",
    },
    edge: {
      listeners: c.https ? "443 HTTPS (TLS 1.3/1.2), 80 redirects to 443" : "80 HTTP",
      certificate: c.certificateArn ?? (c.domainName ? `requested for ${c.domainName}, validated in ${c.hostedZoneId}` : "none"),
      domain: c.domainName ? `${c.domainName} (alias A record in ${c.hostedZoneId})` : "none (the ALB's DNS name)",
      ALB: `idle timeout ${c.albIdleTimeoutSeconds} s, deletion protection ${c.deletionProtection ? "on" : "off"}, access logs ${c.accessLogs ? "on" : "off"}`,
      protect: c.deletionProtection ? "VPC, subnets, load balancer, image repositories, log bucket (destroy refuses in its preview)" : "off",
      WAF: c.waf ? `web ACL: ${c.waf.rateLimit} requests per 5 minutes per IP, IP reputation, known bad inputs, common rules${c.waf.countRules.length ? ` (counting ${c.waf.countRules.join(", ")})` : ""}` : "none",
    },
    operations: {
      alarms: [c.alarmEmail ? `email ${c.alarmEmail}` : "", c.alarmTopicArn ? `topic ${c.alarmTopicArn}` : ""].filter(Boolean).join(" and ") || "notify nobody (set alarmEmail or alarmTopicArn); they still roll deployments back",
      dashboard: "one CloudWatch dashboard: requests, latency, errors, targets, tasks, CPU/memory, hosts (dashboardUrl)",
    },
  };
  for (const s of c.services) out[`service ${s.name}`] = serviceSettings(s, c.logRetentionDays);
  return out;
}

/** How a service's releases go out. */
function deploymentText(s: ServiceSpec): string {
  const d = s.deployment;
  const strategy = {
    rolling: `rolling, ${d.minimumHealthyPercent}..${d.maximumPercent} %`,
    blueGreen: "blue/green: a full new set, all traffic at once once healthy",
    canary: `canary: ${d.canaryPercent} % of the traffic first, the rest ${d.shiftIntervalMinutes} min later`,
    linear: `linear: ${d.linearStepPercent} % of the traffic every ${d.shiftIntervalMinutes} min`,
  }[d.strategy];
  const bake = d.strategy === "rolling" ? "" : `, old tasks kept ${d.bakeTimeMinutes} min after (twice the tasks meanwhile)`;
  return `${strategy}${bake}; circuit breaker and alarm rollback; p99 alarm at ${s.p99LatencyAlarmMs} ms`;
}

/** One service's settings: its route, image, size, tasks, container, permissions. */
function serviceSettings(s: ServiceSpec, logRetentionDays: number): Record<string, string> {
  const route = s.route.kind === "default" ? "the listener's default action"
    : s.route.kind === "worker" ? "none (a worker: no load balancer, nothing in)"
    : `rule priority ${s.route.priority}: ${[s.route.hostHeaders.length ? `host ${s.route.hostHeaders.join(" or ")}` : "", s.route.pathPatterns.length ? `path ${s.route.pathPatterns.join(" or ")}` : ""].filter(Boolean).join(" and ")}`;
  const out: Record<string, string> = {
    route,
    image: s.appPath ? `built from ${s.appPath}` : s.imageUrl!,
    task: `${s.cpu} CPU / ${s.memory} MiB, port ${s.port}; ${s.perHost.perInstance} per host (limited by ${s.perHost.limitedBy})`,
    tasks: s.autoscaling
      ? `${s.desiredCount} at start, autoscaling ${s.autoscaling.minCount}..${s.autoscaling.maxCount} (CPU ${s.autoscaling.cpuTarget} %${s.route.kind === "worker" ? "" : `, ${s.autoscaling.requestsPerTarget} requests/task/min`})`
      : `${s.desiredCount} (no autoscaling)`,
    deployment: deploymentText(s),
  };
  if (s.route.kind !== "worker") {
    out["health check"] = `${s.healthCheck.path} answers ${s.healthCheck.matcher}, every ${s.healthCheck.intervalSeconds} s (timeout ${s.healthCheck.timeoutSeconds} s, healthy ${s.healthCheck.healthyThreshold}, unhealthy ${s.healthCheck.unhealthyThreshold}), grace ${s.healthCheck.gracePeriodSeconds} s`;
    out["stopping a task"] = `drain ${s.deregistrationDelaySeconds} s, then SIGTERM, SIGKILL ${s.stopTimeoutSeconds} s later`;
  } else {
    out["stopping a task"] = `SIGTERM, SIGKILL ${s.stopTimeoutSeconds} s later`;
  }
  if (s.command) out.command = JSON.stringify(s.command);
  if (s.containerHealthCheck) out["container health"] = `${JSON.stringify(s.containerHealthCheck.command)} every ${s.containerHealthCheck.intervalSeconds} s`;
  const env = Object.keys(s.environment).sort();
  out.environment = env.length ? env.join(", ") : "none";
  // Secrets by name and source only: never a value.
  out.secrets = s.secrets.length ? s.secrets.map((x) => `${x.name} <- ${x.source.service === "ssm" ? "SSM" : "Secrets Manager"} ${x.valueFrom}`).join("; ") : "none";
  if (s.secretsKmsKeyArns.length) out["secrets keys"] = s.secretsKmsKeyArns.join(", ");
  out["task role"] = s.taskPolicyArns.length ? s.taskPolicyArns.join(", ") : "no permissions";
  out.egress = ["HTTPS to anywhere", ...s.egressRules.map((r) => `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`} to ${"vpc" in r.to ? "the VPC" : Object.values(r.to)[0]}`)].join("; ");
  out.logs = `${logRetentionDays} days`;
  out["ECS Exec"] = s.ecsExec ? "on" : "off";
  return out;
}

/** Resources as an indented tree under each component, with counts of cloud resources. */
function tree(g: Graph): string[] {
  const lines: string[] = [];
  const countUnder = (r: RecordedResource): number => g.children(r).reduce((n, c) => n + (c.custom ? 1 : 0) + countUnder(c), 0);
  const walk = (r: RecordedResource, depth: number) => {
    const label = r.custom ? `${r.type.split(":")[1].replace(/\/.*$/, "")}:${r.type.split(":")[2]}` : r.type;
    const count = r.custom ? "" : ` (${countUnder(r)})`;
    lines.push(`${"  ".repeat(depth)}${r.custom ? "+ " : ""}${label} ${r.name}${count}`);
    for (const c of g.children(r)) walk(c, depth + 1);
  };
  walk(g.one("pulumi:pulumi:Stack"), 0);
  return lines;
}

/** How each status prints in the text report. */
const MARKS: Record<VerdictStatus, string> = { pass: "pass", fail: "FAIL", warn: "warn", skipped: "skip", "not-applicable": "n/a" };

/** "Policies: 12 pass, 0 fail, 1 warn, 2 skipped, 4 not applicable (of 19)". */
export function verdictSummary(verdicts: PolicyVerdict[]): string {
  const c = countStatuses(verdicts);
  return `Policies: ${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.skipped} skipped, ${c["not-applicable"]} not applicable (of ${verdicts.length})`;
}

function formatVerdicts(verdicts: PolicyVerdict[]): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    lines.push(`  ${MARKS[v.status].padEnd(4)}  ${v.policy} (${v.enforcementLevel})`);
    const item = (x: { resourceName?: string; message: string }) => `${x.resourceName ? `${x.resourceName}: ` : ""}${x.message}`;
    for (const x of v.violations) lines.push(`          ${item(x)}`);
    for (const x of v.unverified ?? []) lines.push(`          not verifiable offline: ${item(x)}`);
    for (const x of v.remediated ?? []) lines.push(`          remediated: ${x.resourceName}`);
    if (v.status === "not-applicable") lines.push(`          ${(v.notApplicable ?? []).join("; ")}`);
  }
  return lines;
}

/**
 * Plans `argv`'s stack, writing the report through `out` (and errors through `err`); resolves to the exit
 * status: 0 clean, 1 config error, program error or blocking policy violation.
 */
export async function plan(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.help) {
    out(USAGE);
    return 0;
  }
  if (!listStacks().includes(opts.stack)) throw new UsageError(`no stack file Pulumi.${opts.stack}.yaml; stacks: ${listStacks().join(", ")}`);
  const raw = { ...readStackConfig(opts.stack), ...opts.overrides };
  const region = raw["aws:region"];
  const mode = opts.up ? "up" : "preview";
  const fail = (what: Record<string, unknown>, text: string) => {
    if (opts.json) out(JSON.stringify({ stack: opts.stack, mode, ok: false, ...what }, null, 2));
    else err(`plan of stack ${opts.stack}: ${text}`);
    return 1;
  };

  let saved: SavedPlan | undefined;
  if (opts.against) {
    try {
      saved = readSavedPlan(opts.against, opts.stack, mode);
    } catch (e) {
      if (e instanceof AgainstError) throw new UsageError(e.message);
      throw e;
    }
  }

  let config: StackConfig;
  try {
    config = parseStackConfig(raw, { rootDir: ROOT });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return fail({ configErrors: e.problems }, e.message);
  }
  if (opts.up && config.placeholders.length > 0) {
    const problems = describePlaceholders(config.placeholders);
    return fail({ placeholders: problems }, `\`pulumi up\` would refuse the stack's placeholders:\n  - ${problems.join("\n  - ")}`);
  }

  const started = Date.now();
  const program = require(opts.program ? path.resolve(opts.program) : "../index");
  let g: Graph;
  try {
    g = new Graph(await runProgram(program, { stack: opts.stack, config: raw, preview: !opts.up }));
  } catch (e) {
    const message = e instanceof ProgramError ? e.message : String(e);
    return fail({ programError: message }, `the program failed: ${message}`);
  }
  const verdicts = await evaluatePolicies(g.recording, opts.policyConfig ?? defaultPackConfig(opts.stack));
  const blocking = mandatoryFailures(verdicts);
  const ok = blocking.length === 0;
  const warnings = [...g.recording.warnings, ...elasticIpWarnings(opts.stack, ROOT, raw)];
  const entries = resourceEntries(g);
  const cost = estimateCost(config, g.resources);
  const diff = saved ? diffPlans(saved, entries, g.recording, opts.against!) : undefined;
  const refused = diff && opts.failOnReplace ? identityReplacements(diff) : [];
  const exitCode = ok && refused.length === 0 ? 0 : 1;
  if (opts.details !== undefined && matching(entries, opts.details).length === 0) {
    const types = [...new Set(g.cloudResources.map((r) => r.type))].sort();
    throw new UsageError(`--details ${opts.details}: no resource has that logical name or type; names are like ${g.cloudResources.slice(0, 3).map((r) => r.name).join(", ")}; types: ${types.join(", ")}`);
  }

  if (opts.json) {
    out(JSON.stringify({
      stack: opts.stack,
      region,
      mode,
      ok,
      resources: entries,
      counts: countBy(g.cloudResources.map((r) => r.type)),
      settings: settings(config),
      outputs: showValue(g.recording.outputs),
      warnings,
      policies: verdicts,
      cost: cost.available ? cost : { ...cost, monthlyUsd: null },
      ...(diff ? { changes: diff } : {}),
      ...(opts.failOnReplace ? { refusedReplacements: refused.map((r) => ({ kind: r.kind, type: r.type, name: r.name, urn: r.urn })) } : {}),
    }, null, 2));
    return exitCode;
  }

  const lines: string[] = [];
  lines.push(`Plan of stack ${opts.stack} (${region}), offline, as \`pulumi ${mode}\` would run it under Pulumi's mock engine; nothing is created.`);
  if (opts.details !== undefined) {
    lines.push(...formatDetails(entries, opts.details));
    lines.push("", verdictSummary(verdicts), ok ? "OK: no mandatory policy violated." : `FAILED: ${blocking.length} blocking polic${blocking.length === 1 ? "y" : "ies"} violated: ${blocking.map((v) => v.policy).join(", ")}`);
    out(lines.join("\n"));
    return exitCode;
  }
  if (warnings.length > 0) {
    lines.push("", `WARNINGS (${warnings.length})`);
    for (const w of warnings) lines.push(`  ! ${w}`);
  }
  if (diff) {
    lines.push("", ...formatChanges(diff));
  } else {
    lines.push("", `Resources: ${g.cloudResources.length} to create`);
    lines.push(...tree(g));
  }
  lines.push("", "Settings");
  for (const [component, values] of Object.entries(settings(config))) {
    lines.push(`  ${component}`);
    for (const [k, v] of Object.entries(values)) lines.push(`    ${k.padEnd(16)} ${v}`);
  }
  lines.push("", "Outputs");
  const output = (k: string, v: unknown): void => {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [kk, vv] of Object.entries(v)) output(`${k}.${kk}`, vv);
    else lines.push(`  ${k.padEnd(21)} ${Array.isArray(v) ? v.join(", ") : v}`);
  };
  for (const [k, v] of Object.entries(showValue(g.recording.outputs) as Record<string, unknown>)) output(k, v);
  lines.push("", ...formatCost(cost));
  lines.push("", verdictSummary(verdicts));
  lines.push(...formatVerdicts(verdicts));
  lines.push("", ok
    ? `OK: no mandatory policy violated (${Date.now() - started} ms).`
    : `FAILED: ${blocking.length} blocking polic${blocking.length === 1 ? "y" : "ies"} violated: ${blocking.map((v) => v.policy).join(", ")}`);
  if (refused.length > 0) {
    lines.push(`FAILED (--fail-on-replace): it would ${refused.map((r) => `${r.kind} ${shortType(r.type)} ${r.name}`).join(", ")}`);
  }
  out(lines.join("\n"));
  return exitCode;
}

/** The default quota of Elastic IPs per region and account (EC2 service quota L-0263D0A3). */
export const ELASTIC_IP_QUOTA = 5;

/** Elastic IPs a stack's config asks for: one per NAT gateway. */
export function elasticIps(c: Pick<StackConfig, "natGateways" | "availabilityZones">): number {
  return c.natGateways === "single" ? 1 : c.availabilityZones;
}

/**
 * A warning when the committed stacks that share `stack`'s region, and may share its account, need more
 * Elastic IPs together than the default quota. Stacks pinned to different accounts (`aws:allowedAccountIds`)
 * are counted apart; stacks that pin none may share one. `config`: `stack`'s own config as planned (the
 * committed file with the run's --config values); the other stacks are counted as committed.
 */
export function elasticIpWarnings(stack: string, root = ROOT, config = readStackConfig(stack, root)): string[] {
  const describe = (name: string) => {
    try {
      const all = name === stack ? config : readStackConfig(name, root);
      const c = parseStackConfig(all, { rootDir: root });
      return { name, region: c.region, accounts: all["aws:allowedAccountIds"] ?? "", eips: elasticIps(c) };
    } catch {
      return undefined; // a stack that does not plan is reported by its own plan
    }
  };
  const self = describe(stack);
  if (!self) return [];
  const shared = listStacks(root).map(describe).filter((s): s is NonNullable<typeof s> =>
    !!s && s.region === self.region && (s.accounts === "" || self.accounts === "" || s.accounts === self.accounts));
  const total = shared.reduce((n, s) => n + s.eips, 0);
  if (total <= ELASTIC_IP_QUOTA) return [];
  return [`Elastic IPs: the committed stacks that may share ${self.region} and an account need ${total} (${shared.map((s) => `${s.name} ${s.eips}`).join(", ")}), more than the default quota of ${ELASTIC_IP_QUOTA} per region and account: `
    + "deploy them to separate accounts (pin each with aws:allowedAccountIds), use natGateways: single where an AZ outage may stop egress, or raise the quota (Service Quotas, L-0263D0A3)"];
}

function defaultPackConfig(stack: string): string | undefined {
  const file = path.join(ROOT, "policy-pack", "config", `${stack}.json`);
  return fs.existsSync(file) ? file : undefined;
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/**
 * Exits with `code` once stdout and stderr have taken all that was written. process.exit() alone drops what
 * a pipe has not taken yet: `npm run plan -- prod --json | jq` would get the first 64 KiB of the report.
 */
function exitWhenWritten(code: number): void {
  let open = 2;
  const written = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write("", written);
  process.stderr.write("", written);
}

if (require.main === module) {
  const eaten = npmEatenOptions(process.env);
  if (eaten) {
    console.error(`${eaten}\n${USAGE}`);
    exitWhenWritten(2);
  } else {
    plan(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s)).then(exitWhenWritten, (e) => {
      if (e instanceof UsageError) {
        console.error(`${e.message}\n${USAGE}`);
        exitWhenWritten(2);
      } else {
        console.error(e instanceof Error ? e.message : e);
        exitWhenWritten(1);
      }
    });
  }
}
