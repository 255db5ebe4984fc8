/**
 * What the stack exports: what operators, other stacks (StackReference) and tools build on. The flat
 * outputs describe the default service; `services` has every service by name, `jobs` every job, `queues`
 * every work queue by the service that receives from it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Ec2Cluster } from "../components/cluster";
import type { Dashboard } from "../components/dashboard";
import type { PublicEdge } from "../components/edge";
import type { ScheduledJob } from "../components/job";
import type { NetworkOutputs } from "../components/network";
import type { WorkQueue } from "../components/queue";
import type { Service } from "../components/service";

export interface StackParts {
  network: NetworkOutputs;
  cluster: Ec2Cluster;
  edge: PublicEdge;
  /** By name, the default service first. */
  services: Map<string, Service>;
  jobs: Map<string, ScheduledJob>;
  /** Work queues by the service that receives from them. */
  queues: Map<string, WorkQueue>;
  dashboard: Dashboard;
  alarmActions: pulumi.Input<string>[];
}

export function stackOutputs(p: StackParts) {
  const [web] = p.services.values();
  const byName = <T, U>(m: Map<string, T>, f: (v: T) => U) => Object.fromEntries([...m].map(([name, v]) => [name, f(v)]));
  return {
    url: p.edge.url,
    loadBalancerArn: p.edge.loadBalancer.arn,
    loadBalancerDnsName: p.edge.loadBalancer.dnsName,
    loadBalancerZoneId: p.edge.loadBalancer.zoneId,
    listenerArn: p.edge.listener.arn,
    vpcId: p.network.vpcId,
    publicSubnetIds: p.network.publicSubnetIds,
    privateSubnetIds: p.network.privateSubnetIds,
    clusterName: p.cluster.clusterName,
    clusterArn: p.cluster.clusterArn,
    capacityProviderName: p.cluster.capacityProviderName,
    autoScalingGroupName: p.cluster.autoScalingGroupName,
    hostSecurityGroupId: p.cluster.hostSecurityGroupId,
    serviceName: web.serviceName,
    targetGroupArn: web.targetGroupArn,
    serviceSecurityGroupId: web.securityGroupId,
    taskRoleArn: web.taskRoleArn,
    executionRoleArn: web.executionRoleArn,
    logGroupName: web.logGroupName,
    dashboardUrl: p.dashboard.url,
    alarmTopicArns: p.alarmActions,
    services: byName(p.services, (s) => ({
      serviceName: s.serviceName, targetGroupArn: s.targetGroupArn, securityGroupId: s.securityGroupId,
      taskRoleArn: s.taskRoleArn, executionRoleArn: s.executionRoleArn, logGroupName: s.logGroupName,
    })),
    // Only with jobs: a stack without them keeps exactly its outputs.
    ...(p.jobs.size > 0 ? { jobs: byName(p.jobs, (j) => ({ scheduleArn: j.scheduleArn, taskDefinitionArn: j.taskDefinitionArn, logGroupName: j.logGroupName })) } : {}),
    // Only with work queues, likewise: where to send a message by hand, and the dead letters' queue.
    ...(p.queues.size > 0 ? { queues: byName(p.queues, (q) => ({ queueUrl: q.queueUrl, queueName: q.endpoint.name, deadLetterQueueName: q.deadLetterQueueName })) } : {}),
  };
}
