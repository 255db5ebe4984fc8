#!/usr/bin/env bash
# The commit a stack was last deployed from, checked out for its drift check (drift-stack.yml): the stack tag
# deployed-commit, which deploy-stack.yml sets to the commit after each successful `pulumi up`. Stack tags live
# in the backend, Pulumi Cloud or self-managed alike (pulumi/pulumi v3.248.0 pkg/backend/diy/stack.go Tags, since
# pulumi/pulumi#19882), and `pulumi stack tag get` prints the value or fails with "stack tag '<name>' not found"
# (pkg/cmd/pulumi/stack/stack_tag.go).
# Run in main's checkout with its history (actions/checkout fetch-depth: 0), the pulumi CLI logged in. Writes to
# $GITHUB_OUTPUT (stdout outside GitHub Actions):
#   commit=<sha>  dir=.deployed  ahead=<N>   the deployed commit, checked out in .deployed (a git worktree), and
#                                            how many commits main has that it lacks (not drift: what the next
#                                            deploy brings)
#   commit=       dir=.          ahead=      a stack deployed before deploys tagged it: checked against main, with
#                                            a notice (its next deploy tags it)
# Fails (exit 1) when the tag is not a commit of this repository, or the CLI fails otherwise.
# Usage: bash .ci/deployed-commit.sh <stack, as the backend names it (org/stack on Pulumi Cloud with an org)>
set -uo pipefail

name=${1:?usage: bash .ci/deployed-commit.sh <stack>}
out=${GITHUB_OUTPUT:-/dev/stdout}

if ! commit=$(pulumi --non-interactive stack tag get deployed-commit --stack "$name" 2>&1); then
  if grep -q "stack tag 'deployed-commit' not found" <<<"$commit"; then
    echo "::notice title=Drift $name::$name has no deployed-commit tag (deployed before deploys tagged their commit): checked against main; its next deploy tags it"
    printf 'commit=\ndir=.\nahead=\n' >>"$out"
    exit 0
  fi
  echo "$commit" >&2
  echo "::error title=Drift $name::could not read the stack tag deployed-commit"
  exit 1
fi

if [[ ! $commit =~ ^[0-9a-f]{40}$ ]] || ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
  echo "::error title=Drift $name::the stack tag deployed-commit is \"$commit\", not a commit of this repository's history"
  exit 1
fi
ahead=$(git rev-list --count "$commit..HEAD")
git worktree add --quiet --detach .deployed "$commit"
printf 'commit=%s\ndir=.deployed\nahead=%s\n' "$commit" "$ahead" >>"$out"
