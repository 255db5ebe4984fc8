/**
 * ecs-ec2-api-bootstrap: what an AWS account needs before the program's first deploy from GitHub Actions.
 * GitHub's OIDC provider; a deploy role per GitHub environment the account hosts, allowed what the program's
 * resources need (permissions.ts) and to create or change roles only with the permissions boundary every
 * role of the program carries; a read-only preview role for pull requests and main; optionally the S3 state
 * bucket and KMS key of a self-managed backend. The outputs are what the repository's workflows read
 * (gh-settings.mjs prints the commands that set them). docs/bootstrap.md walks through it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_NAMESPACE, REVIEW_ENVIRONMENT, parseBootstrapConfig } from "./config";
import { ConfigError } from "../config/types";
import {
  GITHUB_AUDIENCE, HOST_IMAGE_ROLE_NAME, PREVIEW_ROLE_NAME, PROGRAM_ROLE_PATH, branchSubject, deployRoleName, doc, environmentSubject, hostImageStatements, iamArns,
  pullRequestSubject, stacksOf, stacksReadBy, stateStatements, type PolicyDocument,
} from "./policies";
import { GitHubOidc } from "./components/github-oidc";
import { GitHubRole } from "./components/github-role";
import { CiPolicies } from "./components/ci-policies";
import { StateBackend } from "./components/state-backend";

/** The existing provider must be GitHub's and accept the audience the workflows' tokens carry, or no role can be assumed. */
async function checkOidcProvider(arn: string): Promise<void> {
  const key = `${BOOTSTRAP_NAMESPACE}:oidcProviderArn`;
  let provider: aws.iam.GetOpenIdConnectProviderResult;
  try {
    provider = await aws.iam.getOpenIdConnectProvider({ arn });
  } catch (e) {
    throw new ConfigError([`${key} = ${JSON.stringify(arn)} is not allowed: no such provider in the account (${e instanceof Error ? e.message.split("\n")[0] : e}); leave it empty to create GitHub's`]);
  }
  if (!provider.clientIdLists.includes(GITHUB_AUDIENCE)) {
    throw new ConfigError([`${key} = ${JSON.stringify(arn)} is not allowed: its audiences (client ids) are ${provider.clientIdLists.join(", ") || "none"}, without ${GITHUB_AUDIENCE}, which configure-aws-credentials asks for: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${GITHUB_AUDIENCE}`]);
  }
}

export = async function main() {
  // Every key is validated, and an existing provider looked up, before the first resource is registered.
  const config = parseBootstrapConfig(pulumi.runtime.allConfig());
  if (config.placeholders.length > 0) {
    if (!pulumi.runtime.isDryRun()) throw new ConfigError(config.placeholders, "the stack's configuration still holds placeholders, which `pulumi up` refuses");
    for (const p of config.placeholders) void pulumi.log.warn(`${p}; \`pulumi up\` refuses placeholders`);
  }
  for (const w of config.warnings) void pulumi.log.warn(w);
  if (config.oidcProviderArn) await checkOidcProvider(config.oidcProviderArn);
  const account = { partition: "aws", accountId: config.accountId, region: config.region };
  const repo = config.repository.full;
  const tags = { project: BOOTSTRAP_NAMESPACE, stack: pulumi.getStack() };

  const oidc = new GitHubOidc("github", { arn: config.oidcProviderArn ?? iamArns(account).oidcProvider, existing: !!config.oidcProviderArn, tags });
  const policies = new CiPolicies("ci", { account, applicationActions: config.applicationActions, tags });
  const state = config.createStateBackend ? new StateBackend("state", { account, tags }) : undefined;
  const stateAccess = (stack?: string, reads?: string[]): Record<string, PolicyDocument> => (state ? { "pulumi-state": doc(stateStatements(account, stack, reads)) } : {});

  const deployRoles = config.environments.map((env) => new GitHubRole(`deploy-${env}`, {
    roleName: deployRoleName(env),
    description: `Deploys ecs-ec2-api's ${env === REVIEW_ENVIRONMENT ? "review stacks (pr-<number>)" : `${env} stack`} from ${repo}'s GitHub environment ${env}`,
    oidcProviderArn: oidc.arn,
    subjects: [environmentSubject(repo, env)],
    maxSessionDurationSeconds: config.deployRoleMaxSessionSeconds,
    managedPolicyArns: policies.deployPolicyArns,
    inlinePolicies: stateAccess(stacksOf(env), stacksReadBy(env)),
    after: [...oidc.dependsOn, ...(state ? [state] : [])],
    tags,
  }));
  // Pull requests preview every stack; main previews prod before its approval and checks drift.
  const preview = new GitHubRole("preview", {
    roleName: PREVIEW_ROLE_NAME,
    description: `Previews ecs-ec2-api's stacks from ${repo}'s pull requests and main: reads only`,
    oidcProviderArn: oidc.arn,
    subjects: [pullRequestSubject(repo), branchSubject(repo, "main")],
    managedPolicyArns: policies.previewPolicyArns,
    inlinePolicies: stateAccess(),
    after: [...oidc.dependsOn, ...(state ? [state] : [])],
    tags,
  });

  // The weekly host-image workflow, on main: reads the recommended ECS images, and nothing else.
  const hostImage = new GitHubRole("host-image", {
    roleName: HOST_IMAGE_ROLE_NAME,
    description: `Reads AWS's recommended ECS-optimized images for ${repo}'s host-image workflow on main: one public SSM parameter per architecture`,
    oidcProviderArn: oidc.arn,
    subjects: [branchSubject(repo, "main")],
    managedPolicyArns: [],
    inlinePolicies: { "recommended-ecs-images": doc(hostImageStatements(account)) },
    after: oidc.dependsOn,
    tags,
  });

  // What a team sets: the program's stack key, and the GitHub variables the workflows read.
  const environments = config.environments.filter((e) => e !== REVIEW_ENVIRONMENT);
  return {
    githubRepository: repo,
    region: config.region,
    accountId: config.accountId,
    oidcProviderArn: oidc.arn,
    permissionsBoundaryArn: policies.boundaryArn,
    programRolePath: PROGRAM_ROLE_PATH,
    deployRoleArns: Object.fromEntries(config.environments.map((env, i) => [env, deployRoles[i].arn])),
    previewRoleArn: preview.arn,
    hostImageRoleArn: hostImage.arn,
    ...(state ? { stateBucket: state.bucketName, stateKeyArn: state.keyArn, backendUrl: state.backendUrl, secretsProvider: state.secretsProvider } : {}),
    github: {
      repository: {
        AWS_REGION: config.region,
        ...Object.fromEntries(environments.map((env) => [`AWS_PREVIEW_ROLE_ARN_${env.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`, preview.arn])),
        AWS_HOST_IMAGE_ROLE_ARN: hostImage.arn,
        ...(state ? { PULUMI_BACKEND_URL: state.backendUrl } : {}),
      },
      environments: Object.fromEntries(config.environments.map((env, i) => [env, { AWS_ROLE_ARN: deployRoles[i].arn }])),
    },
  };
};
