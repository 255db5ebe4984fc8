// taskSpread: a service's tasks survive a lost host or AZ (zones: hosts kept in every AZ, tasks spread over
// the AZs first; hosts: also no two tasks of a service on one host), or pack onto the fewest hosts (binpack).
import assert from "node:assert/strict";
import { parseConfig, survives } from "../../config";
import { ROOT } from "../../config/stack-files";
import { estimateCost } from "../../plan/cost";
import { configProblems, fixtureSpec, planFixture, recordFixture } from "../helpers";

const ASG = "aws:autoscaling/group:Group";
const SERVICE = "aws:ecs/service:Service";
const problemsOf = configProblems;

describe("taskSpread", () => {
  it("binpack (the default) keeps no host and places tasks anywhere", async () => {
    const g = await recordFixture("shaped");
    assert.equal(g.one(ASG).inputs.minSize, 0);
    for (const s of g.ofType(SERVICE)) assert.equal(s.inputs.placementConstraints, undefined, s.name);
  });

  // Amazon ECS Developer Guide, "Amazon ECS task placement strategies": spread by
  // attribute:ecs.availability-zone places tasks evenly over the AZs of the registered hosts; ECS managed
  // scaling never sets the group below its minimum size ("Amazon ECS capacity provider managed scaling").
  it("zones keeps a host in every AZ (the group's minimum, its first desired count) with tasks spread over AZs first", async () => {
    const g = await recordFixture("shaped", { taskSpread: "zones" });
    const azs = fixtureSpec("shaped").availabilityZones;
    const asg = g.one(ASG);
    assert.equal(asg.inputs.minSize, azs);
    assert.ok(asg.inputs.desiredCapacity >= azs, "the group refuses a desired count below its minimum");
    for (const s of g.ofType(SERVICE)) {
      assert.deepEqual(s.inputs.orderedPlacementStrategies[0], { type: "spread", field: "attribute:ecs.availability-zone" }, s.name);
      assert.equal(s.inputs.placementConstraints, undefined, s.name);
    }
  });

  // Amazon ECS Developer Guide, "Amazon ECS task placement constraints": distinctInstance places each task
  // on a different container instance.
  it("hosts also places no two tasks of a service on one host (distinctInstance)", async () => {
    const g = await recordFixture("shaped", { taskSpread: "hosts", maxSize: "12" });
    for (const s of g.ofType(SERVICE)) assert.deepEqual(s.inputs.placementConstraints, [{ type: "distinctInstance" }], s.name);
  });

  it("refuses an unknown spread, and hosts that cannot be one per AZ, naming taskSpread", () => {
    assert.match(problemsOf({ taskSpread: "azs" })[0], /^ecs-ec2-api:taskSpread = "azs" is not allowed: one of binpack, zones, hosts$/);
    assert.match(problemsOf({ taskSpread: "zones", availabilityZones: "3", maxSize: "2", desiredCount: "2" }).join("\n"), /taskSpread = "zones" is not allowed: binpack, or maxSize \(2\) of at least 3/);
  });

  it("with hosts, counts one task of a service per host in the placement check", () => {
    const found = problemsOf({ taskSpread: "hosts", instanceType: "c6i.xlarge", maxSize: "3", desiredCount: "4", availabilityZones: "2" });
    assert.match(found.join("\n"), /desiredCount = "4" is not allowed: at most 3: taskSpread hosts places one task of web per host, so maxSize \(3\) hosts hold 3/);
  });

  it("warns about a service that runs one task: no spread keeps it through a lost host", () => {
    const c = parseConfig({ taskSpread: "zones", desiredCount: "1" }, "us-east-1", { rootDir: ROOT });
    assert.ok(c.warnings.some((w) => /taskSpread zones: service web runs as few as 1 task/.test(w)), c.warnings.join("\n"));
  });

  it("states what each service survives", () => {
    assert.equal(survives("zones", 3, 3), "loses one AZ: keeps 2 of 3 tasks");
    assert.equal(survives("hosts", 4, 2), "loses a host: keeps 3 of 4 tasks; loses one AZ: keeps 2 of 4 tasks");
    assert.match(survives("binpack", 3, 3), /^not assured: binpack may place all 3 tasks on one host/);
    assert.match(survives("zones", 1, 3), /^runs 1 task: a lost host stops it/);
  });

  it("the plan shows the spread and what each service survives, and prices the hosts kept", async () => {
    const { code, out } = await planFixture("shaped", "--config", "taskSpread=zones");
    assert.equal(code, 0, out);
    assert.match(out, /\n {4}spread +zones: at least 3 on-demand hosts, one per AZ; tasks spread over the AZs first\n/);
    assert.match(out, /\n {4}survives +loses one AZ: keeps 2 of 3 tasks\n/);
    const kept = fixtureSpec("shaped");
    const zones = { ...kept, taskSpread: "zones" as const, minHosts: kept.availabilityZones };
    const g = await recordFixture("shaped", { taskSpread: "zones" }, true);
    const e = estimateCost(zones, g.resources);
    assert.ok(e.available && e.hosts.planned >= kept.availabilityZones, "at least one host per AZ is paid for");
  });
});
