// Issue "The load-balanced service": the whole program under the mock engine, asserting the service's
// resources, their inputs and the dependency graph the engine would see, for the seed and each variant.
import assert from "node:assert/strict";
import { Graph } from "../../plan/mock-engine";
import { assertDependsOn, assertFedBy, fedBy, json, privateDefaultRoutes, recordSeed, subnetsByTier } from "../helpers";
import { T, service, td, container, httpListener, serviceSg, itKeepsTheWireLeastPrivilege } from "./service-fixtures";

describe("LoadBalancedService with the seed's values (web, nginx, 256 CPU / 512 MiB, port 80, 2 tasks)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed();
  });

  describe("the task definition", () => {
    it("is the family web, awsvpc, EC2 only, 256 CPU units and 512 MiB", () => {
      const t = td(g);
      assert.equal(t.inputs.family, "web");
      assert.equal(t.inputs.networkMode, "awsvpc");
      assert.deepEqual(t.inputs.requiresCompatibilities, ["EC2"]);
      assert.deepEqual([t.inputs.cpu, t.inputs.memory], ["256", "512"]);
    });

    it("starts tasks with the cluster's execution role", () => {
      const t = td(g);
      const [role] = g.depsOf(t, "executionRoleArn");
      assert.equal(role.type, T.role);
      assert.equal(g.byUrn.get(role.parent!)?.type, T.clusterComponent, "the execution role is the cluster's");
      assert.equal(t.inputs.executionRoleArn, role.outputs.arn);
    });

    it("gives the containers a task role of their own, not the execution role", () => {
      const t = td(g);
      const [execution] = g.depsOf(t, "executionRoleArn");
      const [task] = g.depsOf(t, "taskRoleArn");
      assert.equal(task.type, T.role);
      assert.notEqual(task.urn, execution.urn);
      assert.equal(t.inputs.taskRoleArn, task.outputs.arn);
      assert.notEqual(t.inputs.taskRoleArn, t.inputs.executionRoleArn);
      const trust = json(task.inputs.assumeRolePolicy).Statement[0];
      assert.deepEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
      assert.ok(trust.Condition?.StringEquals?.["aws:SourceAccount"], "the task role is guarded against the confused deputy too");
    });

    it("runs one container named web from imageUrl, mapping container and host port 80", () => {
      const c = container(g);
      assert.equal(c.name, "web");
      assert.equal(c.image, "public.ecr.aws/docker/library/nginx:latest");
      assert.deepEqual(c.portMappings.map((p: any) => [p.containerPort, p.hostPort]), [[80, 80]]);
    });

    it("logs through awslogs, non-blocking with a 25m buffer, stream prefix web, into the service's log group", () => {
      const { logDriver, options } = container(g).logConfiguration;
      const logGroup = g.one(T.logGroup, "web-logs");
      assert.equal(logDriver, "awslogs");
      assert.equal(options.mode, "non-blocking");
      assert.equal(options["max-buffer-size"], "25m");
      assert.equal(options["awslogs-stream-prefix"], "web");
      assert.ok(logGroup.outputs.name, "the log group has a name");
      assert.equal(options["awslogs-group"], logGroup.outputs.name);
      assert.equal(options["awslogs-region"], "us-east-1");
      // The task definition waits for the group, by input or by dependsOn: the agent does not create it.
      assertDependsOn(td(g), logGroup);
    });

    it("keeps the container logs 30 days", () => {
      assert.equal(g.one(T.logGroup, "web-logs").inputs.retentionInDays, 30);
    });
  });

  describe("the ECS service", () => {
    it("places tasks through the cluster's capacity provider, base 0 weight 1, never a launch type", () => {
      const s = service(g);
      const cp = g.one(T.cp);
      assert.deepEqual(s.inputs.capacityProviderStrategies, [{ capacityProvider: cp.outputs.name, base: 0, weight: 1 }]);
      assertFedBy(s, "capacityProviderStrategies", cp);
      assert.equal(s.inputs.launchType, undefined);
    });

    it("runs in the cluster with the task definition, 2 tasks", () => {
      const s = service(g);
      assert.equal(s.inputs.cluster, g.one(T.cluster).outputs.arn);
      assert.equal(s.inputs.taskDefinition, td(g).outputs.arn);
      assertFedBy(s, "taskDefinition", td(g));
      assert.equal(s.inputs.desiredCount, 2);
    });

    it("spreads tasks across AZs, then bin-packs on CPU", () => {
      assert.deepEqual(service(g).inputs.orderedPlacementStrategies, [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "cpu" },
      ]);
    });

    it("runs tasks in the private subnets only, without public IPs, in the service security group", () => {
      const s = service(g);
      const { publicSubnets, privateSubnets } = subnetsByTier(g);
      const net = s.inputs.networkConfiguration;
      assert.deepEqual(net.subnets, privateSubnets.map((x) => x.id));
      for (const p of publicSubnets) assert.ok(!net.subnets.includes(p.id), `public subnet ${p.name}`);
      assert.equal(net.assignPublicIp, false);
      assert.deepEqual(net.securityGroups, [serviceSg(g).id]);
      const fed = new Set(s.propertyDependencies.networkConfiguration);
      for (const p of privateSubnets) assert.ok(fed.has(p.urn), `${p.name} is not a dependency of the network configuration`);
      for (const p of publicSubnets) assert.ok(!fed.has(p.urn), `${p.name} feeds the network configuration`);
    });

    it("deploys up to 200 % and keeps at least 75 % healthy", () => {
      const s = service(g);
      assert.equal(s.inputs.deploymentMaximumPercent, 200);
      assert.ok(s.inputs.deploymentMinimumHealthyPercent >= 75, String(s.inputs.deploymentMinimumHealthyPercent));
    });

    it("registers container web on port 80 in the target group", () => {
      const s = service(g);
      const tg = g.one(T.tg);
      assert.deepEqual(s.inputs.loadBalancers, [{ targetGroupArn: tg.outputs.arn, containerName: "web", containerPort: 80 }]);
      assertFedBy(s, "loadBalancers", tg);
    });

    it("waits for the HTTP listener, the capacity-provider association and the private routes", () => {
      const s = service(g);
      const routes = privateDefaultRoutes(g);
      assert.equal(routes.length, 2);
      for (const needed of [httpListener(g), g.one(T.association), ...routes]) {
        assertDependsOn(s, needed);
      }
    });

    it("rolls a failing deployment back: circuit breaker, and alarms on target 5xx and unhealthy targets", () => {
      const s = service(g);
      assert.deepEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
      const alarms = g.ofType(T.alarm).filter((a) => fedBy(s, "alarms", a));
      assert.deepEqual(alarms.map((a) => a.inputs.metricName).sort(), ["HTTPCode_Target_5XX_Count", "UnHealthyHostCount"]);
      assert.deepEqual(s.inputs.alarms, { alarmNames: alarms.map((a) => a.outputs.name), enable: true, rollback: true });
      for (const a of alarms) {
        assert.deepEqual(a.inputs.dimensions, { LoadBalancer: g.one(T.alb).outputs.arnSuffix, TargetGroup: g.one(T.tg).outputs.arnSuffix }, a.name);
      }
    });

    it("gives new tasks 60 s before ALB health checks count and propagates tags to tasks", () => {
      const s = service(g);
      assert.equal(s.inputs.healthCheckGracePeriodSeconds, 60);
      assert.ok(["SERVICE", "TASK_DEFINITION"].includes(s.inputs.propagateTags), String(s.inputs.propagateTags));
    });

    it("has no ECS Exec and no SSM permissions on the task role", () => {
      assert.equal(service(g).inputs.enableExecuteCommand, false);
      assert.deepEqual(g.ofType(T.rolePolicy).filter((p) => String(p.inputs.policy).includes("ssmmessages")).map((p) => p.name), []);
    });

    it("keeps desiredCount under Pulumi's control without autoscaling", () => {
      const ignored = service(g).options.ignoreChanges;
      assert.ok(!ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
      assert.deepEqual(g.ofType(T.scalingTarget), []);
      assert.deepEqual(g.ofType(T.scalingPolicy), []);
    });
  });

  describe("the load balancer", () => {
    it("health-checks ip targets over HTTP on port 80 at / every 6 s (timeout 5, healthy 2, unhealthy 10), draining 30 s", () => {
      const tg = g.one(T.tg);
      assert.equal(tg.inputs.targetType, "ip");
      assert.equal(tg.inputs.protocol, "HTTP");
      assert.equal(tg.inputs.port, 80);
      assert.equal(tg.inputs.deregistrationDelay, 30);
      const hc = tg.inputs.healthCheck;
      assert.deepEqual([hc.path, hc.interval, hc.timeout, hc.healthyThreshold, hc.unhealthyThreshold], ["/", 6, 5, 2, 10]);
      assertFedBy(tg, "vpcId", g.one(T.vpc));
    });

    it("is internet-facing in the public subnets exactly", () => {
      const alb = g.one(T.alb);
      const { publicSubnets } = subnetsByTier(g);
      assert.equal(alb.inputs.internal, false);
      assert.equal(alb.inputs.loadBalancerType, "application");
      assert.equal(publicSubnets.length, 2);
      assert.deepEqual(alb.inputs.subnets, publicSubnets.map((s) => s.id));
      assert.deepEqual(new Set(alb.propertyDependencies.subnets), new Set(publicSubnets.map((s) => s.urn)));
    });

    it("times idle connections out after 30 s and drops invalid header fields", () => {
      const alb = g.one(T.alb);
      assert.equal(alb.inputs.idleTimeout, 30);
      assert.equal(alb.inputs.dropInvalidHeaderFields, true);
    });

    it("is not deletion-protected and writes no access logs by default", () => {
      const alb = g.one(T.alb);
      assert.equal(alb.inputs.enableDeletionProtection, false);
      assert.ok(!alb.inputs.accessLogs?.enabled, JSON.stringify(alb.inputs.accessLogs));
      assert.deepEqual(g.ofType(T.bucket), []);
    });

    it("listens for HTTP on 80 and forwards to the target group", () => {
      const l = httpListener(g);
      const tg = g.one(T.tg);
      assert.equal(l.inputs.protocol, "HTTP");
      assert.equal(l.inputs.loadBalancerArn, g.one(T.alb).outputs.arn);
      assert.deepEqual(l.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.outputs.arn }]);
      assertFedBy(l, "defaultActions", tg);
      assert.equal(g.ofType(T.listener).length, 1, "no HTTPS listener without a certificate");
    });

    it("exports an http:// URL to the ALB's DNS name", () => {
      assert.equal(g.recording.outputs.url, `http://${g.one(T.alb).outputs.dnsName}`);
    });
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, false);
  });
});

// --- variants ---

describe("LoadBalancedService with another name, image, port and size (api, httpd, 8080, 512 CPU / 1024 MiB, /health)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({
      serviceName: "api", imageUrl: "public.ecr.aws/docker/library/httpd:2.4", containerPort: "8080",
      containerCpu: "512", containerMemory: "1024", healthCheckPath: "/health",
    });
  });

  it("names the service, the task family, the container and the log stream prefix after serviceName", () => {
    assert.equal(service(g).inputs.name, "api");
    assert.equal(td(g).inputs.family, "api");
    assert.equal(container(g).name, "api");
    assert.equal(container(g).logConfiguration.options["awslogs-stream-prefix"], "api");
    assert.equal(service(g).inputs.loadBalancers[0].containerName, "api");
  });

  it("runs imageUrl with the configured CPU and memory", () => {
    assert.equal(container(g).image, "public.ecr.aws/docker/library/httpd:2.4");
    assert.deepEqual([td(g).inputs.cpu, td(g).inputs.memory], ["512", "1024"]);
  });

  it("maps, registers and health-checks the container port 8080 at /health", () => {
    assert.deepEqual(container(g).portMappings.map((p: any) => [p.containerPort, p.hostPort]), [[8080, 8080]]);
    assert.equal(service(g).inputs.loadBalancers[0].containerPort, 8080);
    const tg = g.one(T.tg);
    assert.equal(tg.inputs.port, 8080);
    assert.equal(tg.inputs.healthCheck.path, "/health");
  });

  it("still listens on 80 for clients", () => {
    assert.deepEqual(g.ofType(T.listener).map((l) => l.inputs.port), [80]);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, false, 8080);
  });
});

describe("LoadBalancedService with ECS Exec (ecsExec: true)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ ecsExec: "true" });
  });

  it("enables execute-command on the service", () => {
    assert.equal(service(g).inputs.enableExecuteCommand, true);
  });

  it("lets the task role, and only it, open the SSM message channels", () => {
    const [taskRole] = g.depsOf(td(g), "taskRoleArn");
    const policies = g.ofType(T.rolePolicy).filter((p) => String(p.inputs.policy).includes("ssmmessages"));
    assert.equal(policies.length, 1);
    assertFedBy(policies[0], "role", taskRole);
    const actions = json(policies[0].inputs.policy).Statement.flatMap((s: any) => [s.Action].flat());
    assert.deepEqual([...actions].sort(), [
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ]);
  });

  it("runs an init process in the container to reap the exec shells", () => {
    assert.equal(container(g).linuxParameters.initProcessEnabled, true);
  });
});
