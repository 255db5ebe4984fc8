/**
 * The host-image workflow's tool (.github/workflows/host-image.yml): proposes bumping each stack's pinned host image
 * (hostImage) to AWS's recommended ECS-optimized Amazon Linux 2023 release of its hosts' architecture, and writes the
 * pull request's body from the offline plans. It reads and writes stack files only; it deploys nothing.
 *
 *   node --require tsx/cjs tools/host-image.ts bump <recommended.json> [--stacks-dir <dir>]
 *     recommended.json: {"x86_64": <value of /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended>,
 *     "arm64": <value of .../arm64/recommended>}, each the parameter's JSON document (image_name, image_id, ...).
 *     Sets the pin of every stack file (Pulumi.<stack>.yaml) pinned by name, or not pinned at all, to the release of
 *     its architecture; leaves a pin by AMI id alone. Only the pin's line changes (and the release-notes link in
 *     the comment above it): comments, order and every other line stay as the team wrote them. Prints the bumps as
 *     JSON: [{"stack", "arch", "from" (null: not pinned), "to"}] and, on stderr, the stacks left alone and why.
 *   node --require tsx/cjs tools/host-image.ts body <bumps.json> <plans-dir>
 *     The pull request's body (markdown): the bumps, and for each bumped stack its offline plan against main
 *     (<plans-dir>/<stack>.json, `npm run plan -- <stack> --json --against <main's plan>`): the resources it
 *     changes, the hosts the instance refresh replaces, how and how long, the cost, the verdict.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { NAMESPACE } from "../config/schema";
import { listStacks, readStackConfig, ROOT, stackOrder } from "../config/stack-files";
import { parseHostImage, recommendedParameter, RELEASE_NAME_RE, releaseNotesUrl, type Arch } from "../lib/host-images";
import { INSTANCE_TYPES } from "../lib/instance-types";

export const KEY = `${NAMESPACE}:hostImage`;
const KEY_LINE = new RegExp(`^(\\s+)${KEY.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}:(\\s*)([^#\\n]*?)(\\s+#.*)?$`);
const NOTES_LINK = /https:\/\/github\.com\/aws\/amazon-ecs-ami\/releases\/tag\/\d{8}/g;

export interface Bump {
  stack: string;
  arch: Arch;
  /** The pinned release before; null when the stack followed AWS's newest image. */
  from: string | null;
  to: string;
}

/** AWS's recommended release per architecture, from the parameters' JSON documents; refuses anything else. */
export function recommendedReleases(recommended: Record<string, unknown>): Record<Arch, string> {
  const out = {} as Record<Arch, string>;
  for (const arch of ["x86_64", "arm64"] as Arch[]) {
    const value = recommended[arch];
    const doc = typeof value === "string" ? JSON.parse(value) : value;
    const name = (doc as { image_name?: unknown } | undefined)?.image_name;
    const m = typeof name === "string" ? RELEASE_NAME_RE.exec(name) : null;
    if (!m || m[3] !== arch) throw new Error(`${recommendedParameter(arch)}: image_name ${JSON.stringify(name)} is not an ECS-optimized AL2023 release name for ${arch}`);
    out[arch] = name as string;
  }
  return out;
}

/**
 * A stack file's text with its pin set to `image`: the key's line rewritten in place (its indentation and any
 * trailing comment kept) and a release-notes link in the comment lines right above it pointed at the new release;
 * or, for a stack without a pin, the key and a comment appended to the config block. Checked by reading both texts
 * back: nothing but the pin differs.
 */
export function setPin(text: string, image: string): string {
  const release = parseHostImage(image);
  if (!release || release.kind !== "name") throw new Error(`${image} is not a release name`);
  const lines = text.split("\n");
  const at = lines.findIndex((l) => KEY_LINE.test(l));
  if (at >= 0) {
    lines[at] = lines[at].replace(KEY_LINE, (_all, indent: string, space: string, _value: string, comment = "") => `${indent}${KEY}:${space || " "}${image}${comment}`);
    for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]); i--) lines[i] = lines[i].replace(NOTES_LINK, releaseNotesUrl(release.release));
  } else {
    const config = lines.findIndex((l) => /^config:\s*(#.*)?$/.test(l));
    if (config < 0) throw new Error("no block-style `config:` map to add the pin to");
    let last = config;
    for (let i = config + 1; i < lines.length && (/^\s/.test(lines[i]) || lines[i].trim() === ""); i++) if (/^\s+\S/.test(lines[i]) && !/^\s*#/.test(lines[i])) last = i;
    const indent = last > config ? /^(\s+)/.exec(lines[last])![1] : "  ";
    lines.splice(last + 1, 0,
      `${indent}# The hosts' image, pinned: they change only when a reviewed pull request changes this line (docs/operations.md, Host images).`,
      `${indent}# Release notes: ${releaseNotesUrl(release.release)}`,
      `${indent}${KEY}: ${image}`);
  }
  const out = lines.join("\n");
  const before = (yaml.load(text) as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const after = (yaml.load(out) as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  if (after[KEY] !== image || JSON.stringify({ ...before, [KEY]: image }) !== JSON.stringify({ ...after, [KEY]: image })
    || Object.keys(after).length !== Object.keys({ ...before, [KEY]: image }).length) {
    throw new Error(`setting ${KEY} would change more than the pin; edit the stack file by hand`);
  }
  return out;
}

/** Bumps every stack file of `dir` that follows a release name (or no pin) to the recommended release of its architecture. */
export function bumpStacks(recommended: Record<string, unknown>, dir = ROOT, log: (s: string) => void = () => undefined): Bump[] {
  const releases = recommendedReleases(recommended);
  const bumps: Bump[] = [];
  for (const stack of listStacks(dir)) {
    const config = readStackConfig(stack, dir);
    const instanceType = config[`${NAMESPACE}:instanceType`];
    const arch = INSTANCE_TYPES[instanceType]?.arch;
    if (!arch) {
      log(`${stack}: instanceType ${instanceType} is not in the table; left alone (its plan reports it)`);
      continue;
    }
    const pinned = config[KEY] ? parseHostImage(config[KEY]) : undefined;
    if (config[KEY] && !pinned) {
      log(`${stack}: ${KEY} = ${config[KEY]} is neither a release name nor an AMI id; left alone (its plan reports it)`);
      continue;
    }
    if (pinned?.kind === "id") {
      log(`${stack}: pinned by AMI id (${pinned.id}); left alone: ids are the team's own choice`);
      continue;
    }
    const to = releases[arch];
    if (pinned?.name === to) continue;
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, setPin(fs.readFileSync(file, "utf8"), to));
    bumps.push({ stack, arch, from: pinned?.name ?? null, to });
  }
  return bumps;
}

/** A saved plan's parts the body reads (plan/plan.ts --json with --against). */
interface PlanJson {
  ok: boolean;
  configErrors?: string[];
  programError?: string;
  settings?: Record<string, Record<string, string>>;
  changes?: { summary: Record<string, number>; resources: { kind: string; type: string; name: string; custom: boolean; changes: { path: string }[] }[] };
  costChange?: { beforeUsd: number | null; afterUsd: number | null; differenceUsd: number | null };
  warnings?: string[];
}

const shortType = (type: string) => type.replace(/^aws:([^/]+)\/[^:]+:/, "$1:");
const usd = (n: number | null | undefined) => (typeof n === "number" ? n.toFixed(2) : "not estimated");

/** The pull request's body: what changes, and each bumped stack's review from its offline plan. */
export function body(bumps: Bump[], plans: Record<string, PlanJson | undefined>, order: string[] = bumps.map((b) => b.stack)): string {
  const sorted = [...bumps].sort((a, b) => order.indexOf(a.stack) - order.indexOf(b.stack));
  const releases = [...new Set(sorted.map((b) => b.to))];
  const out = [
    "Bumps the pinned host image (`hostImage`) of each stack to AWS's recommended ECS-optimized Amazon Linux 2023 release of its hosts' architecture "
      + `(${[...new Set(sorted.map((b) => `\`${recommendedParameter(b.arch)}\``))].join(", ")}).`,
    "",
    `Release notes: ${releases.map((r) => {
      const image = parseHostImage(r);
      return image?.kind === "name" ? `[${r}](${releaseNotesUrl(image.release)})` : r;
    }).join(", ")}.`,
    "",
    "| stack | hosts | from | to |",
    "|---|---|---|---|",
    ...sorted.map((b) => `| ${b.stack} | ${b.arch} | ${b.from ? `\`${b.from}\`` : "not pinned (AWS's newest at each deploy)"} | \`${b.to}\` |`),
    "",
    "Nothing is deployed by this pull request. Once merged, `deploy.yml` deploys the stacks in `deploy-order`, each after its pack-gated preview "
      + "(and prod's approval): each stack's hosts are replaced then, as its review below says.",
  ];
  for (const b of sorted) {
    const plan = plans[b.stack];
    out.push("", `### ${b.stack}`, "");
    if (!plan) {
      out.push("No offline plan: see the run's log.");
      continue;
    }
    if (!plan.ok || !plan.changes) {
      const why = plan.configErrors?.join("; ") ?? plan.programError ?? "a blocking policy or an input the provider refuses (the run's log has the report)";
      out.push(`**The offline plan of ${b.stack} failed**: ${why}`);
      if (!plan.changes) continue;
    }
    const s = plan.changes.summary;
    out.push(`Offline plan against main: ${s.create ?? 0} to create, ${s.update ?? 0} to update, ${s.replace ?? 0} to replace, ${s.delete ?? 0} to delete.`);
    const changed = plan.changes.resources.filter((r) => r.custom);
    if (changed.length > 0) {
      out.push("", ...changed.map((r) => `- ${r.kind} ${shortType(r.type)} \`${r.name}\`: ${r.changes.map((c) => `\`${c.path}\``).join(", ") || "(no input changes)"}`));
    }
    const cluster = plan.settings?.cluster ?? {};
    if (cluster["host refresh"]) out.push("", `**Hosts**: ${cluster["host refresh"]}.`);
    if (cluster["warm pool"]) out.push("", `Warm pool: ${cluster["warm pool"]}.`);
    if (plan.costChange) out.push("", `Cost: ${usd(plan.costChange.beforeUsd)} -> ${usd(plan.costChange.afterUsd)} USD a month.`);
  }
  out.push("", "---", "Opened by `.github/workflows/host-image.yml` (`tools/host-image.ts`); each run updates this pull request or closes it when main is current. "
    + "A pull request opened with the workflow's token starts no workflow: close and reopen it to run the pull request checks (docs/ci.md, Host images).");
  return out.join("\n") + "\n";
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    if (command === "bump" && args[0]) {
      const bumps = bumpStacks(JSON.parse(fs.readFileSync(args[0], "utf8")), path.resolve(flag("--stacks-dir") ?? ROOT), (s) => process.stderr.write(`${s}\n`));
      process.stdout.write(`${JSON.stringify(bumps)}\n`);
    } else if (command === "body" && args[0] && args[1]) {
      const bumps = JSON.parse(fs.readFileSync(args[0], "utf8")) as Bump[];
      const read = (stack: string) => {
        const file = path.join(args[1], `${stack}.json`);
        return fs.existsSync(file) && fs.statSync(file).size > 0 ? (JSON.parse(fs.readFileSync(file, "utf8")) as PlanJson) : undefined;
      };
      process.stdout.write(body(bumps, Object.fromEntries(bumps.map((b) => [b.stack, read(b.stack)])), stackOrder(path.resolve(flag("--stacks-dir") ?? ROOT))));
    } else {
      process.stderr.write("usage: host-image.ts bump <recommended.json> [--stacks-dir <dir>] | body <bumps.json> <plans-dir> [--stacks-dir <dir>]\n");
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`host-image: ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  }
}
