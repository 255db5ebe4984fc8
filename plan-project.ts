/**
 * The program's side of the offline plan (plan/project.ts): its config check, the settings and warnings
 * the report shows, the cost estimate, and what a stack's config says of the account: the public hosted
 * zone of `domainName`, the existing network of `vpcId`, `publicSubnetIds` and `privateSubnetIds`, the
 * image `hostImage` pins.
 */
import { describePlaceholders, NAMESPACE, parseStackConfig } from "./config";
import { estimateCost, formatCost } from "./plan/cost";
import { runProgram as record, type ProjectMocks, type Recording, type RunOptions } from "./plan/mock-engine";
import { imageLookup } from "./plan/mock-image";
import { assumedNetwork } from "./plan/mock-network";
import type { PlanProject } from "./plan/project";
import { elasticIpWarnings, settings } from "./plan/settings";

/** A list key's value, or [] when it does not parse as a list of strings (the config check reports it). */
function list(config: Record<string, string>, key: string): string[] {
  try {
    const v = JSON.parse(config[`${NAMESPACE}:${key}`] ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export const mocks: ProjectMocks = {
  name: NAMESPACE,
  account(config, zones) {
    // Any zone id is the public zone of domainName without its first label (api.acme.dev -> acme.dev).
    const domain = config[`${NAMESPACE}:domainName`] ?? "";
    const vpcId = config[`${NAMESPACE}:vpcId`];
    const network = vpcId ? assumedNetwork({ vpcId, publicSubnetIds: list(config, "publicSubnetIds"), privateSubnetIds: list(config, "privateSubnetIds") }, zones) : undefined;
    const image = config[`${NAMESPACE}:hostImage`];
    const assumptions = [
      ...(network?.assumptions ?? []),
      ...(image ? [`offline: hostImage ${image} was taken to exist, of the hosts' architecture and not deprecated, with an id the plan made up; \`pulumi preview\` looks it up and refuses it if it is not there`] : []),
    ];
    return {
      hostedZone: () => ({ name: domain.split(".").slice(1).join(".") }),
      ...(network ? { network: network.network } : {}),
      assumptions,
      invoke: imageLookup,
    };
  },
};

/** Records `program` (this project's, or a variant of it) under the mock engine with this project's lookups. */
export function runProgram(program: () => unknown, opts: Omit<RunOptions, "project">): Promise<Recording> {
  return record(program, { ...opts, project: mocks });
}

export const planProject: PlanProject = {
  mocks,
  check(raw, stack) {
    const config = parseStackConfig(raw, { rootDir: stack.dir });
    return {
      placeholders: describePlaceholders(config.placeholders),
      settings: settings(config, stack.name),
      // Warnings that count other stacks are shown only on request, but never hidden silently.
      warnings(all) {
        const every = elasticIpWarnings(stack.name, stack.stacksDir, raw);
        const shown = all ? every : elasticIpWarnings(stack.name, stack.stacksDir, raw, false);
        return { shown, heldBack: every.length - shown.length };
      },
      cost(resources) {
        const e = estimateCost(config, resources);
        return { monthlyUsd: e.available ? e.monthlyUsd : undefined, json: e.available ? e : { ...e, monthlyUsd: null }, text: formatCost(e) };
      },
    };
  },
};
