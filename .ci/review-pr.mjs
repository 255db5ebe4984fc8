/* global process, console, fetch */
// Whether a pull request still wants its review stack pr-<number> (review-stack.yml, review-destroy.yml,
// review-sweep.yml): open, its head in this repository, labelled review-stack. Read through the REST API when the
// job runs (GET /repos/{owner}/{repo}/pulls/{number}), not from the event that started the run, which may be
// minutes old: each job in the pull request's concurrency group acts on the pull request as it is then.
//   node .ci/review-pr.mjs state <number>        live=true|false and reason=... to $GITHUB_OUTPUT
//   node .ci/review-pr.mjs sweep <stack-ls.json>  for `pulumi stack ls --json`: each pr-<number> stack whose pull
//                                                request is closed, unlabelled, a fork's or gone; remove=[numbers]
//                                                to $GITHUB_OUTPUT and a table to $GITHUB_STEP_SUMMARY
// Environment: GITHUB_TOKEN (pull-requests: read), GITHUB_REPOSITORY, GITHUB_API_URL (set on every runner).
import { appendFileSync, readFileSync } from "node:fs";

export const LABEL = "review-stack";
const REVIEW_STACK = /^pr-([1-9][0-9]{0,9})$/;

/** { live, reason } of a pull request as the API returns it (null: it does not exist). */
export function reviewState(pull, repository) {
  if (!pull) return { live: false, reason: "gone (no such pull request)" };
  if (pull.state !== "open") return { live: false, reason: "closed" };
  // A fork's head, or a head repository since deleted (head.repo is then null).
  if (pull.head?.repo?.full_name !== repository) return { live: false, reason: "its head is not in this repository" };
  if (!(pull.labels ?? []).some((l) => l?.name === LABEL)) return { live: false, reason: `not labelled ${LABEL}` };
  return { live: true, reason: `open and labelled ${LABEL}` };
}

/** The review stacks among `pulumi stack ls --json`'s stacks ({name} each, the name maybe org/project/stack): [{ stack, number }]. */
export function reviewStacks(list) {
  return (list ?? []).flatMap((s) => {
    const stack = String(s?.name ?? "").split("/").at(-1);
    const m = REVIEW_STACK.exec(stack);
    return m ? [{ stack, number: Number(m[1]) }] : [];
  });
}

/** The pull request from the API, or null when it does not exist (404); any other failure throws. */
export async function fetchPull(number, env = process.env) {
  const url = `${env.GITHUB_API_URL || "https://api.github.com"}/repos/${env.GITHUB_REPOSITORY}/pulls/${number}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${env.GITHUB_TOKEN}`, accept: "application/vnd.github+json" } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Runs the command as the comment above says, with `env` for the environment; `log` prints each line.
 * Resolves to the exit status: 0, 1 when the API fails (an ::error:: line, no output), 2 on bad usage.
 */
export async function main(args, env = process.env, log = console.log) {
  try {
    return await run(args, env, log);
  } catch (err) {
    log(`::error title=Pull request::${err.message}`);
    return 1;
  }
}

async function run([command, arg], env, log) {
  const repository = env.GITHUB_REPOSITORY;
  const output = (text) => (env.GITHUB_OUTPUT ? appendFileSync(env.GITHUB_OUTPUT, text) : process.stdout.write(text));
  if (command === "state" && /^[0-9]+$/.test(arg ?? "")) {
    const { live, reason } = reviewState(await fetchPull(arg, env), repository);
    log(`pull request #${arg}: ${reason}`);
    output(`live=${live}\nreason=${reason}\n`);
    return 0;
  }
  if (command === "sweep" && arg) {
    const rows = [];
    const remove = [];
    for (const { stack, number } of reviewStacks(JSON.parse(readFileSync(arg, "utf8")))) {
      const { live, reason } = reviewState(await fetchPull(number, env), repository);
      if (!live) remove.push(number);
      rows.push(`| ${stack} | #${number}: ${reason} | ${live ? "kept" : "to remove"} |`);
    }
    const summary = rows.length
      ? ["| stack | pull request | |", "|---|---|---|", ...rows].join("\n")
      : "No review stack (pr-<number>) exists.";
    log(summary);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `## Review stacks\n\n${summary}\n`);
    output(`remove=${JSON.stringify(remove)}\n`);
    return 0;
  }
  console.error("usage: node .ci/review-pr.mjs state <number> | sweep <stack-ls.json>");
  return 2;
}

if (process.argv[1] && process.argv[1].endsWith("review-pr.mjs")) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
