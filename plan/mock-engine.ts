/**
 * Runs a Pulumi program under the mock engine and records what the real engine would see: every
 * resource registration with its type, name, parent, inputs, options, `dependencies` and
 * `propertyDependencies`. The offline plan and the tests share this module, so what the plan prints and
 * what the tests assert come from one recording.
 *
 * How: `pulumi.runtime.setMocks` installs a mock resource monitor; its `registerResource(request, callback)`
 * receives the engine's protobuf request, which carries the parent URN, `getDependenciesList()` and
 * `getPropertydependenciesMap()`. Wrapping that method records the same graph the engine hands to stack
 * policies. Invokes are answered from a fixed table and any other invoke throws, so a new data-source
 * call cannot slip in unnoticed.
 */
import * as pulumi from "@pulumi/pulumi";
import { deferPromiseStackTraces } from "../policy-pack/sdk-lazy-load.cjs";
import { ACCOUNT_ID, lookUp, type MockNetwork } from "./mock-network";
import { createUrn, type AliasSpec } from "./urns";

// Recordings take no stack trace for the SDK's promise tags (formatting them through tsx's source maps was
// three quarters of a recording's time, taking them another sixth): policy-pack/sdk-lazy-load.cjs.
deferPromiseStackTraces(false);
// Nor for each resource's source position: the SDK formats the whole stack of every registration (through the
// source maps where they are on) for the engine to show where the resource was made, which a recording never
// reads; about a sixth of a recording's time under tsx. Only here: a real engine gets its positions.
(pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] }).stackTrace = () => [];

/** The account the mock engine answers for, unless the project says which (AccountFacts.accountId). */
export { ACCOUNT_ID };
export const MOCK_AMI = "ami-0abcdef1234567890";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** URN of the parent; undefined only for the stack itself. */
  parent?: string;
  /** Inputs as the provider receives them; in preview, values not yet known are undefined. */
  inputs: Record<string, any>;
  /** Inputs plus what the mock provider computed (ids, ARNs, names), as `pulumi up` would report. */
  outputs: Record<string, any>;
  /** The physical id; undefined in preview, as for a resource about to be created. */
  id?: string;
  /** URNs of every resource this one depends on (explicit `dependsOn` and through inputs). */
  dependencies: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  options: { protect: boolean; retainOnDelete: boolean; ignoreChanges: string[]; deleteBeforeReplace: boolean; replaceOnChanges?: string[]; customTimeouts?: { create?: string; update?: string; delete?: string } };
  /** This resource's own aliases as the SDK sends them (inherited ones are the engine's: see oldUrnOf). */
  aliases: AliasSpec[];
}


export interface Recording {
  resources: RecordedResource[];
  /** The program's stack outputs, resolved. */
  outputs: Record<string, any>;
  stack: string;
  preview: boolean;
  /** What the program logged as warnings (`pulumi.log.warn`), as preview and up would show them. */
  warnings: string[];
  /** The data sources the program read (invokes), in order. */
  invokes: { token: string; args: Record<string, any> }[];
  /**
   * What the mock engine took for granted in answering the program's lookups (an existing network's
   * subnets, answered from the stack's config): the plan shows these beside the warnings.
   */
  assumptions?: string[];
}

/** A Route 53 hosted zone as a lookup by id finds it. */
export interface HostedZone {
  name: string;
  privateZone?: boolean;
}

/**
 * What a stack's config says of the account it deploys to, as a project reads its own keys: the facts its
 * lookups would find there. The engine names no project's keys; each project answers for its own.
 */
export interface AccountFacts {
  /** The account's id (the caller's identity, the account in ARNs). Default ACCOUNT_ID. */
  accountId?: string;
  /** The hosted zone a lookup by id finds. Undefined: no zone is assumed (a lookup fails as Route 53's would). */
  hostedZone?(id: string): HostedZone;
  /** The existing network the lookups of a VPC, its subnets and route tables find. */
  network?: MockNetwork;
  /** What these facts take for granted, shown beside the warnings once the program looked up the network or asked `invoke`. */
  assumptions?: string[];
  /** The project's answer to an invoke the engine's table does not hold; undefined: not the project's either. */
  invoke?(token: string, args: Record<string, any>, preview: boolean): Record<string, any> | undefined;
}

/** The project a run records: its name (as Pulumi.yaml's `name`), and what its config says of the account. */
export interface ProjectMocks {
  name: string;
  /** The account's facts for a stack's config; `zones`: the region's AZs the run offers, in order. */
  account?(config: Record<string, string>, zones: string[]): AccountFacts;
}

export interface RunOptions {
  project: ProjectMocks;
  stack: string;
  /** Fully qualified config keys ("<project>:<key>", "aws:region") to string values, as the CLI passes them. */
  config: Record<string, string>;
  /** Preview: ids and computed outputs are unknown, as in `pulumi preview`. Default false (`pulumi up`). */
  preview?: boolean;
  /**
   * The region's standard AZs as the account sees them (default: <region>a..<region>f), those currently
   * not in the "available" state (an outage; default none), and those that offer the instance type asked
   * about (default: all of them).
   */
  zones?: { names?: string[]; unavailable?: string[]; offering?: string[] };
  /** Route 53 hosted zones by id (name, private or not): canned facts for tests, over the project's. */
  hostedZones?: Record<string, HostedZone>;
  /**
   * The account's VPCs, subnets and route tables, as the lookups of an existing network find them: canned
   * facts for tests, over what the project assumes from the stack's config (whose `assumptions` the run
   * then reports).
   */
  network?: MockNetwork;
}

/** What the mock provider adds to a resource's inputs, as AWS would. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>, region: string, account: string): Record<string, any> {
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${account}:${rest}`;
  const n = inputs.name ?? `${name}-1a2b3c4`;
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      return { name: n, arn: arn("elasticloadbalancing", `loadbalancer/app/${n}/50dc6c495c0c9188`), arnSuffix: `app/${n}/50dc6c495c0c9188`, dnsName: `${n}-1234567890.${region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
    case "aws:lb/targetGroup:TargetGroup":
      return { name: n, arn: arn("elasticloadbalancing", `targetgroup/${n}/6d0ecf831eec9f09`), arnSuffix: `targetgroup/${n}/6d0ecf831eec9f09` };
    case "aws:ecs/cluster:Cluster":
    case "aws:ecs/capacityProvider:CapacityProvider":
    case "aws:autoscaling/group:Group":
    case "aws:cloudwatch/logGroup:LogGroup":
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { name: n, arn: arn(type.split(":")[1].split("/")[0], `${type.split(":")[2]}/${n}`) };
    // IAM is global: its ARNs name no region, and a path (default /) comes before the name.
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
    case "aws:iam/policy:Policy": {
      const kind = { "aws:iam/role:Role": "role", "aws:iam/instanceProfile:InstanceProfile": "instance-profile", "aws:iam/policy:Policy": "policy" }[type];
      return { name: n, arn: `arn:aws:iam::${account}:${kind}${inputs.path ?? "/"}${n}`, ...(type === "aws:iam/role:Role" ? { uniqueId: "AROA1234567890EXAMPLE" } : {}) };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { arn: `arn:aws:iam::${account}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}` };
    case "aws:kms/key:Key":
      return { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", arn: arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab") };
    case "aws:kms/alias:Alias":
      return { arn: arn("kms", String(inputs.name)), targetKeyArn: arn("kms", `key/${inputs.targetKeyId}`) };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { arn: arn("ecs", `task-definition/${inputs.family}:1`), revision: 1 };
    case "aws:ecs/service:Service":
      return { arn: arn("ecs", `service/${n}`) };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1, arn: arn("ec2", `launch-template/lt-0123456789`) };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { arn: arn("ec2", `security-group/sg-${name}`) };
    case "aws:s3/bucket:Bucket":
      return { bucket: inputs.bucket ?? `${name}-1a2b3c4`, arn: `arn:aws:s3:::${inputs.bucket ?? `${name}-1a2b3c4`}` };
    case "aws:lb/listener:Listener":
    case "aws:lb/listenerRule:ListenerRule":
      return { arn: arn("elasticloadbalancing", `${type.endsWith("Rule") ? "listener-rule" : "listener"}/app/${name}/50dc6c495c0c9188`) };
    case "aws:acm/certificate:Certificate":
      return {
        arn: arn("acm", "certificate/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
        domainValidationOptions: [{ domainName: inputs.domainName, resourceRecordName: `_3f1a.${inputs.domainName}.`, resourceRecordType: "CNAME", resourceRecordValue: "_9b7c.acm-validations.aws." }],
      };
    case "aws:acm/certificateValidation:CertificateValidation":
      return { certificateArn: inputs.certificateArn };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name).replace(/\.$/, "") };
    case "aws:wafv2/webAcl:WebAcl":
      return { arn: arn("wafv2", `regional/webacl/${name}/0f1e2d3c`), capacity: 1000 };
    case "aws:sqs/queue:Queue":
      return { name: n, arn: arn("sqs", n), url: `https://sqs.${region}.amazonaws.com/${account}/${n}` };
    case "aws:sns/topic:Topic":
      return { arn: arn("sns", `${name}-1a2b3c4`), name: `${name}-1a2b3c4` };
    case "aws:servicediscovery/httpNamespace:HttpNamespace":
      return { arn: arn("servicediscovery", "namespace/ns-0123456789abcdef"), httpName: inputs.name };
    case "aws:scheduler/scheduleGroup:ScheduleGroup":
      return { name: n, arn: arn("scheduler", `schedule-group/${n}`) };
    case "aws:scheduler/schedule:Schedule":
      return { name: n, groupName: inputs.groupName ?? "default", arn: arn("scheduler", `schedule/${inputs.groupName ?? "default"}/${n}`) };
    case "aws:cloudwatch/dashboard:Dashboard":
      return { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName}` };
    case "awsx:ecr:Repository":
      return { url: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`, repository: { name } };
    case "awsx:ecr:Image":
      return { imageUri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}@sha256:${"0".repeat(64)}` };
    default:
      return {};
  }
}

function mocks(
  region: string, zones: { names: string[]; unavailable?: string[]; offering?: string[] }, account: AccountFacts, preview: boolean, invokes: Recording["invokes"],
  lookedUp: () => void,
): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const outputs = { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs, region, account.accountId ?? ACCOUNT_ID) };
      // In preview a resource about to be created has no id yet; its computed outputs are unknown.
      if (preview) return { id: undefined, state: args.inputs };
      return { id: `${args.name}-id`, state: outputs };
    },
    call(args) {
      invokes.push({ token: args.token, args: args.inputs });
      switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
          // As EC2's DescribeAvailabilityZones: a state filter drops the zones in another state.
          const state = args.inputs.state ?? args.inputs.filters?.find((f: any) => f.name === "state")?.values?.[0];
          const names = zones.names.filter((n) => state === undefined || (state === "available") !== (zones.unavailable ?? []).includes(n));
          return { names, zoneIds: names.map((n) => `${region.replace(/-/g, "")}-az${zones.names.indexOf(n) + 1}`), id: region };
        }
        case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
          const locations = zones.offering ?? zones.names;
          return { locations, locationTypes: locations.map(() => "availability-zone"), instanceTypes: locations.map(() => args.inputs.filters?.[0]?.values?.[0]), id: region };
        }
        case "aws:ssm/getParameter:getParameter":
          return { name: args.inputs.name, value: MOCK_AMI, type: "String", id: args.inputs.name };
        case "aws:route53/getZone:getZone": {
          const zone = account.hostedZone?.(args.inputs.zoneId);
          if (!zone) {
            const message = `invoking ${args.token}: 1 error occurred: * no matching Route 53 Hosted Zone found`;
            throw Object.assign(new Error(message), { details: message });
          }
          return { zoneId: args.inputs.zoneId, name: zone.name, privateZone: zone.privateZone ?? false, id: args.inputs.zoneId };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity": {
          const id = account.accountId ?? ACCOUNT_ID;
          return { accountId: id, arn: `arn:aws:iam::${id}:user/ci`, userId: "AIDA", id };
        }
        case "aws:index/getPartition:getPartition":
          return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        // An existing network's lookups: from RunOptions.network, or from what the project assumes of it.
        case "aws:ec2/getVpc:getVpc":
        case "aws:ec2/getSubnet:getSubnet":
        case "aws:ec2/getRouteTables:getRouteTables":
        case "aws:ec2/getRouteTable:getRouteTable":
        case "aws:ec2/getInternetGateway:getInternetGateway":
          lookedUp();
          return lookUp(account.network, args.token, args.inputs, preview);
        default: {
          const answer = account.invoke?.(args.token, args.inputs, preview);
          if (answer === undefined) {
            // `details` is what the SDK reports of a failed invoke.
            const message = `unexpected invoke ${args.token}: add it to the mock engine's table, or the project's lookups, on purpose`;
            throw Object.assign(new Error(message), { details: message });
          }
          lookedUp();
          return answer;
        }
      }
    },
  };
}

/** The run in progress: the engine's config and mocks are process-wide, so runs take turns. */
let running: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` (a function that creates resources and returns the stack outputs) and records it. Runs
 * asked for together (Promise.all of several stacks) go one after another: two at once would share the
 * SDK's config, mocks and monitor, and each would record the other's resources.
 */
export function runProgram(program: () => unknown, opts: RunOptions): Promise<Recording> {
  const run = running.then(() => runProgramAlone(program, opts));
  running = run.catch(() => undefined);
  return run;
}

async function runProgramAlone(program: () => unknown, opts: RunOptions): Promise<Recording> {
  const project = opts.project.name;
  const preview = opts.preview ?? false;
  const region = opts.config["aws:region"] ?? "us-east-1";
  pulumi.runtime.setAllConfig(opts.config);
  const names = opts.zones?.names ?? [..."abcdef"].map((l) => `${region}${l}`);
  const assumed = opts.project.account?.(opts.config, names.filter((n) => !(opts.zones?.unavailable ?? []).includes(n))) ?? {};
  const account: AccountFacts = {
    ...assumed,
    ...(opts.hostedZones ? { hostedZone: (id: string) => opts.hostedZones![id] ?? assumed.hostedZone?.(id) } : {}),
    ...(opts.network ? { network: opts.network } : {}),
  };
  // Canned facts assume nothing.
  const assumptions = opts.network ? [] : assumed.assumptions ?? [];
  const invokes: Recording["invokes"] = [];
  // The assumptions are reported once the program looked up what they are about.
  let used = false;
  await pulumi.runtime.setMocks(mocks(region, { ...opts.zones, names }, account, preview, invokes, () => (used = true)), project, opts.stack, preview);

  const recorded = new Map<string, RecordedResource>();
  const monitor = pulumi.runtime.getMonitor() as any;
  // URNs as the engine makes them (see createUrn). The SDK's mock monitor keeps only the parent's own
  // type, which would hide a move between components.
  monitor.newUrn = (parent: string, type: string, name: string) => createUrn(opts.stack, project, parent, type, name);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
    register(req, (err: any, resp: any) => {
      if (!err && resp) {
        const urn: string = resp.getUrn();
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        const inputs = pulumi.runtime.deserializeProperties(req.getObject());
        const outputs = pulumi.runtime.deserializeProperties(resp.getObject());
        recorded.set(urn, {
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          inputs,
          outputs,
          id: resp.getId() || undefined,
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          options: {
            protect: !!req.getProtect(),
            retainOnDelete: !!req.getRetainondelete(),
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: !!req.getDeletebeforereplace(),
            replaceOnChanges: req.getReplaceonchangesList(),
            ...customTimeoutsOf(req),
          },
          aliases: req.getAliasesList().map((a: any): AliasSpec => {
            if (a.getUrn()) return { urn: a.getUrn() };
            const spec = a.getSpec();
            return {
              ...(spec.getName() ? { name: spec.getName() } : {}),
              ...(spec.getType() ? { type: spec.getType() } : {}),
              ...(spec.getParenturn() ? { parentUrn: spec.getParenturn() } : {}),
              ...(spec.getNoparent() ? { noParent: true } : {}),
              ...(spec.getStack() ? { stack: spec.getStack() } : {}),
              ...(spec.getProject() ? { project: spec.getProject() } : {}),
            };
          }),
        });
      }
      callback(err, resp);
    });
  };

  // The program's own error is caught inside the stack's init: thrown out of it, the SDK reports it on
  // a detached promise and the process dies instead of the caller seeing it.
  let failure: { error: unknown } | undefined;
  // An error inside an apply (a value computed from outputs) rejects the registration that waits for it;
  // the real engine then fails the update, while under mocks nothing would ever settle. Such a rejection
  // surfaces as unhandled: it ends the run as a program error.
  let rejectRun!: (e: unknown) => void;
  const applyFailed = new Promise<never>((_, reject) => (rejectRun = reject));
  const onUnhandled = (error: unknown) => rejectRun(error);
  process.on("unhandledRejection", onUnhandled);
  // Without an engine, the SDK's log.warn writes "warning: [runtime] <message>" to console.warn.
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("warning: [runtime] ")) warnings.push(text.slice("warning: [runtime] ".length));
    else consoleWarn(...args);
  };
  let returned: unknown;
  try {
    await Promise.race([
      pulumi.runtime.runInPulumiStack(async () => {
        try {
          returned = await program();
          return returned;
        } catch (error) {
          failure = { error };
          return {};
        }
      }),
      applyFailed,
    ]);
    await Promise.race([waitForRegistrations(), applyFailed]);
  } catch (error) {
    failure = { error: rootCause(error) };
  } finally {
    process.off("unhandledRejection", onUnhandled);
    console.warn = consoleWarn;
  }
  const reported = used ? { assumptions } : {};
  if (failure) throw new ProgramError(failure.error, { resources: [...recorded.values()], outputs: {}, stack: opts.stack, preview, warnings, invokes, ...reported });
  const outputs = ((await resolve(returned)) ?? {}) as Record<string, any>;
  return { resources: [...recorded.values()], outputs, stack: opts.stack, preview, warnings, invokes, ...reported };
}

/** The program threw; `recording` holds what it had registered by then (a real `up` would be creating it). */
export class ProgramError extends Error {
  constructor(readonly error: unknown, readonly recording: Recording) {
    super(error instanceof Error ? error.message : String(error));
    this.name = "ProgramError";
  }
}

/** The SDK wraps an apply's error once per level of serialization; the last message is the error itself. */
function rootCause(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(/^(error serializing property "[^"]*": )+/, ""));
}

/** Lets every queued registration finish: the engine's RPC queue drains, then the event loop settles. */
async function waitForRegistrations(): Promise<void> {
  const settings = require("@pulumi/pulumi/runtime/settings");
  await settings.waitForRPCs?.();
  await new Promise((r) => setImmediate(r));
}

/**
 * The program's returned outputs as plain values; a value preview does not know yet (an id, a DNS name)
 * is `pulumi.unknown`, the sentinel the recorded inputs also use.
 */
async function resolve(value: any): Promise<any> {
  if (pulumi.Output.isInstance(value)) {
    // Output's isKnown and promise() are internal to the SDK but stable; apply() would never call back
    // for an unknown value.
    const internal = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<any> };
    return (await internal.isKnown) ? resolve(await internal.promise()) : pulumi.unknown;
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  if (value && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Query helpers over a recording, for tests and the plan. */
export class Graph {
  readonly byUrn: Map<string, RecordedResource>;
  constructor(readonly recording: Recording) {
    this.byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
  }
  get resources(): RecordedResource[] {
    return this.recording.resources;
  }
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
  /** The one resource of `type` (optionally whose name ends with `suffix`); throws when not exactly one. */
  one(type: string, suffix?: string): RecordedResource {
    const found = this.ofType(type).filter((r) => suffix === undefined || r.name.endsWith(suffix));
    if (found.length !== 1) throw new Error(`expected one ${type}${suffix ? ` named *${suffix}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0];
  }
  /** The one resource named `name` (of `type`, where several types share the name). */
  named(name: string, type?: string): RecordedResource {
    const found = this.resources.filter((r) => r.name === name && (type === undefined || r.type === type));
    if (found.length !== 1) throw new Error(`expected one resource named ${name}${type ? ` of ${type}` : ""}, found ${found.length}`);
    return found[0];
  }
  /** Resources `r` depends on through `property` (or through any input or option when omitted). */
  depsOf(r: RecordedResource, property?: string): RecordedResource[] {
    const urns = property === undefined ? r.dependencies : r.propertyDependencies[property] ?? [];
    return urns.map((u) => this.byUrn.get(u)).filter((x): x is RecordedResource => x !== undefined);
  }
  /** True when `a` depends on `b`, directly or through other resources. */
  dependsOn(a: RecordedResource, b: RecordedResource, seen = new Set<string>()): boolean {
    for (const urn of a.dependencies) {
      if (urn === b.urn) return true;
      if (seen.has(urn)) continue;
      seen.add(urn);
      const next = this.byUrn.get(urn);
      if (next && this.dependsOn(next, b, seen)) return true;
    }
    return false;
  }
  children(parent: RecordedResource): RecordedResource[] {
    return this.resources.filter((r) => r.parent === parent.urn);
  }
  /** The custom (cloud) resources, without components and the stack. */
  get cloudResources(): RecordedResource[] {
    return this.resources.filter((r) => r.custom);
  }
}

/** The request's custom timeouts (`customTimeouts`), when the program set any. */
function customTimeoutsOf(req: any): { customTimeouts?: { create?: string; update?: string; delete?: string } } {
  const t = req.getCustomtimeouts?.();
  if (!t) return {};
  const entries = Object.entries({ create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() }).filter(([, v]) => v);
  return entries.length > 0 ? { customTimeouts: Object.fromEntries(entries) } : {};
}
