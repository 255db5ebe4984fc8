// The mission's "tasks (and hosts) only in private subnets": stack policies over a real resource graph,
// recorded from a tiny Pulumi program in preview (ids unknown: links followed through propertyDependencies)
// and as `up` (ids known: links also matched by id).
import assert from "node:assert/strict";
import { containerHostsPrivate, ecsTasksPrivateSubnets } from "../../policy-pack/policies";
import { UNKNOWN, recordMiniStack, recording, resource, violations } from "./helpers";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  rt: "aws:ec2/routeTable:RouteTable",
  assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  igw: "aws:ec2/internetGateway:InternetGateway",
  service: "aws:ecs/service:Service",
};

for (const preview of [true, false]) {
  const mode = preview ? "in preview (unknown ids)" : "at up (known ids)";

  describe(`ecs-tasks-private-subnets ${mode}`, () => {
    it("accepts a service whose subnet routes 0.0.0.0/0 only to a NAT gateway", async () => {
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "private" }, preview)), []);
    });

    it("rejects a service whose subnet maps public IPs on launch", async () => {
      const found = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "public" }, preview));
      assert.equal(found.length, 1);
      assert.match(found[0], /^web runs tasks in subnet public, which maps a public IP .*mapPublicIpOnLaunch/);
    });

    it("rejects a service whose subnet routes 0.0.0.0/0 to an internet gateway (inline route)", async () => {
      const found = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "routed" }, preview));
      assert.deepEqual(found, ["web runs tasks in subnet routed, which routes 0.0.0.0/0 to internet gateway gateway (route table routed-rt, inline route)"]);
    });

    it("rejects a service whose subnet routes ::/0 to an internet gateway (aws.ec2.Route)", async () => {
      const found = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "ipv6" }, preview));
      assert.deepEqual(found, ["web runs tasks in subnet ipv6, which routes ::/0 to internet gateway gateway (route table ipv6-rt, route ipv6-default)"]);
    });

    it("rejects a route to an internet gateway given by a literal igw- id", async () => {
      const found = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "foreignIgw" }, preview));
      assert.match(found.join("\n"), /subnet foreign, which routes 0\.0\.0\.0\/0 to internet gateway igw-0123456789abcdef0/);
    });

    it("reports a subnet without a route table association as unprovable, unless the main table is trusted or managed", async () => {
      const orphan = await recordMiniStack({ tasks: "orphan" }, preview);
      assert.match((await violations(ecsTasksPrivateSubnets, orphan)).join("\n"), /subnet orphan, which has no route table association.*: cannot prove private/);
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, orphan, { config: { "ecs-tasks-private-subnets": { assumeMainRouteTablePrivate: true } } }), []);
      // With a MainRouteTableAssociation the main table is the (private) NAT table, so privacy is proven.
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, await recordMiniStack({ tasks: "orphan", mainTable: true }, preview)), []);
    });

    it("reports a subnet id of another stack as unprovable, unless listed in externalPrivateSubnetIds", async () => {
      const rec = await recordMiniStack({ taskSubnetIds: ["subnet-0aaa1111bbb22222c"] }, preview);
      assert.match((await violations(ecsTasksPrivateSubnets, rec)).join("\n"), /subnet "subnet-0aaa1111bbb22222c", which is not managed in this stack.*cannot prove private/);
      const config = { "ecs-tasks-private-subnets": { externalPrivateSubnetIds: ["subnet-0aaa1111bbb22222c"] } };
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, rec, { config }), []);
    });

    it("rejects a service in a subnet of another stack listed in externalPublicSubnetIds (an existing VPC's load balancer subnet)", async () => {
      const rec = await recordMiniStack({ taskSubnetIds: ["subnet-0aaa1111bbb22222c", "subnet-0ddd3333eee44444f"] }, preview);
      const config = { "ecs-tasks-private-subnets": { externalPrivateSubnetIds: ["subnet-0aaa1111bbb22222c"], externalPublicSubnetIds: ["subnet-0ddd3333eee44444f"] } };
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, rec, { config }), [
        'web runs tasks in subnet "subnet-0ddd3333eee44444f", which is public (externalPublicSubnetIds: a subnet of the existing VPC\'s load balancer)',
      ]);
    });

    it("accepts a scheduled job whose task runs in a private subnet (target.ecsParameters.networkConfiguration)", async () => {
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, await recordMiniStack({ job: "private" }, preview)), []);
    });

    it("rejects a scheduled job whose task runs in a public subnet", async () => {
      const found = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ job: "public" }, preview));
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0], /^report runs tasks in subnet public, which maps a public IP .*mapPublicIpOnLaunch/);
    });

    it("skips a service named in exemptResources", async () => {
      const rec = await recordMiniStack({ tasks: "public" }, preview);
      assert.deepEqual(await violations(ecsTasksPrivateSubnets, rec, { config: { "ecs-tasks-private-subnets": { exemptResources: ["web"] } } }), []);
    });
  });

  describe(`container-hosts-private ${mode}`, () => {
    it("accepts an Auto Scaling group in private subnets", async () => {
      assert.deepEqual(await violations(containerHostsPrivate, await recordMiniStack({ hosts: "private" }, preview)), []);
    });

    it("rejects an Auto Scaling group whose subnet routes 0.0.0.0/0 to an internet gateway", async () => {
      const found = await violations(containerHostsPrivate, await recordMiniStack({ hosts: "routed" }, preview));
      assert.deepEqual(found, ["hosts launches hosts in subnet routed, which routes 0.0.0.0/0 to internet gateway gateway (route table routed-rt, inline route)"]);
    });

    it("rejects an Auto Scaling group without vpcZoneIdentifiers (the default VPC's public subnets)", async () => {
      const found = await violations(containerHostsPrivate, await recordMiniStack({ hosts: "none" }, preview));
      assert.deepEqual(found, ["hosts sets no vpcZoneIdentifiers, so it launches in the default VPC's public subnets"]);
    });
  });
}

describe("ecs-tasks-private-subnets: preview and up differ only where ids matter", () => {
  it("matches a literal subnet id to the subnet resource at up, and cannot in preview", async () => {
    // "routed-id" is the mock provider's id for subnet "routed": known only once the update has run.
    const taskSubnetIds = ["routed-id"];
    const atUp = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ taskSubnetIds }, false));
    assert.deepEqual(atUp, ["web runs tasks in subnet routed, which routes 0.0.0.0/0 to internet gateway gateway (route table routed-rt, inline route)"]);
    const inPreview = await violations(ecsTasksPrivateSubnets, await recordMiniStack({ taskSubnetIds }, true));
    assert.match(inPreview.join("\n"), /subnet "routed-id", which is not managed in this stack/);
  });

  it("follows association, route table and gateway by id when no dependency links them (values looked up, not passed)", async () => {
    // As at `up` after data-source lookups: every link is a literal id; none flowed through propertyDependencies.
    const rec = recording([
      resource(T.igw, "igw", {}, { id: "gw-1" }),
      resource(T.subnet, "tasks", { cidrBlock: "10.0.0.0/24" }, { id: "subnet-1" }),
      resource(T.rt, "rt", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "gw-1" }] }, { id: "rtb-1" }),
      resource(T.assoc, "assoc", { subnetId: "subnet-1", routeTableId: "rtb-1" }, { id: "rtbassoc-1" }),
      resource(T.service, "web", { networkConfiguration: { subnets: ["subnet-1"], assignPublicIp: false } }),
    ]);
    assert.deepEqual(await violations(ecsTasksPrivateSubnets, rec), ["web runs tasks in subnet tasks, which routes 0.0.0.0/0 to internet gateway igw (route table rt, inline route)"]);
  });

  it("cannot prove privacy in preview when the subnet ids come from a resource that is not a subnet", async () => {
    const vpc = resource("awsx:ec2:Vpc", "shared", {}, { custom: false, preview: true });
    const svc = resource(T.service, "web", { networkConfiguration: { subnets: [UNKNOWN], assignPublicIp: false } }, {
      preview: true,
      propertyDependencies: { networkConfiguration: [vpc.urn] },
    });
    const found = await violations(ecsTasksPrivateSubnets, recording([vpc, svc], true));
    assert.deepEqual(found, [`web runs tasks in subnets taken from awsx:ec2:Vpc shared, which is not an ${T.subnet} this policy can inspect: cannot prove private`]);
  });

  it("cannot prove privacy when the default route's gateway is unknown and comes from no resource", async () => {
    const subnet = resource(T.subnet, "tasks", { cidrBlock: "10.0.0.0/24" }, { preview: true });
    const rt = resource(T.rt, "rt", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }] }, { preview: true });
    const assoc = resource(T.assoc, "assoc", { subnetId: UNKNOWN, routeTableId: UNKNOWN }, {
      preview: true,
      propertyDependencies: { subnetId: [subnet.urn], routeTableId: [rt.urn] },
    });
    const svc = resource(T.service, "web", { networkConfiguration: { subnets: [UNKNOWN] } }, { preview: true, propertyDependencies: { networkConfiguration: [subnet.urn] } });
    const found = await violations(ecsTasksPrivateSubnets, recording([subnet, rt, assoc, svc], true));
    assert.deepEqual(found, ["web runs tasks in subnet tasks, which has a default route whose gateway is unknown until the update (route table rt, inline route): cannot prove private"]);
  });

  it("is not applicable to a stack without ECS services", async () => {
    const v = await violations(ecsTasksPrivateSubnets, [resource(T.subnet, "s", { mapPublicIpOnLaunch: true })]);
    assert.deepEqual(v, []);
  });
});
