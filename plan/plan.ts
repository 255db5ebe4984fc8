/**
 * The offline plan: `npm run plan -- [--project <dir>] <stack> [--json] [--up]`.
 *
 * Evaluates a project's whole program for a stack's config (Pulumi.yaml defaults + Pulumi.<stack>.yaml,
 * merged as the CLI merges them) under Pulumi's mock engine, with no cloud account and no Pulumi CLI, as
 * `pulumi preview` would (or, with --up, as `pulumi up` would: ids known, placeholders refused), and prints
 * what it would create, grouped by component; the settings that matter; the program's warnings; and the
 * verdict of every policy of the pack. The project is the repository's program unless --project names
 * another folder (bootstrap/); its plan-project.ts says what is particular to it (plan/project.ts).
 * Exit status: 0 when no blocking (mandatory) policy is violated, 1 on a blocking violation, a config error
 * or a program error, 2 on bad usage (including an unknown stack).
 */
import * as path from "path";
import { listStacks, ROOT } from "../config/stack-files";
import { parseArgs, UsageError, USAGE, npmEatenOptions } from "./args";
import { projectProblem } from "./project";
import type { Recorder } from "./stack-plan";

/**
 * Plans `argv`'s stack, writing the report through `out` (and errors through `err`); resolves to the exit
 * status: 0 clean, 1 config error, program error or blocking policy violation. Throws a UsageError on bad
 * usage, an unknown stack included. `record`: how to record the program, the mock engine's runProgram
 * unless given (the tests share their recordings with it).
 */
export async function plan(argv: string[], out: (s: string) => void, err: (s: string) => void, record?: Recorder): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.help) {
    out(USAGE);
    return 0;
  }
  const dir = path.resolve(opts.project ?? ROOT);
  const problem = projectProblem(dir);
  if (problem) throw new UsageError(`--project ${opts.project}: ${problem}`);
  // The stack files are the project's, unless --stacks-dir names a folder of fixtures.
  const stacksDir = opts.stacksDir ?? dir;
  const stacks = listStacks(stacksDir);
  if (!opts.stack) throw new UsageError(`which stack? (${stacks.join(", ")})`);
  const where = opts.stacksDir ? ` in ${opts.stacksDir}` : dir === ROOT ? "" : ` in ${opts.project}`;
  if (!stacks.includes(opts.stack)) throw new UsageError(`no stack file Pulumi.${opts.stack}.yaml${where}; stacks: ${stacks.join(", ")}`);
  // Only a stack to plan loads the SDK, the program and the pack (plan/stack-plan.ts): --help and a usage
  // error answer in a fraction of the second that loading them takes.
  const { planStack } = require("./stack-plan") as typeof import("./stack-plan");
  return planStack({ ...opts, stack: opts.stack }, dir, stacksDir, out, err, record);
}

/** A usage error as the plan prints it: one line, and where the options are listed. */
export function usageError(message: string): string {
  return `${message} (npm run plan -- --help lists the options)`;
}

/**
 * Exits with `code` once stdout and stderr have taken all that was written. process.exit() alone drops what
 * a pipe has not taken yet: `npm run plan -- prod --json | jq` would get the first 64 KiB of the report.
 */
function exitWhenWritten(code: number): void {
  let open = 2;
  const written = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write("", written);
  process.stderr.write("", written);
}

if (require.main === module) {
  const eaten = npmEatenOptions(process.env);
  if (eaten) {
    console.error(usageError(eaten));
    exitWhenWritten(2);
  } else {
    plan(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s)).then(exitWhenWritten, (e) => {
      if (e instanceof UsageError) {
        console.error(usageError(e.message));
        exitWhenWritten(2);
      } else {
        console.error(e instanceof Error ? e.message : e);
        exitWhenWritten(1);
      }
    });
  }
}
