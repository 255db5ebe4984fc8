/**
 * The host image an exact lookup names, as the offline runs take it to exist. Shared by the plan
 * (plan-project.ts) and the CLI-load harness (cli/run-program.cjs, which loads it compiled, with no
 * TypeScript loader of its own), so that a stack pinning `hostImage` loads in both the same way.
 */
import { createHash } from "crypto";

/** The token of the lookup `hostImage` makes (aws.ec2.getAmi). */
const GET_AMI = "aws:ec2/getAmi:getAmi";

/**
 * The one image an exact lookup names (EC2's DescribeImages with a `name` or `image-id` filter), as if it exists: of
 * the architecture the lookup filters on, an id of its own for each name (so a new pin is a new image in a diff), not
 * deprecated.
 */
function assumedImage(inputs: Record<string, any>): Record<string, any> {
  const filter = (name: string): string | undefined => inputs.filters?.find((f: any) => f.name === name)?.values?.[0];
  const name = filter("name");
  const id = filter("image-id") ?? `ami-${createHash("sha256").update(name ?? "").digest("hex").slice(0, 17)}`;
  return {
    id, imageId: id, name: name ?? `image-${id}`, architecture: filter("architecture") ?? "x86_64", state: "available", rootDeviceType: "ebs",
    imageOwnerAlias: inputs.owners?.includes("amazon") ? "amazon" : "", deprecationTime: "",
  };
}

/** An account's answer to an invoke (the mock engine's AccountFacts.invoke): a pinned image's lookup; undefined otherwise. */
export function imageLookup(token: string, args: Record<string, any>): Record<string, any> | undefined {
  return token === GET_AMI ? assumedImage(args) : undefined;
}
