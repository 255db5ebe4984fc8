/** Placeholders: values that only look real, which `pulumi up` refuses and preview flags. */
import { NAMESPACE } from "./schema";
import type { Placeholder } from "./types";

/** Values that only look real: AWS's documentation account, all-zero ids, the reserved example domains. */
const PLACEHOLDER_PATTERNS: [RegExp, string][] = [
  [/arn:aws[\w-]*:[\w-]*:[\w-]*:(123456789012|111122223333|444455556666):/, "the ARN names an account from AWS's documentation"],
  [/00000000-0000-0000-0000-000000000000/, "the id is all zeros"],
  [/(^|[.@"\s])example\.(com|net|org)\b/i, "example.com, .net and .org are reserved for documentation (RFC 2606)"],
];

/** Every project key whose value (or a value inside it) is a placeholder. */
export function findPlaceholders(values: Record<string, string>): Placeholder[] {
  const found: Placeholder[] = [];
  for (const [key, value] of Object.entries(values)) {
    for (const [re, why] of PLACEHOLDER_PATTERNS) {
      if (re.test(value)) {
        found.push({ key: `${NAMESPACE}:${key}`, value, why });
        break;
      }
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
  return placeholders.map((p) => `${p.key} = ${JSON.stringify(p.value)} is a placeholder (${p.why}): set the real value with \`pulumi config set ${p.key} <value>\``);
}
