/* global process, console */
// The committed stacks and the order main deploys them in, for the workflows' matrices: the stack files that
// exist (Pulumi.<stack>.yaml) against the lines of deploy-order. Run from the repository root (or any folder
// laid out like it); reads nothing but those files, so it runs before `npm ci`.
// Writes to $GITHUB_OUTPUT (stdout outside GitHub Actions):
//   stacks=["dev","staging","prod"]                      every stack, in deploy order (previews, drift)
//   order=[{"stack":"dev","checks-before-approval":false,"previous":""},...]   the deploy matrix: each stage with
//                                                        the stage before it ("" for the first), which a later
//                                                        stage checks deployed this run's commit first
//                                                        (deploy-stage.yml, .ci/previous-stage.mjs)
// Fails (exit 1, one ::error:: line per problem) when a stack file has no line of order, a stack has no pack
// config (policy-pack/config/<stack>.json), a name is given twice, a setting is unknown, or a committed stack is
// named pr-<number> (review stacks' names, review-stack.yml); a line whose stack file is gone is a ::notice::.
// Usage: node .ci/stacks.mjs
import { existsSync, readdirSync, readFileSync, appendFileSync } from "node:fs";

export const ORDER_FILE = "deploy-order";
export const SETTINGS = ["checks-before-approval"];
const STACK_FILE = /^Pulumi\.(.+)\.yaml$/;

/** The lines of deploy-order: [{ stack, settings: [...], line }], comments and blank lines left out. */
export function parseOrder(text) {
  return text.split("\n").flatMap((raw, i) => {
    const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
    return words.length ? [{ stack: words[0], settings: words.slice(1), line: i + 1 }] : [];
  });
}

/**
 * The stacks of a folder and their order: { order: [{ stack, "checks-before-approval", previous }], problems:
 * [...], notices: [...] }. A line whose stack file is gone is a notice, not a problem, and is left out of the
 * order: deleting a stack's files retires it (a team that drops staging deletes its files), and its stale line
 * can never deploy anything; a stack file without a line is a problem, since nothing would deploy it.
 */
export function readStacks(root) {
  const problems = [];
  const notices = [];
  const files = readdirSync(root).map((f) => STACK_FILE.exec(f)?.[1]).filter(Boolean).sort();
  const orderPath = `${root}/${ORDER_FILE}`;
  if (!existsSync(orderPath)) return { order: [], notices, problems: [`no ${ORDER_FILE} file: list the stacks (${files.join(", ") || "none"}) in the order main deploys them, one a line`] };
  const lines = parseOrder(readFileSync(orderPath, "utf8"));
  if (files.length === 0) problems.push("no stack file (Pulumi.<stack>.yaml): the workflows have nothing to preview or deploy");
  const seen = new Set();
  for (const { stack, settings, line } of lines) {
    const at = `${ORDER_FILE}:${line}`;
    if (seen.has(stack)) problems.push(`${at}: ${stack} is listed twice`);
    seen.add(stack);
    if (!files.includes(stack)) notices.push(`${at}: ${stack} has no stack file Pulumi.${stack}.yaml, so nothing deploys it: remove the line, or add the stack's file`);
    for (const s of settings.filter((s) => !SETTINGS.includes(s))) problems.push(`${at}: ${s} is not a setting of a stack's line (${SETTINGS.join(", ")})`);
  }
  for (const stack of files) {
    if (!seen.has(stack)) problems.push(`Pulumi.${stack}.yaml has no line in ${ORDER_FILE}: add "${stack}" where main deploys it (the deploy promotes along that file)`);
    if (!existsSync(`${root}/policy-pack/config/${stack}.json`)) problems.push(`Pulumi.${stack}.yaml has no pack config policy-pack/config/${stack}.json: every preview and deploy of ${stack} runs the policy pack with it`);
    if (/^pr-[0-9]+$/.test(stack)) problems.push(`Pulumi.${stack}.yaml: pr-<number> names review stacks (review-stack.yml), which are never committed`);
  }
  const kept = lines.filter(({ stack }) => files.includes(stack));
  const order = kept.map(({ stack, settings }, i) => ({
    stack, "checks-before-approval": settings.includes("checks-before-approval"), previous: i > 0 ? kept[i - 1].stack : "",
  }));
  return { order, problems, notices };
}

/**
 * The stacks of the repository in `root` as the comment above says: a ::notice:: line per notice through `log`,
 * then the outputs to env.GITHUB_OUTPUT (else stdout), or an ::error:: line per problem and no output. Returns
 * the exit status, 0 or 1.
 */
export function main(root = ".", env = process.env, log = console.log) {
  const { order, problems, notices } = readStacks(root);
  for (const n of notices) log(`::notice title=Stacks and deploy order::${n}`);
  if (problems.length) {
    for (const p of problems) log(`::error title=Stacks and deploy order::${p}`);
    return 1;
  }
  const out = `stacks=${JSON.stringify(order.map((o) => o.stack))}\norder=${JSON.stringify(order)}\n`;
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, out);
  else process.stdout.write(out);
  return 0;
}

if (process.argv[1] && process.argv[1].endsWith("stacks.mjs")) {
  process.exitCode = main();
}
