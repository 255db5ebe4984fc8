import type * as Awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

// awsx loads its whole "classic" tree on import (about 0.15 s); load it only when an image is built.
const awsx = (): typeof Awsx => require("@pulumi/awsx");

/**
 * A tag that changes exactly when the build context does: a hash of every file's path and content
 * (node_modules and .git aside). The repository's tags are immutable, so a fixed tag would refuse the
 * second push of a changed image; an unchanged context gives the same tag and nothing to push.
 */
export function contextTag(dir: string): string {
  const hash = createHash("sha256");
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
  /** Delete the repository with its images when the stack is destroyed. @default false */
  forceDelete?: boolean;
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
    const repository = new (awsx().ecr.Repository)(`${name}-repo`, {
      forceDelete: args.forceDelete ?? false,
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: "IMMUTABLE",
      lifecyclePolicy: { rules: [{ description: "keep the last 20 images", tagStatus: "any", maximumNumberOfImages: 20 }] },
      tags: args.tags,
    }, { parent: this });
    const image = new (awsx().ecr.Image)(`${name}-image`, {
      repositoryUrl: repository.url,
      context: args.context,
      imageTag: contextTag(args.context),
      platform: args.arch === "arm64" ? "linux/arm64" : "linux/amd64",
    }, { parent: this });
    this.imageUri = image.imageUri;
    this.repositoryUrl = repository.url;
    this.registerOutputs({ imageUri: this.imageUri, repositoryUrl: this.repositoryUrl });
  }
}
