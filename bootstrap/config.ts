/**
 * The bootstrap's config: its keys (Pulumi.yaml declares the same; a test keeps the two equal), and the one
 * reader that validates them all before any resource, each problem naming the key, the value and what is
 * allowed. Pure: the program (index.ts) and the offline plan (plan-project.ts) both call parseBootstrapConfig.
 */
import { ConfigReader } from "../config/reader";
import { DOC_ACCOUNTS } from "../config/placeholders";
import { ConfigError } from "../config/types";
import { listStacks, ROOT } from "../config/stack-files";
import { closest, didYouMean } from "../lib/suggest";
import { regionProblem } from "../lib/regions";

/** The bootstrap's config namespace (its Pulumi.yaml `name`). */
export const BOOTSTRAP_NAMESPACE = "ecs-ec2-api-bootstrap";

/** The GitHub environment of pull requests' review stacks (pr-<number>), beside the program's stacks. */
export const REVIEW_ENVIRONMENT = "review";

/** The longest MaxSessionDuration IAM allows a role, and the shortest the deploy workflow's default needs. */
export const MAX_SESSION_SECONDS = 43200;
export const DEPLOY_SESSION_SECONDS = 7200;

export interface BootstrapKeySpec {
  type: "string" | "integer" | "boolean" | "array";
  items?: { type: "string" };
  /** Undefined: required (the Pulumi CLI refuses a stack without it). */
  default?: string | number | boolean | string[];
  description: string;
}

export const BOOTSTRAP_SCHEMA: Readonly<Record<string, BootstrapKeySpec>> = {
  githubRepository: {
    type: "string",
    description: "The repository whose workflows deploy, as owner/repo, exactly as GitHub spells it (IAM compares the OIDC subject case-sensitively).",
  },
  environments: {
    type: "array",
    items: { type: "string" },
    default: ["dev", "staging", "prod"],
    description: "The GitHub environments whose stacks this account hosts: the program's stacks (Pulumi.<stack>.yaml) and review (pull requests' review stacks). One deploy role each.",
  },
  createStateBackend: {
    type: "boolean",
    default: false,
    description: "Create an S3 bucket for Pulumi state and a KMS key for the stacks' secrets (1 USD a month), and give the deploy and preview roles their access. Off: Pulumi Cloud.",
  },
  oidcProviderArn: {
    type: "string",
    default: "",
    description: "The account's existing GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com), used instead of creating one (an account has at most one per URL).",
  },
  deployRoleMaxSessionSeconds: {
    type: "integer",
    default: DEPLOY_SESSION_SECONDS,
    description: "The deploy roles' MaxSessionDuration, 7200..43200 s: at least the deploy job's timeout-minutes x 60 (120 minutes by default).",
  },
  applicationActions: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "IAM actions the services' and jobs' own roles may use (what their taskPolicyArns grant), e.g. sqs:SendMessage: the permissions boundary allows them. No iam:, sts:, organizations: or account: action, no * or <service>:*.",
  },
};

/** The validated config. */
export interface BootstrapConfig {
  region: string;
  /** The one account this stack file is for (aws:allowedAccountIds). */
  accountId: string;
  repository: { owner: string; name: string; full: string };
  /** In the order given. */
  environments: string[];
  createStateBackend: boolean;
  oidcProviderArn?: string;
  deployRoleMaxSessionSeconds: number;
  applicationActions: string[];
  /** Values `pulumi up` refuses (placeholders), one sentence each. */
  placeholders: string[];
  /** What is allowed but likely a mistake (an environment no stack of the program has), one sentence each. */
  warnings: string[];
}

/** A GitHub owner (user or organization): 1..39 letters, digits and single inner hyphens. */
const OWNER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** A repository name: 1..100 letters, digits, '.', '-' and '_', not "." nor "..". */
const REPO_RE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** The provider an account can hold once: GitHub Actions' issuer. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
const OIDC_ARN_RE = new RegExp(`^arn:aws:iam::(\\d{12}):oidc-provider/${GITHUB_OIDC_HOST.replace(/\./g, "\\.")}$`);
/** An IAM action a permissions boundary can name: service:Action, a '*' only inside or after the action's name. */
const ACTION_RE = /^([a-z0-9-]+):([A-Za-z0-9]+\*?|[A-Za-z0-9]*\*[A-Za-z0-9]+)$/;
/** Services an application's role never gets through the boundary: identity and the account itself. */
const FORBIDDEN_SERVICES = ["iam", "sts", "organizations", "account"];
/** The owner a copied example still names (AWS's documentation accounts: config/placeholders.ts DOC_ACCOUNTS). */
const PLACEHOLDER_OWNER = "your-org";

/** The deploy roles' names carry the environment: IAM's 64 characters, less the longest prefix. */
const ENVIRONMENT_MAX = 40;
/** An environment is named after the stack it deploys: a stack's name. */
const ENVIRONMENT_RE = new RegExp(`^[A-Za-z0-9_.-]{1,${ENVIRONMENT_MAX}}$`);

/**
 * Validates a bootstrap stack's whole config (fully qualified keys, as the CLI hands them over); throws a
 * ConfigError listing every problem. `programStacks`: the folder of the program's Pulumi.<stack>.yaml files,
 * which the environments are warned against.
 */
export function parseBootstrapConfig(all: Record<string, string>, programStacks = ROOT): BootstrapConfig {
  const problems: string[] = [];
  const prefix = `${BOOTSTRAP_NAMESPACE}:`;
  const set = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const defaults = Object.fromEntries(Object.entries(BOOTSTRAP_SCHEMA).map(([k, s]) => [k, s.default]));
  const r = new ConfigReader(set, defaults, (k) => `${BOOTSTRAP_NAMESPACE}:${k}`, problems);
  r.unknownKeys(Object.keys(BOOTSTRAP_SCHEMA), didYouMean);
  for (const key of Object.keys(all)) {
    const namespace = key.slice(0, key.indexOf(":"));
    if (key.includes(":") && ![BOOTSTRAP_NAMESPACE, "aws", "pulumi"].includes(namespace)) {
      const near = closest(namespace, [BOOTSTRAP_NAMESPACE, "aws"]);
      problems.push(`${key} is in the namespace ${namespace}:, which nothing here reads${near ? ` (did you mean ${near}:${key.slice(namespace.length + 1)}?)` : ""}`);
    }
  }

  const region = all["aws:region"] ?? "";
  if (!region) problems.push("aws:region is not set: set it with `pulumi config set aws:region <region>`, the region of the program's stacks in this account");
  else {
    const why = regionProblem(region);
    if (why) problems.push(`aws:region = ${JSON.stringify(region)} is not allowed: ${why}`);
  }

  // One stack file per account: pinned, so a run with another account's credentials fails before any change.
  let accountId = "";
  const pinned = all["aws:allowedAccountIds"];
  const accounts = (() => {
    try {
      const v = JSON.parse(pinned ?? "");
      return Array.isArray(v) ? v : undefined;
    } catch {
      return undefined;
    }
  })();
  if (pinned === undefined) problems.push("aws:allowedAccountIds is not set: the one account this stack file is for, e.g. [\"210987654321\"] (the AWS provider then refuses other credentials)");
  else if (!accounts || accounts.length !== 1 || typeof accounts[0] !== "string" || !/^\d{12}$/.test(accounts[0])) {
    problems.push(`aws:allowedAccountIds = ${JSON.stringify(pinned)} is not allowed: exactly one 12-digit account id, e.g. ["210987654321"]: one bootstrap stack per account`);
  } else accountId = accounts[0];

  const repoText = r.str("githubRepository");
  const [owner, name, ...rest] = repoText.split("/");
  if (!r.has("githubRepository")) problems.push(`${BOOTSTRAP_NAMESPACE}:githubRepository is not set: the repository whose workflows deploy, as owner/repo (e.g. acme/orders-api)`);
  else if (rest.length > 0 || !owner || !name || !OWNER_RE.test(owner) || !REPO_RE.test(name) || name.endsWith(".git")) {
    r.bad("githubRepository", "owner/repo as GitHub spells it, e.g. acme/orders-api: the owner 1..39 letters, digits and single inner hyphens; the repository 1..100 letters, digits, '.', '-' and '_', without .git");
  }

  const environments = r.strings("environments");
  if (environments.length === 0) r.bad("environments", `at least one GitHub environment: the program's stacks this account hosts (${listStacks(programStacks).join(", ")}), or ${REVIEW_ENVIRONMENT}`);
  for (const env of environments) {
    if (!ENVIRONMENT_RE.test(env)) r.bad("environments", `names of 1..${ENVIRONMENT_MAX} letters, digits, '-', '_' and '.' (a stack's name, which a role's name carries); ${JSON.stringify(env)} is not one`);
  }
  const twice = environments.filter((e, i) => environments.indexOf(e) !== i);
  if (twice.length > 0) r.bad("environments", `each environment once; ${[...new Set(twice)].join(", ")} is listed twice`);
  // An environment no stack file names yet may be an account prepared before its stack: said, not refused.
  const stacks = listStacks(programStacks);
  const warnings = environments.filter((e) => e !== REVIEW_ENVIRONMENT && ENVIRONMENT_RE.test(e) && !stacks.includes(e)).map((e) =>
    `${BOOTSTRAP_NAMESPACE}:environments: ${e} is no stack of the program (${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")})${didYouMean(e, [...stacks, REVIEW_ENVIRONMENT])}: its deploy role is trusted by a GitHub environment no deploy runs in until Pulumi.${e}.yaml exists`);

  const createStateBackend = r.bool("createStateBackend");
  const oidcProviderArn = r.str("oidcProviderArn") || undefined;
  if (oidcProviderArn) {
    const m = OIDC_ARN_RE.exec(oidcProviderArn);
    if (!m) r.bad("oidcProviderArn", `empty (the bootstrap creates the provider), or the ARN of the account's GitHub OIDC provider: arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`);
    else if (accountId && m[1] !== accountId) r.bad("oidcProviderArn", `a provider of this stack's account ${accountId} (aws:allowedAccountIds): a role trusts providers of its own account only`);
  }
  const deployRoleMaxSessionSeconds = r.int("deployRoleMaxSessionSeconds", DEPLOY_SESSION_SECONDS, MAX_SESSION_SECONDS,
    `an integer from ${DEPLOY_SESSION_SECONDS} (the deploy job's default 120 minutes, whose role session lasts as long) to ${MAX_SESSION_SECONDS} (IAM's most)`);

  const applicationActions = r.strings("applicationActions");
  for (const action of applicationActions) {
    const m = ACTION_RE.exec(action);
    if (!m) r.bad("applicationActions", `IAM actions such as sqs:SendMessage or s3:Get*, never * nor a whole service (<service>:*); ${action} is not one`);
    else if (FORBIDDEN_SERVICES.includes(m[1])) r.bad("applicationActions", `actions of services other than ${FORBIDDEN_SERVICES.join(", ")}: an application's role never changes identities or the account (${action})`);
  }

  if (problems.length > 0) throw new ConfigError(problems, "invalid bootstrap configuration");
  const placeholders = [
    ...(owner === PLACEHOLDER_OWNER ? [`${BOOTSTRAP_NAMESPACE}:githubRepository = ${JSON.stringify(repoText)} is a placeholder (the example's owner): set the real value with \`pulumi config set ${BOOTSTRAP_NAMESPACE}:githubRepository <owner>/<repo>\``] : []),
    ...(DOC_ACCOUNTS.includes(accountId) ? [`aws:allowedAccountIds = ${JSON.stringify(pinned)} is a placeholder (an account from AWS's documentation): set the real value with \`pulumi config set --path 'aws:allowedAccountIds[0]' <account id>\``] : []),
  ];
  return {
    region, accountId,
    repository: { owner, name, full: repoText },
    environments,
    createStateBackend, oidcProviderArn, deployRoleMaxSessionSeconds, applicationActions, placeholders, warnings,
  };
}
