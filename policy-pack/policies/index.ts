// The pack's policies, one module per area. `policies` is the array the PolicyPack is built from; tests and
// the offline plan import it from here (never ../index.ts, which starts the analyzer's server).
import type { Policies } from "@pulumi/policy";
import { albPolicies } from "./alb";
import { ecsPolicies } from "./ecs";
import { iamPolicies } from "./iam";
import { imdsPolicies } from "./imds";
import { networkPolicies } from "./network";
import { storagePolicies } from "./storage";
import { queuePolicies } from "./queues";
import { bootstrapPolicies } from "./bootstrap";
import type { Controls } from "./util";

export { imdsv2Required } from "./imds";
export { ecsTasksNoPublicIp, ecsTasksPrivateSubnets, containerHostsNoPublicIp, containerHostsPrivate, securityGroupNoWorldOpenPorts, securityGroupNoWorldOpenEgress } from "./network";
export { noPrivilegedContainers, noPlaintextSecretsInEnv, containerLoggingConfigured, containerInsightsEnabled } from "./ecs";
export { albDropInvalidHeaders, albHttpRedirectsToHttps, albTlsPolicy, albDeletionProtection, albAccessLogs, albWafEnabled } from "./alb";
export { ebsEncrypted, logRetentionSet } from "./storage";
export { noIamStarStar } from "./iam";
export { sqsQueueEncrypted, sqsQueueDeadLetter, sqsQueueTlsOnly } from "./queues";
export { githubOidcTrustExactSubject, githubRoleNoWildcardActions, githubRoleWritesNeedBoundary } from "./bootstrap";
export { NetworkGraph } from "./graph";
export type { Controls } from "./util";

export const policies: Policies = [...imdsPolicies, ...networkPolicies, ...ecsPolicies, ...albPolicies, ...storagePolicies, ...iamPolicies, ...queuePolicies, ...bootstrapPolicies];

/**
 * The Security Hub FSBP control and Checkov check(s) of each policy, by policy name. Derived from each
 * policy's `framework.reference` and `checkov:` tags, where util.controls() put them, so there is one source.
 */
export const CONTROLS: Record<string, Controls> = Object.fromEntries(
  policies.map((p) => {
    const checkov = (p.tags ?? []).filter((t) => t.startsWith("checkov:")).map((t) => t.slice("checkov:".length));
    return [p.name, { fsbp: p.framework?.reference ?? "none", checkov: checkov.length > 0 ? checkov.join(", ") : "none" }];
  }),
);
