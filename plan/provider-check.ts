/**
 * The plan's provider-rules step: what the Terraform AWS provider (the engine under @pulumi/aws) refuses
 * before any API call, checked offline on every cloud resource's recorded inputs (plan/provider-rules/).
 * The mock engine validates nothing, so without this step a value the provider refuses passes every test
 * and the plan, and fails the first real `pulumi preview`. With --against, a resource the saved plan has
 * is checked as an update too (the provider's update-time rules, e.g. a capacity provider strategy change
 * without forceNewDeployment). Unknown values are skipped, never guessed.
 */
import { checkResource, checkUpdate, PROVIDER, type Problem } from "./provider-rules/check";
import type { PlanDiff, SavedPlan } from "./diff";
import type { ResourceEntry } from "./report";

/** A refused input: the resource, and the property, value, rule and source of the problem. */
export interface ProviderProblem extends Problem {
  /** The resource's logical name and type token. */
  name: string;
  type: string;
  /** Found by checking the change from the saved plan (--against), not the inputs alone. */
  update?: true;
}

/** Where the rules come from, as the report names it. */
export function providerVersion(): string {
  const p = PROVIDER as { name?: string; version?: string };
  return `${p.name ?? "hashicorp/terraform-provider-aws"} ${p.version ?? "(version not recorded)"}`;
}

/**
 * Every cloud resource of the plan against the provider's rules; each resource that `diff` updates in
 * place is checked against the update rules from its saved inputs as well.
 */
export function providerProblems(entries: ResourceEntry[], saved?: SavedPlan, diff?: PlanDiff): ProviderProblem[] {
  const olds = new Map((saved?.resources ?? []).map((r) => [r.urn, r]));
  const updated = new Map((diff?.resources ?? []).filter((c) => c.kind === "update" && c.custom).map((c) => [c.urn, olds.get(c.oldUrn ?? c.urn)]));
  const out: ProviderProblem[] = [];
  for (const e of entries) {
    if (!e.custom) continue;
    const own = checkResource(e.type, e.properties);
    out.push(...own.map((p) => ({ name: e.name, type: e.type, ...p })));
    const old = updated.get(e.urn);
    if (!old) continue;
    const seen = new Set(own.map((p) => `${p.property} ${p.rule.text}`));
    for (const p of checkUpdate(e.type, old.properties, e.properties)) {
      if (!seen.has(`${p.property} ${p.rule.text}`)) out.push({ name: e.name, type: e.type, ...p, update: true });
    }
  }
  return out;
}

/** One line a problem: resource (type), property = value: the rule [its source]. */
export function formatProviderProblems(problems: ProviderProblem[], checked: number): string[] {
  if (problems.length === 0) return [`Provider rules: ${checked} resources checked against ${providerVersion()}: none refused.`];
  const shown = (v: unknown) => {
    const s = JSON.stringify(v) ?? "undefined";
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  };
  return [
    `PROVIDER REFUSES (${problems.length}): inputs ${providerVersion()} rejects before any API call`,
    ...problems.map((p) => `  x ${p.name} (${p.type})${p.update ? " as an update" : ""}: ${p.property} = ${shown(p.value)}: ${p.rule.kind}: ${p.rule.text} [${p.source}]`),
  ];
}
