// tools/host-image.ts: the host-image workflow's bump of the pinned images in stack files (the team's YAML: only the
// pin's line changes) and the pull request's body, written from the offline plans. On stack files the test writes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { body, bumpStacks, recommendedReleases, setPin, type Bump } from "../../tools/host-image";
import { planFixture } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
/** Real releases: https://github.com/aws/amazon-ecs-ami/releases/tag/20261022 and .../20261113. */
const OLDER = "al2023-ami-ecs-hvm-2023.0.20261022-kernel-6.1-x86_64";
const NEWER = "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64";
const NEWER_ARM = "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-arm64";
/**
 * The parameters' documents as AWS publishes them (Amazon ECS Developer Guide, "Retrieving Amazon ECS-optimized Linux
 * AMI metadata"): the value of /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended is a JSON document with
 * image_name and image_id among its fields.
 */
const RECOMMENDED = {
  x86_64: JSON.stringify({ image_id: "ami-0aaaaaaaaaaaaaaaa", image_name: NEWER, os: "Amazon Linux 2023", schema_version: 1 }),
  arm64: JSON.stringify({ image_id: "ami-0bbbbbbbbbbbbbbbb", image_name: NEWER_ARM, os: "Amazon Linux 2023", schema_version: 1 }),
};

const PINNED = [
  "# alpha: the team's own words, kept.",
  "config:",
  "  aws:region: eu-west-1   # Ireland",
  "  ecs-ec2-api:instanceType: t3.medium",
  "  # The hosts' image. Release notes: https://github.com/aws/amazon-ecs-ami/releases/tag/20261022",
  `  ecs-ec2-api:hostImage: ${OLDER}  # bumped by the workflow`,
  "  ecs-ec2-api:maxSize: \"4\"",
  "",
].join("\n");

describe("tools/host-image.ts: bumping the pinned host images", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-image-bump-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (stack: string, text: string) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  const read = (stack: string) => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");

  it("rewrites only the pin's value and the release-notes link above it: every other byte of the team's file stays", () => {
    const out = setPin(PINNED, NEWER);
    const changed = PINNED.split("\n").map((l, i) => [l, out.split("\n")[i]]).filter(([a, b]) => a !== b);
    assert.deepEqual(changed, [
      ["  # The hosts' image. Release notes: https://github.com/aws/amazon-ecs-ami/releases/tag/20261022", "  # The hosts' image. Release notes: https://github.com/aws/amazon-ecs-ami/releases/tag/20261113"],
      [`  ecs-ec2-api:hostImage: ${OLDER}  # bumped by the workflow`, `  ecs-ec2-api:hostImage: ${NEWER}  # bumped by the workflow`],
    ]);
  });

  it("adds the pin (with its comment) at the end of the config block of a stack that has none, before what follows it", () => {
    const text = "config:\n  aws:region: us-east-1\n  ecs-ec2-api:maxSize: \"4\"\n\n# trailing words\nencryptedkey: abc\n";
    const out = setPin(text, NEWER);
    assert.equal(out, [
      "config:", "  aws:region: us-east-1", "  ecs-ec2-api:maxSize: \"4\"",
      "  # The hosts' image, pinned: they change only when a reviewed pull request changes this line (docs/operations.md, Host images).",
      "  # Release notes: https://github.com/aws/amazon-ecs-ami/releases/tag/20261113",
      `  ecs-ec2-api:hostImage: ${NEWER}`,
      "", "# trailing words", "encryptedkey: abc", "",
    ].join("\n"));
  });

  it("refuses a flow-style config it cannot edit line by line, rather than rewrite the team's YAML", () => {
    assert.throws(() => setPin("config: {aws:region: us-east-1}\n", NEWER), /no block-style `config:` map/);
  });

  it("bumps each stack to its architecture's release, pins an unpinned one, and leaves AMI-id pins and current pins untouched", () => {
    write("alpha", PINNED);
    write("graviton", "config:\n  aws:region: us-east-1\n  ecs-ec2-api:instanceType: c7g.large\n  ecs-ec2-api:hostImage: al2023-ami-ecs-hvm-2023.0.20261022-kernel-6.1-arm64\n");
    write("custom", "config:\n  aws:region: us-east-1\n  ecs-ec2-api:hostImage: ami-0123456789abcdef0\n");
    write("current", `config:\n  aws:region: us-east-1\n  ecs-ec2-api:hostImage: ${NEWER}\n`);
    write("fresh", "config:\n  aws:region: us-east-1\n");
    const untouched = { custom: read("custom"), current: read("current") };
    const log: string[] = [];
    const bumps = bumpStacks(RECOMMENDED, dir, (s) => log.push(s));
    assert.deepEqual(bumps, [
      { stack: "alpha", arch: "x86_64", from: OLDER, to: NEWER },
      { stack: "fresh", arch: "x86_64", from: null, to: NEWER },
      { stack: "graviton", arch: "arm64", from: "al2023-ami-ecs-hvm-2023.0.20261022-kernel-6.1-arm64", to: NEWER_ARM },
    ]);
    assert.deepEqual({ custom: read("custom"), current: read("current") }, untouched);
    assert.match(log.join("\n"), /custom: pinned by AMI id \(ami-0123456789abcdef0\); left alone/);
  });

  it("refuses a recommended value that is not an ECS-optimized AL2023 release of its architecture, writing nothing", () => {
    write("alpha", PINNED);
    assert.throws(() => bumpStacks({ ...RECOMMENDED, arm64: JSON.stringify({ image_name: NEWER }) }, dir), /arm64\/recommended: image_name ".*x86_64" is not an ECS-optimized AL2023 release name for arm64/);
    assert.throws(() => recommendedReleases({ x86_64: { image_name: "amzn2-ami-ecs-hvm-2.0.20240611-x86_64-ebs" }, arm64: RECOMMENDED.arm64 }), /x86_64/);
    assert.equal(read("alpha"), PINNED);
  });

  it("runs as the workflow runs it: bump <recommended.json> --stacks-dir prints the bumps as JSON", () => {
    write("alpha", PINNED);
    fs.writeFileSync(path.join(dir, "recommended.json"), JSON.stringify(RECOMMENDED));
    const r = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools/host-image.ts"), "bump", path.join(dir, "recommended.json"), "--stacks-dir", dir], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ stack: "alpha", arch: "x86_64", from: OLDER, to: NEWER }]);
  });
});

describe("tools/host-image.ts: the pull request's body, from the offline plans", () => {
  let text: string;
  const bumps: Bump[] = [{ stack: "small", arch: "x86_64", from: OLDER, to: NEWER }];
  before(async function () {
    this.timeout(60000);
    // The plan of main (the older pin), then the bumped stack against it: what the workflow runs.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-image-plans-"));
    try {
      const before = await planFixture("small", "--json", "--config", `hostImage=${OLDER}`, "--config", "hostWarmPool=1");
      fs.writeFileSync(path.join(dir, "main.json"), before.out);
      const after = await planFixture("small", "--json", "--against", path.join(dir, "main.json"), "--config", `hostImage=${NEWER}`, "--config", "hostWarmPool=1");
      assert.equal(after.code, 0, after.err);
      text = body(bumps, { small: JSON.parse(after.out) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names each stack's old and new release, with AWS's release notes and the parameter it came from", () => {
    assert.match(text, new RegExp(`\\| small \\| x86_64 \\| \`${OLDER}\` \\| \`${NEWER}\` \\|`));
    assert.match(text, /\[al2023-ami-ecs-hvm-2023\.0\.20261113-kernel-6\.1-x86_64\]\(https:\/\/github\.com\/aws\/amazon-ecs-ami\/releases\/tag\/20261113\)/);
    assert.match(text, /`\/aws\/service\/ecs\/optimized-ami\/amazon-linux-2023\/recommended`/);
  });

  it("shows what the plan changes: the launch template's image, hence the group's version, and nothing else", () => {
    assert.match(text, /Offline plan against main: 0 to create, 2 to update, 0 to replace, 0 to delete\./);
    assert.match(text, /- update ec2:LaunchTemplate `api-hosts`: `imageId`/);
    assert.match(text, /- update autoscaling:Group `api-hosts`: `launchTemplate`/);
  });

  it("says which hosts are replaced, how (instance refresh, 100..200 % healthy, managed draining) and how long", () => {
    assert.match(text, /\*\*Hosts\*\*: a new image, user data or instance type replaces \d+ hosts? at the planned task counts \(up to \d+\) and the 1 in the warm pool by instance refresh: replacements launch first \(100\.\.200 % healthy, one batch\), ECS managed draining moves each old host's tasks before it terminates; about \d+ min on paper/);
  });

  it("says nothing is deployed until the merge, and then through the deploy order", () => {
    assert.match(text, /Nothing is deployed by this pull request\. Once merged, `deploy\.yml` deploys the stacks in `deploy-order`/);
  });

  it("reports a stack whose offline plan failed instead of hiding it", () => {
    assert.match(body(bumps, { small: { ok: false, configErrors: ["ecs-ec2-api:hostImage = \"x\" is not allowed: ..."] } }), /\*\*The offline plan of small failed\*\*: ecs-ec2-api:hostImage = "x" is not allowed/);
  });
});
