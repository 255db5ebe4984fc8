/* global process, console */
// Checks the `with:` of every `uses:` in GitHub workflow files against the inputs the used piece declares:
//   owner/repo[/path]@<commit>     the inputs recorded for that commit in .ci/action-inputs.json (from its action.yml)
//   ./.github/workflows/<x>.yml    that workflow's on.workflow_call.inputs (and its required inputs, and
//                                  the names under `secrets:` against on.workflow_call.secrets)
//   ./<dir>                        the local action's <dir>/action.yml inputs
// Prints one line per problem, `<file>:<line>: <what> has no input "<name>"; inputs: a, b, c`, and exits 1 if any.
// Usage (from the repository root): node .ci/check-action-inputs.mjs <workflow file>...
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";

const DATA = ".ci/action-inputs.json";
const recorded = JSON.parse(readFileSync(DATA, "utf8")).actions;

/**
 * The line (1-based) of every block-style mapping key, by path: `jobs.dev.steps[2].with.node-version`.
 * Enough YAML for workflow files: block mappings and sequences, block scalars skipped, flow collections
 * not descended (their keys resolve to the line of the key that holds them).
 */
export function keyLines(text) {
  const lines = new Map();
  const stack = []; // { col, kind: "key" | "item", path }
  const nextIndex = new Map(); // sequence path -> next item index
  let scalarCol = -1; // inside a block scalar whose key sits at this column
  text.split("\n").forEach((raw, i) => {
    const content = raw.replace(/\s+#.*$|^\s*#.*$/, "");
    if (content.trim() === "") return;
    const col = raw.length - raw.trimStart().length;
    if (scalarCol >= 0) {
      if (col > scalarCol) return;
      scalarCol = -1;
    }
    const m = /^(\s*)(- +)?(?:(["']?)([A-Za-z0-9_.\-/]+)\3:(?:\s+(.*))?$)?/.exec(content);
    const dash = m[2];
    const key = m[4];
    let keyCol = col;
    let parent;
    if (dash) {
      while (stack.length && (stack.at(-1).col > col || (stack.at(-1).col === col && stack.at(-1).kind === "item"))) stack.pop();
      const seq = stack.length ? stack.at(-1).path : "";
      const index = nextIndex.get(seq) ?? 0;
      nextIndex.set(seq, index + 1);
      const itemPath = `${seq}[${index}]`;
      stack.push({ col, kind: "item", path: itemPath });
      parent = itemPath;
      keyCol = col + dash.length;
    } else {
      if (key === undefined) return; // a continuation line of a plain scalar
      while (stack.length && stack.at(-1).col >= col) stack.pop();
      parent = stack.length ? stack.at(-1).path : "";
    }
    if (key === undefined) return;
    const path = parent ? `${parent}.${key}` : key;
    lines.set(path, i + 1);
    stack.push({ col: keyCol, kind: "key", path });
    if (/^[|>][0-9+-]*$/.test((m[5] ?? "").trim())) scalarCol = keyCol;
  });
  return lines;
}

/** The inputs (and, for a reusable workflow, required inputs and secrets) of what `uses` names, or a problem. */
function declared(uses, comment) {
  if (uses.startsWith("docker://")) return null;
  if (uses.startsWith("./")) {
    const target = uses.replace(/^\.\//, "");
    if (/\.ya?ml$/.test(target)) {
      if (!existsSync(target)) return { problem: `${uses} does not exist` };
      const doc = yaml.load(readFileSync(target, "utf8")) ?? {};
      const on = doc.on;
      const callable = on === "workflow_call" || (Array.isArray(on) && on.includes("workflow_call")) ||
        (typeof on === "object" && on !== null && "workflow_call" in on);
      if (!callable) return { problem: `${uses} is not a reusable workflow (no on.workflow_call)` };
      const call = (typeof on === "object" && !Array.isArray(on) && on.workflow_call) || {};
      const inputs = call.inputs ?? {};
      return {
        name: uses,
        inputs: Object.keys(inputs),
        required: Object.entries(inputs).filter(([, v]) => v?.required === true && v?.default === undefined).map(([k]) => k),
        secrets: Object.keys(call.secrets ?? {}),
      };
    }
    const actionFile = ["action.yml", "action.yaml"].map((f) => join(target, f)).find(existsSync);
    if (!actionFile) return { problem: `${uses} has no action.yml` };
    const doc = yaml.load(readFileSync(actionFile, "utf8")) ?? {};
    return { name: uses, inputs: Object.keys(doc.inputs ?? {}) };
  }
  const entry = recorded[uses];
  const [action] = uses.split("@");
  if (!entry) return { problem: `${uses} has no recorded inputs: add the inputs of its action.yml at that commit to ${DATA}` };
  if (comment && comment !== entry.version) {
    return { problem: `${action} is pinned with the comment ${comment}, but ${DATA} records that commit as ${entry.version}` };
  }
  return { name: `${action}@${entry.version}`, inputs: entry.inputs };
}

function check(file) {
  const text = readFileSync(file, "utf8");
  const doc = yaml.load(text) ?? {};
  const lines = keyLines(text);
  const problems = [];
  const at = (path) => lines.get(path) ?? 0;
  const comments = new Map(); // line -> the `# vX.Y.Z` comment of a uses: line
  text.split("\n").forEach((l, i) => {
    const c = /uses:\s*\S+\s+#\s*(v\d+\.\d+\.\d+)\s*$/.exec(l);
    if (c) comments.set(i + 1, c[1]);
  });
  const checkWith = (path, uses, withs, secrets) => {
    const usesLine = at(`${path}.uses`);
    const d = declared(String(uses), comments.get(usesLine));
    if (d === null) return;
    if (d.problem) return problems.push(`${file}:${usesLine}: ${d.problem}`);
    const allowed = d.inputs.length ? d.inputs.join(", ") : "(none)";
    for (const name of Object.keys(withs ?? {})) {
      if (!d.inputs.includes(name)) {
        problems.push(`${file}:${at(`${path}.with.${name}`) || at(`${path}.with`)}: ${d.name} has no input "${name}"; inputs: ${allowed}`);
      }
    }
    for (const name of d.required ?? []) {
      if (!(name in (withs ?? {}))) problems.push(`${file}:${at(`${path}.with`) || usesLine}: ${d.name} requires input "${name}"`);
    }
    if (d.secrets && secrets && typeof secrets === "object") {
      for (const name of Object.keys(secrets)) {
        if (!d.secrets.includes(name)) {
          problems.push(`${file}:${at(`${path}.secrets.${name}`)}: ${d.name} has no secret "${name}"; secrets: ${d.secrets.join(", ") || "(none)"}`);
        }
      }
    }
  };
  for (const [jobId, job] of Object.entries(doc.jobs ?? {})) {
    if (job?.uses) checkWith(`jobs.${jobId}`, job.uses, job.with, job.secrets);
    (job?.steps ?? []).forEach((step, i) => {
      if (step?.uses) checkWith(`jobs.${jobId}.steps[${i}]`, step.uses, step.with);
    });
  }
  return problems;
}

if (process.argv[1] && process.argv[1].endsWith("check-action-inputs.mjs")) {
  const problems = process.argv.slice(2).flatMap(check);
  for (const p of problems) console.log(p);
  process.exit(problems.length ? 1 : 0);
}
