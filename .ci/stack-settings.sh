#!/usr/bin/env bash
# Checks the repository settings a job needs before it runs Pulumi on a stack, then writes the stack's
# backend settings as step outputs (to $GITHUB_OUTPUT, or stdout outside GitHub Actions):
#   name=<stack>, or <org>/<stack> when ORG is set (a Pulumi Cloud organization)
#   cloud-url=<BACKEND_URL>: empty for Pulumi Cloud
# With --check-exists (the pulumi CLI on PATH, logged in here), also new=true|false. A stack that does not
# exist yet is previewed as a new stack in throwaway local state on the runner (new=true,
# cloud-url=file://$RUNNER_TEMP/..., name=<stack>): the preview shows what its first deploy creates, and
# the real backend is neither written nor needs to allow it. (pulumi/actions creates a missing stack only
# with `upsert`, src/main.ts; without it `selectStack` fails.)
#
# Usage: bash .ci/stack-settings.sh <stack> [--check-exists]
# Environment (the workflow maps each from a variable or secret, named in ROLE_SETTING and in messages):
#   ROLE, ROLE_SETTING     the IAM role to assume, and which variables it comes from (for the message)
#   REGION                 vars.AWS_REGION
#   BACKEND_URL, ORG       vars.PULUMI_BACKEND_URL, vars.PULUMI_ORG
#   PULUMI_ACCESS_TOKEN, PULUMI_CONFIG_PASSPHRASE
#   PASSPHRASE_SETTING     the secret the passphrase comes from, for the message (default secrets.PULUMI_CONFIG_PASSPHRASE)
# Fails with an ::error:: line, exit 1, when:
#   - ROLE or REGION is empty;
#   - BACKEND_URL is set, the stack uses the passphrase secrets provider (no other `secretsprovider:` in
#     Pulumi.<stack>.yaml) and PULUMI_CONFIG_PASSPHRASE is empty: GitHub sets an unset secret as an empty
#     variable, and the CLI takes a set, empty PULUMI_CONFIG_PASSPHRASE as the passphrase "" (pulumi/pulumi
#     v3.248.0 pkg/secrets/passphrase/manager.go, readPassphrase: os.LookupEnv), so new stacks would be
#     encrypted with "";
#   - BACKEND_URL and ORG are both set: ORG names a Pulumi Cloud organization, a self-managed backend has none;
#   - neither BACKEND_URL nor PULUMI_ACCESS_TOKEN is set: no backend to log in to.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stack=${1:-}
check_exists=false
[[ ${2:-} == --check-exists ]] && check_exists=true
if [[ -z $stack || ! -f Pulumi.$stack.yaml ]]; then
  echo "usage: bash .ci/stack-settings.sh <stack> [--check-exists] (no Pulumi.${stack:-<stack>}.yaml)" >&2
  exit 2
fi

problems=()
[[ -n ${ROLE:-} ]] || problems+=("no AWS role to assume for $stack: set ${ROLE_SETTING:-the role variable} (docs/ci.md, Settings)")
[[ -n ${REGION:-} ]] || problems+=("no AWS region: set the variable AWS_REGION (docs/ci.md, Settings)")
if [[ -n ${BACKEND_URL:-} ]]; then
  provider=$(sed -nE 's/^secretsprovider:[[:space:]]*"?([^"[:space:]]*).*/\1/p' "Pulumi.$stack.yaml")
  if [[ ( -z $provider || $provider == passphrase* ) && -z ${PULUMI_CONFIG_PASSPHRASE:-} ]]; then
    problems+=("vars.PULUMI_BACKEND_URL is set (a self-managed backend) but ${PASSPHRASE_SETTING:-secrets.PULUMI_CONFIG_PASSPHRASE} is empty: the CLI would encrypt $stack's secrets with an empty passphrase. Set the secret (docs/ci.md, Settings)")
  fi
  if [[ -n ${ORG:-} ]]; then
    problems+=("vars.PULUMI_ORG is for Pulumi Cloud only, and vars.PULUMI_BACKEND_URL selects a self-managed backend: unset one of them")
  fi
elif [[ -z ${PULUMI_ACCESS_TOKEN:-} ]]; then
  problems+=("no Pulumi backend: set the Pulumi Cloud token secret (PULUMI_PREVIEW_ACCESS_TOKEN for previews, PULUMI_ACCESS_TOKEN for deploys) or vars.PULUMI_BACKEND_URL (docs/ci.md, Settings)")
fi
if (( ${#problems[@]} )); then
  for p in "${problems[@]}"; do echo "::error title=CI settings::$p"; done
  exit 1
fi

name=$stack
[[ -n ${ORG:-} ]] && name="$ORG/$stack"
cloud_url=${BACKEND_URL:-}
new=

if [[ $check_exists == true ]]; then
  login=(pulumi --non-interactive login)
  [[ -n $cloud_url ]] && login+=("$cloud_url")
  if ! out=$("${login[@]}" 2>&1); then
    echo "$out" >&2
    echo "::error title=Pulumi login::could not log in to ${cloud_url:-Pulumi Cloud}"
    exit 1
  fi
  if out=$(pulumi --non-interactive stack select "$name" 2>&1); then
    new=false
  elif grep -Eq "no stack named .*found" <<<"$out"; then
    # The error the Automation API maps to StackNotFoundError (pulumi/pulumi sdk/go/auto/errors.go).
    new=true
    state="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pulumi-new-stack-state"
    mkdir -p "$state"
    echo "::notice title=New stack $stack::$name does not exist yet (its first deploy creates it): previewed as a new stack in throwaway state on the runner, which shows what that deploy creates. Nothing is written to the backend."
    name=$stack
    cloud_url="file://$state"
  else
    echo "$out" >&2
    echo "::error title=Pulumi stack::could not look up $name"
    exit 1
  fi
fi

{
  echo "name=$name"
  echo "cloud-url=$cloud_url"
  [[ -n $new ]] && echo "new=$new"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
