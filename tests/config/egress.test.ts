// Issue 28, item 5: outbound rules that EC2 takes as one. A security group rule is its protocol, port range
// and destination; the description is not part of it, and a second such rule fails the real up with
// InvalidPermission.Duplicate (EC2 API error codes; hashicorp/terraform-provider-aws
// internal/service/ec2/errors.go errCodeInvalidPermissionDuplicate). config/ refuses the duplicate, naming
// egressRules, the service or job and both entries, so no group ever gets two identical rules.
import assert from "node:assert/strict";
import { egressIdentity } from "../../config/containers";
import { BUILT_IN_HTTPS } from "../../lib/shapes";
import { configProblems, recordSeed } from "../helpers";

const problemsOf = configProblems;

const PG = { port: 5432, cidr: "vpc", description: "Postgres" };

describe("egress rules: no two rules EC2 takes as one on a group (InvalidPermission.Duplicate)", () => {
  it("identifies a rule by protocol, port range and destination, not by description; vpc as the VPC's block where known", () => {
    const rule = { protocol: "tcp" as const, fromPort: 5432, toPort: 5432, to: { vpc: true as const } };
    assert.equal(egressIdentity(rule, "10.0.0.0/16"), egressIdentity({ ...rule, to: { cidr: "10.0.0.0/16" } }));
    assert.notEqual(egressIdentity(rule), egressIdentity({ ...rule, protocol: "udp" }));
    assert.notEqual(egressIdentity(rule), egressIdentity({ ...rule, toPort: 5433 }));
    assert.equal(egressIdentity(BUILT_IN_HTTPS), "tcp 443-443 cidr 0.0.0.0/0");
  });

  it("refuses the built-in HTTPS rule written out (the default service), naming the key, the service and the entry", () => {
    const problems = problemsOf({ egressRules: JSON.stringify([{ port: 443, cidr: "0.0.0.0/0", description: "HTTPS" }]) });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^ecs-ec2-api:egressRules\[0\] = \{"port":443,"cidr":"0\.0\.0\.0\/0","description":"HTTPS"\} is not allowed \(service web\): it is the built-in HTTPS rule \(tcp 443 to 0\.0\.0\.0\/0\).*InvalidPermission\.Duplicate/);
  });

  it("refuses two entries of a services entry that differ only in description, naming both", () => {
    const v2 = { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: 10, sidecars: { otel: { imageUrl: "otel/collector:1" } }, egressRules: [PG, { ...PG, description: "Postgres again" }] };
    const problems = problemsOf({ services: JSON.stringify({ v2 }) });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^ecs-ec2-api:services\.v2\.egressRules\[1\] = \{.*"Postgres again"\} is not allowed \(service v2\): it is the rule of ecs-ec2-api:services\.v2\.egressRules\[0\] = \{.*"description":"Postgres"\} \(tcp 5432 to the VPC\), differing only in description/);
  });

  it("refuses, in a job, `vpc` beside the created VPC's block written out", () => {
    const job = { imageUrl: "busybox", schedule: "rate(1 hour)", egressRules: [{ port: 5432, cidr: "vpc" }, { port: 5432, cidr: "10.0.0.0/16" }] };
    const problems = problemsOf({ vpcCidr: "10.0.0.0/16", jobs: JSON.stringify({ nightly: job }) });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^ecs-ec2-api:jobs\.nightly\.egressRules\[1\] = .* is not allowed \(job nightly\): it is the rule of ecs-ec2-api:jobs\.nightly\.egressRules\[0\]/);
  });

  it("accepts rules that differ in protocol, ports or destination, and gives every group distinct rules", async () => {
    const rules = [PG, { ...PG, protocol: "udp" }, { port: 5432, cidr: "10.1.0.0/16" }, { fromPort: 5432, toPort: 5433, cidr: "vpc" }, { port: 443, protocol: "udp", cidr: "0.0.0.0/0" }];
    assert.deepEqual(problemsOf({ egressRules: JSON.stringify(rules) }), []);
    const g = await recordSeed({ egressRules: JSON.stringify(rules) });
    const byGroup = new Map<string, string[]>();
    for (const r of g.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")) {
      const to = r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId ?? r.inputs.prefixListId ?? r.propertyDependencies.referencedSecurityGroupId?.join();
      const group = (r.propertyDependencies.securityGroupId ?? []).join();
      byGroup.set(group, [...(byGroup.get(group) ?? []), `${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort} ${to}`]);
    }
    for (const [group, ids] of byGroup) assert.equal(new Set(ids).size, ids.length, `${group}: ${ids.join("; ")}`);
    assert.ok([...byGroup.values()].some((ids) => ids.length === rules.length + 1), "the service's group holds HTTPS and the five rules");
  });
});
