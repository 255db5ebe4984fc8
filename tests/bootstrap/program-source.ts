/**
 * What the program's source can register and look up, read from the source itself: every `new aws.<module>.<Type>(`
 * and awsx component in index.ts and components/, each mapped to its Pulumi type token by the installed SDK
 * (the class's __pulumiType), and every data source it calls (`aws.<module>.get<X>(` or `get<X>Output(`), mapped
 * to its invoke token by the SDK function's own source. A type the program gains turns up here by itself.
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../config/stack-files";

/** index.ts and every .ts file under components/. */
export function programFiles(root = ROOT): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
  return [path.join(root, "index.ts"), ...walk(path.join(root, "components"))];
}

export interface Found {
  token: string;
  /** file:line of the first place it appears. */
  where: string;
}

function scan(files: string[], re: RegExp, tokenOf: (m: RegExpExecArray) => string): Found[] {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(new RegExp(re.source, "g"))) {
      const token = tokenOf(m as RegExpExecArray);
      const line = text.slice(0, m.index).split("\n").length;
      if (!found.has(token)) found.set(token, `${path.relative(ROOT, file)}:${line}`);
    }
  }
  return [...found.entries()].map(([token, where]) => ({ token, where })).sort((a, b) => a.token.localeCompare(b.token));
}

/** The resource types: `new aws.<module>.<Type>(`, and awsx's `new (awsx().<module>.<Type>)(` (components/image.ts). */
export function programTypes(files = programFiles()): Found[] {
  const aws = require("@pulumi/aws");
  const awsx = require("@pulumi/awsx");
  const typeOf = (sdk: any, module: string, type: string, what: string) => {
    const t = sdk[module]?.[type]?.__pulumiType;
    if (typeof t !== "string") throw new Error(`${what}.${module}.${type} is not a resource class of the installed SDK`);
    return t;
  };
  return [
    ...scan(files, /new\s+aws\.([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)\s*\(/, (m) => typeOf(aws, m[1], m[2], "aws")),
    ...scan(files, /new\s+\(\s*awsx\(\)\.([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)\s*\)\s*\(/, (m) => typeOf(awsx, m[1], m[2], "awsx")),
  ];
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
