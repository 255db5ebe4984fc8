/**
 * A service's task and release as data: pure functions of the Service's args (the container definition,
 * ECS's deployment configuration, the execution role's secret reads), tested without an engine.
 */
import type * as aws from "@pulumi/aws";
import { createHash } from "crypto";
import type { Deployment, RegistryCredentials, Secret, SecretStore } from "../lib/shapes";
import { queueVariables } from "./queue";
import type { ServiceArgs, ServiceSidecar } from "./service-args";

/** ECS's deployment configuration for the strategy (bake and step times are strings in the provider). */
export function deploymentConfiguration(d: Deployment): aws.types.input.ecs.ServiceDeploymentConfiguration {
  switch (d.strategy) {
    case "rolling":
      return { strategy: "ROLLING" };
    case "blueGreen":
      return { strategy: "BLUE_GREEN", bakeTimeInMinutes: String(d.bakeTimeMinutes) };
    case "canary":
      return { strategy: "CANARY", bakeTimeInMinutes: String(d.bakeTimeMinutes), canaryConfiguration: { canaryPercent: d.canaryPercent, canaryBakeTimeInMinutes: String(d.shiftIntervalMinutes) } };
    case "linear":
      return { strategy: "LINEAR", bakeTimeInMinutes: String(d.bakeTimeMinutes), linearConfiguration: { stepPercent: d.linearStepPercent, stepBakeTimeInMinutes: String(d.shiftIntervalMinutes) } };
  }
}

/**
 * The one container's definition. A worker's container maps no port and is not told PORT: nothing reaches
 * it (no target group, no inbound rule), and a PORT would tell its application to listen where no one can
 * connect.
 */
export function containerDefinition(args: ServiceArgs, logGroupName: string): Record<string, unknown> {
  const routed = args.route.kind !== "worker";
  return {
    name: args.serviceName,
    image: args.image,
    ...repositoryCredentials(args.registryCredentials),
    cpu: args.containerCpu ?? args.cpu,
    memory: args.containerMemory ?? args.memory,
    essential: true,
    stopTimeout: args.stopTimeoutSeconds,
    ...(args.command ? { command: args.command } : {}),
    // A worker's container maps no port: nothing reaches it. Service Connect publishes a named port
    // mapping (the name is the service's), HTTP for its metrics; only routed services are called.
    ...(routed ? { portMappings: [{ containerPort: args.containerPort, hostPort: args.containerPort, protocol: "tcp", ...(args.serviceConnect?.publish ? { name: args.serviceName, appProtocol: "http" } : {}) }] } : {}),
    environment: [
      ...(routed ? [{ name: "PORT", value: String(args.containerPort) }] : []),
      { name: "SERVICE_NAME", value: args.serviceName },
      // How long an application may take to finish after SIGTERM: 5 s less than ECS allows it.
      { name: "SHUTDOWN_TIMEOUT_MS", value: String(Math.max(1, args.stopTimeoutSeconds - 5) * 1000) },
      ...queueVariables(args.queue, args.sendsTo),
      ...Object.keys(args.environment).sort().map((k) => ({ name: k, value: args.environment[k] })),
    ],
    ...(args.secrets.length > 0 ? { secrets: args.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) } : {}),
    ...(args.containerHealthCheck ? {
      healthCheck: {
        command: args.containerHealthCheck.command,
        interval: args.containerHealthCheck.intervalSeconds,
        timeout: args.containerHealthCheck.timeoutSeconds,
        retries: args.containerHealthCheck.retries,
        startPeriod: args.containerHealthCheck.startPeriodSeconds,
      },
    } : {}),
    // ECS Exec needs an init process to reap the shells it starts.
    linuxParameters: { initProcessEnabled: args.ecsExec },
    logConfiguration: awslogs(logGroupName, args.region, args.serviceName),
  };
}

/** Logging to CloudWatch Logs: the service's (or a job's) log group, a stream prefix per container. */
export function awslogs(logGroupName: string, region: string, streamPrefix: string): Record<string, unknown> {
  return {
    logDriver: "awslogs",
    options: {
      // A full log buffer drops lines instead of blocking the application's stdout.
      mode: "non-blocking",
      "max-buffer-size": "25m",
      "awslogs-group": logGroupName,
      "awslogs-region": region,
      "awslogs-stream-prefix": streamPrefix,
    },
  };
}

/** A sidecar's definition: its own image, size and variables, the service's log group under its own stream prefix. */
export function sidecarDefinition(args: Pick<ServiceArgs, "region">, sidecar: ServiceSidecar, logGroupName: string): Record<string, unknown> {
  return {
    name: sidecar.name,
    image: sidecar.image,
    ...repositoryCredentials(sidecar.registryCredentials),
    cpu: sidecar.cpu,
    memory: sidecar.memory,
    essential: sidecar.essential,
    ...(sidecar.command ? { command: sidecar.command } : {}),
    ...(sidecar.port !== undefined ? { portMappings: [{ containerPort: sidecar.port, hostPort: sidecar.port, protocol: "tcp" }] } : {}),
    environment: Object.keys(sidecar.environment).sort().map((k) => ({ name: k, value: sidecar.environment[k] })),
    ...(sidecar.secrets.length > 0 ? { secrets: sidecar.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) } : {}),
    logConfiguration: awslogs(logGroupName, args.region, sidecar.name),
  };
}

/** ECS Service Connect for the service: a client, and when it publishes, its port under its own name. */
export function serviceConnectConfiguration(args: ServiceArgs, logGroupName: string): aws.types.input.ecs.ServiceServiceConnectConfiguration | undefined {
  const sc = args.serviceConnect;
  if (!sc) return undefined;
  return {
    enabled: true,
    namespace: sc.namespaceArn,
    ...(sc.publish ? {
      services: [{ portName: args.serviceName, discoveryName: args.serviceName, clientAlias: [{ port: args.containerPort, dnsName: args.serviceName }] }],
    } : {}),
    // The proxy's own logs go with the service's.
    logConfiguration: {
      logDriver: "awslogs",
      options: { mode: "non-blocking", "max-buffer-size": "25m", "awslogs-group": logGroupName, "awslogs-region": args.region, "awslogs-stream-prefix": "service-connect" },
    },
  };
}

/** Every secret of the task: the service's container's and its sidecars'. */
export function taskSecrets(args: Pick<ServiceArgs, "secrets" | "sidecars">): Secret[] {
  return [...args.secrets, ...(args.sidecars ?? []).flatMap((c) => c.secrets)];
}

/** Every private registry's credentials of the task: the service's container's and its sidecars'. */
export function taskRegistryCredentials(args: Pick<ServiceArgs, "registryCredentials" | "sidecars">): RegistryCredentials[] {
  return [args.registryCredentials, ...(args.sidecars ?? []).map((c) => c.registryCredentials)].filter((c): c is RegistryCredentials => c !== undefined);
}

/** A container's pull from a private registry: ECS reads the secret with the execution role. */
export const repositoryCredentials = (c: RegistryCredentials | undefined): Record<string, unknown> =>
  c ? { repositoryCredentials: { credentialsParameter: c.valueFrom } } : {};

/** The execution role's reads of exactly these secrets (the variables' and the registries' credentials). */
export function secretsPolicy(secrets: SecretStore[], kmsKeyArns: string[]): { Version: string; Statement: Record<string, unknown>[] } {
  const resources = (service: "ssm" | "secretsmanager") => [...new Set(secrets.filter((s) => s.service === service).map((s) => s.resource))].sort();
  const statements: Record<string, unknown>[] = [];
  const ssm = resources("ssm");
  if (ssm.length > 0) statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ssm });
  const sm = resources("secretsmanager");
  if (sm.length > 0) statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: sm });
  if (kmsKeyArns.length > 0) statements.push({ Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: [...kmsKeyArns].sort() });
  return { Version: "2012-10-17", Statement: statements };
}

/** 8 hex characters of a SHA-256: stable names for list entries, whatever their order. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}
