// No policy document in this stack may grant administrator access: a leaked task or host credential would
// then own the account.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controls, schema, validateTypes } from "./util";

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? [...v] : v === undefined ? [] : [v]);

/** The statements of a policy document given as a JSON string (the usual case) or as an object. */
function statements(doc: unknown): unknown[] | string {
  let parsed = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch (e) {
      return `the policy document is not valid JSON: ${(e as Error).message}`;
    }
  }
  return asList((parsed as { Statement?: unknown } | undefined)?.Statement);
}

const starSchema = schema();

export const noIamStarStar: ResourceValidationPolicy = {
  name: "no-iam-star-star",
  ...controls(
    "IAM policy documents must not Allow Action \"*\" on Resource \"*\" (full administrator access).",
    { fsbp: "IAM.1", checkov: "CKV_AWS_62, CKV_AWS_1" },
    "critical",
  ),
  enforcementLevel: "mandatory",
  configSchema: starSchema,
  validateResource: validateTypes([aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy], starSchema, (args, report) => {
    const found = statements(args.props.policy);
    if (typeof found === "string") return report(found);
    found.forEach((s, i) => {
      const st = s as { Effect?: unknown; Action?: unknown; Resource?: unknown; Sid?: unknown };
      // Read Effect and Action first: Resource often holds ARNs that are unknown in preview.
      if (st.Effect !== "Allow") return;
      if (!asList(st.Action).some((a) => a === "*" || a === "*:*")) return;
      if (asList(st.Resource).includes("*")) report(`statement ${typeof st.Sid === "string" ? st.Sid : i} allows every action on every resource; grant the specific actions and resources the role needs`);
    });
  }),
};

export const iamPolicies = [noIamStarStar];
