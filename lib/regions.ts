/**
 * Per-region facts the program needs before it can ask AWS anything: which regions exist and in which
 * partition, how many standard AZs each offers (for validating `availabilityZones` before any resource
 * exists), and who delivers ALB access logs there (for the log bucket's policy).
 */
import { didYouMean } from "./suggest";

/**
 * The commercial (`aws` partition) regions and their standard (non-Local-Zone) AZs, as AWS documents
 * them ("AWS Regions and Availability Zones", AWS General Reference), as of 2026-11.
 */
export const REGION_AZ_COUNT: Readonly<Record<string, number>> = Object.freeze({
  "us-east-1": 6, "us-east-2": 3, "us-west-1": 2, "us-west-2": 4,
  "ca-central-1": 3, "ca-west-1": 3, "mx-central-1": 3, "sa-east-1": 3,
  "eu-west-1": 3, "eu-west-2": 3, "eu-west-3": 3, "eu-central-1": 3, "eu-central-2": 3,
  "eu-north-1": 3, "eu-south-1": 3, "eu-south-2": 3,
  "ap-northeast-1": 3, "ap-northeast-2": 4, "ap-northeast-3": 3, "ap-southeast-1": 3,
  "ap-southeast-2": 3, "ap-southeast-3": 3, "ap-southeast-4": 3, "ap-southeast-5": 3,
  "ap-southeast-6": 3, "ap-southeast-7": 3, "ap-south-1": 3, "ap-south-2": 3, "ap-east-1": 3, "ap-east-2": 3,
  "me-south-1": 3, "me-central-1": 3, "af-south-1": 3, "il-central-1": 3,
});

/**
 * Regions of the other partitions. The program is refused there rather than half-working: their ARNs
 * (`arn:aws-us-gov:`, `arn:aws-cn:`), ALB log-delivery accounts, endpoint names and feature sets (ECS
 * managed draining, ENI trunking, Container Insights) differ and are not what this program was checked
 * against.
 */
const OTHER_PARTITIONS: Readonly<Record<string, string>> = Object.freeze({
  "us-gov-east-1": "aws-us-gov (GovCloud)", "us-gov-west-1": "aws-us-gov (GovCloud)",
  "cn-north-1": "aws-cn (China)", "cn-northwest-1": "aws-cn (China)",
  "eusc-de-east-1": "aws-eusc (European Sovereign Cloud)",
  "us-iso-east-1": "aws-iso", "us-iso-west-1": "aws-iso", "us-isob-east-1": "aws-iso-b",
});

/** Why `region` cannot host this program (undefined when it can). */
export function regionProblem(region: string): string | undefined {
  if (region in REGION_AZ_COUNT) return undefined;
  const partition = OTHER_PARTITIONS[region];
  if (partition) return `${region} is in the ${partition} partition, which this program does not support; use a region of the aws partition`;
  return `${region} is not an AWS region${didYouMean(region, Object.keys(REGION_AZ_COUNT))}; regions: ${Object.keys(REGION_AZ_COUNT).sort().join(", ")}`;
}

/**
 * Regions opened before August 2022 deliver ALB access logs from a regional Elastic Load Balancing
 * account, which the bucket policy must name; newer regions use the log-delivery service principal.
 */
const ELB_ACCOUNT: Readonly<Record<string, string>> = Object.freeze({
  "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
  "us-west-2": "797873946194", "af-south-1": "098369216593", "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580", "ap-south-1": "718504428378", "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864", "ca-central-1": "985666609251", "eu-central-1": "054676820928",
  "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
  "eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
});

/** The IAM principal that writes ALB access logs in `region`, for a bucket policy statement. */
export function albLogDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
  const account = ELB_ACCOUNT[region];
  return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}
