/**
 * The container hosts' image, as a stack pins it (the `hostImage` key): an ECS-optimized Amazon Linux 2023
 * release by its exact name, or an AMI id. Pure: config/ validates with it, the bump tool
 * (tools/host-image.ts) reads and writes pins with it.
 *
 * AWS publishes each ECS-optimized AMI under one name in every region (aws/amazon-ecs-ami al2023.pkr.hcl,
 * al2023arm.pkr.hcl: `<prefix>-hvm-2023.0.<version><kernel>-x86_64` and `-arm64`; the releases list them,
 * e.g. https://github.com/aws/amazon-ecs-ami/releases/tag/20261113: al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64
 * and ...-arm64), while an AMI id belongs to one region. So a name pin holds for a stack in any region, and an id
 * pin only where the AMI is.
 */
import type { InstanceTypeInfo } from "./instance-types";

export type Arch = InstanceTypeInfo["arch"];

/** The ECS-optimized AL2023 release name: its date (the release's version and tag), its kernel and its architecture. */
export const RELEASE_NAME_RE = /^al2023-ami-ecs-hvm-2023\.0\.(\d{8})-kernel-(\d+\.\d+)-(x86_64|arm64)$/;
/** An AMI id: ami- and 8 or 17 lowercase hexadecimal digits (EC2's two id lengths). */
export const AMI_ID_RE = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export type HostImage =
  | { kind: "name"; name: string; release: string; kernel: string; arch: Arch }
  | { kind: "id"; id: string };

/** The allowed forms, as an error message names them. */
export const HOST_IMAGE_FORMS = "empty (AWS's newest image, read from ecsAmiParameter at every deploy), an ECS-optimized Amazon Linux 2023 release name such as "
  + "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-x86_64 (arm64 for Graviton types), or an AMI id such as ami-0abcdef1234567890 (of the stack's region)";

/** A pin from its written form; undefined when it is neither a release name nor an AMI id. */
export function parseHostImage(value: string): HostImage | undefined {
  const m = RELEASE_NAME_RE.exec(value);
  if (m) return { kind: "name", name: value, release: m[1], kernel: m[2], arch: m[3] as Arch };
  if (AMI_ID_RE.test(value)) return { kind: "id", id: value };
  return undefined;
}

/**
 * AWS's public SSM parameter that names the recommended (newest) ECS-optimized AL2023 image of `arch`: a JSON
 * document with image_name and image_id (Amazon ECS Developer Guide, "Retrieving Amazon ECS-optimized Linux AMI
 * metadata"). The program's default `ecsAmiParameter` is its `/image_id`.
 */
export const recommendedParameter = (arch: Arch): string =>
  `/aws/service/ecs/optimized-ami/amazon-linux-2023/${arch === "arm64" ? "arm64/" : ""}recommended`;

/** Where AWS publishes a release's notes: its tag in aws/amazon-ecs-ami is the release's date. */
export const releaseNotesUrl = (release: string): string => `https://github.com/aws/amazon-ecs-ami/releases/tag/${release}`;

/** What the program asks EC2 of a pin: one image of that exact name (Amazon's) or id, built for `architecture`. */
export type ImageQuery = ({ name: string } | { id: string }) & { architecture: Arch };

/** What the lookup found: the one image (its id, name and AWS's deprecation time, empty if none), or why not. */
export type ImageFacts =
  | { found: true; id: string; name: string; deprecationTime: string }
  | { found: false; message: string };

/** The lookup of a pin on hosts of `arch`. */
export const imageQuery = (image: HostImage, architecture: Arch): ImageQuery =>
  image.kind === "name" ? { name: image.name, architecture } : { id: image.id, architecture };
