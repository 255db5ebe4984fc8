import type * as Awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

// awsx loads its whole "classic" tree on import (about 0.15 s); load it only when an image is built.
const awsx = (): typeof Awsx => require("@pulumi/awsx");

/**
 * A tag that changes exactly when the built image can: a hash of the target platform and of every file's
 * path and content in the build context (node_modules and .git aside). The repository's tags are
 * immutable, so a tag reused for a different image (another context, or the same context built for
 * linux/arm64 after linux/amd64) is refused at push; an unchanged build gives the same tag and nothing
 * to push.
 */
export function contextTag(dir: string, platform: string): string {
  const hash = createHash("sha256").update(`platform=${platform}`).update("\0");
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const file = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) hash.update(file).update("\0").update(fs.readFileSync(path.join(dir, file))).update("\0");
    }
  };
  walk("");
  return `src-${hash.digest("hex").slice(0, 16)}`;
}

export interface AppImageArgs {
  /** Folder with the Dockerfile (the build context). */
  context: string;
  /** CPU architecture of the hosts that run the image; the image is built for it. */
  arch: "x86_64" | "arm64";
  /**
   * Keep the repository: Pulumi `protect` (a destroy fails in its preview, before anything is deleted)
   * and no deletion while it holds images. Otherwise it goes with its images on destroy. @default false
   */
  protect?: boolean;
  /** Tags for the repository. */
  tags?: Record<string, string>;
}

/**
 * The team's own API image: an ECR repository (scan on push, immutable tags, a lifecycle policy that
 * keeps the last 20 images) and the image built from `context` and pushed there. awsx components are
 * remote (their children are not visible to tests), which is acceptable here: nothing inside needs a
 * policy check beyond the repository settings passed in.
 */
export class AppImage extends pulumi.ComponentResource {
  /** The pushed image, by digest, so a new build is always a new task definition revision. */
  readonly imageUri: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ecs-ec2-api:ecr:AppImage", name, {}, opts);
    const platform = args.arch === "arm64" ? "linux/arm64" : "linux/amd64";
    const repository = new (awsx().ecr.Repository)(`${name}-repo`, {
      forceDelete: !args.protect,
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: "IMMUTABLE",
      lifecyclePolicy: { rules: [{ description: "keep the last 20 images", tagStatus: "any", maximumNumberOfImages: 20 }] },
      tags: args.tags,
    }, { parent: this, protect: args.protect ?? false });
    const image = new (awsx().ecr.Image)(`${name}-image`, {
      repositoryUrl: repository.url,
      context: args.context,
      imageTag: contextTag(args.context, platform),
      platform,
    }, { parent: this });
    this.imageUri = image.imageUri;
    this.repositoryUrl = repository.url;
    this.registerOutputs({ imageUri: this.imageUri, repositoryUrl: this.repositoryUrl });
  }
}
