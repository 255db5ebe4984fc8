/**
 * The rules of the AWS managed rule groups the web ACL uses, by group (AWS WAF developer guide, "AWS
 * Managed Rules rule groups list", as of 2026-11). A rule the stack counts instead of blocking must be
 * overridden in its own group: WAF refuses an override that names a rule the group does not have.
 */
export const WAF_MANAGED_RULES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  AWSManagedRulesAmazonIpReputationList: ["AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList"],
  AWSManagedRulesKnownBadInputsRuleSet: [
    "JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_BODY", "JavaDeserializationRCE_URIPATH", "JavaDeserializationRCE_QUERYSTRING",
    "Host_localhost_HEADER", "PROPFIND_METHOD", "ExploitablePaths_URIPATH",
    "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY", "Log4JRCE_URIPATH",
  ],
  AWSManagedRulesCommonRuleSet: [
    "NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_Cookie_HEADER",
    "SizeRestrictions_BODY", "SizeRestrictions_URIPATH", "EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE", "EC2MetaDataSSRF_URIPATH",
    "EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH", "GenericLFI_BODY",
    "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS", "GenericRFI_BODY",
    "GenericRFI_URIPATH", "CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS", "CrossSiteScripting_BODY", "CrossSiteScripting_URIPATH",
  ],
});

/** The managed rule groups, in the web ACL's evaluation order (after the rate limit). */
export const WAF_MANAGED_RULE_GROUPS = Object.keys(WAF_MANAGED_RULES);

/** The group a rule belongs to, or undefined. */
export function wafGroupOf(rule: string): string | undefined {
  return WAF_MANAGED_RULE_GROUPS.find((g) => WAF_MANAGED_RULES[g].includes(rule));
}
