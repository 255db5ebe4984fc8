/* global process, console */
// Reads the JSON of `pulumi preview --refresh --json` (pulumi/pulumi pkg/display/json.go: {steps: [{op, urn,
// diffReasons, replaceReasons, detailedDiff}], changeSummary}) and prints, as Markdown, each resource the program
// would change back after the refresh (the drifted ones) with the properties that differ. Exit 0 with no output
// when nothing drifted, exit 2 on input that is not such JSON.
// Usage: node .ci/drift-report.mjs <preview.json>
import { readFileSync } from "node:fs";

const UNCHANGED = new Set(["same", "read", "refresh"]);

/** The drifted resources of a preview's JSON: [{op, type, name, properties}]. */
export function drifted(preview) {
  return (preview?.steps ?? [])
    .filter((s) => s && !UNCHANGED.has(s.op))
    .map((s) => {
      const parts = String(s.urn ?? "").split("::");
      const properties = new Set([...(s.diffReasons ?? []), ...(s.replaceReasons ?? []), ...Object.keys(s.detailedDiff ?? {})]);
      return { op: s.op, type: (parts[2] ?? "").split("$").at(-1), name: parts[3] ?? s.urn, properties: [...properties].sort() };
    });
}

export function markdown(items) {
  return items
    .map((d) => `- \`${d.op}\` ${d.type} \`${d.name}\`${d.properties.length ? `: ${d.properties.map((p) => `\`${p}\``).join(", ")}` : ""}`)
    .join("\n");
}

if (process.argv[1] && process.argv[1].endsWith("drift-report.mjs")) {
  let preview;
  try {
    preview = JSON.parse(readFileSync(process.argv[2], "utf8"));
  } catch (err) {
    console.error(`drift-report: ${process.argv[2]} is not the JSON of pulumi preview --json: ${err.message}`);
    process.exit(2);
  }
  const items = drifted(preview);
  if (items.length) console.log(markdown(items));
}
