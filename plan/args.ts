/** The plan's command line: its options, their parsing, and the usage text. */
import * as path from "path";

export interface PlanOptions {
  /** Undefined only with --help (the plan asks for one, listing the project's stacks). */
  stack?: string;
  /** `--project <dir>`: the Pulumi project to plan (its Pulumi.yaml, program, stack files); default the repository's. */
  project?: string;
  json: boolean;
  /** Evaluate as `pulumi up` would (ids known, placeholders refused); default: as `pulumi preview`. */
  up: boolean;
  /** Print the usage and exit 0. */
  help: boolean;
  /** `--all-warnings`: also the warnings that count other stacks (the Elastic IP quota they may share). */
  allWarnings: boolean;
  /** `--details <name|type>`: the properties of the resources of that logical name or type. */
  details?: string;
  /** `--against <file>`: a saved `--json` plan to compare with: what is created, updated, replaced, deleted. */
  against?: string;
  /** `--fail-on-replace`: exit 1 when a VPC, subnet, load balancer, cluster, image repository or bucket is replaced or deleted. */
  failOnReplace: boolean;
  /** Pack config file (as for `--policy-pack-config`); default policy-pack/config/<stack>.json when present. */
  policyConfig?: string;
  /**
   * `--stacks-dir <dir>`: the folder of the stack files (Pulumi.<stack>.yaml) and their pack configs
   * (policy-pack/config/<stack>.json) instead of the project's own. The program's tests plan their fixture
   * stacks with it, so that a team's edits to its own stacks never change what they test.
   */
  stacksDir?: string;
  /** `--config key=value`: this run only, over the stack file, as `pulumi config set` would be (keys as given: see qualified). */
  overrides: Record<string, string>;
  /** `--config-rm <key>`: keys the stack file sets that this run leaves unset, as `pulumi config rm` would. */
  removed: string[];
  /**
   * Another program module to plan with the stack's config (default: the project's index.ts). For
   * testing the pack against deliberately broken variants of the program, which no config can produce.
   */
  program?: string;
}

/** Bad command-line usage: exit status 2. */
export class UsageError extends Error {}

export const USAGE = `usage: npm run plan -- <stack> [options]

Plans <stack> (Pulumi.<stack>.yaml) offline: the program under Pulumi's mock engine, no cloud account.

  --json                    the report as JSON: every resource with its properties (secrets as [secret],
                            what preview cannot know as (known after up)), parent, dependencies, aliases
  --against <plan.json>     compare with a saved plan (a previous --json of the same stack and mode, e.g. of
                            the base branch): each resource created, updated, replaced (and the property that
                            forces it) or deleted; renames without an alias show as delete + create;
                            the monthly cost before, after and the difference
  --fail-on-replace         with --against: exit 1 when it replaces or deletes a stateful or identity-bearing
                            resource: VPC, subnet, load balancer, ECS cluster, image repository, S3 bucket
  (every report)             a monthly cost estimate from plan/prices/<region>.json: line items, the
                            assumptions it rests on, the table's date and sources (JSON: cost.monthlyUsd)
  --details <name|type>     the properties of the resources of that logical name (api-vpc) or type
                            (aws:ec2/subnet:Subnet, or ec2:Subnet): CIDRs, rules, container definitions, IAM
  --all-warnings            also warnings that count the other committed stacks (Elastic IPs they may share
                            with this one in an account); by default only this stack's own
  --up                      evaluate as \`pulumi up\` would: ids known, placeholders refused
  --config <key>=<value>    a value for this run only (a project key, or ns:key); JSON for lists and objects
  --config-rm <key>         leave a key the stack file sets unset for this run (its default)
  --policy-config <file>    the pack config (default policy-pack/config/<stack>.json)
  --program <module>        plan another program module with the stack's config (tests)
  --stacks-dir <dir>        read Pulumi.<stack>.yaml and policy-pack/config/<stack>.json from <dir> instead of
                            the project's folder (the tests' fixture stacks)
  --project <dir>           plan another Pulumi project of the repository (bootstrap): its Pulumi.yaml, program,
                            stack files and plan-project.ts; default the repository's program
  -h, --help                this text

Exit status: 0 planned, no mandatory policy violated; 1 config error, program error, a blocking
violation, or (--fail-on-replace) an identity-bearing replacement; 2 usage error, or a saved plan that
cannot be compared. The offline plan is a review, not the authority: \`pulumi preview\` against the
deployed stack is.`;

/** The plan's options that npm takes for its own when they come before `--` (npm sets npm_config_<name>). */
const NPM_EATEN = ["json", "config", "config_rm", "policy_config", "program", "details", "against", "fail_on_replace", "all_warnings", "stacks_dir", "project"];

/**
 * Options npm swallowed: `npm run plan dev --json` runs the plan with "dev" alone and sets
 * npm_config_json. Returns a hint, or undefined.
 */
export function npmEatenOptions(env: NodeJS.ProcessEnv): string | undefined {
  if (env.npm_lifecycle_event !== "plan") return undefined;
  const eaten = NPM_EATEN.filter((o) => env[`npm_config_${o}`] !== undefined && env[`npm_config_${o}`] !== "");
  if (eaten.length === 0) return undefined;
  const flags = eaten.map((o) => `--${o.replace(/_/g, "-")}`).join(", ");
  return `npm took ${flags} for itself: put the plan's options after --, e.g. npm run plan -- dev ${flags.split(", ")[0]}`;
}

export function parseArgs(argv: string[]): PlanOptions {
  const opts: Partial<PlanOptions> & { overrides: Record<string, string>; removed: string[] } = { json: false, up: false, help: false, allWarnings: false, failOnReplace: false, overrides: {}, removed: [] };
  const value = (i: number, what: string) => {
    if (argv[i] === undefined) throw new UsageError(`${argv[i - 1]} needs ${what}`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") opts.json = true;
    else if (a === "--up") opts.up = true;
    else if (a === "--help" || a === "-h") opts.help = true;
    else if (a === "--all-warnings") opts.allWarnings = true;
    else if (a === "--policy-config") opts.policyConfig = value(++i, "a file");
    else if (a === "--program") opts.program = value(++i, "a module");
    else if (a === "--stacks-dir") opts.stacksDir = path.resolve(value(++i, "a folder"));
    else if (a === "--project") opts.project = value(++i, "a project folder");
    else if (a === "--details") opts.details = value(++i, "a resource name or type");
    else if (a === "--against") opts.against = value(++i, "a saved plan (JSON)");
    else if (a === "--fail-on-replace") opts.failOnReplace = true;
    else if (a === "--config") {
      const m = /^([^=]+)=(.*)$/.exec(value(++i, "key=value"));
      if (!m) throw new UsageError(`--config takes key=value, got ${argv[i]}`);
      opts.overrides[m[1]] = m[2];
    } else if (a === "--config-rm") {
      opts.removed.push(value(++i, "a key"));
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (opts.stack) throw new UsageError(`one stack at a time (got ${opts.stack} and ${a})`);
    else opts.stack = a;
  }
  if (opts.failOnReplace && !opts.against) throw new UsageError("--fail-on-replace needs --against <saved plan>: replacements are relative to it");
  return opts as PlanOptions;
}

/** A --config key as the CLI qualifies it: unqualified keys are the project's (`maxSize` -> `<project>:maxSize`). */
export function qualified(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}
