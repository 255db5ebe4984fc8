#!/usr/bin/env node
/* global process, console */
/**
 * Extracts the input rules the Terraform AWS provider checks before any API call (the schema's
 * validators, ConflictsWith/ExactlyOneOf/AtLeastOneOf/RequiredWith, Required, MaxItems/MinItems) for every
 * resource type in TYPES below, from the provider's Go schema files, and writes them by their Pulumi
 * names to plan/provider-rules/rules.generated.json. Plain Node, no dependencies.
 *
 * Re-running it (e.g. on an upgrade of @pulumi/aws):
 *   1. Find the terraform-provider-aws version pulumi-aws is built on: in a pulumi-aws clone at the tag of
 *      the installed @pulumi/aws (`git show v7.48.0:provider/go.mod`, and the `upstream` submodule commit:
 *      `git ls-tree v7.48.0 upstream`).
 *   2. In a terraform-provider-aws clone, find that commit (`git rev-parse v6.NN.0^{commit}`).
 *   3. node tools/provider-rules/extract.mjs --git-dir /path/to/terraform-provider-aws/.git --commit <sha> \
 *        --version v6.NN.0 [--out plan/provider-rules/rules.generated.json]
 *      (or --tree <dir> for a checked-out tree or a directory of excerpts laid out as in the repository;
 *      a MANIFEST.json there, { note, files: { <path>: { what is known of the copy read } } }, goes into the
 *      header's manifest; with --carry <previous rules.generated.json>, a type whose file is not in the tree
 *      keeps its previous entry and manifest entry, so a tree may hold only the files read anew).
 *   4. Read the diff of rules.generated.json; run `npx mocha tests/plan/provider-rules.test.ts
 *      tests/plan/provider-rules-coverage.test.ts` (the second compares the enums with the SDK's documentation).
 * A file that lacks inputs the installed SDK declares is older than the provider the SDK bridges: its manifest
 * entry says so (`stale`), naming them; a field the SDK does not declare is listed under the type's `unmapped`.
 * Pulumi names come from the installed SDK's .d.ts (node_modules/@pulumi/aws/<module>/<resource>.d.ts and
 * types/input.d.ts): a Terraform name that maps to no declared input is reported and left out.
 * What the script cannot read (CustomizeDiff functions, AWS SDK enum types not in SDK_ENUMS, verify.*
 * functions) is listed per type under `unread`; hand-written rules live in plan/provider-rules/rules.hand.ts.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TYPES, SDK_ENUMS, LOCAL_VALUES, RENAMES } from "./types.mjs";
import { parseSchemaOf, parseExpr, parseFields } from "./go-schema.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SDK = path.join(ROOT, "node_modules", "@pulumi", "aws");

function args() {
  const a = process.argv.slice(2);
  const o = { out: path.join(ROOT, "plan", "provider-rules", "rules.generated.json") };
  for (let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, "");
    o[k.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = a[++i];
  }
  if (!o.tree && !(o.gitDir && o.commit)) throw new Error("usage: extract.mjs (--tree <dir> | --git-dir <dir> --commit <sha>) [--version vX] [--note text] [--carry previous.json] [--out file]");
  return o;
}

function reader(o) {
  if (o.tree) return (p) => (fs.existsSync(path.join(o.tree, p)) ? fs.readFileSync(path.join(o.tree, p), "utf8") : undefined);
  return (p) => {
    try {
      return execFileSync("git", ["--git-dir", o.gitDir, "show", `${o.commit}:${p}`], { encoding: "utf8", maxBuffer: 64 << 20 });
    } catch {
      return undefined;
    }
  };
}

// --- Pulumi names from the SDK's declarations ---
const inputDts = fs.readFileSync(path.join(SDK, "types", "input.d.ts"), "utf8");

/** Properties of an interface body: name -> { optional, type }. */
function propsOf(body) {
  const props = {};
  const re = /^ {4,8}(\w+)(\?)?: (pulumi\.Input<.*?>);?$/gm;
  let m;
  while ((m = re.exec(body))) props[m[1]] = { optional: m[2] === "?", type: m[3] };
  // Multi-line types (maps): take the name and optionality.
  const re2 = /^ {4,8}(\w+)(\?)?: pulumi\.Input<\{$/gm;
  while ((m = re2.exec(body))) props[m[1]] ??= { optional: m[2] === "?", type: "map" };
  return props;
}
function interfaceBody(text, header) {
  const i = text.indexOf(header);
  if (i < 0) return undefined;
  const end = text.indexOf("\n    }\n", i) >= 0 && header.startsWith("    ") ? text.indexOf("\n    }\n", i) : text.indexOf("\n}\n", i);
  return text.slice(i, end);
}
function argsProps(dtsFile, name) {
  const text = fs.readFileSync(path.join(SDK, dtsFile), "utf8");
  const body = interfaceBody(text, `export interface ${name}Args {`);
  if (!body) throw new Error(`${dtsFile}: no ${name}Args`);
  return propsOf(body);
}
function nestedProps(typeRef) {
  // inputs.cloudwatch.MetricAlarmMetricQuery
  const [, ns, name] = typeRef.split(".");
  const nsStart = inputDts.indexOf(`export declare namespace ${ns} {`);
  if (nsStart < 0) return undefined;
  const body = interfaceBody(inputDts.slice(nsStart), `    interface ${name} {`);
  return body ? propsOf(body.replace(/^ {4}/gm, "")) : undefined;
}
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const plural = (s) => (s.endsWith("y") ? `${s.slice(0, -1)}ies` : s.endsWith("s") ? s : `${s}s`);
/** names.AttrKMSKeyID -> kms_key_id (the provider's names package spells each attribute so). */
const ATTR_NAMES = { "names.AttrVPCID": "vpc_id" }; // all capitals: no word boundary to find
const attrName = (id) => ATTR_NAMES[id] ?? id.replace(/^names\.Attr/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase();

function pulumiName(tfType, tfName, props) {
  const renamed = RENAMES[`${tfType}.${tfName}`];
  for (const c of [renamed, camel(tfName), plural(camel(tfName))]) if (c && props[c]) return c;
  return undefined;
}

// --- validators -> rules ---
/** Integer constants of the file being read (`const ( name = 50_000 )`), so IntBetween(listenerActionOrderMin, ...) resolves. */
let CONSTS = {};
const num = (n) => (n.kind === "num" ? n.value : n.kind === "ident" && /MaxInt32$/.test(n.name) ? 2147483647 : n.kind === "ident" && n.name in CONSTS ? CONSTS[n.name] : NaN);
function constsOf(text) {
  const out = {};
  for (const block of text.matchAll(/^const \(([\s\S]*?)^\)/gm)) for (const m of block[1].matchAll(/^\s*(\w+)\s*=\s*(-?[\d_]+)\s*$/gm)) out[m[1]] = Number(m[2].replace(/_/g, ""));
  return out;
}
function rulesOf(node, ctx) {
  if (!node) return [];
  if (node.kind === "ident" && NAMED[node.name]) return [{ ...NAMED[node.name] }];
  if (node.kind !== "call") return [{ unread: node.text ?? node.name }];
  const f = node.fn.replace(/^validation\./, "");
  const a = node.args;
  switch (f) {
    case "All": case "AllDiag": return a.flatMap((x) => rulesOf(x, ctx));
    case "Any": case "AnyDiag": {
      const of = a.map((x) => rulesOf(x, ctx));
      if (of.some((r) => r.length !== 1 || r[0].unread)) return [{ unread: node.text }];
      return [{ kind: "any", of: of.map((r) => r[0]) }];
    }
    case "ToDiagFunc": return rulesOf(a[0], ctx);
    case "StringInSlice": {
      const values = valuesOf(a[0]);
      if (values) return [{ kind: "enum", values, ignoreCase: a[1]?.name === "true" }];
      // AWS SDK for Go v1 revisions: StringInSlice(ecs.NetworkMode_Values(), false), the same enum as v2's enum.Validate[types.NetworkMode].
      const v1 = a[0]?.kind === "call" && /^\w+\.(\w+)_Values$/.exec(a[0].fn);
      const e = v1 && SDK_ENUMS[`${ctx.sdk}.${v1[1]}`];
      return e ? [{ kind: "enum", values: e.values, ignoreCase: a[1]?.name === "true", enumSource: e.source }]
        : [{ unread: v1 ? `${node.text} (AWS SDK enum ${ctx.sdk}.${v1[1]} not in SDK_ENUMS)` : node.text }];
    }
    case "IntBetween": case "nullable.ValidateTypeStringNullableIntBetween": return [{ kind: "intRange", min: num(a[0]), max: num(a[1]) }];
    case "IntAtLeast": return [{ kind: "intRange", min: num(a[0]) }];
    case "IntAtMost": return [{ kind: "intRange", max: num(a[0]) }];
    case "IntInSlice": return [{ kind: "intSet", values: a[0].items.map(num) }];
    case "IntDivisibleBy": return [{ kind: "intDivisibleBy", by: num(a[0]) }];
    case "FloatBetween": return [{ kind: "floatRange", min: num(a[0]), max: num(a[1]) }];
    case "verify.ValidIAMPolicyJSON": return [{ kind: "json" }];
    case "StringLenBetween": return [{ kind: "stringLength", min: num(a[0]), max: num(a[1]) }];
    case "verify.StringHasPrefix": return a[0]?.kind === "str" ? [{ kind: "pattern", regex: `^${a[0].value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`, message: `must begin with ${a[0].value}` }] : [{ unread: node.text }];
    case "nullable.ValidateTypeStringNullableIntAtLeast": return [{ kind: "intRange", min: num(a[0]) }];
    case "IsCIDRNetwork": return [{ kind: "cidrNetwork", min: num(a[0]), max: num(a[1]) }];
    case "StringMatch": case "StringDoesNotMatch": {
      const re = a[0]?.kind === "call" ? a[0].args[0] : undefined;
      if (re?.kind !== "str") return [{ unread: node.text }];
      return [{ kind: f === "StringMatch" ? "pattern" : "notPattern", regex: re.value, message: a[1]?.value }];
    }
    default:
      if (/^enum\.Validate(IgnoreCase)?$/.test(node.fn) && node.typeArg) {
        const goType = node.typeArg.replace(/^\w+\./, "");
        const e = SDK_ENUMS[`${ctx.sdk}.${goType}`];
        return e ? [{ kind: "enum", values: e.values, ignoreCase: /IgnoreCase/.test(node.fn), enumSource: e.source }] : [{ unread: `${node.text} (AWS SDK enum ${ctx.sdk}.${goType} not in SDK_ENUMS)` }];
      }
      return [{ unread: node.text }];
  }
}
/** Validators given by name, not called. */
const NAMED = {
  "verify.ValidIPv4CIDRNetworkAddress": { kind: "cidrNetwork" },
  "validation.IsPortNumber": { kind: "intRange", min: 1, max: 65535 },
  "validation.IsPortNumberOrZero": { kind: "intRange", min: 0, max: 65535 },
  "validation.StringIsJSON": { kind: "json" },
  // verify.ValidIAMPolicyJSON also bounds the length and the first character; read here only as "a JSON document".
  "verify.ValidIAMPolicyJSON": { kind: "json" },
};
function valuesOf(n) {
  if (n?.kind === "composite") return n.items.map((x) => x.value);
  if (n?.kind === "call" && LOCAL_VALUES[n.fn]) return LOCAL_VALUES[n.fn].values;
  return undefined;
}

// --- walk one schema map ---
function walk(schema, props, at, t, out) {
  const seen = new Set();
  for (const [key, field] of Object.entries(schema)) {
    const tf = key.startsWith("names.") ? attrName(key) : key;
    const tfPath = [...at.tf, tf].join(".");
    const name = pulumiName(t.tf, tf, props);
    if (name) seen.add(name);
    if (typeof field === "string") {
      // A block built by a helper (visibilityConfigSchema()) is not read here; tags are no rule.
      // excerpt.NotWritten() marks a field of the file an excerpt does not hold.
      if (!/^tftags\./.test(field)) out.unread.push({ tfPath, what: field === "excerpt.NotWritten()" ? "not in the excerpt read" : `schema built by ${field}` });
      continue;
    }
    if (!name) {
      if (!field.Computed || field.Optional || field.Required) out.unmapped.push(tfPath);
      continue;
    }
    const prop = props[name];
    const isArray = /\[\]/.test(prop.type);
    const p = [...at.pulumi, name].join(".");
    const rule = (r) => out.rules.push({ path: p, tfPath, ...r });
    if (field.Required === "true" && !(at.pulumi.length === 0 && t.autoName === tf)) {
      // The SDK declares a required input without `?`: an optional one means the bridged schema differs from the file read
      // (an older revision) or the bridge fills it (autonaming). Then the rule is left out, and said so.
      if (prop.optional) out.unread.push({ tfPath, what: "Required in the file read, optional in the installed SDK: left out" });
      else rule({ kind: "required" });
    }
    if (field.MaxItems && isArray) rule({ kind: "maxItems", max: Number(field.MaxItems) });
    if (field.MinItems && isArray) rule({ kind: "minItems", min: Number(field.MinItems) });
    for (const k of ["ConflictsWith", "ExactlyOneOf", "AtLeastOneOf", "RequiredWith"]) {
      if (!field[k]) continue;
      const list = parseExpr(field[k]).items.map((x) => (x.kind === "str" ? x.value : attrName(x.name)));
      if (at.tf.length > 0) { out.unread.push({ tfPath, what: `${k} ${list.join(", ")} (nested: absolute paths)` }); continue; }
      // The list may name the field itself (ExactlyOneOf does): its partners are the others. A partner the installed SDK does
      // not declare (newer than the bridged provider) is left out and reported; the rule stands on the rest.
      const mapped = list.map((o) => [o, pulumiName(t.tf, o.split(".")[0], out.topProps)]);
      for (const [o] of mapped.filter(([, n]) => !n)) out.unmapped.push(`${tfPath} ${k} partner ${o}`);
      const others = mapped.map(([, n]) => n).filter((n) => n && n !== name);
      if (!others.length && k !== "ExactlyOneOf" && k !== "AtLeastOneOf") continue;
      rule({ kind: k.charAt(0).toLowerCase() + k.slice(1), with: others });
    }
    const v = field.ValidateFunc ?? field.ValidateDiagFunc;
    let elemRules = [];
    if (field.Elem) {
      const elem = parseElem(field.Elem);
      if (elem.schema) {
        const ref = /inputs\.\w+\.\w+/.exec(prop.type)?.[0];
        const nested = ref && nestedProps(ref);
        if (!nested) out.unmapped.push(`${tfPath} (nested type ${ref})`);
        else walk(elem.schema, nested, { tf: [...at.tf, tf], pulumi: [...at.pulumi, isArray ? `${name}[]` : name] }, t, out);
      } else if (elem.validate) elemRules = rulesOf(parseExpr(elem.validate), t).map((r) => ({ ...r, each: true }));
    }
    for (const r of [...(v ? rulesOf(parseExpr(v), t) : []), ...elemRules]) {
      if (r.unread) out.unread.push({ tfPath, what: r.unread });
      else rule(r);
    }
  }
  // An input the installed SDK declares that the file lacks: the file is older than the provider the SDK bridges.
  // `region` is the provider's own, added to every resource outside its schema file.
  for (const name of Object.keys(props)) if (!seen.has(name) && !(at.pulumi.length === 0 && name === "region")) out.sdkOnly.push([...at.pulumi, name].join("."));
}
function parseElem(text) {
  const m = /^&schema\.(Resource|Schema)\{/.exec(text.trim());
  if (!m) return {};
  if (m[1] === "Resource") return { schema: parseSchemaOf(text, 0) };
  const f = parseFields(text.trim().slice(m[0].length - 1));
  return { validate: f.ValidateFunc ?? f.ValidateDiagFunc };
}

/**
 * The schema map of `func`: a function (`func f(`), a package variable (`var f =`, or `f = map...` in a `var (...)`
 * block) or a local (`f :=`). A function that
 * builds a local resource first (`resourceV0 := &schema.Resource{...}`, the schema its state upgrader reads) is read
 * from the resource it returns.
 */
function schemaOf(text, func) {
  const at = [`func ${func}(`, `var ${func} = `, `${func} := `, `\t${func} = map[`].map((s) => text.indexOf(s)).find((i) => i >= 0);
  if (at === undefined) return undefined;
  const local = text.indexOf(":= &schema.Resource{", at), ret = text.indexOf("return &schema.Resource{", at);
  return parseSchemaOf(text, local >= 0 && ret > local ? ret : at);
}

/** What the previous run wrote (--carry): its entries stand for the types whose file this run does not read. */
function previous(o) {
  if (!o.carry) return { types: {}, files: {} };
  const prev = JSON.parse(fs.readFileSync(o.carry, "utf8"));
  return { types: prev.types, files: prev.header.manifest?.files ?? {} };
}

function main() {
  const o = args();
  const read = reader(o);
  const manifestFile = o.tree && path.join(o.tree, "MANIFEST.json");
  const manifest = manifestFile && fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : { files: {} };
  const prev = previous(o);
  const files = {};
  const types = {};
  for (const t of TYPES) {
    const entry = { tfType: t.tf, source: t.file, rules: [], unread: [], unmapped: [], sdkOnly: [] };
    types[t.token] = entry;
    const text = read(t.file);
    if (text === undefined) {
      const carried = prev.types[t.token];
      types[t.token] = carried?.rules ? carried : { tfType: t.tf, source: t.file, note: "source file not read: not in the tree/commit given" };
      if (carried?.rules) files[t.file] = { read: "an earlier run", ...prev.files[t.file], ...manifest.files[t.file] };
      continue;
    }
    files[t.file] = { ...manifest.files[t.file], read: "this run" };
    CONSTS = constsOf(text);
    const schema = schemaOf(text, t.func);
    if (!schema) { entry.note = `no Schema map found in ${t.func}`; continue; }
    entry.topProps = argsProps(t.dts, t.name);
    walk(schema, entry.topProps, { tf: [], pulumi: [] }, t, entry);
    const cd = /CustomizeDiff:\s*customdiff\.\w+\(([\s\S]*?)\n\t\t\),/.exec(text);
    if (cd) entry.customizeDiff = [...cd[1].matchAll(/^\t{3}([\w.]+),$/gm)].map((m) => m[1]).concat(/^\t{3}func\(/m.test(cd[1]) ? ["(inline func)"] : []);
    delete entry.topProps;
    if (!entry.unmapped.length) delete entry.unmapped;
    if (!entry.rules.length) entry.note = "its schema declares no rule checked before an API call on the inputs the SDK declares";
    if (entry.sdkOnly.length) files[t.file].stale = `older than the bridged provider: lacks ${entry.sdkOnly.join(", ")}, which the installed SDK declares`;
    else delete entry.sdkOnly;
  }
  // Every other type the program registers (plan/replacements.ts' table) gets an entry saying why it has no rules.
  const table = fs.readFileSync(path.join(ROOT, "plan", "replacements.ts"), "utf8");
  for (const m of table.matchAll(/^\s*"(aws:[^"]+)": \{[\s\S]*?\$\{TF\}([\w/]+\.go) \((\w+)/gms)) {
    types[m[1]] ??= { tfType: m[3], source: `internal/service/${m[2]}`, note: "not extracted: no entry in tools/provider-rules/types.mjs TYPES yet" };
  }
  const header = {
    generatedBy: "tools/provider-rules/extract.mjs",
    provider: { name: "hashicorp/terraform-provider-aws", version: o.version ?? "unknown", commit: o.commit ?? null, read: o.tree ? `tree ${path.basename(o.tree)}` : `git ${o.commit}`, ...(o.note ? { note: o.note } : {}) },
    pulumiAws: JSON.parse(fs.readFileSync(path.join(SDK, "package.json"), "utf8")).version,
    manifest: { ...(manifest.note ? { note: manifest.note } : {}), files },
  };
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, `${JSON.stringify({ header, types }, null, 1)}\n`);
  const count = {};
  for (const e of Object.values(types)) for (const r of e.rules ?? []) count[r.kind] = (count[r.kind] ?? 0) + 1;
  console.log(`wrote ${path.relative(ROOT, o.out)}: ${JSON.stringify(count)}`);
  for (const [k, e] of Object.entries(types)) if (e.unmapped) console.warn(`${k}: no Pulumi name for ${e.unmapped.join("; ")}`);
}

main();
