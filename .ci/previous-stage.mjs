/* global process, console, fetch, URL */
// Whether the stage before this one in deploy-order deployed this run's commit, in this run. deploy-stage.yml runs it
// in every stage but the first, in a job with no environment and no credential that the stage's other jobs need, so
// a stage whose predecessor did not succeed stops before it takes a credential or asks for an approval.
//
// Why a check of its own: the stages are the legs of one matrix (deploy.yml: max-parallel 1, fail-fast). fail-fast
// cancels the legs still to come when a leg fails (docs.github.com, "Running variations of jobs in a workflow",
// Handling failures), but a leg whose waiting deploy job a newer run replaced in its concurrency group
// (deploy-<stack>) ends cancelled, not failed, and no doc says a cancelled leg stops the legs after it. Without this
// check the next stage could deploy a commit the stage before it never ran.
//
// It reads the run's jobs through the REST API, GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs
// (docs.github.com, "REST API endpoints for workflow jobs", List jobs for a workflow run: a token with actions: read;
// filter=latest, each job's most recent execution, so a re-run attempt's result is the one that counts; per_page at
// most 100, default 30, the list paginated), following the link header's rel="next" (docs.github.com, "Using
// pagination in the REST API") and no link off the API's own origin, which would carry the token elsewhere.
// The previous stage's deploy job must be there, by the name GitHub gives it (PREVIOUS_JOB, which deploy-stage.yml
// composes and tests/workflows/workflows.test.ts holds to the name of that job), of this run (run_id) and this
// commit (head_sha), completed with the conclusion success. Anything else (cancelled, skipped, failed, still
// running, missing, another commit, the API failing) is one ::error:: naming the stage and what was found, exit 1.
//   node .ci/previous-stage.mjs
// Environment: PREVIOUS_STAGE (the stack before this one), PREVIOUS_JOB (its deploy job's name), GITHUB_TOKEN
// (actions: read), and as set on every runner GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_SHA, GITHUB_API_URL.
// Plain Node (global fetch), no dependency: it runs before `npm ci`.

export const PER_PAGE = 100;
/** Far more pages than a run has jobs (256 per matrix): a link that never ends is an API fault, not a list. */
const MAX_PAGES = 50;

/** The URL of rel="next" in a link header, or undefined. */
export function nextLink(header) {
  for (const part of String(header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2].split(/\s+/).includes("next")) return m[1];
  }
  return undefined;
}

/** Every job of the run, all pages of the list (each job's latest execution); throws on any failure of the API. */
export async function fetchJobs(env = process.env) {
  const api = env.GITHUB_API_URL || "https://api.github.com";
  const origin = new URL(api).origin;
  let url = `${api}/repos/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/jobs?filter=latest&per_page=${PER_PAGE}`;
  const jobs = [];
  for (let page = 1; url; page++) {
    if (page > MAX_PAGES) throw new Error(`the jobs list goes on past ${MAX_PAGES} pages`);
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${env.GITHUB_TOKEN}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    });
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const body = await res.json();
    if (!Array.isArray(body?.jobs)) throw new Error(`GET ${url}: no jobs list in the answer`);
    jobs.push(...body.jobs);
    url = nextLink(res.headers.get("link"));
    if (url && new URL(url).origin !== origin) throw new Error(`the next page is off the API (${new URL(url).origin}, not ${origin})`);
  }
  return jobs;
}

/**
 * The verdict on the previous stage from the run's jobs: { ok, found }, found saying what the job is (or that none
 * is). Of several jobs of that name (attempts), the latest attempt decides.
 */
export function judge(jobs, { job, runId, sha }) {
  const named = jobs.filter((j) => j?.name === job);
  if (!named.length) {
    const names = jobs.map((j) => String(j?.name)).slice(0, 20);
    return { ok: false, found: `no job named "${job}" in run ${runId} (its jobs: ${names.length ? names.map((n) => `"${n}"`).join(", ") : "none"})` };
  }
  const j = named.reduce((a, b) => ((b.run_attempt ?? 0) > (a.run_attempt ?? 0) || ((b.run_attempt ?? 0) === (a.run_attempt ?? 0) && (b.id ?? 0) > (a.id ?? 0)) ? b : a));
  const at = `"${job}" (job ${j.id}, attempt ${j.run_attempt ?? "?"})`;
  if (String(j.run_id) !== String(runId)) return { ok: false, found: `${at} is of run ${j.run_id}, not this run ${runId}` };
  if (j.head_sha !== sha) return { ok: false, found: `${at} ran commit ${j.head_sha}, this run deploys ${sha}` };
  if (j.status !== "completed") return { ok: false, found: `${at} is ${j.status}, not completed` };
  if (j.conclusion !== "success") return { ok: false, found: `${at} ended ${j.conclusion ?? "without a conclusion"}` };
  return { ok: true, found: `${at} succeeded on ${sha} in run ${runId}` };
}

/** Checks the previous stage as the comment above says; `log` prints each line. Resolves to the exit status, 0 or 1. */
export async function main(env = process.env, log = console.log) {
  const stage = env.PREVIOUS_STAGE ?? "";
  const job = env.PREVIOUS_JOB ?? "";
  if (!stage || !job || !/^[0-9]+$/.test(env.GITHUB_RUN_ID ?? "") || !env.GITHUB_SHA || !env.GITHUB_REPOSITORY) {
    log("::error title=Previous stage::.ci/previous-stage.mjs needs PREVIOUS_STAGE, PREVIOUS_JOB, GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_SHA");
    return 1;
  }
  let verdict;
  try {
    verdict = judge(await fetchJobs(env), { job, runId: env.GITHUB_RUN_ID, sha: env.GITHUB_SHA });
  } catch (err) {
    verdict = { ok: false, found: `this run's jobs could not be read: ${err.message}` };
  }
  if (!verdict.ok) {
    log(`::error title=Previous stage::${stage} did not deploy this commit in this run, so this stage does not deploy it: ${verdict.found}`);
    return 1;
  }
  log(`${stage} deployed this commit in this run: ${verdict.found}`);
  return 0;
}

if (process.argv[1] && process.argv[1].endsWith("previous-stage.mjs")) {
  main().then((code) => { process.exitCode = code; });
}
