/**
 * Builds the arguments CrossGuard hands to policies — `ResourceValidationArgs` for resource policies,
 * `StackValidationArgs` for stack policies — from a recording of plan/mock-engine.ts, the way the Pulumi
 * engine and @pulumi/policy 1.21's analyzer server (node_modules/@pulumi/policy/server.js) build them:
 *
 * - props: the engine marshals every unknown value as one string sentinel, and the SDK wraps the props in a
 *   proxy that throws `UnknownValueError` when a policy reads one. The recorder holds `pulumi.unknown` where
 *   preview does not know a value; it is turned into that sentinel and the same SDK proxy is applied, so a
 *   policy sees exactly what it would see under `pulumi preview`. Secrets arrive unwrapped, as the SDK
 *   deserializes them for validation.
 * - which props: resource policies run before each resource is created or updated, on its inputs (the
 *   server's `analyze`); stack policies run at the end, on every resource's state (`analyzeStack`): the inputs
 *   in preview, the outputs at `up`. The AWS provider reports `id` among the outputs; the mock provider keeps
 *   it apart, so it is put back.
 * - opts, provider, stackTags, getConfig, notApplicable, isType/asType, and for stack resources parent,
 *   dependencies and propertyDependencies as linked PolicyResource objects.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { Secret } from "@pulumi/policy";
import type { RecordedResource, Recording } from "./mock-engine";

// The SDK's proxy module is internal (its typings are stripped) but it is what the server uses; loading the
// same module keeps `UnknownValueError` checks (`instanceof`) in policies and in the runner working.
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: any[]) => Error;
  unknownStringValue: string;
  isSpecialProxy: string;
  getSpecialProxyTarget: string;
};
const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** What the engine sends for a value that preview does not know (the SDK's "unknown string" sentinel). */
export const UNKNOWN_ON_THE_WIRE = proxy.unknownStringValue;

/** Thrown by `args.notApplicable()`, as the SDK's own (unexported) NotApplicableError. */
export class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

export function isUnknownValueError(e: unknown): boolean {
  return e instanceof proxy.UnknownValueError;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * A recorded value as the policy SDK deserializes it from the engine: unknowns become the sentinel, secrets
 * are unwrapped, undefined object members disappear and undefined list elements become null (protobuf
 * structs cannot carry undefined). Always returns fresh objects and arrays, so it doubles as a deep copy.
 */
export function toWire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN_ON_THE_WIRE;
  if (Array.isArray(value)) return value.map((v) => toWire(v) ?? null);
  if (!isPlainObject(value)) return value; // primitives, assets and archives
  if (value[specialSigKey] === specialSecretSig) return toWire(value.value);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toWire(v)]),
  );
}

/** The plain value behind what a remediation returned (the SDK's props proxy, possibly holding Secrets). */
export function unproxy(value: unknown): unknown {
  let v = value as any;
  while (v && typeof v === "object" && v[proxy.isSpecialProxy] === true) v = v[proxy.getSpecialProxyTarget];
  if (v instanceof Secret) return unproxy(v.value);
  if (Array.isArray(v)) return v.map(unproxy);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unproxy(x)]));
  return v;
}

/** Project and stack from a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function urnParts(urn: string): { stack: string; project: string } {
  const [head, project] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project };
}

/** The stack tags the CLI sends for a stack of `project` before any user tags (`configureStack`). */
export function defaultStackTags(project: string): Record<string, string> {
  return { "pulumi:project": project, "pulumi:runtime": "nodejs" };
}

export interface ArgsOptions {
  /** The policy's config properties, as `getConfig()` returns them (without enforcementLevel). */
  config?: Record<string, unknown>;
  stackTags?: Record<string, string>;
}

function freezeTags(tags: Record<string, string> = {}): ReadonlyMap<string, string> {
  return new Map(Object.entries(tags));
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
  if (typeof cls.__pulumiType === "string" && cls.__pulumiType.length > 0) return type === cls.__pulumiType;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function options(r: RecordedResource): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: r.options.protect,
    ignoreChanges: [...r.options.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  // The engine sets deleteBeforeReplace only when the program set it; the recording cannot tell false from unset.
  if (r.options.deleteBeforeReplace) opts.deleteBeforeReplace = true;
  if (r.parent) opts.parent = r.parent;
  return opts;
}

/**
 * The provider the engine names for a custom resource. Under mocks the program registers no provider
 * resource, so this is the package's default provider; its version-qualified name and its inputs (region,
 * ...) are not in the recording.
 */
function provider(r: RecordedResource): PolicyProviderResource | undefined {
  if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
  const pkg = r.type.split(":")[0];
  const { stack, project } = urnParts(r.urn);
  return { type: `pulumi:providers:${pkg}`, name: "default", urn: `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::default`, props: proxy.unknownCheckingProxy({}) };
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

/**
 * The arguments of a resource policy's `validateResource` (and `remediateResource`) for recorded resource `r`.
 * `props` defaults to the resource's inputs on the wire; pass the output of a remediation to chain them.
 */
export function resourceArgs(r: RecordedResource, opts: ArgsOptions & { props?: Record<string, unknown> } = {}): ResourceValidationArgs {
  const type = r.type;
  const props = proxy.unknownCheckingProxy(opts.props ?? (toWire(r.inputs) as Record<string, unknown>));
  const config = opts.config ?? {};
  const args: ResourceValidationArgs = {
    type,
    props,
    urn: r.urn,
    name: r.name,
    opts: options(r),
    stackTags: freezeTags(opts.stackTags),
    isType: (cls) => isTypeOf(type, cls),
    asType: ((cls: unknown) => (isTypeOf(type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => ({ ...config }) as T,
    notApplicable,
  };
  const p = provider(r);
  if (p) args.provider = p;
  return args;
}

/** A resource's state as `analyzeStack` sees it: inputs in preview, outputs (with `id`) at `up`. */
export function stackProps(r: RecordedResource, preview: boolean, inputs: Record<string, unknown> = toWire(r.inputs) as Record<string, unknown>): Record<string, unknown> {
  if (preview) return inputs;
  const outputs = toWire(r.outputs) as Record<string, unknown>;
  return r.id !== undefined && outputs.id === undefined ? { ...outputs, id: r.id } : outputs;
}

/**
 * The arguments of a stack policy's `validateStack`: every recorded resource, linked to its parent and
 * dependencies by object, as the server links them. `propsOf` overrides a resource's props (remediated state).
 */
export function stackArgs(recording: Recording, opts: ArgsOptions & { propsOf?: (r: RecordedResource) => Record<string, unknown> } = {}): StackValidationArgs {
  const propsOf = opts.propsOf ?? ((r: RecordedResource) => stackProps(r, recording.preview));
  const byUrn = new Map<string, PolicyResource>();
  for (const r of recording.resources) {
    const type = r.type;
    const props = proxy.unknownCheckingProxy(propsOf(r));
    const resource: PolicyResource = {
      type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(type, cls),
      asType: ((cls: unknown) => (isTypeOf(type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    const p = provider(r);
    if (p) resource.provider = p;
    byUrn.set(r.urn, resource);
  }
  // Second pass, as in the server: links to resources outside the list are dropped.
  const link = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
  for (const r of recording.resources) {
    const resource = byUrn.get(r.urn)!;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = link(r.dependencies);
    for (const [key, urns] of Object.entries(r.propertyDependencies)) resource.propertyDependencies[key] = link(urns);
  }
  const config = opts.config ?? {};
  return {
    resources: [...byUrn.values()],
    stackTags: freezeTags(opts.stackTags),
    getConfig: <T extends object>() => ({ ...config }) as T,
    notApplicable,
  };
}
