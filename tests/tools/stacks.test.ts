// `npm run stacks` (tools/stacks.ts): the team's stacks side by side, from their configs.
import assert from "node:assert/strict";
import { stacksTable } from "../../tools/stacks";
import { fixtureSpec } from "../helpers";

describe("npm run stacks", () => {
  it("sets one column per stack and one row per property, each cell from that stack's config", () => {
    const table = stacksTable({ small: fixtureSpec("small"), hardened: fixtureSpec("hardened") }, { small: "small", hardened: undefined });
    assert.equal(table[0], "| | small | hardened |");
    const row = (label: string) => table.find((l) => l.startsWith(`| ${label} |`))!.split(" | ").slice(1).map((c) => c.replace(/ \|$/, ""));
    assert.deepEqual(row("network"), ["2 AZs, 1 NAT gateway", "3 AZs, 3 NAT gateways"]);
    assert.deepEqual(row("listeners"), ["HTTP 80", "HTTPS, 80 redirects"]);
    assert.deepEqual(row("deletion protection"), ["off", "on"]);
    assert.deepEqual(row("placeholders"), ["none", "certificateArn, alarmEmail"]);
    assert.deepEqual(row("pack config"), ["policy-pack/config/small.json", "none (the pack's defaults)"]);
  });
});
