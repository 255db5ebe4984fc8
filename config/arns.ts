/**
 * The ARNs stack config may name (secrets, KMS keys, IAM policies) parsed for what IAM needs: the
 * resource to grant on and the region they live in. Pure, tested on its own.
 */

export interface SecretSource {
  /** ssm: an SSM Parameter Store parameter; secretsmanager: a Secrets Manager secret. */
  service: "ssm" | "secretsmanager";
  region: string;
  account: string;
  /** What the execution role is granted on: the parameter, or the secret (without the JSON-key suffix). */
  resource: string;
  /** The Secrets Manager JSON key, version stage and version id, where given. */
  jsonKey?: string;
}

const SSM_RE = /^arn:aws:ssm:([a-z0-9-]+):(\d{12}):parameter\/([A-Za-z0-9_.\-/]{1,2048})$/;
const SECRET_RE = /^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})(?::([^:]*):([^:]*):([^:]*))?$/;
/** Secrets Manager appends a hyphen and 6 random characters to a secret's name in its full ARN. */
const FULL_SECRET_NAME_RE = /-[A-Za-z0-9]{6}$/;

/**
 * An ECS `secrets` source: an SSM parameter ARN, or a Secrets Manager secret ARN with the optional
 * `:json-key:version-stage:version-id` suffix ECS understands. A partial secret ARN (without the random
 * suffix) is granted as `<arn>-??????`, the form IAM matches it by. Undefined when malformed.
 */
export function parseSecretSource(arn: string): SecretSource | undefined {
  const ssm = SSM_RE.exec(arn);
  if (ssm) return { service: "ssm", region: ssm[1], account: ssm[2], resource: arn };
  const secret = SECRET_RE.exec(arn);
  if (!secret) return undefined;
  const [, region, account, name, jsonKey] = secret;
  const base = `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
  return {
    service: "secretsmanager",
    region,
    account,
    resource: FULL_SECRET_NAME_RE.test(name) ? base : `${base}-??????`,
    ...(jsonKey ? { jsonKey } : {}),
  };
}

const KMS_KEY_RE = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** A customer managed KMS key's ARN (an alias ARN cannot be granted on); its region, or undefined. */
export function kmsKeyRegion(arn: string): string | undefined {
  return KMS_KEY_RE.exec(arn)?.[1];
}

const POLICY_RE = /^arn:aws:iam::(aws|\d{12}):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

/** An IAM managed policy ARN (AWS managed, arn:aws:iam::aws:policy/..., or a customer's). */
export function isPolicyArn(arn: string): boolean {
  return POLICY_RE.test(arn);
}

/** The documented shape of each ARN, for error messages. */
export const ARN_SHAPES = {
  secret: "an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>) or a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>])",
  kms: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>; not an alias)",
  policy: "an IAM managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path/><name>)",
};
