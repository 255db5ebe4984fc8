// The README (a team's ten-minute path from clone to its own API) and the reference in docs/: what they
// say can be run, and their examples plan clean. Nothing here depends on the team's stacks.
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { ROOT } from "../config/stack-files";
import { fixturePack, planFixture } from "./helpers";

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const readme = read("README.md");
const DOCS = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
const pkg = JSON.parse(read("package.json"));

/**
 * Backticked repository paths in `text` that are not in the repository. `.pulumi/` is the state backend's
 * layout; a stack's pack config and URN baseline are the team's, named as examples (removing staging deletes
 * the very files the docs tell how to delete), so they need not exist.
 */
function missingPaths(text: string): string[] {
  const teamOwned = /^(?:policy-pack\/config|urns)\/[\w-]+\.json$/;
  return [...text.matchAll(/`([\w.-]+\/[\w./-]+\.\w+)`/g)]
    .map(([, f]) => f)
    .filter((f) => !f.startsWith(".pulumi/") && !teamOwned.test(f) && !fs.existsSync(path.join(ROOT, f)));
}

describe("README", () => {
  it("gives the two commands after cloning on its first screen", () => {
    const firstScreen = readme.split("\n").slice(0, 40).join("\n");
    assert.match(firstScreen, /npm ci && npm run plan -- dev/);
    assert.match(firstScreen, /^npm test/m);
  });

  it("reads in ten minutes: at most 300 lines, every document of docs/ linked from it", () => {
    assert.ok(readme.split("\n").length <= 300, `${readme.split("\n").length} lines`);
    for (const doc of DOCS) assert.ok(readme.includes(`](${doc})`), `README links ${doc}`);
  });

  for (const file of ["README.md", ...DOCS]) {
    it(`${file}: names only npm scripts that exist, and documents and repository files that are there`, () => {
      const text = read(file);
      const dir = path.dirname(path.join(ROOT, file));
      for (const [, script] of text.matchAll(/npm run (?:-s )?([\w:-]+)/g)) assert.ok(pkg.scripts[script], `npm run ${script}`);
      for (const [, link] of text.matchAll(/\]\(([\w./-]+\.md)(?:#[\w-]+)?\)/g)) assert.ok(fs.existsSync(path.join(dir, link)), link);
      assert.doesNotMatch(text, /(?:^|[\s`("'])\.\.\/(?!\w+\.md)/m, "a path outside the repository");
      assert.deepEqual(missingPaths(text), []);
    });
  }

  it("does not require a stack's own files: a team that removes a stack the docs name still has a green suite", () => {
    const text = "Remove `qa`: delete `Pulumi.qa.yaml`, `policy-pack/config/qa.json` and `urns/qa.json`; see `plan/plan.ts` and `plan/gone.ts`.";
    assert.deepEqual(missingPaths(text), ["plan/gone.ts"]);
  });
});

describe("the docs' stack-file examples plan clean", () => {
  /** The `config:` entries of the first ```yaml block after `heading` in `file`, as plan --config arguments. */
  const exampleConfig = (file: string, heading: string): string[] => {
    const text = read(file);
    const section = text.slice(text.indexOf(heading));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const doc = yaml.load(block.startsWith("config:") || block.startsWith("#") ? block : `config:\n${block}`) as { config: Record<string, unknown> };
    return Object.entries(doc.config).flatMap(([k, v]) => ["--config", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
  };
  const planned = async (args: string[]) => {
    const { code, out, err } = await planFixture("small", ...args);
    return { code, out: out + err };
  };

  it("existing-vpc.md: the example plans on a small stack (its network keys left out) with no network resource, and with the example pack config every mandatory policy passes", async () => {
    const text = read("docs/existing-vpc.md");
    const pack = { ...JSON.parse(fs.readFileSync(fixturePack("small"), "utf8")), ...JSON.parse(/```json\n([\s\S]*?)```/.exec(text)![1]) };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "docs-vpc-")), "small.json");
    fs.writeFileSync(file, JSON.stringify(pack));
    const { code, out } = await planned([...exampleConfig("docs/existing-vpc.md", "# Deploy into an existing VPC"), "--config-rm", "availabilityZones", "--config-rm", "natGateways", "--policy-config", file]);
    assert.equal(code, 0, out);
    assert.match(out, /^ {2}ecs-ec2-api:network:ExistingNetwork api \(0\)$/m);
    assert.doesNotMatch(out, /\+ ec2:(Vpc|Subnet|NatGateway|InternetGateway|RouteTable)\b/);
  });

  it("README, Run your own API: plans with every mandatory policy passing, shows all of it, and flags its placeholders", async () => {
    const { code, out } = await planned(exampleConfig("README.md", "## Run your own API"));
    assert.equal(code, 0, out);
    assert.match(out, /environment +DB_POOL_SIZE, LOG_LEVEL/);
    assert.match(out, /secrets +DATABASE_URL <- SSM arn:aws:ssm:.*; STRIPE_KEY <- Secrets Manager arn:aws:secretsmanager:/);
    assert.match(out, /task role +arn:aws:iam::111122223333:policy\/orders-queue-access/);
    assert.match(out, /egress +HTTPS to anywhere; tcp 5432 to the VPC/);
    assert.match(out, /domain +api\.orders\.example\.com \(alias A record in Z0123456789EXAMPLE\)/);
    assert.match(out, /! ecs-ec2-api:domainName = "api\.orders\.example\.com" is a placeholder/);
    // The example's image (an ECR registry of a documentation account) and zone id (the EXAMPLE form) too.
    assert.match(out, /! ecs-ec2-api:imageUrl = "111122223333\.dkr\.ecr\.[^"]*" is a placeholder/);
    assert.match(out, /! ecs-ec2-api:hostedZoneId = "Z0123456789EXAMPLE" is a placeholder/);
    const up = await planned([...exampleConfig("README.md", "## Run your own API"), "--up"]);
    assert.equal(up.code, 1);
    for (const key of ["imageUrl", "hostedZoneId", "domainName", "secrets", "taskPolicyArns"]) assert.match(up.out, new RegExp(`ecs-ec2-api:${key}[.\\[\\w-]*\\]? = .* is a placeholder`), key);
  });

  it("services.md, More services: plans with every mandatory policy passing, each service shown with its route", async () => {
    const { code, out } = await planned(exampleConfig("docs/services.md", "## More services on one cluster"));
    assert.equal(code, 0, out);
    for (const route of [/service v2\n {4}route +rule priority 100: path \/v2\/\*/, /service admin\n {4}route +rule priority 10: host admin\.example\.com/, /service worker\n {4}route +none/]) assert.match(out, route);
  });

  it("services.md, Queue-driven workers: plans with every mandatory policy passing, the mailer's queue shown with who receives, who sends and its scaling rule", async () => {
    const { code, out } = await planned(exampleConfig("docs/services.md", "## Queue-driven workers"));
    assert.equal(code, 0, out);
    assert.match(out, /\n {4}receives +service mailer, URL in QUEUE_URL: /);
    assert.match(out, /\n {4}sends +service [\w-]+, URL in MAILER_QUEUE_URL: sqs:SendMessage on this queue only\n/);
    assert.match(out, /\n {4}scaling +0\.\.4 tasks: target tracking holds 20 visible messages per running task .*; asleep at 0 tasks/);
    assert.match(out, /\+ sqs:RedrivePolicy +mailer-redrive/);
  });

  it("services.md, Scheduled jobs: plans with every mandatory policy passing, each job shown with its schedule in words and next run", async () => {
    const { code, out } = await planned(exampleConfig("docs/services.md", "## Scheduled jobs"));
    assert.equal(code, 0, out);
    assert.match(out, /job nightly-report\n(?: {4}.*\n)*? {4}schedule +cron\(0 2 \* \* \? \*\): at 02:00 UTC every day\n {4}next run +\d{4}-\d\d-\d\dT02:00:00 UTC\n/);
    assert.match(out, /job cache-warmup\n(?: {4}.*\n)*? {4}schedule +rate\(15 minutes\): every 15 minutes, from when the schedule is created\n/);
    assert.match(out, /\+ scheduler:Schedule +nightly-report-schedule/);
  });
});
