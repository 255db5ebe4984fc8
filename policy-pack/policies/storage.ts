// Data at rest: encrypted EBS volumes on the hosts, and log groups that do not keep data forever (nor drop
// it before anyone can investigate).
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf, controls, exempted, flag, schema, validateTypes } from "./util";

const ebsSchema = schema();

export const ebsEncrypted: ResourceValidationPolicy = {
  name: "ebs-encrypted",
  // FSBP EC2.7 (EBS default encryption) is an account setting, outside a stack; EC2.3 is the per-volume control.
  ...controls(
    "EBS volumes declared by launch templates, launch configurations, instances and aws.ebs.Volume must be encrypted.",
    { fsbp: "EC2.3", checkov: "CKV_AWS_8, CKV_AWS_3" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: ebsSchema,
  validateResource: validateTypes([aws.ec2.LaunchTemplate, aws.ec2.LaunchConfiguration, aws.ec2.Instance, aws.ebs.Volume], ebsSchema, (args, report) => {
    const p = args.props;
    const need = (encrypted: unknown, what: string) => {
      if (flag(encrypted) !== true) report(`${what} is not encrypted; set encrypted to true (launch templates: "true")`);
    };
    if (args.isType(aws.ebs.Volume)) return need(p.encrypted, "the volume");
    if (args.isType(aws.ec2.LaunchTemplate)) {
      // A mapping without `ebs` is an instance-store volume or a `noDevice` suppression: nothing to encrypt.
      const volumes = [...(p.blockDeviceMappings ?? [])].filter((m) => m.ebs);
      if (volumes.length === 0) report("declares no EBS block device mapping, so the root volume's encryption is left to the AMI snapshot");
      for (const m of volumes) need(m.ebs.encrypted, `block device ${m.deviceName ?? "(unnamed)"}`);
      return;
    }
    // Instances and launch configurations: an absent rootBlockDevice leaves the root volume to the AMI's snapshot.
    need(p.rootBlockDevice?.encrypted, "the root block device");
    for (const d of p.ebsBlockDevices ?? []) if (d.noDevice !== true) need(d.encrypted, `EBS block device ${d.deviceName}`);
  }),
};

const retentionSchema = schema({
  minimumDays: {
    type: "integer",
    minimum: 1,
    default: 1,
    description: "Shortest allowed retention in days. FSBP CloudWatch.16 and Checkov CKV_AWS_338 use 365.",
  },
});

export const logRetentionSet: ResourceValidationPolicy = {
  name: "log-retention-set",
  ...controls(
    "CloudWatch log groups must set retentionInDays, at least the configured minimum (default 1 day).",
    { fsbp: "CloudWatch.16", checkov: "CKV_AWS_66, CKV_AWS_338" },
    "low",
  ),
  enforcementLevel: "mandatory",
  configSchema: retentionSchema,
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (lg, args, report) => {
    exempted(args, retentionSchema);
    const { minimumDays } = configOf<{ minimumDays: number }>(args, retentionSchema);
    const days = lg.retentionInDays;
    // 0 (or unset) means "never expire": logs, and their cost, grow forever.
    if (!days) report("retentionInDays is not set, so the logs never expire");
    else if (days < minimumDays) report(`retentionInDays is ${days}; keep logs at least ${minimumDays} days`);
  }),
};

export const storagePolicies = [ebsEncrypted, logRetentionSet];
