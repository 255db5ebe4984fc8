#!/usr/bin/env node
/* global process, console */
// Prints the commands that set a GitHub repository up for the accounts the bootstrap prepared: each GitHub
// environment the account hosts (created, limited to main except review), its AWS_ROLE_ARN, the repository's
// AWS_REGION, AWS_PREVIEW_ROLE_ARN_<STACK> and PULUMI_BACKEND_URL, the secrets the workflows still need, and the
// program's stack settings that follow from the bootstrap (its permissions boundary, the state's secrets
// provider). The names are those .github/workflows/*.yml read (their headers list them).
// Usage (in bootstrap/): pulumi stack output --json | node gh-settings.mjs
//   or, offline: npm run -s plan -- --project bootstrap <stack> --up --json | node bootstrap/gh-settings.mjs
// Reads the JSON on stdin (or the file named), the stack outputs or a plan's --json (its `outputs`); prints
// the commands, runs none. Exit 1 when an output it needs is missing or not known yet (a plan as preview).
import fs from "node:fs";

/** The program's project (its stack keys' namespace) and the environment of pull requests' review stacks. */
export const PROGRAM = "ecs-ec2-api";
export const REVIEW = "review";

/** A value for a POSIX shell, in single quotes unless it needs none. */
export function quote(value) {
  const s = String(value);
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The bootstrap's outputs, from `pulumi stack output --json` or from a plan's --json. */
export function outputsOf(json) {
  // A plan that refused to run (`--up` over placeholders) has no outputs; say why, not which output is missing.
  if (json && typeof json === "object" && json.ok === false && Array.isArray(json.placeholders)) {
    throw new Error(`the plan was refused before it ran, so it has no outputs; fill in its placeholders first:\n  ${json.placeholders.join("\n  ")}`);
  }
  const outputs = json && typeof json === "object" && "outputs" in json && "resources" in json ? json.outputs : json;
  const unknown = JSON.stringify(outputs ?? {}).match(/"\(known after up\)"|"\[unknown\]"/);
  if (unknown) throw new Error("the outputs hold values known only after `pulumi up` (a plan as preview): read the stack's outputs after up, or plan with --up");
  for (const key of ["githubRepository", "github", "permissionsBoundaryArn"]) {
    if (outputs?.[key] === undefined) throw new Error(`no output ${key}: these are not the bootstrap's outputs (pulumi stack output --json in bootstrap/)`);
  }
  return outputs;
}

/** The commands, one per line, with comments saying what each group is for. */
export function commands(outputs) {
  const repo = outputs.githubRepository;
  const R = `--repo ${quote(repo)}`;
  const { repository, environments } = outputs.github;
  const envs = Object.keys(environments);
  const lines = [
    `# GitHub settings for ${repo}, account ${outputs.accountId} (${outputs.region}), from the bootstrap's outputs.`,
    "# Environments: created (an existing one keeps its settings); deployments from main only, except review",
    "# (pull requests' refs). Give prod its required reviewers in Settings -> Environments.",
  ];
  for (const env of envs) {
    lines.push(`gh api --method PUT repos/${repo}/environments/${env}${env === REVIEW ? "" : " -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'"}`);
    if (env !== REVIEW) lines.push(`gh api --method POST repos/${repo}/environments/${env}/deployment-branch-policies -f name=main -f type=branch`);
  }
  lines.push("", "# The deploy role of each environment (vars.AWS_ROLE_ARN, read by deploy-stack.yml and review-stack.yml).");
  for (const env of envs) lines.push(`gh variable set AWS_ROLE_ARN ${R} --env ${quote(env)} --body ${quote(environments[env].AWS_ROLE_ARN)}`);
  lines.push("", "# The repository's: the region, the preview role of each stack of this account, the state backend.");
  for (const [name, value] of Object.entries(repository)) lines.push(`gh variable set ${name} ${R} --body ${quote(value)}`);
  lines.push("");
  if (repository.PULUMI_BACKEND_URL) {
    lines.push("# Secrets: none. The state is in the S3 bucket the roles reach; the stacks' secrets are encrypted with the KMS key (no PULUMI_CONFIG_PASSPHRASE, no Pulumi Cloud token).");
  } else {
    lines.push("# Secrets: the Pulumi Cloud tokens (each command asks for the value): a deploy token per environment, a read-only one for previews.");
    for (const env of envs) lines.push(`gh secret set PULUMI_ACCESS_TOKEN ${R} --env ${quote(env)}`);
    lines.push(`gh secret set PULUMI_PREVIEW_ACCESS_TOKEN ${R}`);
  }
  const stacks = envs.filter((e) => e !== REVIEW);
  lines.push("", "# Then, in the repository's root, each stack of this account: every role the program creates carries the bootstrap's boundary.");
  if (outputs.secretsProvider) {
    lines.push("# The stacks are created in the bucket with the key as their secrets provider (commit the Pulumi.<stack>.yaml lines it writes).");
    lines.push(`pulumi login ${quote(outputs.backendUrl)}`);
    for (const stack of stacks) lines.push(`pulumi stack init ${quote(stack)} --secrets-provider ${quote(outputs.secretsProvider)}`);
  }
  for (const stack of stacks) lines.push(`pulumi config set --stack ${quote(stack)} ${PROGRAM}:permissionsBoundaryArn ${quote(outputs.permissionsBoundaryArn)}`);
  return lines;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  try {
    const json = JSON.parse(fs.readFileSync(process.argv[2] ?? 0, "utf8"));
    console.log(commands(outputsOf(json)).join("\n"));
  } catch (e) {
    console.error(`gh-settings: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
