/**
 * Shared test helpers: record the whole program under the mock engine for a fixture stack, a committed stack
 * or the seed's values, and run the offline plan in-process.
 *
 * Tests of the program's behaviour plan the fixture stacks in tests/fixtures/stacks/ (each file's header says
 * what it exercises); only tests/stacks/ reads the team's own Pulumi.<stack>.yaml files, and only for what
 * holds for any stack.
 */
import assert from "node:assert/strict";
import * as path from "path";
import { Graph, RecordedResource, runProgram, type Recording, type RunOptions } from "../plan/mock-engine";
import { mocks } from "../plan-project";
import { ConfigError, parseConfig, parseStackConfig, type StackConfig } from "../config";
import { projectConfig, readStackConfig, ROOT } from "../config/stack-files";
import main = require("../index");
import { plan } from "../plan/plan";

export const NS = "ecs-ec2-api";

function qualify(overrides: Record<string, string | undefined>, base: Record<string, string>): Record<string, string> {
  const config = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const q = key.includes(":") ? key : `${NS}:${key}`;
    if (value === undefined) delete config[q];
    else config[q] = value;
  }
  return config;
}

/**
 * A stack's config with its placeholders filled in, as a team does before its first `pulumi up` (which
 * refuses placeholders): AWS's documentation accounts (in ARNs and ECR registries), all-zero ids, EXAMPLE zone
 * ids and example.com replaced by values of the same shape.
 */
export function filledIn(config: Record<string, string>): Record<string, string> {
  const fill = (v: string) => v
    .replace(/:(123456789012|111122223333|444455556666):/g, ":210987654321:")
    .replace(/\b(123456789012|111122223333|444455556666)\.dkr\.ecr\./g, "210987654321.dkr.ecr.")
    .replace(/\bZ[A-Z0-9]*EXAMPLE\b/g, "Z04512343SFJ1ABCDEF")
    .replace(/00000000-0000-0000-0000-000000000000/g, "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b")
    .replace(/example\.(com|net|org)\b/g, "acme-api.dev");
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, fill(v)]));
}

/**
 * The folders of team stacks the specs of tests/stacks/ check: the project's own, or, when the adoption
 * check runs them (tools/adoption-check.ts), copies of its stacks with a team's edits applied, listed in
 * STACK_DIRS (separated by the platform's path delimiter).
 */
export function teamStackDirs(): string[] {
  const dirs = process.env.STACK_DIRS;
  return dirs ? dirs.split(path.delimiter).filter(Boolean) : [ROOT];
}

/** The problems parseConfig reports for raw project keys in us-east-1; [] when it accepts them. */
export function configProblems(raw: Record<string, string>, region = "us-east-1"): string[] {
  try {
    parseConfig(raw, region, { rootDir: ROOT });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems;
  }
  return [];
}

/** The fixture stacks' folder: Pulumi.<name>.yaml and policy-pack/config/<name>.json for each. */
export const FIXTURES = path.join(__dirname, "fixtures", "stacks");

/** A fixture stack's config as the CLI would pass it (Pulumi.yaml's defaults + the fixture's file). */
export const fixtureConfig = (name: string): Record<string, string> => readStackConfig(name, FIXTURES);

/** A fixture stack's config, validated (what the program composes from). */
export const fixtureSpec = (name: string): StackConfig => parseStackConfig(fixtureConfig(name), { rootDir: ROOT });

/** A fixture stack's pack config file. */
export const fixturePack = (name: string): string => path.join(FIXTURES, "policy-pack", "config", `${name}.json`);

/**
 * Records the program with a fixture stack's config (Pulumi.yaml defaults + tests/fixtures/stacks/
 * Pulumi.<name>.yaml) and the given overrides (unqualified keys are the project's; undefined removes a key),
 * as `pulumi up` (placeholders filled in, see filledIn) or as `pulumi preview` (the file as it is).
 */
export function recordFixture(name: string, overrides: Record<string, string | undefined> = {}, preview = false): Promise<Graph> {
  return recordStack(name, overrides, preview, FIXTURES);
}

/** The same for a stack file in `dir` (the team's own stacks: the project's folder). */
export function recordStack(stack: string, overrides: Record<string, string | undefined> = {}, preview = false, dir = ROOT): Promise<Graph> {
  const committed = readStackConfig(stack, dir);
  return record(stack, qualify(overrides, preview ? committed : filledIn(committed)), preview);
}

/** Records the program with the seed's parameter values: Pulumi.yaml's defaults, in us-east-1. */
export function recordSeed(overrides: Record<string, string | undefined> = {}, preview = false): Promise<Graph> {
  return record("seed", qualify(overrides, { ...projectConfig().values, "aws:region": "us-east-1" }), preview);
}

/**
 * One recording per distinct program, project, stack, config and mode for the whole test run, shared by the
 * recordings above and the plans below: several spec files look at the same stacks, and the plan's tests plan
 * the same fixtures again and again. A recording is plain data that no test and no plan changes (Graph
 * exposes no mutation).
 */
const recordings = new Map<string, Promise<Recording>>();
const graphs = new Map<string, Promise<Graph>>();
const ids = new Map<unknown, number>();
const idOf = (x: unknown): number => {
  if (!ids.has(x)) ids.set(x, ids.size);
  return ids.get(x)!;
};
const keyOf = ({ project, config, ...rest }: RunOptions, program: () => unknown): string =>
  JSON.stringify([idOf(program), idOf(project), Object.entries(config).sort(), Object.entries(rest).sort()]);
function sharedRecording(program: () => unknown, opts: RunOptions): Promise<Recording> {
  const key = keyOf(opts, program);
  if (!recordings.has(key)) recordings.set(key, runProgram(program, opts));
  return recordings.get(key)!;
}
function record(stack: string, config: Record<string, string>, preview: boolean): Promise<Graph> {
  const opts = { project: mocks, stack, config, preview };
  const key = keyOf(opts, main);
  if (!graphs.has(key)) graphs.set(key, sharedRecording(main, opts).then((r) => new Graph(r)));
  return graphs.get(key)!;
}

type PlanRun = { code: number; out: string; err: string };
async function planWith(record: (program: () => unknown, opts: RunOptions) => Promise<Recording>, argv: string[]): Promise<PlanRun> {
  let out = "";
  let err = "";
  const code = await plan(argv, (s) => (out += s + "\n"), (s) => (err += s + "\n"), record);
  return { code, out, err };
}

/**
 * Runs the offline plan in this process (`npm run plan -- <argv>`); returns its exit status and what it wrote.
 * Its recording of the program is shared (see above).
 */
export const runPlan = (...argv: string[]): Promise<PlanRun> => planWith(sharedRecording, argv);

/** The offline plan of a fixture stack (`npm run plan -- --stacks-dir tests/fixtures/stacks <name> <argv>`). */
export const planFixture = (...argv: string[]): Promise<PlanRun> => runPlan("--stacks-dir", FIXTURES, ...argv);

/** The same with a recording of its own, the program run anew: for a test of two runs of one program. */
export const planFixtureAnew = (...argv: string[]): Promise<PlanRun> => planWith(runProgram, ["--stacks-dir", FIXTURES, ...argv]);

/** Parses a JSON string input (policy documents, container definitions). */
export const json = (text: unknown): any => JSON.parse(String(text));

/** True when `r`'s `property` input came from `from` (the engine's propertyDependencies). */
export const fedBy = (r: RecordedResource, property: string, from: RecordedResource): boolean =>
  (r.propertyDependencies[property] ?? []).includes(from.urn);

/** Asserts that `r`'s `property` input came from `from`. (Every assert.ok carries a message: without one,
 * node:assert re-parses the TypeScript source to describe the failure, which can take minutes.) */
export function assertFedBy(r: RecordedResource, property: string, from: RecordedResource): void {
  assert.ok(fedBy(r, property, from), `${r.name}.${property} does not come from ${from.name} (${from.type})`);
}

/** Asserts that `a` depends directly on `b` (what `pulumi destroy` and `up` order by). */
export function assertDependsOn(a: RecordedResource, b: RecordedResource): void {
  assert.ok(a.dependencies.includes(b.urn), `${a.name} (${a.type}) does not depend on ${b.name} (${b.type})`);
}

const IGW = "aws:ec2/internetGateway:InternetGateway";
const NAT = "aws:ec2/natGateway:NatGateway";

/** The route table a subnet is associated with, through the association's dependency graph. */
export function routeTableOf(g: Graph, subnet: RecordedResource): RecordedResource {
  const assoc = g.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation").filter((a) => fedBy(a, "subnetId", subnet));
  assert.equal(assoc.length, 1, `${subnet.name} has ${assoc.length} route table associations`);
  const tables = g.depsOf(assoc[0], "routeTableId").filter((t) => t.type === "aws:ec2/routeTable:RouteTable");
  assert.equal(tables.length, 1, `${assoc[0].name} names ${tables.length} route tables`);
  return tables[0];
}

/**
 * The gateway a table's one route (its default route) leads to: the resource its gatewayId (an internet
 * gateway) or natGatewayId (a NAT gateway) came from.
 */
export function defaultRouteTarget(g: Graph, table: RecordedResource): RecordedResource {
  const routes = g.ofType("aws:ec2/route:Route").filter((r) => fedBy(r, "routeTableId", table));
  assert.equal(routes.length, 1, `${table.name} has ${routes.length} routes`);
  assert.equal(routes[0].inputs.destinationCidrBlock, "0.0.0.0/0", `${table.name}'s route is not a default route`);
  const targets = [...g.depsOf(routes[0], "gatewayId"), ...g.depsOf(routes[0], "natGatewayId")];
  assert.equal(targets.length, 1, `${routes[0].name} leads to ${targets.length} gateways`);
  assert.equal(targets[0].type, routes[0].inputs.gatewayId !== undefined ? IGW : NAT, `${routes[0].name}'s target`);
  return targets[0];
}

/** Subnets by where their route table's default route goes: internet gateway (public) or NAT gateway (private). */
export function subnetsByTier(g: Graph): { publicSubnets: RecordedResource[]; privateSubnets: RecordedResource[] } {
  const publicSubnets: RecordedResource[] = [];
  const privateSubnets: RecordedResource[] = [];
  for (const subnet of g.ofType("aws:ec2/subnet:Subnet")) {
    const target = defaultRouteTarget(g, routeTableOf(g, subnet));
    (target.type === IGW ? publicSubnets : privateSubnets).push(subnet);
  }
  return { publicSubnets, privateSubnets };
}

/** The private subnets' default routes through the NAT gateways. */
export const privateDefaultRoutes = (g: Graph): RecordedResource[] =>
  g.ofType("aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined && r.inputs.destinationCidrBlock === "0.0.0.0/0");
