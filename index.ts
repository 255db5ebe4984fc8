/**
 * ecs-ec2-api: public-facing APIs on ECS with EC2 capacity. The network, the cluster, one public entry
 * (the load balancer) and the services behind it, composed from validated stack config. Pulumi calls the
 * exported function and takes what it returns as the stack outputs; the tests and the offline plan call
 * it the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_SETTLE_MINUTES, checkExistingNetwork, loadConfig, releaseMinutes } from "./config";
import { Network } from "./components/network";
import { ExistingNetwork, lookUpNetwork } from "./components/existing-network";
import { Ec2Cluster } from "./components/cluster";
import { PublicEdge } from "./components/edge";
import { AppImage } from "./components/image";
import { Service } from "./components/service";
import { ScheduledJob } from "./components/job";
import { Alerts } from "./components/alerts";
import { Dashboard } from "./components/dashboard";

export = async function main() {
  // Every key is validated before the first resource is registered, and an existing network's subnets
  // are looked up and judged (lookups only): the engine waits for this function's promise.
  const config = loadConfig();
  const existing = config.existingNetwork && checkExistingNetwork(config, await lookUpNetwork(config.existingNetwork));
  for (const w of existing ? existing.warnings : []) void pulumi.log.warn(w);
  const [main] = config.services;
  const stackTags = { project: "ecs-ec2-api", stack: pulumi.getStack(), service: main.name };

  // Every alarm notifies these topics (none configured: the alarms still roll deployments back).
  const alarmActions = config.alarmEmail || config.alarmTopicArn
    ? new Alerts("alerts", { email: config.alarmEmail, topicArn: config.alarmTopicArn, region: config.region, tags: stackTags }).topicArns
    : [];

  const network = config.existingNetwork && existing ? new ExistingNetwork("api", { ...config.existingNetwork, privateZones: existing.privateZones }) : new Network("api", {
    vpcCidr: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    availabilityZoneNames: config.availabilityZoneNames,
    natGateways: config.natGateways,
    region: config.region,
    flowLogs: config.flowLogs,
    logRetentionDays: config.logRetentionDays,
    protect: config.deletionProtection,
    tags: stackTags,
  });

  const cluster = new Ec2Cluster("api", {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
    egress: network.privateEgress,
    instanceType: config.instanceType,
    ecsAmiParameter: config.ecsAmiParameter,
    desiredCapacity: config.desiredCapacity,
    maxSize: config.maxSize,
    region: config.region,
    eniTrunking: config.eniTrunking,
    sessionManager: config.hostSessionManager,
    spot: config.spot,
    alarmActions,
    // ECS Service Connect's namespace, only when a service talks to another.
    serviceConnectNamespace: config.services.some((s) => s.serviceConnect) ? `${pulumi.getProject()}-${pulumi.getStack()}` : undefined,
    tags: stackTags,
  });

  const edge = new PublicEdge("edge", {
    namePrefix: main.name,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    publicIngress: network.publicIngress,
    region: config.region,
    certificateArn: config.certificateArn,
    domain: config.domainName && config.hostedZoneId ? { name: config.domainName, hostedZoneId: config.hostedZoneId } : undefined,
    idleTimeoutSeconds: config.albIdleTimeoutSeconds,
    deletionProtection: config.deletionProtection,
    accessLogs: config.accessLogs,
    logRetentionDays: config.logRetentionDays,
    waf: config.waf,
    // ECS moves blue/green, canary and linear traffic by a listener rule's weights, not the default action.
    defaultRoute: main.deployment.strategy === "rolling" ? "forward" : "rule",
    alarmActions,
    tags: stackTags,
  });

  // An existing VPC's block as its lookup found it (offline, in preview: known after up).
  const vpcCidr = existing ? existing.vpcCidr ?? pulumi.output(pulumi.unknown as unknown as string) : config.vpcCidr;
  // A service is created after the services it talks to (their endpoints exist before its tasks start).
  const made = new Map<string, Service>();
  // What every task that runs on the cluster needs, services and jobs alike.
  const onCluster = {
    vpcId: network.vpcId,
    vpcCidr,
    privateSubnetIds: network.privateSubnetIds,
    egress: network.privateEgress,
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    capacityProviderStrategies: cluster.capacityProviderStrategies,
    capacityProviders: cluster.capacityProviders,
    region: config.region,
    logRetentionDays: config.logRetentionDays,
  };
  // The image built from appPath (an ECR repository and image of its own), or the one named by imageUrl.
  const imageOf = (name: string, spec: { appPath?: string; imageUrl?: string }, tags: Record<string, string>) => spec.appPath
    ? new AppImage(name, { context: spec.appPath, arch: config.instance.arch, protect: config.deletionProtection, tags }).imageUri
    : spec.imageUrl!;
  const make = (spec: (typeof config.services)[number], calling: string[] = []): Service => {
    const done = made.get(spec.name);
    if (done) return done;
    const called = spec.talksTo.filter((t) => !calling.includes(t)).map((t) => make(config.services.find((s) => s.name === t)!, [...calling, spec.name]));
    if (made.has(spec.name)) return made.get(spec.name)!;
    const tags = { ...stackTags, service: spec.name };
    const image = imageOf(spec.name, spec, tags);
    const service = new Service(spec.name, {
      ...spec,
      serviceName: spec.name,
      image,
      sidecars: spec.sidecars.map((c) => ({ ...c, image: c.imageUrl })),
      serviceConnect: spec.serviceConnect && cluster.serviceConnectNamespaceArn ? { namespaceArn: cluster.serviceConnectNamespaceArn, publish: spec.serviceConnect.publish } : undefined,
      after: called.map((c) => c.service),
      containerPort: spec.port,
      updateTimeoutMinutes: DEPLOYMENT_SETTLE_MINUTES + releaseMinutes(spec.deployment, spec.deregistrationDelaySeconds + spec.stopTimeoutSeconds),
      edge,
      ...onCluster,
      executionRoleArn: cluster.executionRoleArn,
      executionRolePolicies: cluster.executionRolePolicies,
      alarmActions,
      tags,
    });
    made.set(spec.name, service);
    return service;
  };
  const services = config.services.map((spec) => make(spec));
  // Each called service admits exactly its callers, on its port.
  for (const [i, spec] of config.services.entries()) for (const caller of spec.serviceConnect?.callers ?? []) services[i].admit(caller, made.get(caller)!);
  const [web] = services;

  // Scheduled jobs: one-off tasks EventBridge Scheduler runs on the same cluster, in the private subnets.
  const jobTags = (name: string) => ({ project: stackTags.project, stack: stackTags.stack, job: name });
  const jobs = config.jobs.map((job) => new ScheduledJob(job.name, {
    ...job,
    jobName: job.name,
    image: imageOf(job.name, job, jobTags(job.name)),
    scheduleExpression: job.schedule,
    ...onCluster,
    alarmActions,
    tags: jobTags(job.name),
  }));

  const dashboard = new Dashboard("dashboard", {
    region: config.region,
    loadBalancerArnSuffix: edge.loadBalancer.arnSuffix,
    clusterName: cluster.clusterName,
    capacityProviderNames: [cluster.capacityProviderName, ...(cluster.spotCapacityProviderName ? [cluster.spotCapacityProviderName] : [])],
    services: services.map((s, i) => ({ name: config.services[i].name, targetGroupArnSuffixes: s.targetGroupArnSuffixes })),
  });

  // What operators, other stacks (StackReference) and tools build on. The flat ones describe the default
  // service; `services` has every service by name.
  return {
    url: edge.url,
    loadBalancerArn: edge.loadBalancer.arn,
    loadBalancerDnsName: edge.loadBalancer.dnsName,
    loadBalancerZoneId: edge.loadBalancer.zoneId,
    listenerArn: edge.listener.arn,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    clusterName: cluster.clusterName,
    clusterArn: cluster.clusterArn,
    capacityProviderName: cluster.capacityProviderName,
    autoScalingGroupName: cluster.autoScalingGroupName,
    hostSecurityGroupId: cluster.hostSecurityGroupId,
    serviceName: web.serviceName,
    targetGroupArn: web.targetGroupArn,
    serviceSecurityGroupId: web.securityGroupId,
    taskRoleArn: web.taskRoleArn,
    executionRoleArn: web.executionRoleArn,
    logGroupName: web.logGroupName,
    dashboardUrl: dashboard.url,
    alarmTopicArns: alarmActions,
    services: Object.fromEntries(services.map((s, i) => [config.services[i].name, {
      serviceName: s.serviceName,
      targetGroupArn: s.targetGroupArn,
      securityGroupId: s.securityGroupId,
      taskRoleArn: s.taskRoleArn,
      executionRoleArn: s.executionRoleArn,
      logGroupName: s.logGroupName,
    }])),
    // Only with jobs: a stack without them keeps exactly its outputs.
    ...(jobs.length > 0 ? { jobs: Object.fromEntries(jobs.map((j, i) => [config.jobs[i].name, { scheduleArn: j.scheduleArn, taskDefinitionArn: j.taskDefinitionArn, logGroupName: j.logGroupName }])) } : {}),
  };
};
