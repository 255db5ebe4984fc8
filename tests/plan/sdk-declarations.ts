/**
 * What the installed @pulumi/aws declares, read from its .d.ts files (the bridged provider's schema in the SDK's words):
 * the documentation of an input by rule path, the values that documentation lists, and the type token of a
 * resource class. Test helpers for the provider-rules coverage and currency tests.
 */
import * as fs from "fs";
import * as path from "path";

const SDK = path.dirname(require.resolve("@pulumi/aws/package.json"));
const inputDts = fs.readFileSync(path.join(SDK, "types", "input.d.ts"), "utf8");

interface Member { doc: string; type: string }

/** The body of the `{...}` block opened by the first `header` in text. */
function block(text: string, header: string): string | undefined {
  const at = text.indexOf(header);
  if (at < 0) return undefined;
  const open = text.indexOf("{", at);
  for (let i = open, depth = 0; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** An interface's members with their doc comments. */
function members(body: string | undefined): Record<string, Member> {
  const out: Record<string, Member> = {};
  if (!body) return out;
  const re = /(?:\/\*\*([\s\S]*?)\*\/\s*)?^\s*(\w+)\??: (pulumi\.Input<[\s\S]*?>);$/gm;
  for (let m; (m = re.exec(body)); ) out[m[2]] = { doc: (m[1] ?? "").replace(/^\s*\* ?/gm, "").replace(/\s+/g, " ").trim(), type: m[3] };
  return out;
}

/** The Args interface of a resource type token ("aws:ecs/service:Service" -> ecs/service.d.ts ServiceArgs). */
function argsOf(token: string): Record<string, Member> {
  const [, file, name] = /^aws:([\w/]+):(\w+)$/.exec(token) ?? [];
  return members(block(fs.readFileSync(path.join(SDK, `${file}.d.ts`), "utf8"), `export interface ${name}Args {`));
}

/** A nested input type ("inputs.ecs.ServiceServiceConnectConfiguration"). */
function nestedOf(ref: string): Record<string, Member> {
  const [, ns, name] = ref.split(".");
  const at = inputDts.indexOf(`export declare namespace ${ns} {`);
  return at < 0 ? {} : members(block(inputDts.slice(at), `    interface ${name} {`));
}

/** The SDK's documentation of the input at a rule path ("services[].clientAlias[].port"), undefined when it declares none. */
export function sdkDoc(token: string, rulePath: string): string | undefined {
  let props = argsOf(token), doc: string | undefined;
  for (const seg of rulePath.split(".")) {
    const m = props[seg.replace(/\[\]$/, "")];
    if (!m) return undefined;
    doc = m.doc;
    const ref = /inputs\.\w+\.\w+/.exec(m.type)?.[0];
    props = ref ? nestedOf(ref) : {};
  }
  return doc;
}

/**
 * The values a documentation lists as the allowed ones: a run of `code` items right after "Valid values:",
 * "Valid values are", "Must be one of", "Can be", "either" and the like ("`a`, `b`, or `c`"). Only a run
 * that follows such a phrase counts, so examples and defaults elsewhere in the text are not taken for values.
 */
export function documentedValues(doc: string | undefined): string[] | undefined {
  if (!doc) return undefined;
  const lead = /(?:valid values(?: are)?|possible values(?: are)?|valid options(?: are)?|allowed values(?: are)?|must be one of|one of|can be|either|following (?:values )?(?:are|is) supported|available behaviors are)\s*:?\s*/gi;
  for (let m; (m = lead.exec(doc)); ) {
    const run = /^`([^`]+)`(?:(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)`([^`]+)`)*/.exec(doc.slice(m.index + m[0].length));
    if (run) return [...run[0].matchAll(/`([^`]+)`/g)].map((v) => v[1].replace(/^"|"$/g, ""));
  }
  return undefined;
}

/** The type token of an SDK resource class (`aws.ecs.Service` -> "aws:ecs/service:Service"). */
export function typeTokenOf(module: string, name: string): string | undefined {
  const aws = require("@pulumi/aws");
  return aws[module]?.[name]?.__pulumiType;
}
