/**
 * The settings of a stack that matter, per component, from its validated config, and the stack-wide
 * warnings the plan adds (Elastic IPs against the account's quota).
 */
import { clusterHolds, parseStackConfig, survives, taskCount, type JobSpec, type QueueSpec, type ServiceSpec, type StackConfig } from "../config";
import { releaseNotesUrl } from "../lib/host-images";
import { PROGRAM_PROJECT } from "../lib/names";
import { queueNames, senderUrlVariable } from "../lib/queues";
import { describeSchedule, nextRun, parseSchedule } from "../lib/schedule";
import { describeHostRefresh, hostRefresh } from "./host-refresh";
import { listStacks, readStackConfig, ROOT } from "../config/stack-files";

/**
 * The stack's settings that matter, per component, from the validated config. `stack`: the stack's name
 * (queue names hold it); `now`: when next runs count from.
 */
export function settings(c: StackConfig, stack: string, now = new Date()): Record<string, Record<string, string>> {
  const cap = c.capacity;
  const room = (k: "cpu" | "memoryMiB" | "tasks") => clusterHolds(cap, k) - cap.peak[k];
  const hosts = `${cap.hosts} hosts${cap.spot ? ` and ${cap.spot.hosts} Spot hosts` : ""}`;
  const out: Record<string, Record<string, string>> = {
    network: c.existingNetwork ? existingNetworkSettings(c.existingNetwork) : {
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
      AMI: !c.hostImage ? `SSM ${c.ecsAmiParameter}`
        : c.hostImage.kind === "name" ? `${c.hostImage.name} (pinned by hostImage: Amazon's image of that exact name, ${c.hostImage.arch}; release notes ${releaseNotesUrl(c.hostImage.release)})`
        : `${c.hostImage.id} (pinned by hostImage; an AMI of ${c.region} only)`,
      "warm pool": c.warmPool > 0
        ? `${c.warmPool} stopped on-demand host${c.warmPool === 1 ? "" : "s"}, pre-initialized (the agent waits for service: ECS_WARM_POOLS_CHECK); they enter service before new hosts launch, terminate on scale-in`
        : "none (hostWarmPool 0)",
      "host refresh": describeHostRefresh(hostRefresh(c)),
      spread: c.taskSpread === "binpack" ? "binpack: each service's tasks on the fewest hosts"
        : `${c.taskSpread}: at least ${c.minHosts} on-demand hosts, one per AZ; tasks spread over the AZs first${c.taskSpread === "hosts" ? ", no two of a service on one host" : ""}`,
      "session manager": c.hostSessionManager ? "on" : "off",
      "roles bounded by": c.permissionsBoundaryArn ?? "none (no permissions boundary)",
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
      dashboard: `one CloudWatch dashboard: requests, latency, errors, targets, tasks, CPU/memory, hosts${c.services.some((s) => s.queue) ? ", queue depth and age, dead letters" : ""} (dashboardUrl)`,
    },
  };
  if (c.services.some((s) => s.serviceConnect)) {
    out.cluster["service connect"] = `Cloud Map HTTP namespace (each service that talks names it; the cluster holds no default): ${c.services.filter((s) => s.serviceConnect?.publish).map((s) => `http://${s.name}:${s.port}`).join(", ")}`;
  }
  const azs = c.existingNetwork ? c.existingNetwork.privateSubnetIds.length : c.availabilityZones;
  for (const s of c.services) {
    out[`service ${s.name}`] = {
      ...serviceSettings(s, c.logRetentionDays, new Map(c.services.map((x) => [x.name, x.port]))),
      survives: survives(c.taskSpread, taskCount(s, "kept"), azs),
    };
  }
  for (const s of c.services) if (s.queue) out[`queue ${s.name}`] = queueSettings(c, s, s.queue, stack);
  for (const j of c.jobs) out[`job ${j.name}`] = jobSettings(j, c.logRetentionDays, now);
  return out;
}

/** Seconds in the largest whole unit: "4 days", "15 minutes", "45 s". */
const duration = (seconds: number): string => {
  const unit = [[86400, "day"], [3600, "hour"], [60, "minute"]].find(([n]) => seconds % (n as number) === 0) as [number, string] | undefined;
  return unit ? `${seconds / unit[0]} ${unit[1]}${seconds === unit[0] ? "" : "s"}` : `${seconds} s`;
};

/** One work queue's settings: its queues, encryption, who receives and who sends, the scaling rule in words, its alarms. */
export function queueSettings(c: StackConfig, s: ServiceSpec, q: QueueSpec, stack: string): Record<string, string> {
  const names = queueNames(PROGRAM_PROJECT, stack, s.name);
  const senders = [...c.services.filter((x) => x.sendsTo.includes(s.name)).map((x) => `service ${x.name}`), ...c.jobs.filter((j) => j.sendsTo.includes(s.name)).map((j) => `job ${j.name}`)];
  const a = s.autoscaling!;
  return {
    queue: `${names.queue} (SQS standard): a received message stays hidden ${duration(q.visibilityTimeoutSeconds)} (stopTimeoutSeconds ${s.stopTimeoutSeconds} s and ${q.visibilityTimeoutSeconds - s.stopTimeoutSeconds} s more), messages kept ${duration(q.messageRetentionSeconds)}`,
    "dead letters": `${names.deadLetterQueue} takes a message after ${q.maxReceiveCount} receives (it admits this queue's only), keeps it 14 days`,
    encryption: q.kmsKeyArn ? `customer managed key ${q.kmsKeyArn} (both queues); the receiver may kms:Decrypt, the senders kms:GenerateDataKey and kms:Decrypt, through SQS only` : "SQS managed keys (SSE-SQS), both queues",
    access: "TLS only: each queue's policy denies every request with aws:SecureTransport false",
    receives: `service ${s.name}, URL in ${q.urlVariable}: sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes on this queue only`,
    sends: senders.length > 0 ? `${senders.join(", ")}, URL in ${senderUrlVariable(s.name)}: sqs:SendMessage on this queue only` : "nobody of this stack (no sendsTo names it)",
    scaling: `${a.minCount}..${a.maxCount} tasks: target tracking holds ${q.messagesPerTask} visible messages per running task (AWS/SQS ApproximateNumberOfMessagesVisible / ECS/ContainerInsights RunningTaskCount), and CPU at ${a.cpuTarget} %`
      + (a.minCount === 0 ? "; asleep at 0 tasks, a step policy starts one when messages wait and none is in flight" : ""),
    alarms: `a message in the dead-letter queue; the oldest message waiting over ${duration(q.oldestMessageAlarmSeconds)}`,
  };
}

/** One scheduled job's settings: its image, size, schedule in words and next run, container, permissions. */
export function jobSettings(j: JobSpec, logRetentionDays: number, now: Date): Record<string, string> {
  const schedule = parseSchedule(j.schedule);
  const next = "error" in schedule ? undefined : nextRun(schedule, now);
  const out: Record<string, string> = {
    image: j.appPath ? `built from ${j.appPath}` : j.imageUrl!,
    task: `${j.cpu} CPU / ${j.memory} MiB, no port; ${j.perHost.perInstance} per host (limited by ${j.perHost.limitedBy}); fits beside the services at their most`,
    schedule: "error" in schedule ? j.schedule : `${j.schedule}: ${describeSchedule(schedule)}`,
    "next run": next ? `${next.toISOString().replace(".000Z", "")} UTC${!("error" in schedule) && schedule.kind === "rate" ? " (counted from now; a rate counts from the schedule's creation)" : ""}` : "none (the schedule has no run after now)",
    runs: "EventBridge Scheduler: one task on the cluster's capacity providers, private subnets, no public IP; 2 retries within 1 hour; alarm on failed runs",
  };
  if (j.command) out.command = JSON.stringify(j.command);
  const env = Object.keys(j.environment).sort();
  out.environment = env.length ? env.join(", ") : "none";
  out.secrets = j.secrets.length ? j.secrets.map((x) => `${x.name} <- ${x.source.service === "ssm" ? "SSM" : "Secrets Manager"} ${x.valueFrom}`).join("; ") : "none";
  if (j.registryCredentials) out.registry = `private, credentials <- Secrets Manager ${j.registryCredentials.valueFrom}`;
  out["task role"] = j.taskPolicyArns.length ? j.taskPolicyArns.join(", ") : "no permissions";
  if (j.sendsTo.length > 0) out["sends to"] = j.sendsTo.map((t) => `${t}'s queue (${senderUrlVariable(t)})`).join(", ");
  out.egress = ["HTTPS to anywhere", ...j.egressRules.map((r) => `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`} to ${"vpc" in r.to ? "the VPC" : Object.values(r.to)[0]}`)].join("; ");
  out.logs = `${logRetentionDays} days`;
  return out;
}

/** An existing network's settings: the ids, what the program creates of it (nothing) and what it checks. */
function existingNetworkSettings(n: NonNullable<StackConfig["existingNetwork"]>): Record<string, string> {
  return {
    vpc: `existing ${n.vpcId} (its block read from the VPC)`,
    "public subnets": `${n.publicSubnetIds.join(", ")} (the load balancer)`,
    "private subnets": `${n.privateSubnetIds.join(", ")} (hosts and tasks)`,
    created: "nothing: no VPC, subnet, route table, gateway, Elastic IP, endpoint or flow log",
    checked: "before any resource, by lookups: every subnet exists in the VPC; the public ones span 2+ AZs, one each, and route 0.0.0.0/0 to an internet gateway, or through a firewall endpoint that the gateway's edge route table routes back through (public traffic inspected: the warnings name each such subnet); "
      + "no private one routes to an internet gateway or maps public IPs, each is in an AZ of a public one; room for the ALB and every host and task; a private one that shows no default route is warned about; needs ec2:DescribeVpcs, DescribeSubnets, DescribeRouteTables (and DescribeInternetGateways behind a firewall)",
  };
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
  // A worker has no target group, so none of the alarms that roll a release back or watch latency.
  if (s.route.kind === "worker") return `${strategy}; circuit breaker rollback (a worker has no load balancer alarms)`;
  return `${strategy}${bake}; circuit breaker and alarm rollback; p99 alarm at ${s.p99LatencyAlarmMs} ms`;
}

/** One service's settings: its route, image, size, tasks, container, permissions. */
function serviceSettings(s: ServiceSpec, logRetentionDays: number, ports = new Map<string, number>()): Record<string, string> {
  const route = s.route.kind === "default" ? "the listener's default action"
    : s.route.kind === "worker" ? "none (a worker: no load balancer, nothing in)"
    : `rule priority ${s.route.priority}: ${[s.route.hostHeaders.length ? `host ${s.route.hostHeaders.join(" or ")}` : "", s.route.pathPatterns.length ? `path ${s.route.pathPatterns.join(" or ")}` : ""].filter(Boolean).join(" and ")}`;
  const out: Record<string, string> = {
    route,
    image: s.appPath ? `built from ${s.appPath}` : s.imageUrl!,
    task: `${s.cpu} CPU / ${s.memory} MiB, ${s.route.kind === "worker" ? "no port" : `port ${s.port}`}; ${s.perHost.perInstance} per host (limited by ${s.perHost.limitedBy})`,
    tasks: s.autoscaling
      ? `${s.desiredCount} at start, autoscaling ${s.autoscaling.minCount}..${s.autoscaling.maxCount} (CPU ${s.autoscaling.cpuTarget} %${s.route.kind === "worker" ? "" : `, ${s.autoscaling.requestsPerTarget} requests/task/min`}${s.queue ? `, ${s.queue.messagesPerTask} queued messages/task` : ""})`
      : `${s.desiredCount} (no autoscaling)`,
    deployment: deploymentText(s),
  };
  if (s.route.kind !== "worker") {
    out["health check"] = `${s.healthCheck.path} answers ${s.healthCheck.matcher}, every ${s.healthCheck.intervalSeconds} s (timeout ${s.healthCheck.timeoutSeconds} s, healthy ${s.healthCheck.healthyThreshold}, unhealthy ${s.healthCheck.unhealthyThreshold}), grace ${s.healthCheck.gracePeriodSeconds} s`;
    out["stopping a task"] = `drain ${s.deregistrationDelaySeconds} s, then SIGTERM, SIGKILL ${s.stopTimeoutSeconds} s later`;
  } else {
    out["stopping a task"] = `SIGTERM, SIGKILL ${s.stopTimeoutSeconds} s later`;
  }
  if (s.sidecars.length > 0) {
    out.sidecars = s.sidecars.map((c) => `${c.name}: ${c.imageUrl}, ${c.cpu} CPU / ${c.memory} MiB${c.port !== undefined ? `, port ${c.port}` : ""}, ${c.essential ? "essential" : "not essential"}${c.secrets.length ? `, secrets ${c.secrets.map((x) => x.name).join(", ")}` : ""}${c.registryCredentials ? ", private registry" : ""}`).join("; ");
    out.containers = `${s.name} ${s.containerCpu} CPU / ${s.containerMemory} MiB + sidecars = the task's ${s.cpu} / ${s.memory}`;
  }
  if (s.serviceConnect) {
    const sc = s.serviceConnect;
    out["service connect"] = [
      sc.publish ? `publishes http://${s.name}:${s.port} to ${sc.callers.join(", ")} (its group admits exactly theirs on ${s.port})` : "",
      s.talksTo.length ? `calls ${s.talksTo.map((t) => `http://${t}:${ports.get(t)}`).join(", ")} (a client)` : "",
      `proxy reserve ${sc.proxy.cpu} CPU / ${sc.proxy.memory} MiB in the task`,
    ].filter(Boolean).join("; ");
  }
  if (s.command) out.command = JSON.stringify(s.command);
  if (s.containerHealthCheck) out["container health"] = `${JSON.stringify(s.containerHealthCheck.command)} every ${s.containerHealthCheck.intervalSeconds} s`;
  const env = Object.keys(s.environment).sort();
  out.environment = env.length ? env.join(", ") : "none";
  // Secrets by name and source only: never a value.
  out.secrets = s.secrets.length ? s.secrets.map((x) => `${x.name} <- ${x.source.service === "ssm" ? "SSM" : "Secrets Manager"} ${x.valueFrom}`).join("; ") : "none";
  const registries = [...(s.registryCredentials ? [`${s.name} <- Secrets Manager ${s.registryCredentials.valueFrom}`] : []),
    ...s.sidecars.filter((c) => c.registryCredentials).map((c) => `${c.name} <- Secrets Manager ${c.registryCredentials!.valueFrom}`)];
  if (registries.length) out["registry credentials"] = registries.join("; ");
  if (s.secretsKmsKeyArns.length) out["secrets keys"] = s.secretsKmsKeyArns.join(", ");
  out["task role"] = s.taskPolicyArns.length ? s.taskPolicyArns.join(", ") : "no permissions";
  if (s.sendsTo.length > 0) out["sends to"] = s.sendsTo.map((t) => `${t}'s queue (${senderUrlVariable(t)})`).join(", ");
  out.egress = ["HTTPS to anywhere", ...s.egressRules.map((r) => `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`} to ${"vpc" in r.to ? "the VPC" : Object.values(r.to)[0]}`)].join("; ");
  out.logs = `${logRetentionDays} days`;
  out["ECS Exec"] = s.ecsExec ? "on" : "off";
  return out;
}

/** The default quota of Elastic IPs per region and account (EC2 service quota L-0263D0A3). */
export const ELASTIC_IP_QUOTA = 5;

/** Elastic IPs a stack's config asks for: one per NAT gateway (none in an existing network). */
export function elasticIps(c: Pick<StackConfig, "natGateways" | "availabilityZones" | "existingNetwork">): number {
  if (c.existingNetwork) return 0;
  return c.natGateways === "single" ? 1 : c.availabilityZones;
}

/**
 * A warning when the committed stacks that share `stack`'s region, and may share its account, need more
 * Elastic IPs together than the default quota. Stacks pinned to different accounts (`aws:allowedAccountIds`)
 * are counted apart; stacks that pin none may share one. `config`: `stack`'s own config as planned (the
 * committed file with the run's --config values); the other stacks are counted as committed. With
 * `otherStacks` false (the plan's default, without --all-warnings), only what `stack` alone needs counts.
 */
export function elasticIpWarnings(stack: string, dir = ROOT, config = readStackConfig(stack, dir), otherStacks = true): string[] {
  const describe = (name: string) => {
    try {
      const all = name === stack ? config : readStackConfig(name, dir);
      const c = parseStackConfig(all, { rootDir: ROOT });
      return { name, region: c.region, accounts: all["aws:allowedAccountIds"] ?? "", eips: elasticIps(c) };
    } catch {
      return undefined; // a stack that does not plan is reported by its own plan
    }
  };
  const self = describe(stack);
  if (!self) return [];
  if (!otherStacks) {
    return self.eips <= ELASTIC_IP_QUOTA ? [] : [`Elastic IPs: ${stack} alone needs ${self.eips} (one per NAT gateway), more than the default quota of ${ELASTIC_IP_QUOTA} per region and account: use fewer AZs, natGateways: single, or raise the quota (Service Quotas, L-0263D0A3)`];
  }
  const shared = listStacks(dir).map(describe).filter((s): s is NonNullable<typeof s> =>
    !!s && s.region === self.region && (s.accounts === "" || self.accounts === "" || s.accounts === self.accounts));
  const total = shared.reduce((n, s) => n + s.eips, 0);
  if (total <= ELASTIC_IP_QUOTA) return [];
  return [`Elastic IPs: the committed stacks that may share ${self.region} and an account need ${total} (${shared.map((s) => `${s.name} ${s.eips}`).join(", ")}), more than the default quota of ${ELASTIC_IP_QUOTA} per region and account: `
    + "deploy them to separate accounts (pin each with aws:allowedAccountIds), use natGateways: single where an AZ outage may stop egress, or raise the quota (Service Quotas, L-0263D0A3)"];
}
