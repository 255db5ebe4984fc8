import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImageFacts, ImageQuery } from "../lib/host-images";
import { messageOf } from "./existing-network";

/**
 * Looks a pinned host image up before the first resource (a lookup only): by its exact name among Amazon's images,
 * or by its id, and only of the hosts' architecture. No wildcard, and `mostRecent` off: the provider then fails a
 * lookup that matches several images ("Your query returned more than one result") rather than pick the newest
 * (terraform-provider-aws internal/service/ec2/ec2_ami_data_source.go, dataSourceAMIRead). Deprecated images are
 * included: an old pin still deploys, and the caller warns about it.
 */
export async function lookUpImage(query: ImageQuery, opts?: pulumi.InvokeOptions): Promise<ImageFacts> {
  const byNameOrId = "name" in query
    ? { owners: ["amazon"], filter: { name: "name", values: [query.name] } }
    : { filter: { name: "image-id", values: [query.id] } };
  try {
    const image = await aws.ec2.getAmi({
      ...(byNameOrId.owners ? { owners: byNameOrId.owners } : {}),
      filters: [byNameOrId.filter, { name: "architecture", values: [query.architecture] }],
      mostRecent: false,
      includeDeprecated: true,
    }, opts);
    return { found: true, id: image.id, name: image.name, deprecationTime: image.deprecationTime ?? "" };
  } catch (e) {
    return { found: false, message: messageOf(e) };
  }
}
