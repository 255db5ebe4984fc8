/**
 * ecs-ec2-api: a public-facing API on ECS with EC2 capacity. The network, the cluster and the
 * load-balanced service, composed from validated stack config. Pulumi calls the exported function and
 * takes what it returns as the stack outputs; the tests and the offline plan call it the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { Network } from "./components/network";
import { Ec2Cluster } from "./components/cluster";
import { AppImage } from "./components/image";
import { LoadBalancedService } from "./components/service";

export = function main() {
  // Every key is validated before the first resource is registered.
  const config = loadConfig();
  const tags = { project: "ecs-ec2-api", stack: pulumi.getStack(), service: config.serviceName };

  const network = new Network("api", {
    vpcCidr: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    natGateways: config.natGateways,
    region: config.region,
    availabilityZoneNames: config.availabilityZoneNames,
    flowLogs: config.flowLogs,
    logRetentionDays: config.logRetentionDays,
    protect: config.deletionProtection,
    tags,
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
    tags,
  });

  const image = config.appPath
    ? new AppImage(config.serviceName, { context: config.appPath, arch: config.instance.arch, protect: config.deletionProtection, tags }).imageUri
    : config.imageUrl;

  const service = new LoadBalancedService(config.serviceName, {
    serviceName: config.serviceName,
    image,
    cpu: config.containerCpu,
    memory: config.containerMemory,
    containerPort: config.containerPort,
    desiredCount: config.desiredCount,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    publicIngress: network.publicIngress,
    privateSubnetIds: network.privateSubnetIds,
    egress: network.privateEgress,
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    capacityProviderName: cluster.capacityProviderName,
    capacityProviders: cluster.capacityProviders,
    executionRoleArn: cluster.executionRoleArn,
    executionRolePolicies: cluster.executionRolePolicies,
    region: config.region,
    healthCheckPath: config.healthCheckPath,
    healthCheckGracePeriodSeconds: config.healthCheckGracePeriodSeconds,
    deregistrationDelaySeconds: config.deregistrationDelaySeconds,
    stopTimeoutSeconds: config.stopTimeoutSeconds,
    albIdleTimeoutSeconds: config.albIdleTimeoutSeconds,
    certificateArn: config.certificateArn,
    logRetentionDays: config.logRetentionDays,
    deletionProtection: config.deletionProtection,
    accessLogs: config.accessLogs,
    autoscaling: config.autoscaling
      ? {
        minCount: config.autoscalingMinCount,
        maxCount: config.autoscalingMaxCount,
        cpuTargetPercent: config.autoscalingCpuTarget,
        requestsPerTarget: config.autoscalingRequestsPerTarget,
      }
      : undefined,
    ecsExec: config.ecsExec,
    tags,
  });

  return {
    url: service.url,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    clusterName: cluster.clusterName,
    serviceName: service.serviceName,
    logGroupName: service.logGroupName,
    autoScalingGroupName: cluster.autoScalingGroupName,
  };
};
