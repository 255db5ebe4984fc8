/** A container's settings: environment, secrets, its Docker health check and the outbound rules of its tasks. */
import { parseCidr } from "../lib/cidr";
import { credentialIn, maskCredentials, maskSecret } from "../lib/secrets";
import { didYouMean } from "../lib/suggest";
import { BUILT_IN_HTTPS, type RegistryCredentials } from "../lib/shapes";
import { ARN_SHAPES, parseSecretSource, type SecretSource } from "./arns";
import { ConfigReader } from "./reader";
import type { ContainerHealthCheck, EgressRule, SecretSpec } from "./types";

export const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/** Variables the program sets itself. */
export const PROGRAM_ENV = ["PORT", "SERVICE_NAME", "SHUTDOWN_TIMEOUT_MS"];


/** `reserved`: names the program sets itself in this container (none in a sidecar). */
export function parseEnvironment(r: ConfigReader, reserved: string[] = PROGRAM_ENV): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.map("environment", "variable names to values"))) {
    if (!ENV_NAME_RE.test(name)) {
      r.bad("environment", `variable names of letters, digits and _ not starting with a digit; not ${JSON.stringify(name)}`);
      continue;
    }
    if (reserved.includes(name)) {
      r.bad("environment", `no ${name}: the program sets ${reserved.join(", ")} itself (PORT from containerPort)`);
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      r.bad("environment", `plain values (strings, numbers, booleans); ${name} is ${JSON.stringify(value)}`);
      continue;
    }
    const credential = credentialIn(String(value));
    if (credential) {
      // The value is shown masked: an error must not repeat the secret it refuses.
      r.problems.push(`${r.label("environment")}.${name} = ${JSON.stringify(maskCredentials(String(value)))} is not allowed: no credentials as plain values (it holds ${credential}); `
        + `put ${credential.startsWith("a URL") ? "the URL (or its password alone)" : "it"} in SSM or Secrets Manager and name it in secrets`);
      continue;
    }
    out[name] = String(value);
  }
  return out;
}

export function parseSecrets(r: ConfigReader, region: string, reserved: string[] = PROGRAM_ENV): SecretSpec[] {
  const out: SecretSpec[] = [];
  for (const [name, value] of Object.entries(r.map("secrets", "variable names to SSM parameter or Secrets Manager secret ARNs"))) {
    if (!ENV_NAME_RE.test(name) || reserved.includes(name)) {
      r.bad("secrets", `variable names of letters, digits and _ not starting with a digit${reserved.length ? `, other than ${reserved.join(", ")}` : ""}; not ${JSON.stringify(name)}`);
      continue;
    }
    const source = typeof value === "string" ? parseSecretSource(value.trim()) : undefined;
    if (!source) {
      // A value that is no ARN at all is likely the secret itself: shown by its length only.
      const shown = typeof value === "string" && !value.trim().startsWith("arn:") ? maskSecret(value) : JSON.stringify(value);
      r.problems.push(`${r.label("secrets")}.${name} = ${shown} is not allowed: ${ARN_SHAPES.secret}`);
      continue;
    }
    if (source.region !== region) {
      r.bad("secrets", `${name}: a parameter or secret in the stack's region ${region} (it is in ${source.region}): ECS reads secrets from the task's region`);
      continue;
    }
    out.push({ name, valueFrom: String(value).trim(), source });
  }
  return out;
}

/**
 * `registryCredentialsArn`: a Secrets Manager secret of the stack's region (ECS's repositoryCredentials
 * takes a Secrets Manager secret only, Amazon ECS Developer Guide, "Private registry authentication for
 * tasks"); undefined when empty.
 */
export function parseRegistryCredentials(r: ConfigReader, region: string): RegistryCredentials<SecretSource> | undefined {
  const arn = r.str("registryCredentialsArn");
  if (!arn) return undefined;
  const source = parseSecretSource(arn);
  if (!source || source.service !== "secretsmanager" || source.jsonKey !== undefined) {
    r.bad("registryCredentialsArn", "empty, or a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>, no JSON key) holding {\"username\": ..., \"password\": ...}: ECS takes private registry credentials from Secrets Manager only");
    return undefined;
  }
  if (source.region !== region) {
    r.bad("registryCredentialsArn", `a secret in the stack's region ${region} (it is in ${source.region}): ECS reads it from the task's region`);
    return undefined;
  }
  return { valueFrom: arn, source };
}

export function parseContainerHealthCheck(r: ConfigReader): ContainerHealthCheck | undefined {
  const spec = r.map("containerHealthCheck", "health check settings");
  if (Object.keys(spec).length === 0) return undefined;
  const h = r.nested(spec, { intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 }, r.label("containerHealthCheck"));
  h.unknownKeys(["command", "intervalSeconds", "timeoutSeconds", "retries", "startPeriodSeconds"], didYouMean);
  const command = h.has("command") ? h.strings("command") : [];
  if (command.length < 2 || !["CMD", "CMD-SHELL"].includes(command[0])) {
    h.bad("command", 'a list that starts with CMD (then the program and its arguments) or CMD-SHELL (then one shell command), e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]');
  }
  return {
    command,
    // ECS: interval 5..300, timeout 2..60, retries 1..10, start period 0..300 seconds.
    intervalSeconds: h.int("intervalSeconds", 5, 300, "an integer from 5 to 300 (seconds)"),
    timeoutSeconds: h.int("timeoutSeconds", 2, 60, "an integer from 2 to 60 (seconds)"),
    retries: h.int("retries", 1, 10, "an integer from 1 to 10"),
    startPeriodSeconds: h.int("startPeriodSeconds", 0, 300, "an integer from 0 to 300 (seconds)"),
  };
}

const WORLD = ["0.0.0.0/0", "::/0"];

/**
 * What makes two outbound rules one rule to EC2: protocol, port range and destination, not the
 * description (a second one answers InvalidPermission.Duplicate at up). `vpc` is the VPC's block when the
 * stack knows it (a created network), else compared as written.
 */
export function egressIdentity(rule: Omit<EgressRule, "description">, vpcCidr?: string): string {
  const to = "vpc" in rule.to ? `cidr ${vpcCidr ?? "vpc"}` : "cidr" in rule.to ? `cidr ${rule.to.cidr}` : "securityGroupId" in rule.to ? `sg ${rule.to.securityGroupId}` : `pl ${rule.to.prefixListId}`;
  return `${rule.protocol} ${rule.fromPort}-${rule.toPort} ${to}`;
}

/** "tcp 5432 to the VPC", "tcp 443 to 0.0.0.0/0". */
function describeEgress(rule: Omit<EgressRule, "description">): string {
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  const to = "vpc" in rule.to ? "the VPC" : "cidr" in rule.to ? rule.to.cidr : "securityGroupId" in rule.to ? rule.to.securityGroupId : rule.to.prefixListId;
  return `${rule.protocol} ${ports} to ${to}`;
}

/**
 * `owner`: "service web", "job nightly-report" (errors name it). `vpcCidr`: the created VPC's block, so
 * that `cidr: vpc` and the same block written out are one rule.
 */
export function parseEgressRules(r: ConfigReader, owner: string, vpcCidr?: string): EgressRule[] {
  const out: EgressRule[] = [];
  const seen = new Map<string, { index: number; entry: unknown; rule: EgressRule }>();
  r.list("egressRules", "outbound rules").forEach((entry, i) => {
    const label = `${r.label("egressRules")}[${i}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      r.problems.push(`${label} = ${JSON.stringify(entry)} is not allowed: a rule like {port: 5432, cidr: vpc}`);
      return;
    }
    const e = r.nested(entry as Record<string, unknown>, { protocol: "tcp", description: "", allowInternet: false }, label);
    e.unknownKeys(["protocol", "port", "fromPort", "toPort", "cidr", "securityGroupId", "prefixListId", "description", "allowInternet"], didYouMean);
    const protocol = e.str("protocol").toLowerCase();
    if (protocol !== "tcp" && protocol !== "udp") e.bad("protocol", "tcp or udp (no rule opens every protocol)");
    let fromPort = 0;
    let toPort = 0;
    if (e.has("port") === (e.has("fromPort") || e.has("toPort"))) {
      r.problems.push(`${label} is not allowed: give port, or fromPort and toPort (a range)`);
    } else if (e.has("port")) {
      fromPort = toPort = e.int("port", 1, 65535, "a port from 1 to 65535");
    } else {
      fromPort = e.int("fromPort", 1, 65535, "a port from 1 to 65535");
      toPort = e.int("toPort", 1, 65535, "a port from 1 to 65535");
      if (toPort < fromPort) e.bad("toPort", `at least fromPort (${fromPort})`);
    }
    const destinations = (["cidr", "securityGroupId", "prefixListId"] as const).filter((k) => e.has(k));
    if (destinations.length !== 1) {
      r.problems.push(`${label} is not allowed: give exactly one destination: cidr (an IPv4 block, or vpc for the VPC's own), securityGroupId or prefixListId`);
      return;
    }
    const value = e.str(destinations[0]);
    let to: EgressRule["to"] | undefined;
    if (destinations[0] === "cidr") {
      if (value === "vpc") to = { vpc: true };
      else {
        try {
          parseCidr(value);
          to = { cidr: value };
        } catch (err) {
          e.bad("cidr", `an IPv4 CIDR block such as 10.0.0.0/16, or vpc (${(err as Error).message})`);
        }
      }
    } else if (destinations[0] === "securityGroupId") {
      if (/^sg-[0-9a-f]{8,17}$/.test(value)) to = { securityGroupId: value };
      else e.bad("securityGroupId", "a security group id such as sg-0123456789abcdef0");
    } else if (/^pl-[0-9a-f]{8,17}$/.test(value)) to = { prefixListId: value };
    else e.bad("prefixListId", "a prefix list id such as pl-0123456789abcdef0");
    const allowInternet = e.bool("allowInternet");
    if (to && "cidr" in to && WORLD.includes(to.cidr) && !(fromPort === 443 && toPort === 443) && !allowInternet) {
      e.bad("cidr", `not the whole internet on ${fromPort === toPort ? `port ${fromPort}` : `ports ${fromPort}-${toPort}`} unless the rule says allowInternet: true (HTTPS out is already allowed)`);
    }
    const description = e.str("description") || `${protocol.toUpperCase()} ${fromPort === toPort ? fromPort : `${fromPort}-${toPort}`} out`;
    // EC2's rule description alphabet: an apostrophe or other character outside it fails the real up.
    if (!/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/.test(description)) e.bad("description", "up to 255 of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*");
    if (!to || (protocol !== "tcp" && protocol !== "udp")) return;
    const rule: EgressRule = { protocol, fromPort, toPort, to, description };
    // Refused rather than merged: an entry that changes nothing is a mistake to show (a rule the team thinks
    // adds access, or a description that would be lost), and the stack file stays what is deployed.
    const identity = egressIdentity(rule, vpcCidr);
    const why = "EC2 keeps one rule per protocol, port range and destination whatever the description, and answers InvalidPermission.Duplicate to a second at up; remove one";
    if (identity === egressIdentity(BUILT_IN_HTTPS)) {
      r.problems.push(`${label} = ${JSON.stringify(entry)} is not allowed (${owner}): it is the built-in HTTPS rule (${describeEgress(BUILT_IN_HTTPS)}) every service and job already has; ${why}`);
    } else if (seen.has(identity)) {
      const first = seen.get(identity)!;
      const only = first.rule.description === rule.description ? "" : ", differing only in description";
      r.problems.push(`${label} = ${JSON.stringify(entry)} is not allowed (${owner}): it is the rule of ${r.label("egressRules")}[${first.index}] = ${JSON.stringify(first.entry)} (${describeEgress(rule)})${only}; ${why}`);
    } else {
      seen.set(identity, { index: i, entry, rule });
      out.push(rule);
    }
  });
  return out;
}
