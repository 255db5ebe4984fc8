// Issue "EC2 capacity: the Ec2Cluster component": the whole program under the mock engine, asserting the
// cluster's resources, their inputs and the dependency graph the engine would see.
import assert from "node:assert/strict";
import { ACCOUNT_ID, Graph, MOCK_AMI, RecordedResource } from "../../plan/mock-engine";
import { assertDependsOn, assertFedBy, fedBy, json, privateDefaultRoutes, recordSeed, subnetsByTier } from "../helpers";

const T = {
  component: "ecs-ec2-api:ecs:Ec2Cluster",
  cluster: "aws:ecs/cluster:Cluster",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  cp: "aws:ecs/capacityProvider:CapacityProvider",
  association: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  subnet: "aws:ec2/subnet:Subnet",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  service: "aws:ecs/service:Service",
  accountSetting: "aws:ecs/accountSettingDefault:AccountSettingDefault",
};

const DEFAULT_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
const AL2_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id";
const POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

interface Recorded {
  g: Graph;
  /** SSM parameter names the program read (aws:ssm/getParameter invokes). */
  ssmParameters: string[];
}

/** Records the seed (with overrides) and the SSM parameters it reads. */
async function record(overrides: Record<string, string> = {}): Promise<Recorded> {
  const g = await recordSeed(overrides);
  return { g, ssmParameters: g.recording.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter").map((i) => i.args.name) };
}

/** A resource of `type` that is a child of the Ec2Cluster component or of one of its children. */
function clusterChild(g: Graph, type: string, suffix: string): RecordedResource {
  const component = g.one(T.component);
  const under = (r: RecordedResource): boolean => r.parent === component.urn || (!!r.parent && !!g.byUrn.get(r.parent) && under(g.byUrn.get(r.parent)!));
  const found = g.ofType(type).filter((r) => r.name.endsWith(suffix) && under(r));
  assert.equal(found.length, 1, `expected one ${type} *${suffix} under the cluster, found ${found.map((r) => r.name).join(", ")}`);
  return found[0];
}

const userDataOf = (g: Graph): string => Buffer.from(String(g.one(T.lt).inputs.userData), "base64").toString("utf8");

/** Attachments of `policyArn` to `role`, following the attachment's `role` input to the role resource. */
const attachmentsOf = (g: Graph, role: RecordedResource, policyArn: string) =>
  g.ofType(T.attachment).filter((a) => fedBy(a, "role", role) && a.inputs.role === role.outputs.name && a.inputs.policyArn === policyArn);

describe("Ec2Cluster with the seed's values (c5.xlarge, 0..100 hosts, AL2023 ECS AMI)", () => {
  let g: Graph;
  let ssmParameters: string[];
  before(async () => {
    ({ g, ssmParameters } = await record());
  });

  describe("the ECS cluster", () => {
    it("turns on Container Insights", () => {
      assert.deepEqual(g.one(T.cluster).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
    });

    it("belongs to the Ec2Cluster component with the association; the launch template, group and capacity provider to its host pool", () => {
      const component = g.one(T.component);
      for (const type of [T.cluster, T.association]) assert.equal(g.one(type).parent, component.urn, `${type} is a direct child of the component`);
      const pool = g.one("ecs-ec2-api:ecs:HostPool");
      assert.equal(pool.parent, component.urn, "the host pool is the cluster's");
      for (const type of [T.lt, T.asg, T.cp]) assert.equal(g.one(type).parent, pool.urn, `${type} is a direct child of the host pool`);
    });

    it("keeps the host pool's resources where deployed stacks have them: an alias to their place under the cluster", () => {
      const component = g.one(T.component);
      for (const type of [T.lt, T.asg, T.cp]) assert.deepEqual(g.one(type).aliases, [{ parentUrn: component.urn }], type);
    });
  });

  describe("the launch template", () => {
    it("boots the ECS-optimized AMI read from the ecsAmiParameter SSM parameter (AL2023 by default)", () => {
      assert.deepEqual(ssmParameters, [DEFAULT_AMI_PARAMETER]);
      assert.equal(g.one(T.lt).inputs.imageId, MOCK_AMI);
    });

    it("launches the seed's instance type c5.xlarge", () => {
      assert.equal(g.one(T.lt).inputs.instanceType, "c5.xlarge");
    });

    it("gives hosts the instance profile of the EC2 role, by ARN from the profile resource", () => {
      const lt = g.one(T.lt);
      const profile = g.one(T.profile);
      assert.deepEqual(lt.inputs.iamInstanceProfile, { arn: profile.outputs.arn });
      assert.deepEqual(g.depsOf(lt, "iamInstanceProfile").map((r) => r.urn), [profile.urn]);
      const hostRole = clusterChild(g, T.role, "host-role");
      assertFedBy(profile, "role", hostRole);
      assert.equal(profile.inputs.role, hostRole.outputs.name);
    });

    it("attaches the host security group and only that one", () => {
      const lt = g.one(T.lt);
      const hostSg = clusterChild(g, T.sg, "host-sg");
      assert.deepEqual(lt.inputs.vpcSecurityGroupIds, [hostSg.id]);
      assert.deepEqual(g.depsOf(lt, "vpcSecurityGroupIds").map((r) => r.urn), [hostSg.urn]);
    });

    it("gives hosts no public IP address through a network interface", () => {
      const lt = g.one(T.lt);
      const nis: any[] = lt.inputs.networkInterfaces ?? [];
      assert.ok(nis.every((ni) => ni.associatePublicIpAddress === undefined || String(ni.associatePublicIpAddress) === "false"),
        `networkInterfaces: ${JSON.stringify(nis)}`);
    });

    it("writes ECS_CLUSTER=<the cluster's name> and ECS_AWSVPC_BLOCK_IMDS=true into the ECS agent config", () => {
      const cluster = g.one(T.cluster);
      const script = userDataOf(g);
      assert.match(script, /^#!\/bin\/bash\n/);
      assert.match(script, /cat >> \/etc\/ecs\/ecs\.config <<'EOF'\n/);
      const configLines = script.split("\n");
      assert.ok(cluster.outputs.name, "the mock cluster has a name");
      assert.ok(configLines.includes(`ECS_CLUSTER=${cluster.outputs.name}`), script);
      assert.ok(configLines.includes("ECS_AWSVPC_BLOCK_IMDS=true"), script);
      assertFedBy(g.one(T.lt), "userData", cluster);
    });

    it("boots from an encrypted 50 GiB gp3 root volume on /dev/xvda", () => {
      const mappings: any[] = g.one(T.lt).inputs.blockDeviceMappings;
      assert.equal(mappings.length, 1);
      assert.equal(mappings[0].deviceName, "/dev/xvda");
      assert.equal(mappings[0].ebs.volumeType, "gp3");
      assert.equal(mappings[0].ebs.volumeSize, 50);
      assert.equal(String(mappings[0].ebs.encrypted), "true");
    });

    it("requires IMDSv2 tokens with a hop limit of 1 or 2", () => {
      const m = g.one(T.lt).inputs.metadataOptions;
      assert.equal(m.httpTokens, "required");
      assert.notEqual(m.httpEndpoint, "disabled", "the ECS agent needs the metadata service");
      assert.ok([1, 2].includes(Number(m.httpPutResponseHopLimit)), `hop limit ${m.httpPutResponseHopLimit}`);
    });

    it("is created only after the host role's ECS policy is attached, so the first hosts can register", () => {
      const lt = g.one(T.lt);
      const [ecsPolicy] = attachmentsOf(g, clusterChild(g, T.role, "host-role"), POLICY("service-role/AmazonEC2ContainerServiceforEC2Role"));
      assertDependsOn(lt, ecsPolicy);
    });
  });

  describe("the host security group", () => {
    it("has no ingress rule at all, inline or separate, targeting it", () => {
      const hostSg = clusterChild(g, T.sg, "host-sg");
      assert.equal((hostSg.inputs.ingress ?? []).length, 0);
      const targeting = [...g.ofType(T.ingress), ...g.ofType(T.sgRule).filter((r) => r.inputs.type === "ingress")]
        .filter((r) => r.inputs.securityGroupId === hostSg.id || fedBy(r, "securityGroupId", hostSg));
      assert.deepEqual(targeting.map((r) => r.name), []);
      assert.ok(g.ofType(T.ingress).length > 0, "the program does have ingress rules (on the ALB and service groups)");
    });

    it("lets hosts out on TCP 443 only", () => {
      const hostSg = clusterChild(g, T.sg, "host-sg");
      assert.equal((hostSg.inputs.egress ?? []).length, 0, "no inline egress");
      const egress = [...g.ofType(T.egress), ...g.ofType(T.sgRule).filter((r) => r.inputs.type === "egress")]
        .filter((r) => r.inputs.securityGroupId === hostSg.id || fedBy(r, "securityGroupId", hostSg));
      assert.ok(egress.length >= 1, "hosts need HTTPS out to reach ECS, ECR and CloudWatch");
      for (const rule of egress) {
        assert.deepEqual([rule.inputs.ipProtocol ?? rule.inputs.protocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 443, 443], rule.name);
      }
    });
  });

  describe("the Auto Scaling group", () => {
    it("runs hosts in the private subnets only", () => {
      const asg = g.one(T.asg);
      const { publicSubnets, privateSubnets } = subnetsByTier(g);
      assert.equal(privateSubnets.length, 2);
      assert.deepEqual(asg.inputs.vpcZoneIdentifiers, privateSubnets.map((s) => s.id));
      for (const s of publicSubnets) assert.ok(!asg.inputs.vpcZoneIdentifiers.includes(s.id), `public subnet ${s.name} in the group`);
      for (const s of privateSubnets) assert.equal(s.inputs.mapPublicIpOnLaunch, false, `${s.name} maps public IPs`);
    });

    it("takes its subnets from the private subnet resources (propertyDependencies)", () => {
      const asg = g.one(T.asg);
      const { privateSubnets } = subnetsByTier(g);
      assert.deepEqual(new Set(asg.propertyDependencies.vpcZoneIdentifiers), new Set(privateSubnets.map((s) => s.urn)));
    });

    it("scales between 0 and 100 hosts and starts with 0", () => {
      const asg = g.one(T.asg);
      assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity], [0, 100, 0]);
    });

    it("launches the launch template's latest version, by id", () => {
      const asg = g.one(T.asg);
      const lt = g.one(T.lt);
      assert.equal(asg.inputs.launchTemplate.id, lt.id);
      assert.equal(String(asg.inputs.launchTemplate.version), String(lt.outputs.latestVersion));
      assert.notEqual(asg.inputs.launchTemplate.version, "$Latest", "an exact version makes a new one an update of the group");
      assertFedBy(asg, "launchTemplate", lt);
    });

    it("protects new hosts from scale-in and force-deletes protected hosts on destroy (no Lambda needed)", () => {
      const asg = g.one(T.asg);
      assert.equal(asg.inputs.protectFromScaleIn, true);
      assert.equal(asg.inputs.forceDelete, true);
    });

    it("declares the AmazonECSManaged tag, so updates do not strip what the capacity provider added", () => {
      const tags: any[] = g.one(T.asg).inputs.tags;
      const managed = tags.filter((t) => t.key === "AmazonECSManaged");
      assert.equal(managed.length, 1, JSON.stringify(tags));
      assert.equal(managed[0].propagateAtLaunch, true);
    });

    it("leaves the desired count to the capacity provider after creation (ignoreChanges)", () => {
      const ignored = g.one(T.asg).options.ignoreChanges;
      assert.ok(ignored.includes("desiredCapacity"), `ignoreChanges: ${JSON.stringify(ignored)}`);
    });

    it("rolls new launch template versions out with a rolling instance refresh that also replaces protected hosts", () => {
      const refresh = g.one(T.asg).inputs.instanceRefresh;
      assert.equal(refresh.strategy, "Rolling");
      assert.equal(refresh.preferences.scaleInProtectedInstances, "Refresh");
    });

    it("starts hosts only after the private subnets' routes through the NAT gateways exist", () => {
      const asg = g.one(T.asg);
      const routes = privateDefaultRoutes(g);
      assert.equal(routes.length, 2);
      for (const route of routes) assertDependsOn(asg, route);
    });
  });

  describe("the capacity provider and its association", () => {
    it("manages the group's scaling: ENABLED, target 100 %, steps of 1..100 hosts, 60 s warm-up", () => {
      assert.deepEqual(g.one(T.cp).inputs.autoScalingGroupProvider.managedScaling, {
        status: "ENABLED", targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 100, instanceWarmupPeriod: 60,
      });
    });

    it("turns on managed termination protection and managed draining", () => {
      const provider = g.one(T.cp).inputs.autoScalingGroupProvider;
      assert.equal(provider.managedTerminationProtection, "ENABLED");
      assert.equal(provider.managedDraining, "ENABLED");
    });

    it("references the Auto Scaling group by ARN", () => {
      const cp = g.one(T.cp);
      const asg = g.one(T.asg);
      assert.equal(cp.inputs.autoScalingGroupProvider.autoScalingGroupArn, asg.outputs.arn);
      assertFedBy(cp, "autoScalingGroupProvider", asg);
    });

    it("associates the capacity provider with the cluster as the default strategy, base 0 weight 1", () => {
      const association = g.one(T.association);
      const cp = g.one(T.cp);
      const cluster = g.one(T.cluster);
      assert.equal(association.inputs.clusterName, cluster.outputs.name);
      assert.deepEqual(association.inputs.capacityProviders, [cp.outputs.name]);
      assert.deepEqual(association.inputs.defaultCapacityProviderStrategies, [{ capacityProvider: cp.outputs.name, base: 0, weight: 1 }]);
      assertFedBy(association, "defaultCapacityProviderStrategies", cp);
      assertFedBy(association, "clusterName", cluster);
    });
  });

  describe("the roles", () => {
    it("lets EC2 assume the host role, which carries AmazonEC2ContainerServiceforEC2Role", () => {
      const hostRole = clusterChild(g, T.role, "host-role");
      const trust = json(hostRole.inputs.assumeRolePolicy);
      assert.deepEqual(trust.Statement.map((s: any) => [s.Effect, s.Principal, s.Action]), [["Allow", { Service: "ec2.amazonaws.com" }, "sts:AssumeRole"]]);
      assert.equal(attachmentsOf(g, hostRole, POLICY("service-role/AmazonEC2ContainerServiceforEC2Role")).length, 1);
    });

    it("lets only ECS tasks of this account and region assume the execution role (aws:SourceAccount, aws:SourceArn)", () => {
      const trust = json(clusterChild(g, T.role, "execution-role").inputs.assumeRolePolicy);
      assert.equal(trust.Statement.length, 1);
      const [s] = trust.Statement;
      assert.deepEqual([s.Effect, s.Principal, s.Action], ["Allow", { Service: "ecs-tasks.amazonaws.com" }, "sts:AssumeRole"]);
      assert.equal(s.Condition.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
      assert.equal(s.Condition.ArnLike["aws:SourceArn"], `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:*`);
    });

    it("attaches AmazonECSTaskExecutionRolePolicy to the execution role", () => {
      const executionRole = clusterChild(g, T.role, "execution-role");
      assert.equal(attachmentsOf(g, executionRole, POLICY("service-role/AmazonECSTaskExecutionRolePolicy")).length, 1);
    });

    it("is the execution role the service's task definition runs with", () => {
      const executionRole = clusterChild(g, T.role, "execution-role");
      const td = g.one("aws:ecs/taskDefinition:TaskDefinition");
      assert.equal(td.inputs.executionRoleArn, executionRole.outputs.arn);
      assertFedBy(td, "executionRoleArn", executionRole);
    });
  });

  describe("teardown order: pulumi destroy deletes service -> association -> capacity provider -> group -> launch template -> cluster", () => {
    const edge = (from: string, to: string, why: string) =>
      it(why, () => {
        const a = g.one(from);
        const b = g.one(to);
        assertDependsOn(a, b);
      });
    edge(T.service, T.association, "the service depends on the capacity-provider association (deleted before it)");
    edge(T.association, T.cp, "the association depends on the capacity provider");
    edge(T.cp, T.asg, "the capacity provider depends on the Auto Scaling group");
    edge(T.asg, T.lt, "the Auto Scaling group depends on the launch template");
    edge(T.lt, T.cluster, "the launch template depends on the cluster (its user data names it)");

    it("so the service transitively depends on the cluster and the cluster on none of them", () => {
      assert.ok(g.dependsOn(g.one(T.service), g.one(T.cluster)), "the service does not depend on the cluster, even transitively");
      for (const type of [T.service, T.association, T.cp, T.asg, T.lt]) {
        assert.ok(!g.dependsOn(g.one(T.cluster), g.one(type)), `the cluster depends on ${type}: a cycle`);
      }
    });
  });

  describe("optional features, off by default", () => {
    it("does not touch the account's ENI trunking setting", () => {
      assert.deepEqual(g.ofType(T.accountSetting).map((r) => r.name), []);
    });

    it("gives hosts no Session Manager policy and no SSM agent setup", () => {
      assert.deepEqual(g.ofType(T.attachment).filter((a) => String(a.inputs.policyArn).endsWith("/AmazonSSMManagedInstanceCore")).map((a) => a.name), []);
      assert.doesNotMatch(userDataOf(g), /amazon-ssm-agent/);
    });
  });
});

describe("Ec2Cluster with another AMI parameter, instance type and group bounds", () => {
  let g: Graph;
  let ssmParameters: string[];
  before(async () => {
    ({ g, ssmParameters } = await record({ ecsAmiParameter: AL2_AMI_PARAMETER, instanceType: "m5.large", maxSize: "10", desiredCapacity: "1" }));
  });

  it("reads the AMI from the configured SSM parameter", () => {
    assert.deepEqual(ssmParameters, [AL2_AMI_PARAMETER]);
    assert.equal(g.one(T.lt).inputs.imageId, MOCK_AMI);
  });

  it("launches the configured instance type", () => {
    assert.equal(g.one(T.lt).inputs.instanceType, "m5.large");
  });

  it("takes maxSize and the initial desiredCapacity from config, keeping min 0", () => {
    const asg = g.one(T.asg);
    assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity], [0, 10, 1]);
  });
});

describe("Ec2Cluster with ENI trunking (eniTrunking: true on a c5.xlarge)", () => {
  let g: Graph;
  before(async () => {
    ({ g } = await record({ eniTrunking: "true", instanceType: "c5.xlarge" }));
  });

  it("turns on awsvpcTrunking for the account and keeps it on when the stack is destroyed", () => {
    const setting = g.one(T.accountSetting);
    assert.deepEqual([setting.inputs.name, setting.inputs.value], ["awsvpcTrunking", "enabled"]);
    assert.equal(setting.options.retainOnDelete, true);
  });

  it("launches hosts only after trunking is on (it applies to instances launched afterwards)", () => {
    assertDependsOn(g.one(T.asg), g.one(T.accountSetting));
  });
});

describe("Ec2Cluster with Session Manager for hosts (hostSessionManager: true)", () => {
  let g: Graph;
  before(async () => {
    ({ g } = await record({ hostSessionManager: "true" }));
  });

  it("attaches AmazonSSMManagedInstanceCore to the host role", () => {
    const hostRole = clusterChild(g, T.role, "host-role");
    assert.equal(attachmentsOf(g, hostRole, POLICY("AmazonSSMManagedInstanceCore")).length, 1);
    assert.equal(attachmentsOf(g, clusterChild(g, T.role, "execution-role"), POLICY("AmazonSSMManagedInstanceCore")).length, 0);
  });

  it("creates the launch template after the SSM policy is attached", () => {
    const [ssm] = attachmentsOf(g, clusterChild(g, T.role, "host-role"), POLICY("AmazonSSMManagedInstanceCore"));
    assertDependsOn(g.one(T.lt), ssm);
  });

  it("installs and starts the SSM agent in the user data, after the ECS config", () => {
    const script = userDataOf(g);
    assert.match(script, /^systemctl enable --now amazon-ssm-agent$/m);
    assert.ok(script.indexOf("amazon-ssm-agent") > script.indexOf("ECS_CLUSTER="), script);
    assert.ok(script.split("\n").includes(`ECS_CLUSTER=${g.one(T.cluster).outputs.name}`), script);
  });

  it("still opens no inbound port on the hosts", () => {
    const hostSg = clusterChild(g, T.sg, "host-sg");
    const targeting = [...g.ofType(T.ingress), ...g.ofType(T.sgRule)].filter((r) => fedBy(r, "securityGroupId", hostSg) && r.inputs.type !== "egress");
    assert.deepEqual(targeting.map((r) => r.name), []);
  });
});
