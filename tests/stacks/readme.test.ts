import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_SCHEMA, KeySpec } from "../../config";
import { readmeRow } from "../../tools/sync-config-docs";
import { policies } from "../../policy-pack/policies";
import * as yaml from "js-yaml";
import { fixturePack, planFixture } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("README", () => {
  it("documents every config key with its type, default and description (npm run sync-config)", () => {
    for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) assert.ok(readme.includes(readmeRow(key, spec as KeySpec)), `README config table lacks or misstates ${key}`);
  });

  it("lists every policy of the pack with its default enforcement level", () => {
    for (const p of policies) assert.ok(readme.includes(`| \`${p.name}\` | ${p.enforcementLevel} |`), `README policy table lacks ${p.name}`);
  });

  it("gives the two commands after cloning on its first screen", () => {
    const firstScreen = readme.split("\n").slice(0, 40).join("\n");
    assert.match(firstScreen, /npm ci && npm run plan -- dev/);
    assert.match(firstScreen, /^npm test/m);
  });

  it("names only npm scripts that exist", () => {
    for (const [, script] of readme.matchAll(/npm run (?:-s )?([\w:-]+)/g)) assert.ok(pkg.scripts[script], `npm run ${script}`);
  });

  it("names no document or file the repository does not hold (a newcomer has the clone, nothing beside it)", () => {
    for (const [, doc] of readme.matchAll(/([\w./-]+\.md)\b/g)) assert.ok(fs.existsSync(path.join(ROOT, doc)), doc);
    assert.doesNotMatch(readme, /(?:^|[\s`("'])\.\.\//m, "a path outside the repository");
    // Backticked repository paths; `.pulumi/` is the state backend's layout, `<stack>` a placeholder.
    for (const [, file] of readme.matchAll(/`([\w.-]+\/[\w./-]+\.\w+)`/g)) {
      if (!file.startsWith(".pulumi/")) assert.ok(fs.existsSync(path.join(ROOT, file)), file);
    }
  });
});

describe("README: the stack-file examples plan clean", () => {
  /** The `config:` entries of the first ```yaml block after `heading`, as plan --config arguments. */
  const exampleConfig = (heading: string): string[] => {
    const section = readme.slice(readme.indexOf(heading));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const doc = yaml.load(block.startsWith("config:") || block.startsWith("#") ? block : `config:\n${block}`) as { config: Record<string, unknown> };
    return Object.entries(doc.config).flatMap(([k, v]) => ["--config", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
  };
  const planned = async (args: string[]) => {
    const { code, out, err } = await planFixture("small", ...args);
    return { code, out: out + err };
  };

  it("Use an existing VPC: the example plans on a small stack (its network keys left out) with no network resource, and with the example pack config every mandatory policy passes", async () => {
    const section = readme.slice(readme.indexOf("## Use an existing VPC"));
    const pack = { ...JSON.parse(fs.readFileSync(fixturePack("small"), "utf8")), ...JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]) };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "readme-vpc-")), "dev.json");
    fs.writeFileSync(file, JSON.stringify(pack));
    const { code, out } = await planned([...exampleConfig("## Use an existing VPC"), "--config-rm", "availabilityZones", "--config-rm", "natGateways", "--policy-config", file]);
    assert.equal(code, 0, out);
    assert.match(out, /^ {2}ecs-ec2-api:network:ExistingNetwork api \(0\)$/m);
    assert.doesNotMatch(out, /\+ ec2:(Vpc|Subnet|NatGateway|InternetGateway|RouteTable)\b/);
  });

  it("Run your own API: plans with every mandatory policy passing, shows all of it, and flags its placeholders", async () => {
    const { code, out } = await planned(exampleConfig("## Run your own API"));
    assert.equal(code, 0, out);
    assert.match(out, /environment +DB_POOL_SIZE, LOG_LEVEL/);
    assert.match(out, /secrets +DATABASE_URL <- SSM arn:aws:ssm:.*; STRIPE_KEY <- Secrets Manager arn:aws:secretsmanager:/);
    assert.match(out, /task role +arn:aws:iam::111122223333:policy\/orders-queue-access/);
    assert.match(out, /egress +HTTPS to anywhere; tcp 5432 to the VPC/);
    assert.match(out, /domain +api\.orders\.example\.com \(alias A record in Z0123456789EXAMPLE\)/);
    assert.match(out, /! ecs-ec2-api:domainName = "api\.orders\.example\.com" is a placeholder/);
  });

  it("More services: plans with every mandatory policy passing, each service shown with its route", async () => {
    const { code, out } = await planned(exampleConfig("### More services on one cluster"));
    assert.equal(code, 0, out);
    for (const route of [/service v2\n {4}route +rule priority 100: path \/v2\/\*/, /service admin\n {4}route +rule priority 10: host admin\.example\.com/, /service worker\n {4}route +none/]) assert.match(out, route);
  });

  it("Scheduled jobs: plans with every mandatory policy passing, each job shown with its schedule in words and next run", async () => {
    const { code, out } = await planned(exampleConfig("### Scheduled jobs"));
    assert.equal(code, 0, out);
    assert.match(out, /job nightly-report\n(?: {4}.*\n)*? {4}schedule +cron\(0 2 \* \* \? \*\): at 02:00 UTC every day\n {4}next run +\d{4}-\d\d-\d\dT02:00:00 UTC\n/);
    assert.match(out, /job cache-warmup\n(?: {4}.*\n)*? {4}schedule +rate\(15 minutes\): every 15 minutes, from when the schedule is created\n/);
    assert.match(out, /\+ scheduler:Schedule +nightly-report-schedule/);
  });
});
