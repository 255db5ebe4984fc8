/* global process, console */
// The read-only role a preview of <stack> assumes (preview-stack.yml, drift-stack.yml): the repository variable
// AWS_PREVIEW_ROLE_ARN_<STACK> (the stack's name in capitals, every character but a letter or digit as _, since a
// variable's name holds only those), else AWS_PREVIEW_ROLE_ARN. GitHub compares variable names without case
// (docs.github.com, "Naming conventions for configuration variables"), and so does this.
// The workflow hands it the vars context as JSON (VARS: ${{ toJSON(vars) }}), so no workflow names a stack.
// Writes arn=<role or empty> and setting=<which variables, for the settings check's message> to $GITHUB_OUTPUT
// (stdout outside GitHub Actions).
// Usage: VARS='{"AWS_PREVIEW_ROLE_ARN":"arn:..."}' node .ci/preview-role.mjs <stack>
import { appendFileSync } from "node:fs";

export const FALLBACK = "AWS_PREVIEW_ROLE_ARN";
/** The variables a preview reads, as the docs and the workflows' headers name them. */
export const READS = [`${FALLBACK}_<STACK>`, FALLBACK];

export const ownVariable = (stack) => `${FALLBACK}_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

/** { arn, setting }: the stack's own role, else the repository's; arn "" when neither is set. */
export function previewRole(vars, stack) {
  const get = (name) => Object.entries(vars ?? {}).find(([k]) => k.toUpperCase() === name)?.[1] ?? "";
  const own = ownVariable(stack);
  return { arn: get(own) || get(FALLBACK), setting: `the repository variable ${own} or ${FALLBACK}` };
}

if (process.argv[1] && process.argv[1].endsWith("preview-role.mjs")) {
  const stack = process.argv[2];
  if (!stack) {
    console.error("usage: VARS=<the vars context as JSON> node .ci/preview-role.mjs <stack>");
    process.exit(2);
  }
  const { arn, setting } = previewRole(JSON.parse(process.env.VARS || "{}"), stack);
  const out = `arn=${arn}\nsetting=${setting}\n`;
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, out);
  else process.stdout.write(out);
}
