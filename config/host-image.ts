/**
 * The hosts' image: the `hostImage` pin (lib/host-images.ts) checked against the instance type before any
 * resource, the warnings of a stack that pins none, and the judgement of the pin's lookup
 * (components/host-image.ts looks it up before the first resource, as an existing network's subnets are).
 */
import { HOST_IMAGE_FORMS, parseHostImage, type HostImage, type ImageFacts } from "../lib/host-images";
import type { InstanceTypeInfo } from "../lib/instance-types";
import type { ConfigReader } from "./reader";
import { CONFIG_SCHEMA, NAMESPACE } from "./schema";
import { ConfigError } from "./types";

/** The pin, refused (naming the key and the allowed forms) when malformed or built for another architecture. */
export function parseHostImageKey(r: ConfigReader, instanceType: string, instance?: InstanceTypeInfo): HostImage | undefined {
  const value = r.str("hostImage");
  if (!value) return undefined;
  const image = parseHostImage(value);
  if (!image) {
    r.bad("hostImage", HOST_IMAGE_FORMS);
    return undefined;
  }
  if (image.kind === "name" && instance && image.arch !== instance.arch) {
    r.bad("hostImage", `a release built for ${instanceType}'s architecture, ${instance.arch}: ${value} is its ${image.arch} build (the same release for ${instance.arch}: ${value.replace(/(x86_64|arm64)$/, instance.arch)})`);
  }
  return image;
}

/**
 * Without a pin the hosts follow AWS's newest image: every deploy reads the parameter, and a new value is a new
 * launch template version, which the instance refresh rolls out to every host. With a pin, ecsAmiParameter is
 * not read.
 */
export function hostImageWarnings(image: HostImage | undefined, ecsAmiParameter: string): string[] {
  if (!image) {
    const metadata = ecsAmiParameter.replace(/\/image_id$/, "");
    return [`hostImage is not set: the hosts boot AWS's newest ECS-optimized image, read from ${ecsAmiParameter} at every deploy, so the first deploy after AWS publishes one `
      + "replaces every host (instance refresh), whatever the change, and the drift check reports the new image as drift; pin the image: "
      + `pulumi config set ${NAMESPACE}:hostImage <image_name> (the newest: aws ssm get-parameter --name ${metadata} --query Parameter.Value), or merge the host-image workflow's pull request`];
  }
  return ecsAmiParameter === CONFIG_SCHEMA.ecsAmiParameter.default ? [] : [`ecsAmiParameter (${ecsAmiParameter}) is not read while hostImage pins the image: remove it`];
}

/**
 * The pin's lookup judged: the AMI the hosts boot, or a ConfigError naming the key (no such image of the hosts'
 * architecture where the stack deploys: a release name is the same in every region, an AMI id belongs to one).
 * AWS deprecates old AMIs (DescribeImages leaves them out unless asked, ImageDeprecationTime): such a pin still
 * deploys, with a warning to bump it.
 */
export function checkHostImage(c: { hostImage?: HostImage; region: string; instanceType: string; instance: InstanceTypeInfo }, facts: ImageFacts, now = new Date()): { amiId: string; warnings: string[] } {
  const image = c.hostImage!;
  const value = image.kind === "name" ? image.name : image.id;
  if (!facts.found) {
    const what = image.kind === "name" ? `no image of Amazon's named ${value}` : `no AMI ${value}`;
    throw new ConfigError([`${NAMESPACE}:hostImage = ${JSON.stringify(value)} is not allowed: ${what} for ${c.instance.arch} (${c.instanceType}) in ${c.region} (${facts.message}); `
      + "a release name is the same in every region, an AMI id belongs to one: pin the release's name"]);
  }
  const deprecated = facts.deprecationTime && new Date(facts.deprecationTime) <= now;
  return {
    amiId: facts.id,
    warnings: deprecated ? [`hostImage ${value} (${facts.id}) was deprecated by AWS on ${facts.deprecationTime.slice(0, 10)}: it still launches, but bump the pin to a current release`] : [],
  };
}
