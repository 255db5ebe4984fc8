// IMDSv2 on every way this stack can launch an EC2 instance. The ECS hosts carry the instance role; IMDSv1
// lets any SSRF in a container or on the host read its credentials with a plain GET.
import * as aws from "@pulumi/aws";
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, Unknown, configOf, controls, isUnknown, read, schema, token, validateTypes } from "./util";

const TYPES = [aws.ec2.LaunchTemplate, aws.ec2.Instance, aws.ec2.LaunchConfiguration];

const imdsSchema = schema({
  maxHopLimit: {
    type: "integer",
    minimum: 1,
    maximum: 64,
    default: 2,
    description:
      "Largest allowed httpPutResponseHopLimit. 2 lets bridge-mode containers reach IMDS; 1 (FSBP AutoScaling.4, Checkov CKV_AWS_341) blocks them.",
  },
});

interface MetadataOptions {
  httpEndpoint?: string;
  httpTokens?: string;
  httpPutResponseHopLimit?: number;
  httpProtocolIpv6?: string;
  instanceMetadataTags?: string;
}

/** What is wrong with a resource's metadata options, or undefined when they are fine. */
function finding(props: Record<string, any>, maxHopLimit: number): string | undefined {
  const options = read(() => props.metadataOptions as MetadataOptions | undefined);
  if (isUnknown(options)) return "cannot verify in preview: metadataOptions is unknown until the update";
  if (options === undefined || options === null) return "metadataOptions is not set, so IMDSv1 stays enabled; set httpTokens to \"required\"";
  const endpoint = read(() => options.httpEndpoint);
  const tokens = read(() => options.httpTokens);
  // A disabled metadata endpoint serves neither version.
  if (endpoint === "disabled") return undefined;
  if (tokens === "required") {
    const hops = read(() => options.httpPutResponseHopLimit);
    if (isUnknown(hops)) return "cannot verify in preview: metadataOptions.httpPutResponseHopLimit is unknown until the update";
    if (typeof hops === "number" && hops > maxHopLimit) return `httpPutResponseHopLimit is ${hops}; at most ${maxHopLimit} keeps tokens from travelling further than the host's containers`;
    return undefined;
  }
  if (isUnknown(tokens) || isUnknown(endpoint)) return "cannot verify in preview: metadataOptions.httpTokens is unknown until the update";
  return `metadataOptions.httpTokens is ${tokens === undefined ? "not set (defaults to \"optional\")" : JSON.stringify(tokens)}; set it to "required"`;
}

export const imdsv2Required: ResourceValidationPolicy = {
  name: "imdsv2-required",
  ...controls(
    "Launch templates, instances and launch configurations must require IMDSv2 session tokens (metadataOptions.httpTokens \"required\").",
    { fsbp: "EC2.8, EC2.170, AutoScaling.3", checkov: "CKV_AWS_79, CKV_AWS_341" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: imdsSchema,
  remediationSteps: "Set metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 or 2 }.",
  validateResource: validateTypes(TYPES, imdsSchema, (args, report) => {
    const problem = finding(args.props, configOf<{ maxHopLimit: number }>(args, imdsSchema).maxHopLimit);
    if (problem) report(problem);
  }),
  // Safe to automate: requiring tokens changes no application behaviour that uses a current AWS SDK.
  // Returns nothing (no change) for a compliant resource, so a disabled endpoint stays disabled.
  remediateResource: (args: ResourceValidationArgs) => {
    if (!TYPES.map(token).includes(args.type)) args.notApplicable("Policy only applies to EC2 launch templates, instances and launch configurations");
    const { maxHopLimit, exemptResources } = configOf<{ maxHopLimit: number }>(args, imdsSchema);
    if (exemptResources.includes(args.name) || !finding(args.props, maxHopLimit)) return undefined;
    const current: MetadataOptions | Unknown | undefined = read(() => args.props.metadataOptions);
    const known = (key: keyof MetadataOptions) => (current && !isUnknown(current) ? read(() => current[key]) : UNKNOWN);
    const hops = known("httpPutResponseHopLimit");
    // Keep the settings this policy does not own, where they are known.
    const kept = Object.fromEntries(
      (["httpProtocolIpv6", "instanceMetadataTags"] as const).map((k) => [k, known(k)]).filter(([, v]) => typeof v === "string"),
    );
    // Mutating the props proxy and returning it is how the SDK carries every other (possibly unknown) input over.
    args.props.metadataOptions = {
      ...kept,
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: typeof hops === "number" ? Math.min(hops, maxHopLimit) : 1,
    };
    return args.props;
  },
};

export const imdsPolicies = [imdsv2Required];
