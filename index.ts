/**
 * ecs-ec2-api: public-facing APIs on ECS with EC2 capacity. The network, the cluster, one public entry
 * (the load balancer) and the services and jobs behind it, composed from validated stack config. Pulumi
 * calls the exported function and takes what it returns as the stack outputs; the tests and the offline
 * plan call it the same way. compose/ maps config onto each component's Args.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkExistingNetwork, checkHostImage, loadConfig } from "./config";
import { imageQuery } from "./lib/host-images";
import { lookUpNetwork } from "./components/existing-network";
import { lookUpImage } from "./components/host-image";
import { Ec2Cluster } from "./components/cluster";
import { PublicEdge } from "./components/edge";
import { Service } from "./components/service";
import { ScheduledJob } from "./components/job";
import { WorkQueue } from "./components/queue";
import { Alerts } from "./components/alerts";
import { Dashboard } from "./components/dashboard";
import { clusterArgs, createNetwork, edgeArgs, jobArgs, jobTags, placementArgs, queueArgs, serviceArgs, stackTags } from "./compose/args";
import { stackOutputs } from "./compose/outputs";

export = async function main() {
  // Every key is validated before the first resource is registered, and an existing network's subnets and a
  // pinned host image are looked up and judged (lookups only): the engine waits for this function's promise.
  const config = loadConfig();
  const existing = config.existingNetwork && checkExistingNetwork(config, await lookUpNetwork(config.existingNetwork));
  const image = config.hostImage && checkHostImage(config, await lookUpImage(imageQuery(config.hostImage, config.instance.arch)));
  for (const w of [...(existing ? existing.warnings : []), ...(image ? image.warnings : [])]) void pulumi.log.warn(w);
  const tags = stackTags(config);

  // Every alarm notifies these topics (none configured: the alarms still roll deployments back).
  const alarmActions = config.alarmEmail || config.alarmTopicArn
    ? new Alerts("alerts", { email: config.alarmEmail, topicArn: config.alarmTopicArn, region: config.region, tags }).topicArns
    : [];
  const network = createNetwork(config, existing, tags);
  const cluster = new Ec2Cluster("api", clusterArgs(config, network, image ? image.amiId : undefined, alarmActions, tags));
  const edge = new PublicEdge("edge", edgeArgs(config, network, alarmActions, tags));
  const placement = placementArgs(config, network, cluster);

  // Work queues before any service: a service or job may send to any queue, whatever the services' order.
  const queues = new Map(config.services.flatMap((s) => (s.queue ? [[s.name, new WorkQueue(s.name, queueArgs(config, s.name, s.queue, alarmActions, { ...tags, service: s.name }))] as const] : [])));

  // Each service after the services it calls (config.serviceOrder): their endpoints exist before its tasks start.
  const made = new Map<string, Service>();
  for (const name of config.serviceOrder) {
    const spec = config.services.find((s) => s.name === name)!;
    const after = spec.talksTo.map((t) => made.get(t)!.service);
    made.set(name, new Service(name, serviceArgs(config, spec, { placement, cluster, edge, alarmActions, after, queues, tags: { ...tags, service: name } })));
  }
  const services = new Map(config.services.map((s) => [s.name, made.get(s.name)!]));
  // Each called service admits exactly its callers, on its port.
  for (const spec of config.services) for (const caller of spec.serviceConnect?.callers ?? []) services.get(spec.name)!.admit(caller, services.get(caller)!);

  // Scheduled jobs: one-off tasks EventBridge Scheduler runs on the same cluster, in the private subnets.
  const jobs = new Map(config.jobs.map((job) => [job.name, new ScheduledJob(job.name, jobArgs(config, job, placement, queues, alarmActions, jobTags(tags, job.name)))]));

  const dashboard = new Dashboard("dashboard", {
    region: config.region,
    loadBalancerArnSuffix: edge.loadBalancer.arnSuffix,
    clusterName: cluster.clusterName,
    capacityProviderNames: [cluster.capacityProviderName, ...(cluster.spotCapacityProviderName ? [cluster.spotCapacityProviderName] : [])],
    services: [...services].map(([name, s]) => ({ name, targetGroupArnSuffixes: s.targetGroupArnSuffixes })),
    queues: [...queues].map(([service, q]) => ({ service, queue: q.endpoint.name, deadLetterQueue: q.deadLetterQueueName })),
  });
  return stackOutputs({ network, cluster, edge, services, jobs, queues, dashboard, alarmActions });
};
