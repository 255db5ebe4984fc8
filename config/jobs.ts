/**
 * Scheduled jobs (`jobs`): one-off ECS tasks EventBridge Scheduler runs on the cluster. Each problem names
 * the key as written (`ecs-ec2-api:jobs.<name>.<key>`), the value and what is allowed; the image,
 * environment, secrets, task policies and egress rules are read as a service's are.
 */
import { schedulable, tasksPerInstance } from "../lib/instance-types";
import { parseSchedule, SCHEDULE_FORMS } from "../lib/schedule";
import { didYouMean } from "../lib/suggest";
import { clusterHolds } from "./capacity";
import { parseEgressRules, parseEnvironment, parseRegistryCredentials, parseSecrets } from "./containers";
import { parseSendsTo } from "./queues";
import { ConfigReader } from "./reader";
import { NAMESPACE } from "./schema";
import { MIN_TASK_CPU, parseImage, parseTaskPolicyArns, reservedPrefixOf, SERVICE_NAME_RE, SERVICE_NAME_RULE, type ServiceContext } from "./services";
import type { ClusterCapacity, JobSpec, ServiceSpec } from "./types";

export const JOB_KEYS = ["imageUrl", "appPath", "command", "schedule", "containerCpu", "containerMemory", "environment", "secrets", "registryCredentialsArn", "taskPolicyArns", "egressRules", "sendsTo"] as const;

const JOB_DEFAULTS = { containerCpu: 256, containerMemory: 512, command: [], environment: {}, secrets: {}, registryCredentialsArn: "", taskPolicyArns: [], egressRules: [], sendsTo: [] };

/** The variable the program sets in a job's container (its name). */
export const JOB_ENV = ["JOB_NAME"];

/** The `jobs` map: every entry validated; names like service names and none a service's. */
export function parseJobs(r: ConfigReader, ctx: ServiceContext, services: ServiceSpec[]): JobSpec[] {
  const out: JobSpec[] = [];
  const serviceNames = services.map((s) => s.name);
  const room = ctx.instance ? schedulable(ctx.instance) : undefined;
  for (const [name, entry] of Object.entries(r.map("jobs", "job names to their settings")).sort(([a], [b]) => a.localeCompare(b))) {
    const prefix = `${NAMESPACE}:jobs.${name}`;
    if (!SERVICE_NAME_RE.test(name) || reservedPrefixOf(name)) {
      r.problems.push(`${prefix} is not allowed: job names are ${SERVICE_NAME_RULE}`);
      continue;
    }
    if (serviceNames.includes(name)) {
      r.problems.push(`${prefix} is not allowed: ${name} is a service of this stack (its task family and container have the name); give the job another name`);
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      r.problems.push(`${prefix} = ${JSON.stringify(entry)} is not allowed: a map of the job's settings, e.g. {imageUrl: ..., schedule: "cron(0 2 * * ? *)", command: [...]}`);
      continue;
    }
    const e = r.nested(entry as Record<string, unknown>, JOB_DEFAULTS, prefix);
    e.unknownKeys(JOB_KEYS, didYouMean);
    const { appPath, imageUrl } = parseImage(e, ctx.rootDir, false, "job");
    let schedule = "";
    if (!e.has("schedule")) e.problems.push(`${e.label("schedule")} is not set: a job needs a schedule, one of ${SCHEDULE_FORMS}`);
    else {
      schedule = e.str("schedule");
      const parsed = parseSchedule(schedule);
      if ("error" in parsed) e.bad("schedule", parsed.error);
    }
    const command = e.strings("command");
    const cpu = e.int("containerCpu", MIN_TASK_CPU, Number.MAX_SAFE_INTEGER, `an integer >= ${MIN_TASK_CPU} (CPU units, 1024 = 1 vCPU; ECS's least for an EC2 task)`);
    const memory = e.int("containerMemory", 6, Number.MAX_SAFE_INTEGER, "an integer >= 6 (MiB)");
    if (room && cpu > room.cpu) e.bad("containerCpu", `at most ${room.cpu} CPU units, what one ${ctx.instanceType} offers (the job's task runs on one host)`);
    if (room && memory > room.memoryMiB) e.bad("containerMemory", `at most ${room.memoryMiB} MiB, what one ${ctx.instanceType} offers ECS after the kernel and the ECS reserve (the job's task runs on one host)`);
    const environment = parseEnvironment(e, JOB_ENV);
    const secrets = parseSecrets(e, ctx.region, JOB_ENV);
    for (const s of secrets) if (s.name in environment) e.bad("secrets", `names not also in environment (${s.name} is in both)`);
    const registryCredentials = parseRegistryCredentials(e, ctx.region);
    const taskPolicyArns = parseTaskPolicyArns(e);
    const egressRules = parseEgressRules(e, `job ${name}`, ctx.vpcCidr);
    const sendsTo = parseSendsTo(e);
    const perHost = ctx.instance ? tasksPerInstance(ctx.instance, cpu, memory, ctx.eniTrunking) : { perInstance: 0, limitedBy: "cpu" as const };
    out.push({
      name, imageUrl, appPath, ...(command.length > 0 ? { command } : {}), schedule, cpu, memory,
      environment, secrets, ...(registryCredentials ? { registryCredentials } : {}), taskPolicyArns, egressRules, sendsTo, perHost,
    });
  }
  return out;
}

/**
 * Can each job's task run when it is due, whatever the services do? Its CPU, memory and network interface
 * must fit in what maxSize hosts (and the Spot hosts) leave beside every service at its most (autoscaling
 * maxima). Each job is judged alone: jobs whose runs overlap are not summed.
 */
export function checkJobPlacement(r: ConfigReader, jobs: JobSpec[], capacity: ClusterCapacity, instanceType: string, trunking: boolean): void {
  const hosts = `${capacity.hosts} ${instanceType} hosts${capacity.spot ? ` and ${capacity.spot.hosts} Spot hosts` : ""}`;
  for (const job of jobs) {
    const prefix = `${NAMESPACE}:jobs.${job.name}`;
    const need = { cpu: job.cpu, memoryMiB: job.memory, tasks: 1 };
    const over = (["tasks", "cpu", "memoryMiB"] as const).find((k) => need[k] > clusterHolds(capacity, k) - capacity.peak[k]);
    if (!over) continue;
    const unit = { tasks: "task network interfaces", cpu: "CPU units", memoryMiB: "MiB" }[over];
    const left = clusterHolds(capacity, over) - capacity.peak[over];
    const why = `room for the job's task beside the services at their most: ${hosts} hold ${clusterHolds(capacity, over)} ${unit}, the services need ${capacity.peak[over]} at their most, which leaves ${left}, and the job's task needs ${need[over]}`;
    const fix = `raise maxSize, choose a larger instanceType${over === "tasks" && !trunking ? " or turn on eniTrunking" : ""}, or lower the services' counts`;
    if (over === "tasks") r.problems.push(`${prefix} is not allowed: ${why}; ${fix}`);
    else {
      const key = over === "cpu" ? "containerCpu" : "containerMemory";
      r.problems.push(`${prefix}.${key} = ${JSON.stringify(String(over === "cpu" ? job.cpu : job.memory))} is not allowed: ${why}; ${fix}${over === "cpu" ? ", or a smaller containerCpu" : ", or a smaller containerMemory"}`);
    }
  }
}
