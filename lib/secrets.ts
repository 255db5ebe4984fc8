/**
 * Credentials in plain values: how to recognise one, and how to show it without repeating it. config/
 * refuses them in environment values; every message and the plan's output mask what they would echo.
 */

/**
 * Credentials whatever the variable's name: AWS access keys, private keys, GitHub and Slack tokens, and a
 * URL whose userinfo carries a password (RFC 3986 section 3.2.1: "user:password@" in the authority, which
 * the RFC itself deprecates: postgres://app:s3cretPa55@db...).
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|(?=")|$)/g, "a private key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/g, "a GitHub token"],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/g, "a Slack token"],
];

/** scheme://user:password@ : the password is the secret; an empty one is none. */
const URL_PASSWORD_RE = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#:@]*:)([^\s/?#@]+)(@)/gi;

/** Names a secret usually goes by (the pack's no-plaintext-secrets-in-env defaults). */
const SECRET_NAME_RE = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

/** What kind of credential `value` holds, or undefined. */
export function credentialIn(value: string): string | undefined {
  for (const [re, what] of SECRET_PATTERNS) if (new RegExp(re.source).test(value)) return what;
  return new RegExp(URL_PASSWORD_RE.source, "i").test(value) ? "a URL with a password in it" : undefined;
}

/** Tokens keep the prefix that says what they are; everything else is shown only by its length. */
const SHOWN_PREFIX_RE = /^(?:gh[pousr]_|github_pat_|AKIA|ASIA|xox[abpr]-|-----BEGIN)/;

/** One secret as messages show it: `ghp_…(40 chars)`, `…(10 chars)`. */
export function maskSecret(secret: string): string {
  const prefix = SHOWN_PREFIX_RE.exec(secret)?.[0] ?? "";
  return `${prefix}…(${secret.length} chars)`;
}

/** `text` with every credential in it masked (a URL keeps its scheme, user and host, not its password). */
export function maskCredentials(text: string): string {
  let out = text;
  for (const [re] of SECRET_PATTERNS) out = out.replace(re, (m) => maskSecret(m));
  return out.replace(URL_PASSWORD_RE, (_m, before: string, password: string, at: string) => `${before}${maskSecret(password)}${at}`);
}

/** An environment variable's value as output shows it: masked when the value or the name says it is a secret. */
export function shownEnvironmentValue(name: string, value: string): string {
  if (credentialIn(value)) return maskCredentials(value);
  return SECRET_NAME_RE.test(name) && value !== "" ? maskSecret(value) : value;
}
