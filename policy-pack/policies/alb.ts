// Load balancer hardening. `aws.alb.*` and `aws.lb.*` are the same AWS resources under two type tokens;
// a policy written for one class would silently skip the other, so every check here lists both.
import * as aws from "@pulumi/aws";
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { configOf, controls, read, schema, token, validateTypes } from "./util";

const LOAD_BALANCERS = [aws.lb.LoadBalancer, aws.alb.LoadBalancer];
const LISTENERS = [aws.lb.Listener, aws.alb.Listener];
const LB_TOKENS = LOAD_BALANCERS.map(token);
const LISTENER_TOKENS = LISTENERS.map(token);

/** "application" when unset, as AWS defaults it. */
const lbType = (props: Record<string, any>): string => props.loadBalancerType ?? "application";

function applicationOnly(args: ResourceValidationArgs) {
  if (lbType(args.props) !== "application") args.notApplicable("Applies to application load balancers only");
}

const headersSchema = schema();

export const albDropInvalidHeaders: ResourceValidationPolicy = {
  name: "alb-drop-invalid-headers",
  ...controls("Application load balancers must drop HTTP headers with invalid names (dropInvalidHeaderFields).", { fsbp: "ELB.4", checkov: "CKV_AWS_131" }, "medium"),
  enforcementLevel: "mandatory",
  configSchema: headersSchema,
  validateResource: validateTypes(LOAD_BALANCERS, headersSchema, (args, report) => {
    applicationOnly(args);
    if (args.props.dropInvalidHeaderFields !== true) report("dropInvalidHeaderFields is not true, so malformed headers reach the targets (a request-smuggling vector)");
  }),
};

const tlsSchema = schema({
  allowedPolicyPatterns: {
    type: "array",
    items: { type: "string" },
    // TLS13-1-0 and TLS13-1-1 policies still accept TLS 1.0/1.1, so "TLS13-*" alone is not enough.
    default: ["^ELBSecurityPolicy-TLS13-1-[23]-", "^ELBSecurityPolicy-TLS-1-2-", "^ELBSecurityPolicy-FS-1-2-"],
    description: "Regular expressions; an HTTPS/TLS listener's sslPolicy must match one (TLS 1.2 or newer only).",
  },
});

export const albTlsPolicy: ResourceValidationPolicy = {
  name: "alb-tls-policy",
  ...controls("HTTPS and TLS listeners must set an sslPolicy that accepts only TLS 1.2 or newer.", { fsbp: "ELB.17", checkov: "CKV_AWS_103" }, "high"),
  enforcementLevel: "mandatory",
  configSchema: tlsSchema,
  validateResource: validateTypes(LISTENERS, tlsSchema, (args, report) => {
    if (!["HTTPS", "TLS"].includes(args.props.protocol)) args.notApplicable("Applies to HTTPS and TLS listeners only");
    const { allowedPolicyPatterns } = configOf<{ allowedPolicyPatterns: string[] }>(args, tlsSchema);
    const policy = args.props.sslPolicy;
    if (typeof policy !== "string") report("sslPolicy is not set; set one explicitly, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06");
    else if (!allowedPolicyPatterns.some((p) => new RegExp(p).test(policy))) report(`sslPolicy ${policy} accepts protocols older than TLS 1.2; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06`);
  }),
};

const redirectSchema = schema({
  requireHttps: {
    type: "boolean",
    default: false,
    description: "Also require every internet-facing application load balancer to have an HTTPS listener.",
  },
});

/** Whether a listener's default action redirects to HTTPS. */
function redirectsToHttps(listener: PolicyResource): boolean {
  const actions: any[] = listener.props.defaultActions ?? [];
  return actions.some((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
}

export const albHttpRedirectsToHttps: StackValidationPolicy = {
  name: "alb-http-redirects-to-https",
  ...controls(
    "When a load balancer has an HTTPS listener, each of its HTTP listeners must redirect to HTTPS.",
    { fsbp: "ELB.1", checkov: "CKV2_AWS_20" },
    "medium",
  ),
  enforcementLevel: "mandatory",
  configSchema: redirectSchema,
  validateStack: (args, report) => {
    const lbs = args.resources.filter((r) => LB_TOKENS.includes(r.type));
    if (lbs.length === 0) args.notApplicable("The stack has no load balancers");
    const { exemptResources, requireHttps } = configOf<{ requireHttps: boolean }>(args, redirectSchema);
    const listeners = args.resources.filter((r) => LISTENER_TOKENS.includes(r.type));
    // Load balancers this policy had something to say about: with an HTTPS listener, or required to have one.
    let examined = 0;
    for (const lb of lbs) {
      if (exemptResources.includes(lb.name) || lbType(lb.props) !== "application") continue;
      // In preview the ARN is unknown, so the listener is matched through the graph; at `up` also by ARN.
      const arn = read(() => lb.props.arn);
      const own = listeners.filter(
        (l) => (l.propertyDependencies.loadBalancerArn ?? []).some((d) => d.urn === lb.urn) || (typeof arn === "string" && read(() => l.props.loadBalancerArn) === arn),
      );
      const https = own.filter((l) => l.props.protocol === "HTTPS");
      if (https.length === 0) {
        if (requireHttps && lb.props.internal !== true) {
          examined++;
          report(`${lb.name} is internet-facing and has no HTTPS listener`, lb.urn);
        }
        continue;
      }
      examined++;
      for (const l of own.filter((l) => (l.props.protocol ?? "HTTP") === "HTTP")) {
        if (!redirectsToHttps(l)) report(`${l.name} serves plain HTTP on ${lb.name}, which also listens on HTTPS; make its default action a redirect to HTTPS`, l.urn);
      }
    }
    if (examined === 0) args.notApplicable("No application load balancer has an HTTPS listener (and requireHttps is off)");
  },
};

const deletionSchema = schema();

export const albDeletionProtection: ResourceValidationPolicy = {
  name: "alb-deletion-protection",
  ...controls("Load balancers must enable deletion protection.", { fsbp: "ELB.6", checkov: "CKV_AWS_150" }, "medium"),
  // Advisory by default: a dev stack is torn down daily. config/prod.json makes it mandatory.
  enforcementLevel: "advisory",
  configSchema: deletionSchema,
  validateResource: validateTypes(LOAD_BALANCERS, deletionSchema, (args, report) => {
    if (args.props.enableDeletionProtection !== true) report("enableDeletionProtection is not true, so a mistaken `pulumi destroy` or console click removes the public endpoint");
  }),
};

const accessLogsSchema = schema();

export const albAccessLogs: ResourceValidationPolicy = {
  name: "alb-access-logs",
  ...controls("Application and network load balancers must write access logs to S3.", { fsbp: "ELB.5", checkov: "CKV_AWS_91" }, "medium"),
  // Advisory by default: access logs cost a bucket and storage. config/prod.json makes it mandatory.
  enforcementLevel: "advisory",
  configSchema: accessLogsSchema,
  validateResource: validateTypes(LOAD_BALANCERS, accessLogsSchema, (args, report) => {
    if (lbType(args.props) === "gateway") args.notApplicable("Gateway load balancers have no access logs");
    const logs = args.props.accessLogs;
    // AWS leaves access logs off unless `enabled` is true, even when a bucket is given. A bucket name that is
    // unknown in preview comes from a bucket created in the same update, which is as good as a literal one.
    const bucket = read(() => logs?.bucket);
    if (logs?.enabled !== true || !bucket) report("accessLogs is not enabled with a bucket, so there is no record of who called the API");
  }),
};

const WEB_ACL_ASSOCIATION = token(aws.wafv2.WebAclAssociation);
const wafSchema = schema();

export const albWafEnabled: StackValidationPolicy = {
  name: "alb-waf-enabled",
  ...controls("Internet-facing application load balancers must be associated with an AWS WAF web ACL.", { fsbp: "ELB.16", checkov: "CKV2_AWS_28" }, "medium"),
  // Advisory by default: a web ACL costs about 10 USD a month. config/prod.json makes it mandatory.
  enforcementLevel: "advisory",
  configSchema: wafSchema,
  validateStack: (args, report) => {
    const lbs = args.resources.filter((r) => LB_TOKENS.includes(r.type) && lbType(r.props) === "application" && r.props.internal !== true);
    if (lbs.length === 0) args.notApplicable("The stack has no internet-facing application load balancers");
    const { exemptResources } = configOf(args, wafSchema);
    const associations = args.resources.filter((r) => r.type === WEB_ACL_ASSOCIATION);
    for (const lb of lbs) {
      if (exemptResources.includes(lb.name)) continue;
      // In preview the ARN is unknown, so the association is matched through the graph; at `up` also by ARN.
      const arn = read(() => lb.props.arn);
      const protectedBy = associations.filter(
        (a) => (a.propertyDependencies.resourceArn ?? []).some((d) => d.urn === lb.urn) || (typeof arn === "string" && read(() => a.props.resourceArn) === arn),
      );
      if (protectedBy.length === 0) report(`${lb.name} faces the internet without a WAF web ACL (turn on waf)`, lb.urn);
    }
  },
};

export const albPolicies = [albDropInvalidHeaders, albHttpRedirectsToHttps, albTlsPolicy, albDeletionProtection, albAccessLogs, albWafEnabled];
