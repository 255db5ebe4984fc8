/**
 * The one place stack configuration is read. The contract is `CONFIG_SCHEMA` (schema.ts); each concern
 * has its reader beside this file (network, services and routes, containers, releases and autoscaling,
 * capacity and placement, placeholders). `parseConfig` normalizes and validates every key and the rules
 * between keys, and throws before the program registers its first resource: a program that throws later
 * has already started creating resources. Nothing here imports a component.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { INSTANCE_TYPES } from "../lib/instance-types";
import { regionProblem } from "../lib/regions";
import { closest, didYouMean, nearest } from "../lib/suggest";
import { WAF_MANAGED_RULES, wafGroupOf } from "../lib/waf-rules";
import { isPolicyArn } from "./arns";
import { ConfigReader } from "./reader";
import { CONFIG_SCHEMA, LOG_RETENTION_DAYS, NAMESPACE, SERVICE_KEYS, UNSET, schemaDefaults, type ConfigKey, type KeySpec } from "./schema";
import { ConfigError, type ClusterCapacity, type StackConfig } from "./types";
import { addressNeed, addressRoom, networkWarnings, parseNetwork } from "./network";
import { callOrder, checkServiceSet, flatOnly, parseService, resolveServiceConnect, routeOf, SERVICE_NAME_RE, SERVICE_NAME_RULE, reservedPrefixOf, type ServiceContext } from "./services";
import { checkPlacement, clusterCapacity, parseSpot, parseTaskSpread, parseWarmPool, spreadWarnings } from "./capacity";
import { hostImageWarnings, parseHostImageKey } from "./host-image";
import { checkJobPlacement, parseJobs } from "./jobs";
import { checkSends } from "./queues";
import { certificateBesideDomain, describePlaceholders, findPlaceholders } from "./placeholders";
import { mutableImageWarnings } from "./images";

export * from "./types";
export { CONFIG_SCHEMA, LOG_RETENTION_DAYS, NAMESPACE, SERVICE_KEYS, type ConfigKey, type KeySpec } from "./schema";
export { DEPLOYMENT_SETTLE_MINUTES, MAX_RELEASE_MINUTES, deploymentPeakPercent, releaseMinutes } from "./releases";
export { LB_NAME_BASE_LENGTH, MIN_TASK_CPU, RESERVED_NAME_PREFIXES, exposedPorts, reservedPrefixOf } from "./services";
export { clusterCapacity, clusterHolds, survives, taskCount } from "./capacity";
export { JOB_ENV, JOB_KEYS } from "./jobs";
export { addressNeed, addressRoom, networkWarnings } from "./network";
export { checkExistingNetwork, type NetworkFacts, type SubnetFacts } from "./existing-network";
export { checkHostImage } from "./host-image";
export { describePlaceholders, findPlaceholders } from "./placeholders";

/** The project root: relative paths in config (appPath) are resolved against it. */
const PROJECT_ROOT = path.join(__dirname, "..");

const CERT_RE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** SSM parameters that hold an AMI id end in /image_id; ".../recommended" itself holds a JSON document. */
const AMI_PARAMETER_RE = /^\/aws\/service\/ecs\/[\w./-]+\/image_id$/;
/** A DNS name of 2+ labels, each 1..63 letters, digits and inner hyphens, 253 at most. */
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_RE = /^Z[A-Z0-9]{1,31}$/;

export interface ParseOptions {
  /** Folder relative paths (appPath) are resolved against; the project root. */
  rootDir: string;
  /**
   * Keys set in the `aws:` namespace (unqualified: "region", "profile"). Checked against the AWS
   * provider's own config keys, so `aws:regoin` is an error, not a silently ignored setting.
   */
  awsKeys?: string[];
}

/** The AWS provider's config keys, from the installed provider (what `aws:<key>` may be). */
export function awsProviderKeys(): string[] {
  return Object.keys(require("@pulumi/aws/config/vars"));
}

/**
 * Normalizes and validates raw config values (strings, as the engine passes them; objects and lists as
 * JSON; a missing key takes its default) for `region`. Throws a ConfigError that lists every problem.
 */
export function parseConfig(raw: Record<string, string | undefined>, region: string | undefined, opts: ParseOptions): StackConfig {
  const problems: string[] = [];
  // A programDefault key the stack leaves unset arrives as Pulumi.yaml's UNSET default.
  const set = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== undefined && !(v === UNSET && (CONFIG_SCHEMA[k as ConfigKey] as KeySpec | undefined)?.programDefault)));
  const r = new ConfigReader(set, schemaDefaults(), (k) => `${NAMESPACE}:${k}`, problems);
  r.unknownKeys(Object.keys(CONFIG_SCHEMA), didYouMean);
  if (opts.awsKeys) {
    const known = awsProviderKeys();
    for (const key of opts.awsKeys) {
      if (!known.includes(key)) problems.push(`aws:${key} is not a setting of the AWS provider${didYouMean(key, known)}; the nearest of its ${known.length} settings: ${nearest(key, known).join(", ")}`);
    }
  }
  const MAX = Number.MAX_SAFE_INTEGER;

  // --- region ---
  const regionName = region ?? "";
  if (!region) problems.push('aws:region is not set: set it with `pulumi config set aws:region <region>` (e.g. us-east-1)');
  else {
    const why = regionProblem(region);
    if (why) problems.push(`aws:region = ${JSON.stringify(region)} is not allowed: ${why}`);
  }

  // --- hosts ---
  const instanceType = r.str("instanceType");
  const instance = INSTANCE_TYPES[instanceType];
  if (!instance) r.bad("instanceType", `one of ${Object.keys(INSTANCE_TYPES).join(", ")}${didYouMean(instanceType, Object.keys(INSTANCE_TYPES))}`);
  const maxSize = r.int("maxSize", 1, 10000, "an integer >= 1");
  const desiredCapacity = r.int("desiredCapacity", 0, MAX, "an integer >= 0");
  if (desiredCapacity > maxSize) r.bad("desiredCapacity", `an integer from 0 to maxSize (${maxSize})`);
  const hostImage = parseHostImageKey(r, instanceType, instance);
  const ecsAmiParameter = r.str("ecsAmiParameter");
  if (!AMI_PARAMETER_RE.test(ecsAmiParameter)) {
    const hint = /^\/aws\/service\/ecs\/.*\/recommended$/.test(ecsAmiParameter) ? ` (${ecsAmiParameter} holds a JSON document; the AMI id is in ${ecsAmiParameter}/image_id)` : "";
    r.bad("ecsAmiParameter", `an SSM parameter path under /aws/service/ecs/ ending in /image_id, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id${hint}`);
  } else if (instance && !hostImage) {
    const armPath = /\/arm64\//.test(ecsAmiParameter);
    if (instance.arch === "arm64" && !armPath) {
      r.bad("ecsAmiParameter", `an arm64 AMI path for the Graviton type ${instanceType}, e.g. /aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id`);
    } else if (instance.arch === "x86_64" && armPath) {
      r.bad("ecsAmiParameter", `an x86_64 AMI path for ${instanceType}; the arm64 path is for Graviton types`);
    }
  }
  const eniTrunking = r.bool("eniTrunking");
  if (eniTrunking && instance && instance.trunkTaskLimit === undefined) {
    r.bad("eniTrunking", `false for ${instanceType}: ENI trunking is not supported on burstable types; choose e.g. c6i.large or m7g.large`);
  }
  const hostSessionManager = r.bool("hostSessionManager");
  const permissionsBoundaryArn = r.str("permissionsBoundaryArn") || undefined;
  // A boundary is a customer managed policy: AWS managed policies grant too much to bound anything.
  if (permissionsBoundaryArn && (!isPolicyArn(permissionsBoundaryArn) || permissionsBoundaryArn.startsWith("arn:aws:iam::aws:"))) {
    r.bad("permissionsBoundaryArn", "empty, or a customer managed IAM policy ARN such as arn:aws:iam::210987654321:policy/ecs-ec2-api-boundary (the bootstrap's output permissionsBoundaryArn)");
  }
  const spot = parseSpot(r, instanceType, instance);

  // --- operations ---
  const alarmEmail = r.str("alarmEmail") || undefined;
  if (alarmEmail && !EMAIL_RE.test(alarmEmail)) r.bad("alarmEmail", "empty, or an email address such as ops@acme.dev");
  const alarmTopicArn = r.str("alarmTopicArn") || undefined;
  if (alarmTopicArn) {
    const m = SNS_TOPIC_RE.exec(alarmTopicArn);
    if (!m) r.bad("alarmTopicArn", "empty, or an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts (a standard topic: CloudWatch cannot notify FIFO topics)");
    else if (region && m[1] !== region) r.bad("alarmTopicArn", `a topic in the stack's region ${region}: CloudWatch alarms notify topics of their own region`);
  }
  const wafOn = r.bool("waf");
  const wafRateLimit = r.int("wafRateLimit", 10, 2000000000, "an integer from 10 to 2000000000 (requests per 5 minutes per IP)");
  const wafCountRules = r.strings("wafCountRules");
  const managedRules = Object.values(WAF_MANAGED_RULES).flat();
  for (const rule of wafCountRules) {
    if (!wafGroupOf(rule)) r.bad("wafCountRules", `rules of the web ACL's managed rule groups (such as SizeRestrictions_BODY); ${rule} is none of them${didYouMean(rule, managedRules)}`);
  }
  if (!wafOn && wafCountRules.length > 0) r.bad("wafCountRules", "empty without waf");

  // --- the public entry ---
  const certificateArn = r.str("certificateArn") || undefined;
  if (certificateArn) {
    const m = CERT_RE.exec(certificateArn);
    if (!m) r.bad("certificateArn", "empty, or an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>");
    else if (region && m[1] !== region) r.bad("certificateArn", `a certificate in the stack's region ${region}: an ALB can only use certificates from its own region`);
  }
  const domainName = r.str("domainName").toLowerCase().replace(/\.$/, "") || undefined;
  const hostedZoneId = r.str("hostedZoneId") || undefined;
  if (domainName && !DOMAIN_RE.test(domainName)) r.bad("domainName", "empty, or a DNS name such as api.acme.dev (labels of letters, digits and inner hyphens)");
  if (hostedZoneId && !HOSTED_ZONE_RE.test(hostedZoneId)) r.bad("hostedZoneId", "empty, or a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
  if (domainName && !hostedZoneId) r.bad("hostedZoneId", "the Route 53 hosted zone of domainName: set both or neither (the certificate's validation records and the alias record go there)");
  if (hostedZoneId && !domainName) r.bad("domainName", "set with hostedZoneId: the name to serve the API on");
  const albIdleTimeoutSeconds = r.int("albIdleTimeoutSeconds", 1, 4000, "an integer from 1 to 4000 (seconds)");
  const logRetentionDays = r.int("logRetentionDays", 1, 3653, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) r.bad("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  const deletionProtection = r.bool("deletionProtection");
  const accessLogs = r.bool("accessLogs");

  // --- network ---
  const network = parseNetwork(r, regionName);

  // --- services ---
  const ctx: ServiceContext = { region: regionName, instance, instanceType, eniTrunking, spotTypes: spot?.instanceTypes ?? [], rootDir: opts.rootDir, vpcCidr: network.existingNetwork ? undefined : network.vpcCidr };
  const defaultName = r.str("serviceName");
  if (!SERVICE_NAME_RE.test(defaultName) || reservedPrefixOf(defaultName)) r.bad("serviceName", SERVICE_NAME_RULE);
  const services = [parseService(r, defaultName, { kind: "default" }, ctx, true)];
  const entries = r.map("services", "service names to their settings");
  for (const [name, entry] of Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))) {
    const prefix = `${NAMESPACE}:services.${name}`;
    if (!SERVICE_NAME_RE.test(name) || reservedPrefixOf(name)) problems.push(`${prefix} is not allowed: service names are ${SERVICE_NAME_RULE}`);
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`${prefix} = ${JSON.stringify(entry)} is not allowed: a map of the service's settings`);
      continue;
    }
    const e = r.nested(entry as Record<string, unknown>, { ...schemaDefaults(), imageUrl: undefined }, prefix);
    e.unknownKeys(SERVICE_KEYS, didYouMean, flatOnly);
    services.push(parseService(e, name, routeOf(e), ctx, false));
  }
  checkServiceSet(services, problems);
  resolveServiceConnect(services, ctx, problems);
  const serviceOrder = callOrder(services, problems);

  // --- scheduled jobs: one-off tasks on the same cluster ---
  const jobs = parseJobs(r, ctx, services);
  // --- work queues: who sends to whose queue ---
  checkSends(services, jobs, problems);

  // --- spread: tasks that survive a host or an AZ need hosts in every AZ ---
  const azs = network.existingNetwork ? network.existingNetwork.privateSubnetIds.length : network.availabilityZones;
  const { taskSpread, minHosts } = parseTaskSpread(r, azs, maxSize);
  const warmPool = parseWarmPool(r, maxSize, taskSpread, minHosts);

  // --- capacity: can every service's tasks run on maxSize hosts together, and get addresses? ---
  let capacity: ClusterCapacity = { hosts: maxSize, perHost: { cpu: 0, memoryMiB: 0, tasks: 0 }, desired: { cpu: 0, memoryMiB: 0, tasks: 0 }, peak: { cpu: 0, memoryMiB: 0, tasks: 0 } };
  if (instance && problems.length === 0) {
    capacity = clusterCapacity(instance, eniTrunking, maxSize, services, spot);
    checkPlacement(r, services, capacity, instanceType, eniTrunking, taskSpread);
    if (problems.length === 0) checkJobPlacement(r, jobs, capacity, instanceType, eniTrunking);
  }
  // An existing network's room is judged from its subnets, once looked up (existing-network.ts).
  if (network.vpcPrefix !== undefined && !network.existingNetwork && problems.length === 0) {
    const room = addressRoom(network.vpcCidr, network.availabilityZones, addressNeed(maxSize, eniTrunking, services, jobs.length));
    if (room) r.bad("vpcCidr", room);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    region: regionName, instanceType, instance: instance!, desiredCapacity, maxSize, ecsAmiParameter, ...(hostImage ? { hostImage } : {}), warmPool,
    eniTrunking, hostSessionManager, permissionsBoundaryArn, taskSpread, minHosts,
    vpcCidr: network.vpcCidr, availabilityZones: network.availabilityZones, availabilityZoneNames: network.availabilityZoneNames,
    natGateways: network.natGateways, flowLogs: network.flowLogs, ...(network.existingNetwork ? { existingNetwork: network.existingNetwork } : {}),
    certificateArn, domainName, hostedZoneId, https: !!(certificateArn || domainName), albIdleTimeoutSeconds, accessLogs, deletionProtection, logRetentionDays,
    alarmEmail, alarmTopicArn, waf: wafOn ? { rateLimit: wafRateLimit, countRules: wafCountRules } : undefined, spot,
    services, serviceOrder, jobs, capacity,
    placeholders: certificateBesideDomain(findPlaceholders(Object.fromEntries(Object.keys(CONFIG_SCHEMA).map((k) => [k, r.shown(k)]))), domainName),
    warnings: [
      ...hostImageWarnings(hostImage, ecsAmiParameter), ...(network.existingNetwork ? [] : networkWarnings(network.vpcCidr)), ...spreadWarnings(taskSpread, services),
      ...mutableImageWarnings({ deletionProtection, services, jobs }),
    ],
  };
}

const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const SNS_TOPIC_RE = /^arn:aws:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The project's keys, unqualified, from fully qualified config ("ecs-ec2-api:maxSize" -> "maxSize"). */
export function projectKeys(all: Record<string, string>): Record<string, string> {
  return namespaceKeys(all, NAMESPACE);
}

/** The keys of one namespace, unqualified ("aws:region" -> "region" for "aws"). */
export function namespaceKeys(all: Record<string, string>, namespace: string): Record<string, string> {
  const prefix = `${namespace}:`;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

/**
 * Validates a stack's whole config, fully qualified as the CLI passes it: the project's keys, the region
 * and the `aws:` keys. What the program and the offline plan both call.
 */
export function parseStackConfig(all: Record<string, string>, opts: Pick<ParseOptions, "rootDir">): StackConfig {
  const strangers = namespaceProblems(Object.keys(all));
  const aws = namespaceKeys(all, "aws");
  let config: StackConfig;
  try {
    config = parseConfig(projectKeys(all), aws.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, { ...opts, awsKeys: Object.keys(aws) });
  } catch (e) {
    if (e instanceof ConfigError && strangers.length > 0) throw new ConfigError([...strangers, ...e.problems]);
    throw e;
  }
  if (strangers.length > 0) throw new ConfigError(strangers);
  return config;
}

/**
 * The config namespaces something reads: the project's, the AWS provider's, and `pulumi:`, the CLI's own
 * (`pulumi:tags` sets stack tags, `pulumi:disable-default-providers` and `pulumi:autonaming` steer the
 * engine; the CLI hands them to the program with the rest, so they are not refused here).
 */
export const KNOWN_NAMESPACES = [NAMESPACE, "aws", "pulumi"];

/** A key in a namespace nothing reads (`ecs-ec2-ap:desiredCount`) would be silently ignored: one problem each. */
export function namespaceProblems(keys: string[]): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const colon = key.indexOf(":");
    if (colon < 0) continue;
    const namespace = key.slice(0, colon);
    if (KNOWN_NAMESPACES.includes(namespace)) continue;
    const near = closest(namespace, KNOWN_NAMESPACES);
    problems.push(`${key} is in the namespace ${namespace}:, which nothing here reads${near ? ` (did you mean ${near}:${key.slice(colon + 1)}?)` : ""}; the namespaces read: ${KNOWN_NAMESPACES.join(", ")}`);
  }
  return problems;
}

/**
 * Reads this stack's config (and the AWS region) from the Pulumi engine and validates it. It reads every
 * key of the project's namespace, not only the known ones, so a misspelt key is an error, not a silent
 * default. Placeholders are refused at `pulumi up` (before the first resource) and warned about in preview.
 */
export function loadConfig(): StackConfig {
  const config = parseStackConfig(pulumi.runtime.allConfig(), { rootDir: PROJECT_ROOT });
  const placeholders = describePlaceholders(config.placeholders);
  if (placeholders.length > 0) {
    if (!pulumi.runtime.isDryRun()) throw new ConfigError(placeholders, "the stack's configuration still holds placeholders, which `pulumi up` refuses");
    for (const p of placeholders) void pulumi.log.warn(`${p}; \`pulumi up\` refuses placeholders`);
  }
  for (const w of config.warnings) void pulumi.log.warn(w);
  return config;
}
