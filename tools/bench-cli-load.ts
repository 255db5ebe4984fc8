/**
 * How long the Pulumi CLI takes to load this project, against the offline plan:
 * `npm run bench:cli-load -- [--runs N] [--stack dev] [--typecheck]`.
 *
 * Each run, interleaved: (a) the program loaded as `pulumi preview`/`up` loads it (Pulumi.yaml's runtime
 * options, cmd/run's ts-node registration, cold cache) until its last resource is registered under the
 * mock engine; (b) the policy pack started as `--policy-pack policy-pack` starts it (cmd/run-policy-pack,
 * cold) until its server listens; (c) `npm run plan -- <stack>`. Prints the medians and
 * (program + pack) / plan. How each is loaded: cli/load.ts.
 *
 * --typecheck loads both the way the CLI does without this project's choices: Pulumi.yaml's runtime options
 * reduced to `typescript: true` (ts-node type-checks the program) and the pack through its index.ts
 * (run-policy-pack's ts-node type-checks it). The figures to compare against.
 */
import * as path from "path";
import { CLI_DEFAULTS, loadPack, loadProgram, PACK, runtimeOptions, timePlan } from "../cli/load";
import { readStackConfig, ROOT } from "../config/stack-files";

/** The ratio the issue asks for: the CLI's loading at most twice the offline plan. */
const GOAL = 2;

function parse(argv: string[]): { runs: number; stack: string; typecheck: boolean } {
  const opts = { runs: 5, stack: "dev", typecheck: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") opts.runs = Number(argv[++i]);
    else if (argv[i] === "--stack") opts.stack = argv[++i];
    else if (argv[i] === "--typecheck") opts.typecheck = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run bench:cli-load -- [--runs N] [--stack dev] [--typecheck]`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error("--runs takes a positive integer");
  return opts;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<number> {
  const opts = parse(process.argv.slice(2));
  const programOptions = opts.typecheck ? CLI_DEFAULTS : runtimeOptions(path.join(ROOT, "Pulumi.yaml"));
  const packOptions = runtimeOptions(path.join(PACK, "PulumiPolicy.yaml"));
  const packProgram = opts.typecheck ? path.join(PACK, "index.ts") : PACK;
  const config = readStackConfig(opts.stack);

  console.log(`CLI load vs offline plan, stack ${opts.stack}, ${opts.runs} run(s) each, cold caches${opts.typecheck ? ", --typecheck (the CLI's defaults)" : ""}`);
  console.log(`  program: ${JSON.stringify(programOptions)}`);
  console.log(`  pack:    ${path.relative(ROOT, packProgram) || "."} ${JSON.stringify(packOptions)}`);
  const times = { program: [] as number[], pack: [] as number[], plan: [] as number[] };
  for (let i = 0; i < opts.runs; i++) {
    const program = await loadProgram(programOptions, opts.stack, config);
    const pack = await loadPack(packOptions, PACK, packProgram);
    const plan = timePlan(opts.stack);
    times.program.push(program.ms);
    times.pack.push(pack.ms);
    times.plan.push(plan);
    const loader = !program.typescript ? "no ts-node" : `ts-node ${program.transpileOnly ? "transpileOnly" : "type-checking"}, ${program.tsconfig}`;
    console.log(`  run ${i + 1}: program ${secs(program.ms)} (${program.resources} resources, ${loader}), pack ${secs(pack.ms)} (port ${pack.port}), plan ${secs(plan)}`);
  }
  const m = { program: median(times.program), pack: median(times.pack), plan: median(times.plan) };
  const ratio = (m.program + m.pack) / m.plan;
  console.log("");
  console.log(`median  program ${secs(m.program)}  pack ${secs(m.pack)}  plan ${secs(m.plan)}`);
  console.log(`(program + pack) / plan = ${ratio.toFixed(2)} (goal <= ${GOAL}: ${ratio <= GOAL ? "met" : "not met"})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
