import assert from "node:assert/strict";
import { containerHostsNoPublicIp, ecsTasksNoPublicIp, securityGroupNoWorldOpenEgress, securityGroupNoWorldOpenPorts } from "../../policy-pack/policies";
import { UNKNOWN, resource, violations } from "./helpers";

const SERVICE = "aws:ecs/service:Service";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const INSTANCE = "aws:ec2/instance:Instance";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("ecs-tasks-no-public-ip", () => {
  it("accepts a service whose tasks get no public IP, and one without awsvpc networking", async () => {
    const found = await violations(ecsTasksNoPublicIp, [
      resource(SERVICE, "web", { networkConfiguration: { subnets: ["subnet-1"], assignPublicIp: false } }),
      resource(SERVICE, "bridge", { taskDefinition: "arn:task" }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects a service that assigns public IPs to its tasks, at up and in preview", async () => {
    const svc = (preview: boolean) => resource(SERVICE, "web", { networkConfiguration: { subnets: [preview ? UNKNOWN : "subnet-1"], assignPublicIp: true } }, { preview });
    for (const preview of [false, true]) {
      assert.match((await violations(ecsTasksNoPublicIp, [svc(preview)], { preview })).join(), /assignPublicIp is true/);
    }
  });

  it("reports 'cannot verify in preview' when assignPublicIp is unknown", async () => {
    const svc = resource(SERVICE, "web", { networkConfiguration: { subnets: [UNKNOWN], assignPublicIp: UNKNOWN } }, { preview: true });
    assert.deepEqual(await violations(ecsTasksNoPublicIp, [svc], { preview: true }), ["cannot verify in preview: networkConfiguration.assignPublicIp is unknown until the update"]);
  });
});

describe("ecs-tasks-no-public-ip on scheduled jobs (aws:scheduler/schedule:Schedule)", () => {
  const SCHEDULE = "aws:scheduler/schedule:Schedule";
  const job = (networkConfiguration: unknown, preview = false) =>
    resource(SCHEDULE, "report", { scheduleExpression: "rate(1 day)", target: { arn: "arn:cluster", roleArn: "arn:role", ecsParameters: { taskDefinitionArn: "arn:td", networkConfiguration } } }, { preview });

  it("accepts a schedule whose task gets no public IP, and one that runs no ECS task", async () => {
    const found = await violations(ecsTasksNoPublicIp, [
      job({ subnets: ["subnet-1"], assignPublicIp: false }),
      resource(SCHEDULE, "ping", { scheduleExpression: "rate(1 day)", target: { arn: "arn:aws:lambda:us-east-1:1:function:ping", roleArn: "arn:role" } }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects a schedule that assigns its task a public IP", async () => {
    assert.deepEqual(await violations(ecsTasksNoPublicIp, [job({ subnets: ["subnet-1"], assignPublicIp: true })]), [
      "target.ecsParameters.networkConfiguration.assignPublicIp is true, so every task gets a public IP; run tasks in private subnets behind the load balancer",
    ]);
  });

  it("reports 'cannot verify in preview' when assignPublicIp is unknown", async () => {
    const found = await violations(ecsTasksNoPublicIp, [job({ subnets: [UNKNOWN], assignPublicIp: UNKNOWN }, true)], { preview: true });
    assert.deepEqual(found, ["cannot verify in preview: target.ecsParameters.networkConfiguration.assignPublicIp is unknown until the update"]);
  });
});

describe("container-hosts-no-public-ip", () => {
  it("accepts hosts launched without public IPs (launch-template booleans are the strings \"true\"/\"false\")", async () => {
    const found = await violations(containerHostsNoPublicIp, [
      resource(LT, "hosts", { networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }] }),
      resource(LC, "legacy", { associatePublicIpAddress: false }),
      resource(INSTANCE, "box", {}),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects a launch template whose network interface associates a public IP (\"true\")", async () => {
    const found = await violations(containerHostsNoPublicIp, [resource(LT, "hosts", { networkInterfaces: [{ associatePublicIpAddress: "true" }] })]);
    assert.deepEqual(found, ["networkInterfaces[0].associatePublicIpAddress is true, so hosts get public IPs; launch them in private subnets"]);
  });

  it("rejects a launch configuration and an instance that associate public IPs", async () => {
    const found = await violations(containerHostsNoPublicIp, [resource(LC, "legacy", { associatePublicIpAddress: true }), resource(INSTANCE, "box", { associatePublicIpAddress: true })]);
    assert.equal(found.length, 2);
  });
});

describe("security-group-no-world-open-ports", () => {
  const ingress = (fromPort: number, toPort: number, protocol = "tcp", cidrBlocks = ["0.0.0.0/0"]) => ({ fromPort, toPort, protocol, cidrBlocks });

  it("accepts 80 and 443 from anywhere, and any port from inside the VPC or another security group", async () => {
    const found = await violations(securityGroupNoWorldOpenPorts, [
      resource(SG, "alb", { ingress: [ingress(80, 80), ingress(443, 443), { ...ingress(443, 443), cidrBlocks: undefined, ipv6CidrBlocks: ["::/0"] }] }),
      resource(SG, "tasks", { ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: ["sg-alb"] }, ingress(0, 65535, "tcp", ["10.0.0.0/16"])] }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects SSH from anywhere in an inline ingress rule", async () => {
    const found = await violations(securityGroupNoWorldOpenPorts, [resource(SG, "hosts", { ingress: [ingress(22, 22)] })]);
    assert.deepEqual(found, ["admits tcp port 22 from 0.0.0.0/0; only 80, 443 may be open to the internet"]);
  });

  it("rejects every protocol (-1) from anywhere, whatever the ports", async () => {
    const found = await violations(securityGroupNoWorldOpenPorts, [resource(SG, "open", { ingress: [ingress(0, 0, "-1")] })]);
    assert.deepEqual(found, ["admits every protocol and port from 0.0.0.0/0"]);
  });

  it("rejects a port range from anywhere in an aws.ec2.SecurityGroupRule, and ignores egress rules", async () => {
    const found = await violations(securityGroupNoWorldOpenPorts, [
      resource(SG_RULE, "wide", { type: "ingress", ...ingress(0, 65535), securityGroupId: "sg-1" }),
      resource(SG_RULE, "out", { type: "egress", ...ingress(0, 0, "-1"), securityGroupId: "sg-1" }),
    ]);
    assert.deepEqual(found, ["admits tcp ports 0-65535 from 0.0.0.0/0; only 80, 443 may be open to the internet"]);
  });

  it("rejects an aws.vpc.SecurityGroupIngressRule that opens a database port to ::/0", async () => {
    const found = await violations(securityGroupNoWorldOpenPorts, [resource(SG_INGRESS, "db", { cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, securityGroupId: "sg-1" })]);
    assert.deepEqual(found, ["admits tcp port 5432 from ::/0; only 80, 443 may be open to the internet"]);
  });

  it("takes the allowed ports from config (an HTTPS-only stack closes 80)", async () => {
    const alb = resource(SG, "alb", { ingress: [ingress(80, 80)] });
    const config = { "security-group-no-world-open-ports": { allowedPorts: [443] } };
    assert.deepEqual(await violations(securityGroupNoWorldOpenPorts, [alb], { config }), ["admits tcp port 80 from 0.0.0.0/0; only 443 may be open to the internet"]);
  });
});

describe("security-group-no-world-open-egress", () => {
  const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

  it("accepts HTTPS to the internet and anything to narrower destinations", async () => {
    const found = await violations(securityGroupNoWorldOpenEgress, [
      resource(SG_EGRESS, "https-out", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
      resource(SG_EGRESS, "postgres", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16" }),
      resource(SG_EGRESS, "to-group", { ipProtocol: "-1", referencedSecurityGroupId: "sg-0123456789abcdef0" }),
      resource(SG, "inline", { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects other ports, ranges and all protocols to 0.0.0.0/0 or ::/0, for each rule type", async () => {
    const found = await violations(securityGroupNoWorldOpenEgress, [
      resource(SG_EGRESS, "smtp", { ipProtocol: "tcp", fromPort: 25, toPort: 25, cidrIpv4: "0.0.0.0/0" }),
      resource(SG_RULE, "all", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
      resource(SG, "inline", { egress: [{ protocol: "udp", fromPort: 1000, toPort: 2000, ipv6CidrBlocks: ["::/0"] }] }),
    ]);
    assert.deepEqual(found, [
      "sends tcp port 25 to 0.0.0.0/0; only 443 may go to the whole internet (narrow the destination, or allow the port in the pack config)",
      "sends every protocol and port to 0.0.0.0/0",
      "sends udp ports 1000-2000 to ::/0; only 443 may go to the whole internet (narrow the destination, or allow the port in the pack config)",
    ]);
  });

  it("allows the ports the pack config lists", async () => {
    const rule = resource(SG_EGRESS, "smtp", { ipProtocol: "tcp", fromPort: 25, toPort: 25, cidrIpv4: "0.0.0.0/0" });
    assert.deepEqual(await violations(securityGroupNoWorldOpenEgress, [rule], { config: { "security-group-no-world-open-egress": { allowedPorts: [25, 443] } } }), []);
  });
});
