/**
 * Schema rules of plugin-framework resources, which have no schema.Schema map for extract.mjs to read: their
 * validators (listvalidator.SizeAtLeast, stringvalidator.OneOf, int32validator.AtLeast, fwtypes.StringEnumType ...)
 * written as the same rule objects the extractor writes, so check.ts applies them alike. Each type names the copy
 * of its file they were read from. Warn* validators only warn: not rules.
 */
import type { GeneratedRule } from "./check";

export interface FrameworkType {
  tfType: string;
  source: string;
  /** The code index copy read and what is known of its revision. */
  read: string;
  rules: GeneratedRule[];
}

const TRANSITION_STORAGE_CLASS = ["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"];
const rule = (path: string, tfPath: string, r: Omit<GeneratedRule, "path" | "tfPath">): GeneratedRule => ({ path, tfPath, ...r });

/**
 * aws_s3_bucket_lifecycle_configuration, resourceBucketLifecycleConfiguration.Schema: a rule block is required
 * (listvalidator.SizeAtLeast(1) on a list block, which the framework validates even when absent); each rule's id
 * (LengthBetween(1, 255)) and status (OneOf lifecycleRuleStatus_Values: Enabled, Disabled) are required; day counts have
 * lower bounds; transition storage classes are fwtypes.StringEnumType[awstypes.TransitionStorageClass].
 */
const bucketLifecycleConfiguration: FrameworkType = {
  tfType: "aws_s3_bucket_lifecycle_configuration",
  source: "internal/service/s3/bucket_lifecycle_configuration.go",
  read: "code index file id 3708929483 (plugin framework, @FrameworkResource, 46,156 characters)",
  rules: [
    rule("bucket", "bucket", { kind: "required" }),
    rule("bucket", "bucket", { kind: "stringLength", min: 1, max: 63 }),
    rule("rules", "rule", { kind: "required" }),
    rule("rules[].id", "rule.id", { kind: "required" }),
    rule("rules[].id", "rule.id", { kind: "stringLength", min: 1, max: 255 }),
    rule("rules[].status", "rule.status", { kind: "required" }),
    rule("rules[].status", "rule.status", { kind: "enum", values: ["Enabled", "Disabled"] }),
    rule("rules[].filter.and.objectSizeGreaterThan", "rule.filter.and.object_size_greater_than", { kind: "intRange", min: 0 }),
    rule("rules[].filter.and.objectSizeLessThan", "rule.filter.and.object_size_less_than", { kind: "intRange", min: 1 }),
    rule("rules[].filter.tag.key", "rule.filter.tag.key", { kind: "required" }),
    rule("rules[].filter.tag.value", "rule.filter.tag.value", { kind: "required" }),
    rule("rules[].noncurrentVersionExpiration.noncurrentDays", "rule.noncurrent_version_expiration.noncurrent_days", { kind: "required" }),
    rule("rules[].noncurrentVersionExpiration.noncurrentDays", "rule.noncurrent_version_expiration.noncurrent_days", { kind: "intRange", min: 1 }),
    rule("rules[].noncurrentVersionExpiration.newerNoncurrentVersions", "rule.noncurrent_version_expiration.newer_noncurrent_versions", { kind: "intRange", min: 1 }),
    rule("rules[].noncurrentVersionTransitions[].noncurrentDays", "rule.noncurrent_version_transition.noncurrent_days", { kind: "required" }),
    rule("rules[].noncurrentVersionTransitions[].noncurrentDays", "rule.noncurrent_version_transition.noncurrent_days", { kind: "intRange", min: 0 }),
    rule("rules[].noncurrentVersionTransitions[].newerNoncurrentVersions", "rule.noncurrent_version_transition.newer_noncurrent_versions", { kind: "intRange", min: 1 }),
    rule("rules[].noncurrentVersionTransitions[].storageClass", "rule.noncurrent_version_transition.storage_class", { kind: "required" }),
    rule("rules[].noncurrentVersionTransitions[].storageClass", "rule.noncurrent_version_transition.storage_class", { kind: "enum", values: TRANSITION_STORAGE_CLASS }),
    rule("rules[].transitions[].days", "rule.transition.days", { kind: "intRange", min: 0 }),
    rule("rules[].transitions[].storageClass", "rule.transition.storage_class", { kind: "required" }),
    rule("rules[].transitions[].storageClass", "rule.transition.storage_class", { kind: "enum", values: TRANSITION_STORAGE_CLASS }),
  ],
};

export const FRAMEWORK_TYPES: Readonly<Record<string, FrameworkType>> = {
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketLifecycleConfiguration,
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": bucketLifecycleConfiguration,
};
