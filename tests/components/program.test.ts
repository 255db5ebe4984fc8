import assert from "node:assert/strict";
import { Graph } from "../../plan/mock-engine";
import { parseStackConfig } from "../../config";
import { ROOT, listStacks } from "../../config/stack-files";
import { FIXTURES, filledIn, fixtureConfig, fixtureSpec, recordFixture } from "../helpers";

/** What each fixture stack must come out as, computed from its own config (tests/fixtures/stacks/). */
interface Expected { azs: number; nats: number; instanceType: string; maxSize: number; https: boolean; domainName?: string; autoscaling: boolean; accessLogs: boolean; flowLogs: boolean; deletionProtection: boolean; logRetentionDays: number; waf: boolean; alarmEmail: boolean; spread: boolean; warmPool: number; boundary?: string; pinnedImage: boolean }
function expectedOf(stack: string): Expected {
  const c = parseStackConfig(filledIn(fixtureConfig(stack)), { rootDir: ROOT });
  return {
    azs: c.availabilityZones, nats: c.natGateways === "single" ? 1 : c.availabilityZones, instanceType: c.instanceType, maxSize: c.maxSize,
    https: c.https, domainName: c.domainName, autoscaling: !!c.services[0].autoscaling, accessLogs: c.accessLogs, flowLogs: c.flowLogs,
    deletionProtection: c.deletionProtection, logRetentionDays: c.logRetentionDays, waf: !!c.waf, alarmEmail: !!c.alarmEmail,
    spread: c.taskSpread !== "binpack", warmPool: c.warmPool, boundary: c.permissionsBoundaryArn, pinnedImage: !!c.hostImage,
  };
}
const expected = Object.fromEntries(listStacks(FIXTURES).map((stack) => [stack, expectedOf(stack)]));

describe("the whole program, for every fixture stack", () => {
  for (const [stack, want] of Object.entries(expected)) {
    describe(stack, () => {
      let g: Graph;
      before(async () => { g = await recordFixture(stack); });

      it("composes network, cluster (with its host pool), edge, one component per service and per work queue, the dashboard (and alerts) under the stack, every resource parented inside one", () => {
        const components = g.resources.filter((r) => !r.custom).map((r) => r.type).sort();
        const c = fixtureSpec(stack);
        assert.deepEqual(components, [
          "ecs-ec2-api:ecs:Ec2Cluster", "ecs-ec2-api:ecs:HostPool", ...Array(c.services.length).fill("ecs-ec2-api:ecs:Service"), "ecs-ec2-api:edge:PublicEdge", "ecs-ec2-api:network:Network",
          ...Array(c.services.filter((s) => s.queue).length).fill("ecs-ec2-api:messaging:WorkQueue"),
          ...(c.alarmEmail || c.alarmTopicArn ? ["ecs-ec2-api:observability:Alerts"] : []), "ecs-ec2-api:observability:Dashboard", "pulumi:pulumi:Stack",
        ].sort());
        const stackUrn = g.one("pulumi:pulumi:Stack").urn;
        for (const r of g.cloudResources) assert.notEqual(r.parent, stackUrn, `${r.name} sits directly under the stack`);
      });

      it(`spans ${want.azs} AZs with ${want.nats} NAT gateway(s)`, () => {
        assert.equal(g.ofType("aws:ec2/subnet:Subnet").length, 2 * want.azs);
        assert.equal(g.ofType("aws:ec2/natGateway:NatGateway").length, want.nats);
      });

      it(`serves ${want.https ? "HTTPS with an HTTP redirect" : "HTTP"} and exports the URL`, () => {
        const ports = g.ofType("aws:lb/listener:Listener").map((l) => l.inputs.port).sort();
        assert.deepEqual(ports, want.https ? [443, 80] : [80]);
        // The team's own domain when it has one, else the load balancer's DNS name.
        if (want.domainName) assert.equal(g.recording.outputs.url, `https://${want.domainName}`);
        else assert.match(g.recording.outputs.url, want.https ? /^https:\/\/.+\.elb\.amazonaws\.com$/ : /^http:\/\/.+\.elb\.amazonaws\.com$/);
        for (const key of ["vpcId", "clusterName", "serviceName", "logGroupName", "autoScalingGroupName"]) assert.ok(g.recording.outputs[key], key);
      });

      it(`${want.autoscaling ? "scales" : "does not scale"} the default service, ${want.accessLogs ? "keeps" : "skips"} access logs, ${want.flowLogs ? "keeps" : "skips"} flow logs, ${want.deletionProtection ? "protects" : "does not protect"} the ALB`, () => {
        const [web] = fixtureSpec(stack).services;
        const main = g.named(`${web.name}-service`, "aws:ecs/service:Service");
        assert.equal(g.ofType("aws:appautoscaling/target:Target").some((t) => t.parent === main.urn), want.autoscaling);
        assert.equal(g.ofType("aws:s3/bucket:Bucket").length, want.accessLogs ? 1 : 0);
        assert.equal(g.ofType("aws:ec2/flowLog:FlowLog").length, want.flowLogs ? 1 : 0);
        assert.equal(g.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, want.deletionProtection);
      });

      it(`${want.waf ? "puts" : "does not put"} a web ACL in front, and ${want.alarmEmail ? "emails" : "emails nobody"} the alarms`, () => {
        assert.equal(g.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").length, want.waf ? 1 : 0);
        assert.equal(g.ofType("aws:sns/topicSubscription:TopicSubscription").length, want.alarmEmail ? 1 : 0);
      });

      it(`runs ${want.instanceType} hosts, at most ${want.maxSize}, and keeps logs ${want.logRetentionDays} days`, () => {
        assert.equal(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, want.instanceType);
        assert.equal(g.one("aws:autoscaling/group:Group").inputs.maxSize, want.maxSize);
        for (const group of g.ofType("aws:cloudwatch/logGroup:LogGroup")) assert.equal(group.inputs.retentionInDays, want.logRetentionDays, group.name);
      });

      it(`keeps ${want.spread ? "a host in each AZ" : "no host it does not need"}, ${want.warmPool} stopped host(s) warm, ${want.pinnedImage ? "a pinned image" : "AWS's newest image"}, ${want.boundary ? "every role under the permissions boundary" : "no permissions boundary"}`, () => {
        const group = g.one("aws:autoscaling/group:Group");
        assert.equal(group.inputs.minSize, want.spread ? want.azs : 0);
        assert.equal(group.inputs.warmPool?.minSize ?? 0, want.warmPool);
        // A pinned image is looked up by its exact name (aws.ec2.getAmi); else AWS's recommended one is read from SSM.
        const read = g.recording.invokes.map((i) => i.token);
        assert.equal(read.includes("aws:ec2/getAmi:getAmi"), want.pinnedImage);
        assert.equal(read.includes("aws:ssm/getParameter:getParameter"), !want.pinnedImage);
        for (const role of g.ofType("aws:iam/role:Role")) assert.equal(role.inputs.permissionsBoundary, want.boundary, role.name);
      });

      it("pulls each service's image from a private registry with that service's credentials, read by its own execution role only", () => {
        for (const svc of fixtureSpec(stack).services) {
          const [container] = JSON.parse(g.one("aws:ecs/taskDefinition:TaskDefinition", `${svc.name}-task`).inputs.containerDefinitions);
          const arn = svc.registryCredentials?.valueFrom;
          assert.deepEqual(container.repositoryCredentials, arn ? { credentialsParameter: arn } : undefined, svc.name);
          const reads = g.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => arn && p.inputs.policy?.includes(arn)).map((p) => p.name);
          assert.deepEqual(reads, arn ? [`${svc.name}-secrets`] : [], svc.name);
        }
      });

      it("uses the stack's region and config everywhere it matters", () => {
        const region = fixtureConfig(stack)["aws:region"];
        assert.equal(g.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs.serviceName, `com.amazonaws.${region}.s3`);
        for (const td of g.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
          const container = JSON.parse(td.inputs.containerDefinitions)[0];
          assert.equal(container.logConfiguration.options["awslogs-region"], region, td.name);
        }
      });

      it("writes security group and rule descriptions only in the characters EC2 accepts", () => {
        const sgTypes = ["aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];
        for (const r of g.cloudResources.filter((x) => sgTypes.includes(x.type))) {
          // EC2's GroupDescription / rule Description alphabet: an apostrophe fails the real `up`.
          assert.match(String(r.inputs.description), /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/, `${r.name}: ${r.inputs.description}`);
        }
      });

      it("evaluates in preview too, where ids are not known yet", async () => {
        const preview = await recordFixture(stack, {}, true);
        assert.equal(preview.resources.length, g.resources.length);
        assert.ok(preview.cloudResources.every((r) => r.id === undefined), "no id is known in preview");
      });
    });
  }
});
