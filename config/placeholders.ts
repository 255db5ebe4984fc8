/** Placeholders: values that only look real, which `pulumi up` refuses and preview flags. */
import { NAMESPACE } from "./schema";
import type { Placeholder } from "./types";

/** The accounts AWS's documentation uses in its examples (the bootstrap's config refuses them too). */
export const DOC_ACCOUNTS = ["123456789012", "111122223333", "444455556666"];

/**
 * Values that only look real: AWS's documentation accounts (in an ARN, or as the registry of an ECR image
 * reference such as 111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2, which is no ARN), all-zero
 * ids, Route 53 zone ids of the documentation's EXAMPLE form (Z0123456789EXAMPLE), the reserved example domains.
 */
const PLACEHOLDER_PATTERNS: [RegExp, string][] = [
  [new RegExp(`arn:aws[\\w-]*:[\\w-]*:[\\w-]*:(${DOC_ACCOUNTS.join("|")}):`), "the ARN names an account from AWS's documentation"],
  [new RegExp(`(^|[/"\\s])(${DOC_ACCOUNTS.join("|")})\\.dkr\\.ecr\\.`), "the image is in an ECR registry of an account from AWS's documentation"],
  [/00000000-0000-0000-0000-000000000000/, "the id is all zeros"],
  [/(^|[^A-Za-z0-9])Z[A-Z0-9]*EXAMPLE($|[^A-Za-z0-9])/, "the hosted zone id is in the EXAMPLE form of AWS's documentation"],
  [/(^|[.@"\s])example\.(com|net|org)\b/i, "example.com, .net and .org are reserved for documentation (RFC 2606)"],
];

/** Why `value` is a placeholder, or undefined. */
function placeholderWhy(value: string): string | undefined {
  return PLACEHOLDER_PATTERNS.find(([re]) => re.test(value))?.[1];
}

/** A JSON map or list (a structured key's value), parsed; else undefined. */
function structured(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The string leaves of a parsed value, each with its path below the key (".v2.imageUrl", "[0]"). */
function leaves(value: unknown, at = ""): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, `${at}.${k}`));
  return [];
}

/**
 * Every project key whose value is a placeholder; in a map or list (services, jobs, taskPolicyArns), each
 * value inside it, named by its path (ecs-ec2-api:services.v2.imageUrl).
 */
export function findPlaceholders(values: Record<string, string>): Placeholder[] {
  const found: Placeholder[] = [];
  for (const [key, value] of Object.entries(values)) {
    const parsed = structured(value);
    for (const [at, leaf] of parsed === undefined ? [["", value] as [string, string]] : leaves(parsed)) {
      const why = placeholderWhy(leaf);
      if (why) found.push({ key: `${NAMESPACE}:${key}${at}`, value: leaf, why });
    }
  }
  return found;
}

/**
 * A placeholder certificateArn beside a real domainName is the mistake of a team that set its domain and
 * kept the sample's certificate: certificateArn wins over the certificate the stack would request for the
 * domain, so the listener would serve the placeholder. Says so, and how to get the domain's certificate.
 */
export function certificateBesideDomain(placeholders: Placeholder[], domainName: string | undefined): Placeholder[] {
  if (!domainName || placeholders.some((p) => p.key === `${NAMESPACE}:domainName`)) return placeholders;
  return placeholders.map((p) => p.key !== `${NAMESPACE}:certificateArn` ? p : {
    ...p,
    why: `${p.why}; it is set beside domainName ${domainName} and wins over the certificate the stack requests for it: remove it (\`pulumi config rm ${NAMESPACE}:certificateArn\`) to get ${domainName}'s DNS-validated certificate, or set your own`,
  });
}

/** One line per placeholder, for errors and warnings. */
export function describePlaceholders(placeholders: Placeholder[]): string[] {
  // A value inside a map or list is set by its path (`pulumi config set --path`).
  const set = (key: string) => (/[.[]/.test(key.slice(NAMESPACE.length + 1)) ? `pulumi config set --path '${key}' <value>` : `pulumi config set ${key} <value>`);
  return placeholders.map((p) => `${p.key} = ${JSON.stringify(p.value)} is a placeholder (${p.why}): set the real value with \`${set(p.key)}\``);
}
