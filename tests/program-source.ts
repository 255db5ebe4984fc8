/**
 * What the program's source can register and look up, read from the source itself (index.ts and components/):
 * every `new aws.<module>.<Type>(` by its type token (the installed SDK's class says it), every awsx component
 * (`new (awsx().<module>.<Type>)(`), and every data source it calls (`aws.[<module>.]get<X>[Output](`) by the
 * token the SDK function invokes. The provider-rules coverage and the bootstrap's permissions share it: a type
 * the program gains turns up in both by itself. The bootstrap program's own sources (bootstrapFiles()) are
 * scanned the same way by the provider-rules coverage only: the deploy role's permissions are for programFiles().
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../config/stack-files";
import { typeTokenOf } from "./plan/sdk-declarations";

/** A token and the first place (file:line) the source names it. */
export interface Found {
  token: string;
  where: string;
}

/** index.ts and every .ts file under components/. */
export function programFiles(root = ROOT): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
  return [...walk(path.join(root, "components")), path.join(root, "index.ts")];
}

/** The bootstrap program's sources: bootstrap/index.ts and every .ts file under bootstrap/components/. */
export function bootstrapFiles(root = ROOT): string[] {
  return programFiles(path.join(root, "bootstrap"));
}

function scan(files: string[], re: RegExp, tokenOf: (m: RegExpMatchArray, where: string) => string): Found[] {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(new RegExp(re.source, "g"))) {
      const where = `${path.relative(ROOT, file)}:${text.slice(0, m.index).split("\n").length}`;
      const token = tokenOf(m, where);
      if (!found.has(token)) found.set(token, where);
    }
  }
  return [...found.entries()].map(([token, where]) => ({ token, where })).sort((a, b) => a.token.localeCompare(b.token));
}

/** The aws resource types: `new aws.<module>.<Type>(`. */
export function awsTypes(files = programFiles()): Found[] {
  return scan(files, /new\s+aws\.(\w+)\.(\w+)\s*\(/, (m, where) => {
    const token = typeTokenOf(m[1], m[2]);
    if (!token) throw new Error(`${where}: aws.${m[1]}.${m[2]} is no resource class of the installed SDK`);
    return token;
  });
}

/** The awsx components (components/image.ts loads awsx lazily: `new (awsx().<module>.<Type>)(`), as "<module>.<Type>". */
export function awsxComponents(files = programFiles()): Found[] {
  return scan(files, /new\s+\(\s*awsx\(\)\.(\w+)\.(\w+)\s*\)\s*\(/, (m) => `${m[1]}.${m[2]}`);
}

/** An awsx component's own type token ("ecr.Repository" -> "awsx:ecr:Repository"), as the installed awsx declares it. */
export function awsxTokenOf(component: string): string {
  const [module, name] = component.split(".");
  const token = require("@pulumi/awsx")[module]?.[name]?.__pulumiType;
  if (typeof token !== "string") throw new Error(`awsx.${component} is no component of the installed awsx`);
  return token;
}

/** The data sources: `aws.[<module>.]get<X>(` or `get<X>Output(`, by the token the SDK function invokes. */
export function programInvokes(files = programFiles()): Found[] {
  const sdk = path.dirname(require.resolve("@pulumi/aws/package.json"));
  return scan(files, /aws\.(?:([a-z0-9]+)\.)?(get[A-Z][A-Za-z0-9]*?)(?:Output)?\s*\(/, (m) => {
    const file = path.join(sdk, m[1] ?? "", `${m[2]}.js`);
    const token = /invoke(?:Output)?\("([^"]+)"/.exec(fs.readFileSync(file, "utf8"))?.[1];
    if (!token) throw new Error(`${file} invokes no token`);
    return token;
  });
}
