/**
 * The EC2 instance types this program can size tasks for, and the task-capacity arithmetic.
 *
 * Figures are AWS's published ones: vCPUs and memory (EC2 instance types pages), maximum network
 * interfaces (Amazon EC2 Instance Types guide, "Network specifications" of the general purpose, compute
 * optimized and memory optimized pages, https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html,
 * co.html, mo.html; the same counts are in aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go,
 * generated from EC2 DescribeInstanceTypes), and the awsvpc task limit with ENI trunking (Amazon ECS
 * Developer Guide, "Elastic network interface trunking", section "Supported Amazon EC2 instance types",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html: the same 10, 20,
 * 40 and 60 from large to 4xlarge for c5, c6i, m5, m6i, r6i, the AMD c6a, m6a, r6a and the Graviton c6g,
 * c7g, m6g, m7g). Burstable t3, t3a and t4g do not support trunking (no T family is in that list), so they
 * carry no trunk limit.
 */

export interface InstanceTypeInfo {
  /** vCPUs; ECS registers 1024 CPU units per vCPU. */
  vcpus: number;
  /** Memory in GiB as sold. */
  memoryGiB: number;
  /** Maximum network interfaces; the primary one belongs to the host. */
  maxEnis: number;
  /** awsvpc tasks per instance when ENI trunking is on; undefined when the type cannot trunk. */
  trunkTaskLimit?: number;
  /** CPU architecture, which decides the image platform and the ECS-optimized AMI. */
  arch: "x86_64" | "arm64";
}

/** The non-burstable sizes: vCPUs, ENIs and trunk task limit are the same across these families. */
const SIZES: Record<string, { vcpus: number; enis: number; trunk: number }> = {
  large: { vcpus: 2, enis: 3, trunk: 10 },
  xlarge: { vcpus: 4, enis: 4, trunk: 20 },
  "2xlarge": { vcpus: 8, enis: 4, trunk: 40 },
  "4xlarge": { vcpus: 16, enis: 8, trunk: 60 },
};

/** One row per size of each family; `gibPerVcpu` is 2 for c, 4 for m, 8 for r families. */
function family(names: string[], gibPerVcpu: number, arch: InstanceTypeInfo["arch"]): Record<string, InstanceTypeInfo> {
  const out: Record<string, InstanceTypeInfo> = {};
  for (const f of names) {
    for (const [size, s] of Object.entries(SIZES)) {
      out[`${f}.${size}`] = { vcpus: s.vcpus, memoryGiB: s.vcpus * gibPerVcpu, maxEnis: s.enis, trunkTaskLimit: s.trunk, arch };
    }
  }
  return out;
}

/**
 * Burstable families: 2 vCPUs up to large, no ENI trunking. `smallEnis`: the small size's interfaces (3 for
 * t3 and t4g; 2 for t3a, whose small size has one fewer).
 */
function burstable(f: string, arch: InstanceTypeInfo["arch"], smallEnis = 3): Record<string, InstanceTypeInfo> {
  return {
    [`${f}.small`]: { vcpus: 2, memoryGiB: 2, maxEnis: smallEnis, arch },
    [`${f}.medium`]: { vcpus: 2, memoryGiB: 4, maxEnis: 3, arch },
    [`${f}.large`]: { vcpus: 2, memoryGiB: 8, maxEnis: 3, arch },
    [`${f}.xlarge`]: { vcpus: 4, memoryGiB: 16, maxEnis: 4, arch },
    [`${f}.2xlarge`]: { vcpus: 8, memoryGiB: 32, maxEnis: 4, arch },
  };
}

export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeInfo>> = Object.freeze({
  ...family(["c5", "c6i", "c7i", "c6a"], 2, "x86_64"),
  ...family(["m5", "m6i", "m7i", "m6a"], 4, "x86_64"),
  ...family(["r6i", "r6a"], 8, "x86_64"),
  ...family(["c6g", "c7g"], 2, "arm64"),
  ...family(["m6g", "m7g"], 4, "arm64"),
  ...burstable("t3", "x86_64"),
  ...burstable("t3a", "x86_64", 2),
  ...burstable("t4g", "arm64"),
});

/**
 * Memory ECS keeps from tasks on every host: written as ECS_RESERVED_MEMORY into the agent config,
 * so the OS, the ECS agent and Docker are never starved by tasks.
 */
export const ECS_RESERVED_MEMORY_MIB = 256;
/**
 * Seconds a new host counts as warming up: the instance refresh waits this long after a replacement is healthy, and
 * ECS's managed scaling counts it in no metric before (instanceWarmup, instanceWarmupPeriod).
 */
export const HOST_WARMUP_SECONDS = 60;
/** Share of nominal memory the kernel and hypervisor keep; ECS registers the rest (about 94 %). */
const KERNEL_OVERHEAD = 0.06;

/** CPU units and MiB of memory ECS can place tasks on, for one instance of the type. */
export function schedulable(info: InstanceTypeInfo): { cpu: number; memoryMiB: number } {
  const memoryMiB = Math.floor(info.memoryGiB * 1024 * (1 - KERNEL_OVERHEAD)) - ECS_RESERVED_MEMORY_MIB;
  return { cpu: info.vcpus * 1024, memoryMiB };
}

/**
 * The smallest instance types of `arch` one task of `cpu` units and `memoryMiB` fits on (by vCPUs, then
 * memory, then name), at most `limit` of them; empty when none does.
 */
export function smallestFitting(arch: InstanceTypeInfo["arch"], cpu: number, memoryMiB: number, limit = 3): string[] {
  return Object.entries(INSTANCE_TYPES)
    .filter(([, info]) => info.arch === arch && schedulable(info).cpu >= cpu && schedulable(info).memoryMiB >= memoryMiB)
    .sort(([a, x], [b, y]) => x.vcpus - y.vcpus || x.memoryGiB - y.memoryGiB || a.localeCompare(b))
    .slice(0, limit)
    .map(([name]) => name);
}

export interface TaskCapacity {
  /** awsvpc tasks of the given size one instance can hold. */
  perInstance: number;
  /** Which limit decides `perInstance`. */
  limitedBy: "cpu" | "memory" | "enis";
}

/**
 * How many awsvpc tasks one instance holds: the least of what its CPU, its memory and its network
 * interfaces allow. Without trunking each task takes one ENI and the host keeps the primary one
 * (a c5.xlarge has 4 ENIs, so 3 tasks); with trunking the published trunk limit applies instead.
 */
export function tasksPerInstance(info: InstanceTypeInfo, taskCpu: number, taskMemoryMiB: number, trunking: boolean): TaskCapacity {
  const room = schedulable(info);
  const limits: [TaskCapacity["limitedBy"], number][] = [
    ["cpu", Math.floor(room.cpu / taskCpu)],
    ["memory", Math.floor(room.memoryMiB / taskMemoryMiB)],
    ["enis", trunking && info.trunkTaskLimit !== undefined ? info.trunkTaskLimit : info.maxEnis - 1],
  ];
  const [limitedBy, perInstance] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { perInstance: Math.max(0, perInstance), limitedBy };
}
