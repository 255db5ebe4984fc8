// No policy document in this stack may grant administrator access: a leaked task or host credential would
// then own the account.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, controls, policyStatements, schema, validateTypes } from "./util";

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
    const found = policyStatements(args.props.policy);
    if ("error" in found) return report(found.error);
    found.statements.forEach((s, i) => {
      const st = s as { Effect?: unknown; Action?: unknown; Resource?: unknown; Sid?: unknown };
      // Read Effect and Action first: Resource often holds ARNs that are unknown in preview.
      if (st.Effect !== "Allow") return;
      if (!asList(st.Action).some((a) => a === "*" || a === "*:*")) return;
      if (asList(st.Resource).includes("*")) report(`statement ${typeof st.Sid === "string" ? st.Sid : i} allows every action on every resource; grant the specific actions and resources the role needs`);
    });
  }),
};

export const iamPolicies = [noIamStarStar];
