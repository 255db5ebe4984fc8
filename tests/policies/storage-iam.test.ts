import assert from "node:assert/strict";
import { ebsEncrypted, logRetentionSet, noIamStarStar } from "../../policy-pack/policies";
import { resource, verdict, violations } from "./helpers";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME = "aws:ebs/volume:Volume";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("ebs-encrypted", () => {
  it("accepts encrypted volumes (launch templates say \"true\", the rest say true)", async () => {
    const found = await violations(ebsEncrypted, [
      resource(LT, "hosts", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true" } }, { deviceName: "/dev/sdb", noDevice: "" }] }),
      resource(INSTANCE, "box", { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
      resource(LC, "legacy", { rootBlockDevice: { encrypted: true } }),
      resource(VOLUME, "data", { availabilityZone: "us-east-1a", size: 10, encrypted: true }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects unencrypted volumes of each kind", async () => {
    const v = await verdict(ebsEncrypted, [
      resource(LT, "hosts", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }),
      resource(LT, "bare", {}),
      resource(INSTANCE, "box", {}),
      resource(LC, "legacy", { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] }),
      resource(VOLUME, "data", { availabilityZone: "us-east-1a", size: 10 }),
    ]);
    assert.deepEqual(
      v.violations.map((x) => `${x.resourceName}: ${x.message}`),
      [
        'hosts: block device /dev/xvda is not encrypted; set encrypted to true (launch templates: "true")',
        "bare: declares no EBS block device mapping, so the root volume's encryption is left to the AMI snapshot",
        'box: the root block device is not encrypted; set encrypted to true (launch templates: "true")',
        'legacy: EBS block device /dev/sdf is not encrypted; set encrypted to true (launch templates: "true")',
        'data: the volume is not encrypted; set encrypted to true (launch templates: "true")',
      ],
    );
  });
});

describe("log-retention-set", () => {
  it("accepts a log group with a retention period", async () => {
    assert.deepEqual(await violations(logRetentionSet, [resource(LOG_GROUP, "web", { retentionInDays: 30 })]), []);
  });

  it("rejects a log group that keeps logs forever", async () => {
    assert.deepEqual(await violations(logRetentionSet, [resource(LOG_GROUP, "web", {}), resource(LOG_GROUP, "zero", { retentionInDays: 0 })]), [
      "retentionInDays is not set, so the logs never expire",
      "retentionInDays is not set, so the logs never expire",
    ]);
  });

  it("rejects a retention shorter than the configured minimum (prod asks for 365 days)", async () => {
    const config = { "log-retention-set": { minimumDays: 365 } };
    assert.deepEqual(await violations(logRetentionSet, [resource(LOG_GROUP, "web", { retentionInDays: 30 })], { config }), ["retentionInDays is 30; keep logs at least 365 days"]);
  });
});

describe("no-iam-star-star", () => {
  const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

  it("accepts scoped statements, a Deny of everything, and wildcards on one side only", async () => {
    const found = await violations(noIamStarStar, [
      resource("aws:iam/rolePolicy:RolePolicy", "logs", { role: "r", policy: doc({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:*:*:*" }) }),
      resource("aws:iam/policy:Policy", "deny", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }),
      resource("aws:iam/policy:Policy", "describe", { policy: doc({ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }) }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects Action \"*\" on Resource \"*\" in a JSON string, an object document and a list", async () => {
    const v = await verdict(noIamStarStar, [
      resource("aws:iam/policy:Policy", "admin", { policy: doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }) }),
      resource("aws:iam/userPolicy:UserPolicy", "user", { user: "u", policy: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*:*", Resource: "*" } } }),
      resource("aws:iam/groupPolicy:GroupPolicy", "group", { group: "g", policy: doc({ Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["arn:aws:s3:::b/*", "*"] }) }),
    ]);
    assert.deepEqual(v.violations.map((x) => `${x.resourceName}: ${x.message.split(" allows")[0]}`), ["admin: statement All", "user: statement 0", "group: statement 0"]);
  });
});
