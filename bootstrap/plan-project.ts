/**
 * The bootstrap's side of the offline plan (plan/project.ts), for `npm run plan -- --project bootstrap
 * <stack>`: its config check, the settings the report shows (who may assume which role, with what), the cost
 * (the state's KMS key), and what its config says of the account: the account pinned by
 * aws:allowedAccountIds, and an existing OIDC provider, assumed to be GitHub's with the audience the
 * workflows ask for.
 */
import { BOOTSTRAP_NAMESPACE, GITHUB_OIDC_HOST, REVIEW_ENVIRONMENT, parseBootstrapConfig, type BootstrapConfig } from "./config";
import {
  GITHUB_AUDIENCE, MANAGED_POLICY_LIMIT, PREVIEW_ROLE_NAME, PROGRAM_ROLE_PATH, STATE_KEY_ALIAS, boundaryDocument, branchSubject, deployRoleName, deployStatements,
  environmentSubject, iamArns, policySize, previewStatements, pullRequestSubject, splitIntoPolicies, stacksOf, stacksReadBy, stateBucketName,
} from "./policies";
import { runProgram as record, type ProjectMocks, type Recording, type RunOptions } from "../plan/mock-engine";
import type { PlanProject } from "../plan/project";

/** A KMS key's monthly price in us-east-1 (and most regions), before its requests: https://aws.amazon.com/kms/pricing/ */
export const KMS_KEY_MONTH_USD = 1;

/** The one account aws:allowedAccountIds pins, or undefined (the config check reports it). */
function pinnedAccount(config: Record<string, string>): string | undefined {
  try {
    const v = JSON.parse(config["aws:allowedAccountIds"] ?? "");
    return Array.isArray(v) && v.length === 1 && /^\d{12}$/.test(String(v[0])) ? String(v[0]) : undefined;
  } catch {
    return undefined;
  }
}

export const mocks: ProjectMocks = {
  name: BOOTSTRAP_NAMESPACE,
  account(config) {
    const arn = config[`${BOOTSTRAP_NAMESPACE}:oidcProviderArn`];
    return {
      accountId: pinnedAccount(config),
      ...(arn ? {
        assumptions: [`offline: the existing OIDC provider ${arn} was assumed to be GitHub's (${GITHUB_OIDC_HOST}) with the audience ${GITHUB_AUDIENCE}; \`pulumi preview\` looks it up and refuses one without that audience`],
        invoke(token: string, args: Record<string, any>) {
          if (token !== "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider" || args.arn !== arn) return undefined;
          return { arn, id: arn, url: GITHUB_OIDC_HOST, clientIdLists: [GITHUB_AUDIENCE], thumbprintLists: [], tags: {} };
        },
      } : {}),
    };
  },
};

/** Records the bootstrap (or a variant) under the mock engine with the bootstrap's lookups. */
export function runProgram(program: () => unknown, opts: Omit<RunOptions, "project">): Promise<Recording> {
  return record(program, { ...opts, project: mocks });
}

/** What the plan's report shows of a bootstrap stack: who may assume each role, with what permissions. */
export function bootstrapSettings(c: BootstrapConfig): Record<string, Record<string, string>> {
  const account = { partition: "aws", accountId: c.accountId, region: c.region };
  const repo = c.repository.full;
  const deploy = splitIntoPolicies(deployStatements(account));
  const allowed = new Set(deployStatements(account).filter((s) => s.Effect === "Allow").flatMap((s) => s.Action));
  const preview = splitIntoPolicies(previewStatements(account));
  const out: Record<string, Record<string, string>> = {
    github: {
      repository: repo,
      "OIDC provider": c.oidcProviderArn ? `existing ${c.oidcProviderArn}` : `created: https://${GITHUB_OIDC_HOST}, audience ${GITHUB_AUDIENCE}`,
      account: `${c.accountId} (aws:allowedAccountIds), ${c.region}`,
    },
  };
  for (const env of c.environments) {
    out[`deploy role ${env}`] = {
      role: `${deployRoleName(env)}, sessions up to ${c.deployRoleMaxSessionSeconds} s`,
      "trusted by": `${environmentSubject(repo, env)} (audience ${GITHUB_AUDIENCE}, exact subject)`,
      deploys: env === REVIEW_ENVIRONMENT ? "the review stacks pr-<number>" : `the stack ${env}`,
      state: c.createStateBackend ? `its stacks' state (${stacksOf(env)}) in ${stateBucketName(c)}${stacksReadBy(env).map((s) => `, reading ${s}'s`).join("")}, through ${STATE_KEY_ALIAS}` : "none here (Pulumi Cloud)",
    };
  }
  out["preview role"] = {
    role: PREVIEW_ROLE_NAME,
    "trusted by": `${pullRequestSubject(repo)}, ${branchSubject(repo, "main")} (audience ${GITHUB_AUDIENCE}, exact subjects)`,
    permissions: `reads only: ${new Set(previewStatements(account).flatMap((s) => s.Action)).size} actions in ${preview.length} managed polic${preview.length === 1 ? "y" : "ies"}`,
    state: c.createStateBackend ? `reads every stack's state in ${stateBucketName(c)}, decrypts through ${STATE_KEY_ALIAS}` : "none here (Pulumi Cloud)",
  };
  out.permissions = {
    deploy: `${allowed.size} actions in ${deploy.length} managed policies of ${deploy.map(policySize).join(", ")} characters (IAM's limit ${MANAGED_POLICY_LIMIT})`,
    "role writes": `only roles under ${PROGRAM_ROLE_PATH} that carry the boundary; never removing a boundary; nothing of the bootstrap's own roles and policies`,
    boundary: `${iamArns(account).boundary} (${policySize(boundaryDocument(account, c.applicationActions))} characters): what the program's roles need${c.applicationActions.length ? `, and ${c.applicationActions.join(", ")}` : ""}; no IAM change`,
  };
  out.state = c.createStateBackend
    ? { bucket: `${stateBucketName(c)}: versioned, KMS-encrypted, no public access, TLS only, protected`, key: `${STATE_KEY_ALIAS}, rotation on, protected`, login: `pulumi login s3://${stateBucketName(c)}?region=${c.region}`, secrets: `--secrets-provider awskms://${STATE_KEY_ALIAS}?region=${c.region}` }
    : { backend: "not created (createStateBackend off): Pulumi Cloud, or a backend of your own" };
  return out;
}

export const planProject: PlanProject = {
  mocks,
  check(raw) {
    const config = parseBootstrapConfig(raw);
    return {
      placeholders: config.placeholders,
      settings: bootstrapSettings(config),
      warnings: () => ({ shown: [], heldBack: 0 }),
      cost() {
        const keys = config.createStateBackend ? 1 : 0;
        const lines = keys ? [{ item: "KMS key (state and secrets)", quantity: keys, unit: "key-month", unitUsd: KMS_KEY_MONTH_USD, monthlyUsd: keys * KMS_KEY_MONTH_USD, basis: "createStateBackend" }] : [];
        const notEstimated = ["S3 storage and requests of the state (kilobytes to megabytes a stack)", "KMS requests beyond the free 20,000 a month", "IAM roles, policies and the OIDC provider cost nothing"];
        const monthlyUsd = keys * KMS_KEY_MONTH_USD;
        return {
          monthlyUsd,
          json: { available: true, region: config.region, currency: "USD", monthlyUsd, lines, notEstimated, prices: { source: "https://aws.amazon.com/kms/pricing/" } },
          text: [
            `Cost: about ${monthlyUsd.toFixed(2)} USD a month`,
            ...lines.map((l) => `  ${l.item.padEnd(30)} ${String(l.quantity).padStart(7)} × ${String(l.unitUsd).padEnd(7)} = ${l.monthlyUsd.toFixed(2).padStart(8)}  (${l.basis})`),
            `  not estimated: ${notEstimated.join("; ")}`,
            "  prices: https://aws.amazon.com/kms/pricing/",
          ],
        };
      },
    };
  },
};
