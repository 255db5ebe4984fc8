import assert from "node:assert/strict";
import { Graph } from "../scripts/mock-engine";
import { parseStackConfig } from "../config";
import { ROOT, listStacks, readStackConfig } from "../scripts/stack-config";
import { recordStack } from "./helpers";

/** What each committed stack must come out as; a change to a stack file that breaks its intent fails here. */
const expected: Record<string, { azs: number; nats: number; https: boolean; autoscaling: boolean; accessLogs: boolean; deletionProtection: boolean }> = {
  dev: { azs: 2, nats: 1, https: false, autoscaling: false, accessLogs: false, deletionProtection: false },
  staging: { azs: 3, nats: 3, https: false, autoscaling: true, accessLogs: true, deletionProtection: false },
  prod: { azs: 3, nats: 3, https: true, autoscaling: true, accessLogs: true, deletionProtection: true },
};

describe("the whole program, for every committed stack", () => {
  it("has an expectation for every Pulumi.<stack>.yaml", () => {
    assert.deepEqual(listStacks(), Object.keys(expected).sort());
  });

  for (const [stack, want] of Object.entries(expected)) {
    describe(stack, () => {
      let g: Graph;
      before(async () => { g = await recordStack(stack); });

      it("composes network, cluster, edge and one component per service under the stack, every resource parented inside one", () => {
        const components = g.resources.filter((r) => !r.custom).map((r) => r.type).sort();
        const services = parseStackConfig(readStackConfig(stack), { rootDir: ROOT }).services.length;
        assert.deepEqual(components, [
          "ecs-ec2-api:ecs:Ec2Cluster", ...Array(services).fill("ecs-ec2-api:ecs:Service"), "ecs-ec2-api:edge:PublicEdge", "ecs-ec2-api:network:Network", "pulumi:pulumi:Stack",
        ]);
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
        assert.match(g.recording.outputs.url, want.https ? /^https:\/\/.+\.elb\.amazonaws\.com$/ : /^http:\/\/.+\.elb\.amazonaws\.com$/);
        for (const key of ["vpcId", "clusterName", "serviceName", "logGroupName", "autoScalingGroupName"]) assert.ok(g.recording.outputs[key], key);
      });

      it(`${want.autoscaling ? "scales" : "does not scale"} the service, ${want.accessLogs ? "keeps" : "skips"} access logs, ${want.deletionProtection ? "protects" : "does not protect"} the ALB`, () => {
        assert.equal(g.ofType("aws:appautoscaling/target:Target").length, want.autoscaling ? 1 : 0);
        assert.equal(g.ofType("aws:s3/bucket:Bucket").length, want.accessLogs ? 1 : 0);
        assert.equal(g.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, want.deletionProtection);
      });

      it("uses the stack's region and config everywhere it matters", () => {
        const region = readStackConfig(stack)["aws:region"];
        assert.equal(g.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs.serviceName, `com.amazonaws.${region}.s3`);
        const container = JSON.parse(g.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0];
        assert.equal(container.logConfiguration.options["awslogs-region"], region);
      });

      it("writes security group and rule descriptions only in the characters EC2 accepts", () => {
        const sgTypes = ["aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];
        for (const r of g.cloudResources.filter((x) => sgTypes.includes(x.type))) {
          // EC2's GroupDescription / rule Description alphabet: an apostrophe fails the real `up`.
          assert.match(String(r.inputs.description), /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/, `${r.name}: ${r.inputs.description}`);
        }
      });

      it("evaluates in preview too, where ids are not known yet", async () => {
        const preview = await recordStack(stack, {}, true);
        assert.equal(preview.resources.length, g.resources.length);
        assert.ok(preview.cloudResources.every((r) => r.id === undefined), "no id is known in preview");
      });
    });
  }
});
