// Issue 31: the hosts' image pinned in the stack file (hostImage), looked up by its exact name among Amazon's images
// before any resource, and the on-demand hosts' warm pool (hostWarmPool). The whole program under the mock engine.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { checkHostImage, ConfigError, parseConfig } from "../../config";
import { HostPool } from "../../components/host-pool";
import { Graph, MOCK_AMI, ProgramError } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { estimateCost, priceTable } from "../../plan/cost";
import { ROOT } from "../../config/stack-files";
import { planFixture, recordSeed } from "../helpers";

const T = { lt: "aws:ec2/launchTemplate:LaunchTemplate", asg: "aws:autoscaling/group:Group" };
/** Real releases (https://github.com/aws/amazon-ecs-ami/releases/tag/20261022 and .../20261113). */
const OLDER = "al2023-ami-ecs-hvm-2023.0.20261022-kernel-6.1-x86_64";
const NEWER = "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64";
const GRAVITON = "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-arm64";

const invokes = (g: Graph, token: string) => g.recording.invokes.filter((i) => i.token === token);
const amiLookups = (g: Graph) => invokes(g, "aws:ec2/getAmi:getAmi");
const ssmReads = (g: Graph) => invokes(g, "aws:ssm/getParameter:getParameter");
const userData = (lt: { inputs: Record<string, any> }) => Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");

describe("hostImage: a pinned host image", () => {
  describe("pinned by release name", () => {
    let g: Graph;
    before(async () => {
      g = await recordSeed({ hostImage: NEWER });
    });

    it("reads no SSM parameter: AWS publishing a new image changes nothing the program reads", () => {
      assert.deepEqual(ssmReads(g).map((i) => i.args.name), []);
    });

    // terraform-provider-aws internal/service/ec2/ec2_ami_data_source.go (dataSourceAMIRead): with most_recent off,
    // a lookup that matches several images fails ("Your query returned more than one result"), it never picks one.
    it("looks the name up exactly, among Amazon's images, of the instance type's architecture, never picking the newest of several", () => {
      const [lookup, ...more] = amiLookups(g);
      assert.equal(more.length, 0, "one lookup");
      assert.deepEqual(lookup.args.owners, ["amazon"]);
      assert.deepEqual(lookup.args.filters, [{ name: "name", values: [NEWER] }, { name: "architecture", values: ["x86_64"] }]);
      assert.ok(!lookup.args.filters.some((f: { values: string[] }) => f.values.some((v) => /[*?]/.test(v))), "no wildcard");
      assert.equal(lookup.args.mostRecent, false);
    });

    it("boots the image the lookup found, not the SSM parameter's", () => {
      assert.match(String(g.one(T.lt).inputs.imageId), /^ami-[0-9a-f]{17}$/);
      assert.notEqual(g.one(T.lt).inputs.imageId, MOCK_AMI);
    });

    it("plans the same launch template on every run (no drift), and another one only when the pin changes", async () => {
      const again = await recordSeed({ hostImage: NEWER, desiredCount: "3" });
      const older = await recordSeed({ hostImage: OLDER });
      assert.equal(again.one(T.lt).inputs.imageId, g.one(T.lt).inputs.imageId);
      assert.notEqual(older.one(T.lt).inputs.imageId, g.one(T.lt).inputs.imageId);
    });

    it("looks up the arm64 build on Graviton hosts", async () => {
      const graviton = await recordSeed({ hostImage: GRAVITON, instanceType: "c7g.large" });
      assert.deepEqual(amiLookups(graviton)[0].args.filters, [{ name: "name", values: [GRAVITON] }, { name: "architecture", values: ["arm64"] }]);
      assert.deepEqual(ssmReads(graviton), []);
    });
  });

  it("pinned by AMI id: looks the id up (of the hosts' architecture) and boots it", async () => {
    const g = await recordSeed({ hostImage: "ami-0123456789abcdef0" });
    assert.deepEqual(amiLookups(g)[0].args.filters, [{ name: "image-id", values: ["ami-0123456789abcdef0"] }, { name: "architecture", values: ["x86_64"] }]);
    assert.equal(g.one(T.lt).inputs.imageId, "ami-0123456789abcdef0");
    assert.deepEqual(ssmReads(g), []);
  });

  it("without a pin, reads the SSM parameter as before, looks nothing up, and warns how to pin", async () => {
    const g = await recordSeed();
    assert.equal(ssmReads(g).length, 1);
    assert.deepEqual(amiLookups(g), []);
    assert.ok(g.recording.warnings.some((w) => /^hostImage is not set: the hosts boot AWS's newest ECS-optimized image, read from \/aws\/service\/ecs\/optimized-ami\/amazon-linux-2023\/recommended\/image_id at every deploy/.test(w)
      && /pulumi config set ecs-ec2-api:hostImage <image_name>/.test(w)), g.recording.warnings.join("\n"));
  });

  it("refuses a name built for another architecture before any resource, naming the key and the matching build", async () => {
    await assert.rejects(recordSeed({ hostImage: GRAVITON }), (e: ProgramError) => {
      assert.match(e.message, /ecs-ec2-api:hostImage = "al2023-ami-ecs-hvm-2023\.0\.20261113-kernel-6\.1-arm64" is not allowed: a release built for c5\.xlarge's architecture, x86_64/);
      assert.deepEqual(e.recording.resources.filter((r) => r.custom), []);
      return true;
    });
  });

  describe("the lookup's answer, judged (checkHostImage)", () => {
    const c = parseConfig({ hostImage: NEWER }, "eu-west-1", { rootDir: ROOT });

    it("refuses a pin with no such image where the stack deploys, naming the key, the architecture and the region", () => {
      assert.throws(() => checkHostImage(c, { found: false, message: "Your query returned no results." }), (e: ConfigError) => {
        assert.match(e.problems[0], /^ecs-ec2-api:hostImage = "al2023-ami-ecs-hvm-2023\.0\.20261113-kernel-6\.1-x86_64" is not allowed: no image of Amazon's named .* for x86_64 \(c5\.xlarge\) in eu-west-1 \(Your query returned no results\.\)/);
        return true;
      });
    });

    // EC2 DescribeImages leaves deprecated images out unless asked (IncludeDeprecated), and AWS deprecates old public AMIs.
    it("boots a deprecated image (the lookup includes them) and warns to bump the pin", () => {
      const fine = checkHostImage(c, { found: true, id: "ami-0aaaaaaaaaaaaaaaa", name: NEWER, deprecationTime: "" });
      assert.deepEqual(fine, { amiId: "ami-0aaaaaaaaaaaaaaaa", warnings: [] });
      const old = checkHostImage(c, { found: true, id: "ami-0aaaaaaaaaaaaaaaa", name: NEWER, deprecationTime: "2027-01-01T00:00:00.000Z" }, new Date("2027-02-01"));
      assert.match(old.warnings[0], /^hostImage al2023-.* \(ami-0aaaaaaaaaaaaaaaa\) was deprecated by AWS on 2027-01-01: it still launches, but bump the pin/);
    });
  });
});

describe("hostWarmPool: stopped, pre-initialized on-demand hosts", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ hostWarmPool: "2", maxSize: "10" });
  });

  // PutWarmPool (Amazon EC2 Auto Scaling API Reference): "Only when MaxGroupPreparedCapacity and MinSize are set to the
  // same value does the warm pool have an absolute size"; without MaxGroupPreparedCapacity it is maxSize - desired.
  it("keeps exactly n stopped hosts: pool state Stopped, minimum and prepared capacity both n", () => {
    assert.deepEqual(g.one(T.asg).inputs.warmPool, { poolState: "Stopped", minSize: 2, maxGroupPreparedCapacity: 2 });
  });

  // Amazon ECS Developer Guide, "Configuring pre-initialized instances for your Amazon ECS Auto Scaling group": for an
  // ECS group "you cannot set the option that returns instances to the warm pool on scale in (ReuseOnScaleIn)".
  it("sets no instance reuse policy: hosts leaving an ECS group terminate", () => {
    assert.equal(g.one(T.asg).inputs.warmPool.instanceReusePolicy, undefined);
  });

  // Same page: set ECS_WARM_POOLS_CHECK=true in the launch template's user data, so the agent registers a host only
  // when it enters service, not while it is prepared for the pool.
  it("tells the agent to wait for service (ECS_WARM_POOLS_CHECK=true in /etc/ecs/ecs.config)", () => {
    const script = userData(g.one(T.lt));
    assert.match(script, /<<'EOF'\n(?:[^\n]*\n)*ECS_WARM_POOLS_CHECK=true\n(?:[^\n]*\n)*EOF\n/);
  });

  it("without the key: no warm pool and no agent flag", async () => {
    const none = await recordSeed({ maxSize: "10" });
    assert.equal(none.one(T.asg).inputs.warmPool, undefined);
    assert.doesNotMatch(userData(none.one(T.lt)), /ECS_WARM_POOLS_CHECK/);
  });

  // PutWarmPool "cannot be called on an Auto Scaling group that has a mixed instances policy or a launch template ...
  // that requests Spot Instances" (Amazon EC2 Auto Scaling API Reference).
  it("with Spot hosts, keeps the warm pool on the on-demand group only, and the Spot hosts' user data without the flag", async () => {
    const spot = await recordSeed({ hostWarmPool: "1", maxSize: "10", spotInstanceTypes: JSON.stringify(["c5.xlarge", "c6i.xlarge"]) });
    const groups = spot.ofType(T.asg);
    assert.deepEqual(groups.map((a) => [a.name, a.inputs.warmPool?.minSize ?? 0]).sort(), [["api-hosts", 1], ["api-spot-hosts", 0]]);
    assert.ok(groups.find((a) => a.name === "api-spot-hosts")!.inputs.mixedInstancesPolicy, "the Spot group is the mixed-instances one");
    assert.doesNotMatch(userData(spot.ofType(T.lt).find((lt) => lt.name === "api-spot-hosts")!), /ECS_WARM_POOLS_CHECK/);
  });

  it("a Spot host pool refuses a warm pool (the component's contract)", async () => {
    const program = () => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      new HostPool("api", "spot-", {
        clusterName: pulumi.output("c"), spotTypes: ["c5.xlarge"], ami: "ami-0123456789abcdef0", profileArn: "arn", securityGroupId: "sg-1", subnetIds: ["subnet-1"],
        maxSize: 2, desiredCapacity: 0, warmPool: 1, launchAfter: [], groupAfter: [], alarmActions: [], tags: {},
      }, { parent });
    };
    await assert.rejects(runProgram(program, { stack: "t", config: { "aws:region": "us-east-1" } }), /a Spot pool cannot keep a warm pool/);
  });

  it("beside taskSpread zones: the group keeps one host per AZ running and the warm pool's n stopped beside them", async () => {
    const zones = await recordSeed({ hostWarmPool: "2", maxSize: "10", taskSpread: "zones", availabilityZones: "3" });
    const asg = zones.one(T.asg);
    assert.deepEqual([asg.inputs.minSize, asg.inputs.warmPool.minSize, asg.inputs.warmPool.maxGroupPreparedCapacity], [3, 2, 2]);
  });

  // Amazon EC2 User Guide, "Stop and start Amazon EC2 instances": a stopped instance is not charged for instance usage,
  // its EBS volumes are; https://aws.amazon.com/ebs/pricing/ prices gp3 per GB-month.
  it("costs the stopped hosts' root volumes only: n × 50 GiB of gp3, no instance-hours", async () => {
    const table = priceTable("us-east-1")!;
    const c = parseConfig({ hostWarmPool: "2", maxSize: "10" }, "us-east-1", { rootDir: ROOT });
    const e = estimateCost(c, g.resources, table);
    assert.ok(e.available);
    const line = e.lines.find((l) => l.item === "warm pool root volumes (gp3)")!;
    assert.deepEqual([line.quantity, line.unitUsd, line.monthlyUsd], [100, table.prices.ebsGp3GbMonth.usd, Math.round(100 * table.prices.ebsGp3GbMonth.usd * 100) / 100]);
    const without = estimateCost(parseConfig({ maxSize: "10" }, "us-east-1", { rootDir: ROOT }), g.resources, table);
    assert.ok(without.available);
    assert.equal(Math.round((e.monthlyUsd - without.monthlyUsd) * 100) / 100, line.monthlyUsd, "the warm pool adds its volumes and nothing else");
  });
});

describe("the offline plan of a pinned stack with a warm pool", () => {
  let report: any;
  before(async function () {
    this.timeout(60000);
    const r = await planFixture("small", "--json", "--config", `hostImage=${NEWER}`, "--config", "hostWarmPool=2");
    assert.equal(r.code, 0, r.err);
    report = JSON.parse(r.out);
  });

  it("shows the pinned image, the warm pool and what a host refresh takes in the hosts' settings", () => {
    const cluster = report.settings.cluster;
    assert.match(cluster.AMI, new RegExp(`^${NEWER.replace(/\./g, "\\.")} \\(pinned by hostImage: Amazon's image of that exact name, x86_64; release notes https://github\\.com/aws/amazon-ecs-ami/releases/tag/20261113\\)$`));
    assert.match(cluster["warm pool"], /^2 stopped on-demand hosts, pre-initialized/);
    assert.match(cluster["host refresh"], /replaces \d+ hosts? at the planned task counts \(up to \d+\) and the 2 in the warm pool by instance refresh/);
  });

  it("says what it took for granted offline: the pinned image exists (pulumi preview looks it up)", () => {
    assert.ok(report.warnings.some((w: string) => w.startsWith(`offline: hostImage ${NEWER} was taken to exist`)), report.warnings.join("\n"));
    assert.ok(!report.warnings.some((w: string) => w.startsWith("hostImage is not set")));
  });
});
