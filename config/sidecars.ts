/**
 * Sidecars: more containers in a service's task (an OpenTelemetry collector, a log router, a proxy). Each
 * problem names the key as written, the service and the sidecar.
 */
import { didYouMean } from "../lib/suggest";
import { parseEnvironment, parseRegistryCredentials, parseSecrets } from "./containers";
import { ConfigReader } from "./reader";
import type { SidecarSpec } from "./types";

/** ECS container names are letters, digits, hyphens and underscores; these keep them readable and short. */
export const SIDECAR_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export const SIDECAR_KEYS = ["imageUrl", "containerCpu", "containerMemory", "essential", "environment", "secrets", "registryCredentialsArn", "command", "containerPort"] as const;

const SIDECAR_DEFAULTS = { containerCpu: 64, containerMemory: 128, essential: false, environment: {}, secrets: {}, registryCredentialsArn: "", command: [] };

const IMAGE_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * The `sidecars` map of one service (`r` reads the service's keys: flat for the default service, an entry
 * of `services` otherwise). `port`: the service's container port, which no sidecar may take (awsvpc: the
 * containers of a task share one network namespace).
 */
export function parseSidecars(r: ConfigReader, service: string, region: string, port: number): SidecarSpec[] {
  const out: SidecarSpec[] = [];
  const ports = new Map<number, string>([[port, `the service's own container (containerPort ${port})`]]);
  for (const [name, entry] of Object.entries(r.map("sidecars", "sidecar names to their container settings"))) {
    const which = `(sidecar ${name} of service ${service})`;
    if (!SIDECAR_NAME_RE.test(name) || name === service) {
      r.problems.push(`${r.label("sidecars")}.${name} is not allowed: sidecar names are 1 to 32 lowercase letters, digits and inner hyphens, other than the service's own name (${service}, its container's) ${which}`);
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      r.problems.push(`${r.label("sidecars")}.${name} = ${JSON.stringify(entry)} is not allowed: a map of the sidecar's settings, e.g. {imageUrl: ..., containerCpu: 64, containerMemory: 128} ${which}`);
      continue;
    }
    const own: string[] = [];
    const e = new ConfigReader(entry as Record<string, unknown>, SIDECAR_DEFAULTS, (k) => `${r.label("sidecars")}.${name}.${k}`, own);
    e.unknownKeys(SIDECAR_KEYS, didYouMean);
    const imageUrl = e.str("imageUrl");
    if (!imageUrl) e.problems.push(`${e.label("imageUrl")} is not set: a sidecar needs a container image reference`);
    else if (!IMAGE_RE.test(imageUrl)) e.bad("imageUrl", "a container image reference such as public.ecr.aws/aws-observability/aws-otel-collector:latest");
    // ECS: a container's cpu is 0.. units (a share of the task's); memory is a hard limit of at least 6 MiB (Docker's least).
    const cpu = e.int("containerCpu", 0, 196608, "an integer from 0 to 196608 (CPU units, 1024 = 1 vCPU)");
    const memory = e.int("containerMemory", 6, Number.MAX_SAFE_INTEGER, "an integer >= 6 (MiB, a hard limit: Docker's least is 6)");
    const essential = e.bool("essential");
    const environment = parseEnvironment(e, []);
    const secrets = parseSecrets(e, region, []);
    for (const s of secrets) if (s.name in environment) e.bad("secrets", `names not also in environment (${s.name} is in both)`);
    const command = e.strings("command");
    let sidecarPort: number | undefined;
    if (e.has("containerPort")) {
      sidecarPort = e.int("containerPort", 1, 65535, "an integer from 1 to 65535");
      const other = ports.get(sidecarPort);
      if (other) e.bad("containerPort", `a port no other container of the task listens on (${other} has it: the containers share the task's network)`);
      ports.set(sidecarPort, `sidecar ${name}`);
    }
    const registryCredentials = parseRegistryCredentials(e, region);
    r.problems.push(...own.map((p) => `${p} ${which}`));
    out.push({
      name, imageUrl, cpu, memory, essential, environment, secrets, ...(registryCredentials ? { registryCredentials } : {}),
      ...(command.length ? { command } : {}), ...(sidecarPort !== undefined ? { port: sidecarPort } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
