/**
 * Image references whose tag moves: `:latest`, or no tag (which Docker and ECS read as latest). A stack
 * with deletionProtection (the production shape) is warned about each, in preview and in the plan.
 */
import { NAMESPACE, serviceKey } from "./schema";
import type { JobSpec, ServiceSpec } from "./types";

/** The tag of an image reference (after the last ":" of its last path part), or undefined when it has none. */
export function imageTag(ref: string): string | undefined {
  const name = ref.split("@")[0];
  const last = name.slice(name.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

/**
 * Why `ref` runs whatever its tag points at when a task starts, or undefined: it has no digest, and its
 * tag is `latest` or missing. A digest (`@sha256:...`) pins it whatever the tag says.
 */
export function mutableTag(ref: string): string | undefined {
  if (ref.includes("@sha256:")) return undefined;
  const tag = imageTag(ref);
  if (tag === undefined) return "has no tag, which means :latest";
  return tag === "latest" ? "uses the tag :latest" : undefined;
}

/** Every image of a protected stack that a tag can move: services, their sidecars and jobs, by key. */
export function mutableImageWarnings(c: { deletionProtection: boolean; services: ServiceSpec[]; jobs: JobSpec[] }): string[] {
  if (!c.deletionProtection) return [];
  const [main] = c.services;
  const images: [string, string, string][] = [];
  for (const s of c.services) {
    if (s.imageUrl) images.push([serviceKey(s.name, s === main, "imageUrl"), s.imageUrl, `service ${s.name}`]);
    for (const side of s.sidecars) images.push([serviceKey(s.name, s === main, `sidecars.${side.name}.imageUrl`), side.imageUrl, `sidecar ${side.name} of service ${s.name}`]);
  }
  for (const j of c.jobs) if (j.imageUrl) images.push([`${NAMESPACE}:jobs.${j.name}.imageUrl`, j.imageUrl, `job ${j.name}`]);
  return images.flatMap(([key, ref, what]) => {
    const why = mutableTag(ref);
    return why ? [`${key} = ${JSON.stringify(ref)} (${what}) ${why} in a stack with deletionProtection: each new task (a deploy, a scale-out, a replaced host) pulls whatever the tag points at then, so the same stack can run different code without a change; pin a version tag (nginx:1.27.3) or a digest (@sha256:...)`] : [];
  });
}
