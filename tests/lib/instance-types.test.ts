import assert from "node:assert/strict";
import { INSTANCE_TYPES, schedulable, tasksPerInstance } from "../../lib/instance-types";

describe("instance-type table and task capacity (pure)", () => {
  it("covers the families the program promises, large..4xlarge, x86 and Graviton", () => {
    for (const family of ["c5", "c6i", "c7i", "m5", "m6i", "m7i", "r6i", "c6g", "c7g", "m6g", "m7g"]) {
      for (const size of ["large", "xlarge", "2xlarge", "4xlarge"]) assert.ok(INSTANCE_TYPES[`${family}.${size}`], `${family}.${size}`);
    }
    for (const family of ["t3", "t4g"]) {
      for (const size of ["large", "xlarge", "2xlarge"]) assert.ok(INSTANCE_TYPES[`${family}.${size}`], `${family}.${size}`);
    }
    assert.equal(INSTANCE_TYPES["c7g.large"].arch, "arm64");
    assert.equal(INSTANCE_TYPES["c5.xlarge"].arch, "x86_64");
  });

  it("knows the seed's c5.xlarge: 4 vCPUs, 8 GiB, 4 ENIs, 20 trunked tasks", () => {
    assert.deepEqual(INSTANCE_TYPES["c5.xlarge"], { vcpus: 4, memoryGiB: 8, maxEnis: 4, trunkTaskLimit: 20, arch: "x86_64" });
  });

  it("gives burstable types no trunk limit (they cannot trunk)", () => {
    assert.equal(INSTANCE_TYPES["t3.medium"].trunkTaskLimit, undefined);
    assert.equal(INSTANCE_TYPES["t4g.large"].trunkTaskLimit, undefined);
  });

  // Issue 28, item 10. Interfaces: Amazon EC2 Instance Types guide, "Network specifications" (gp.html,
  // co.html, mo.html); trunk task limits: Amazon ECS Developer Guide, "Elastic network interface trunking",
  // "Supported Amazon EC2 instance types" (container-instance-eni.html), whose tables list c6a, m6a, r6a and
  // the Graviton c6g, c7g, m6g, m7g at 2/10, 3/20, 3/40 and 7/60 tasks without/with trunking from large to
  // 4xlarge, and no T family.
  const PUBLISHED: [string, number, number, number][] = [
    // size, vCPUs, interfaces, trunked tasks
    ["large", 2, 3, 10], ["xlarge", 4, 4, 20], ["2xlarge", 8, 4, 40], ["4xlarge", 16, 8, 60],
  ];
  for (const [family, gibPerVcpu, arch] of [["c6a", 2, "x86_64"], ["m6a", 4, "x86_64"], ["r6a", 8, "x86_64"], ["c6g", 2, "arm64"], ["c7g", 2, "arm64"], ["m6g", 4, "arm64"], ["m7g", 4, "arm64"]] as const) {
    it(`knows ${family} large..4xlarge as published: vCPUs, ${gibPerVcpu} GiB per vCPU, interfaces and trunk task limit`, () => {
      for (const [size, vcpus, enis, trunk] of PUBLISHED) {
        assert.deepEqual(INSTANCE_TYPES[`${family}.${size}`], { vcpus, memoryGiB: vcpus * gibPerVcpu, maxEnis: enis, trunkTaskLimit: trunk, arch }, `${family}.${size}`);
        // The ECS table's limit without trunking is the interfaces less the host's own.
        assert.equal(tasksPerInstance(INSTANCE_TYPES[`${family}.${size}`], 128, 64, false).perInstance, enis - 1, `${family}.${size}`);
      }
    });
  }

  it("knows t3a small..2xlarge: burstable (no trunking), and the small size with 2 interfaces, one fewer than t3's", () => {
    const published: [string, number, number, number][] = [["small", 2, 2, 2], ["medium", 2, 4, 3], ["large", 2, 8, 3], ["xlarge", 4, 16, 4], ["2xlarge", 8, 32, 4]];
    for (const [size, vcpus, memoryGiB, maxEnis] of published) {
      assert.deepEqual(INSTANCE_TYPES[`t3a.${size}`], { vcpus, memoryGiB, maxEnis, arch: "x86_64" }, `t3a.${size}`);
    }
    assert.equal(INSTANCE_TYPES["t3.small"].maxEnis, 3);
  });

  it("leaves ECS the memory after the kernel share and the reserve", () => {
    // 8 GiB * 0.94 = 7700 MiB, less the 256 MiB ECS_RESERVED_MEMORY
    assert.deepEqual(schedulable(INSTANCE_TYPES["c5.xlarge"]), { cpu: 4096, memoryMiB: 7444 });
  });

  const cases: [string, number, number, boolean, number, string][] = [
    // type, cpu, memory, trunking, tasks, limited by
    ["c5.xlarge", 256, 512, false, 3, "enis"], // the DESIGN's example: 4 ENIs, the host keeps one
    ["c5.xlarge", 256, 512, true, 14, "memory"], // trunking lifts the ENI limit to 20; memory binds at 14
    ["c5.xlarge", 256, 256, true, 16, "cpu"],
    ["c5.xlarge", 2048, 512, false, 2, "cpu"],
    ["c5.large", 256, 2048, false, 1, "memory"],
    ["m5.4xlarge", 256, 512, false, 7, "enis"],
    ["m5.4xlarge", 256, 512, true, 60, "enis"],
    ["t3.medium", 256, 512, true, 2, "enis"], // no trunking on burstables, even when asked
  ];
  for (const [type, cpu, mem, trunk, tasks, by] of cases) {
    it(`fits ${tasks} tasks of ${cpu} CPU / ${mem} MiB on a ${type}${trunk ? " with trunking" : ""} (limited by ${by})`, () => {
      assert.deepEqual(tasksPerInstance(INSTANCE_TYPES[type], cpu, mem, trunk), { perInstance: tasks, limitedBy: by });
    });
  }
});
