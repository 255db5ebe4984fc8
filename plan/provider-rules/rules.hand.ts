/**
 * Rules the provider enforces before any API call that extract.mjs cannot read from the schema: CustomizeDiff
 * functions (plan time, inputs only), and schema rules of files not extracted in this table's run. Each names
 * its source: the provider file and function (github.com/hashicorp/terraform-provider-aws), or the AWS API
 * reference.
 */
import { isUnknown, presence } from "./values";

export interface HandProblem {
  property: string;
  value: unknown;
  kind: string;
  text: string;
}

export interface HandRule {
  kind: string;
  text: string;
  source: string;
  /** A create/any-time rule over a resource's inputs. */
  check?: (inputs: Record<string, unknown>) => HandProblem[];
  /** An update rule: old and new inputs of the same resource. */
  checkUpdate?: (oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>) => HandProblem[];
}

const TF = "hashicorp/terraform-provider-aws internal/service/";

/** Deep equality of two known JSON-like values; undefined when either contains an unknown. */
function same(a: unknown, b: unknown): boolean | undefined {
  if (isUnknown(a) || isUnknown(b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const each = a.map((x, i) => same(x, b[i]));
    return each.includes(undefined) ? undefined : each.every(Boolean);
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const each = [...keys].map((k) => same((a as any)[k], (b as any)[k]));
    return each.includes(undefined) ? undefined : each.every(Boolean);
  }
  return (a ?? null) === (b ?? null);
}

/**
 * Equality of two capacity provider strategies as the provider sees them: `capacity_provider_strategy` is a TypeSet
 * (internal/service/ecs/service.go resourceService Schema), so order does not count, and an element's optional
 * `base`/`weight` (TypeInt) is 0 when unset. Undefined when either side holds an unknown.
 */
function sameStrategies(a: unknown, b: unknown): boolean | undefined {
  if (isUnknown(a) || isUnknown(b)) return undefined;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const element = (x: any): unknown => (x && typeof x === "object" && !isUnknown(x) ? { capacityProvider: x.capacityProvider, base: x.base ?? 0, weight: x.weight ?? 0 } : x);
  const left = list(a).map(element), right = list(b).map(element);
  if (left.length !== right.length) return false;
  const unmatched = [...right];
  for (const x of left) {
    const each = unmatched.map((y) => same(x, y));
    const at = each.indexOf(true);
    if (at >= 0) { unmatched.splice(at, 1); continue; }
    return each.includes(undefined) ? undefined : false;
  }
  return true;
}

/** aws_s3_bucket_versioning's inline CustomizeDiff: an existing bucket's versioning cannot go back to Disabled (S3 answers MalformedXML). */
function bucketVersioningRules(): HandRule[] {
  const status = (i: Record<string, unknown>): unknown => (i.versioningConfiguration as { status?: unknown } | undefined)?.status;
  return [
    {
      kind: "CustomizeDiff (update)", text: "versioningConfiguration.status cannot change from Enabled or Suspended to Disabled",
      source: `${TF}s3/bucket_versioning.go resourceBucketVersioning CustomizeDiff (inline func, diff.Id() != "")`,
      checkUpdate: (o, n) => {
        const from = status(o), to = status(n);
        return to === "Disabled" && (from === "Enabled" || from === "Suspended")
          ? [{ property: "versioningConfiguration.status", value: to, kind: "CustomizeDiff (update)", text: `cannot be updated from ${from} to Disabled` }] : [];
      },
    },
  ];
}

/**
 * aws_vpc_security_group_{ingress,egress}_rule are plugin-framework resources (no schema.Schema map for extract.mjs): their rules as
 * read in internal/service/ec2/vpc_security_group_ingress_rule.go (the code index's stored copy, an older framework revision,
 * commit 00a322094b4b9ade8a81b244345dbcf4b52ee8d6): ConfigValidators resourcevalidator.ExactlyOneOf(cidr_ipv4, cidr_ipv6,
 * prefix_list_id, referenced_security_group_id); from_port and to_port int64validator.Between(-1, 65535); ip_protocol Required.
 * The egress file was not read: its rules are taken to be the same (newer revisions build both from one securityGroupRule type).
 */
function securityGroupRuleRules(file: string): HandRule[] {
  const source = `${TF}ec2/${file}`;
  const targets = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"];
  return [
    {
      kind: "ExactlyOneOf", text: `exactly one of ${targets.join(", ")}`, source: `${source} ConfigValidators (resourcevalidator.ExactlyOneOf)`,
      check: (i) => {
        const p = targets.map((k) => presence(i[k]));
        const set = targets.filter((_, n) => p[n] === "set");
        if (set.length > 1 || (set.length === 0 && !p.includes("unknown"))) {
          return [{ property: set[1] ?? targets[0], value: set.length ? i[set[1]] : null, kind: "ExactlyOneOf", text: `exactly one of ${targets.join(", ")} (found ${set.length ? set.join(", ") : "none"})` }];
        }
        return [];
      },
    },
    {
      kind: "intRange", text: "fromPort and toPort between -1 and 65535", source: `${source} Schema from_port/to_port (int64validator.Between(-1, 65535))`,
      check: (i) => ["fromPort", "toPort"].flatMap((k) => (typeof i[k] === "number" && ((i[k] as number) < -1 || (i[k] as number) > 65535) ? [{ property: k, value: i[k], kind: "intRange", text: "between -1 and 65535" }] : [])),
    },
    {
      kind: "required", text: "ipProtocol is required", source: `${source} Schema ip_protocol (Required)`,
      check: (i) => (presence(i.ipProtocol) === "unset" ? [{ property: "ipProtocol", value: i.ipProtocol ?? null, kind: "required", text: "required" }] : []),
    },
  ];
}

/**
 * aws_scheduler_schedule: its file was not in this table's extraction run; these are its Schema's validators as read in
 * internal/service/scheduler/schedule.go at commit ba2931406ac6b8627b6360a3b0194a255b070c8e (validation.IntBetween, StringLenBetween,
 * MaxItems, enum.Validate). Only the properties this program sets; unknown values are skipped.
 */
function scheduleRules(): HandRule[] {
  const source = `${TF}scheduler/schedule.go resourceSchedule Schema (read at ba2931406ac6b8627b6360a3b0194a255b070c8e)`;
  const at = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === "object" && !isUnknown(v) ? (v as any)[k] : undefined), o);
  const int = (property: string, value: unknown, min: number, max: number): HandProblem[] =>
    typeof value === "number" && (value < min || value > max || !Number.isInteger(value)) ? [{ property, value, kind: "IntBetween", text: `between ${min} and ${max}` }] : [];
  const len = (property: string, value: unknown, min: number, max: number): HandProblem[] =>
    typeof value === "string" && (value.length < min || value.length > max) ? [{ property, value, kind: "StringLenBetween", text: `${min} to ${max} characters` }] : [];
  return [
    {
      kind: "IntBetween", text: "target.retryPolicy: maximumEventAgeInSeconds 60..86400, maximumRetryAttempts 0..185; target.ecsParameters.taskCount 0..10; flexibleTimeWindow.maximumWindowInMinutes 1..1440", source,
      check: (i) => [
        ...int("target.retryPolicy.maximumEventAgeInSeconds", at(i, "target", "retryPolicy", "maximumEventAgeInSeconds"), 60, 86400),
        ...int("target.retryPolicy.maximumRetryAttempts", at(i, "target", "retryPolicy", "maximumRetryAttempts"), 0, 185),
        ...int("target.ecsParameters.taskCount", at(i, "target", "ecsParameters", "taskCount"), 0, 10),
        ...int("flexibleTimeWindow.maximumWindowInMinutes", at(i, "flexibleTimeWindow", "maximumWindowInMinutes"), 1, 1440),
      ],
    },
    {
      kind: "StringLenBetween", text: "scheduleExpression 1..256, scheduleExpressionTimezone 1..50, groupName and name 1..64 characters", source,
      check: (i) => [
        ...len("scheduleExpression", i.scheduleExpression, 1, 256), ...len("scheduleExpressionTimezone", i.scheduleExpressionTimezone, 1, 50),
        ...len("groupName", i.groupName, 1, 64), ...len("name", i.name, 1, 64),
      ],
    },
    {
      kind: "required", text: "flexibleTimeWindow.mode (OFF or FLEXIBLE), scheduleExpression and target (arn, roleArn) are required", source,
      check: (i) => {
        const out: HandProblem[] = [];
        const mode = at(i, "flexibleTimeWindow", "mode");
        if (!isUnknown(i.flexibleTimeWindow) && !isUnknown(mode) && mode !== "OFF" && mode !== "FLEXIBLE") out.push({ property: "flexibleTimeWindow.mode", value: mode ?? null, kind: "enum", text: "OFF or FLEXIBLE" });
        for (const k of ["scheduleExpression", "target"]) if (presence(i[k]) === "unset") out.push({ property: k, value: null, kind: "required", text: `${k} is required` });
        if (presence(i.target) === "set" && !isUnknown(i.target)) for (const k of ["arn", "roleArn"]) if (presence(at(i, "target", k)) === "unset") out.push({ property: `target.${k}`, value: null, kind: "required", text: `target.${k} is required` });
        return out;
      },
    },
    {
      kind: "MaxItems/IntBetween", text: "target.ecsParameters.capacityProviderStrategies: at most 6, each base 0..100000 and weight 0..1000", source,
      check: (i) => {
        const list = at(i, "target", "ecsParameters", "capacityProviderStrategies");
        if (!Array.isArray(list)) return [];
        const p = "target.ecsParameters.capacityProviderStrategies";
        return [
          ...(list.length > 6 ? [{ property: p, value: list.length, kind: "MaxItems", text: "at most 6" }] : []),
          ...list.flatMap((c: any, n) => [...int(`${p}[${n}].base`, c?.base, 0, 100000), ...int(`${p}[${n}].weight`, c?.weight, 0, 1000)]),
        ];
      },
    },
  ];
}

/**
 * The create-time name pattern and FIFO-only settings of aws_sns_topic (sns/topic.go resourceTopicCustomizeDiff) and
 * aws_sqs_queue (sqs/queue.go resourceQueueCustomizeDiff): a FIFO name ends in ".fifo"; archive policy (topics) and
 * content-based deduplication are for FIFO only. A name the program leaves to Pulumi's autonaming is not checked.
 */
function fifoRules(file: string, what: string, fifoKey: string, maxName: number, fifoOnly: string[]): HandRule[] {
  const source = `${TF}${file}`;
  return [
    {
      kind: "CustomizeDiff", text: `name: 1 to ${maxName} of letters, digits, _ and - (FIFO: ending in .fifo)`, source: `${source} (name at create: regexache ^[0-9A-Za-z_-]{1,${maxName}}$, FIFO ^[0-9A-Za-z_-]{1,${maxName - 5}}\\.fifo$)`,
      check: (i) => {
        if (typeof i.name !== "string" || isUnknown(i[fifoKey])) return [];
        const re = i[fifoKey] === true ? new RegExp(`^[0-9A-Za-z_-]{1,${maxName - 5}}\\.fifo$`) : new RegExp(`^[0-9A-Za-z_-]{1,${maxName}}$`);
        return re.test(i.name) ? [] : [{ property: "name", value: i.name, kind: "CustomizeDiff", text: `invalid ${what} name` }];
      },
    },
    {
      kind: "CustomizeDiff", text: `${fifoOnly.join(" and ")} only with ${fifoKey}`, source,
      check: (i) => (i[fifoKey] === true || isUnknown(i[fifoKey]) ? [] : fifoOnly.filter((k) => presence(i[k]) === "set" && i[k] !== false)
        .map((k) => ({ property: k, value: i[k], kind: "CustomizeDiff", text: `${k} can only be set for a FIFO ${what}` }))),
    },
  ];
}

export const HAND_RULES: Readonly<Record<string, HandRule[]>> = {
  "aws:sns/topic:Topic": fifoRules("sns/topic.go resourceTopicCustomizeDiff", "topic", "fifoTopic", 256, ["archivePolicy", "contentBasedDeduplication"]),
  "aws:sqs/queue:Queue": fifoRules("sqs/queue.go resourceQueueCustomizeDiff", "queue", "fifoQueue", 80, ["contentBasedDeduplication"]),
  "aws:ecr/repository:Repository": [
    {
      kind: "CustomizeDiff", text: "imageTagMutabilityExclusionFilters only with imageTagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION",
      source: `${TF}ecr/repository.go validateImageTagMutabilityExclusionFilterUsage`,
      check: (i) => {
        const m = i.imageTagMutability;
        if (presence(i.imageTagMutabilityExclusionFilters) !== "set" || isUnknown(m) || m === "IMMUTABLE_WITH_EXCLUSION" || m === "MUTABLE_WITH_EXCLUSION") return [];
        return [{ property: "imageTagMutabilityExclusionFilters", value: i.imageTagMutabilityExclusionFilters, kind: "CustomizeDiff", text: `exclusion filters with imageTagMutability ${m ?? "MUTABLE (the default)"}` }];
      },
    },
  ],
  "aws:s3/bucketVersioning:BucketVersioning": bucketVersioningRules(),
  "aws:s3/bucketVersioningV2:BucketVersioningV2": bucketVersioningRules(),
  "aws:scheduler/schedule:Schedule": scheduleRules(),
  "aws:scheduler/scheduleGroup:ScheduleGroup": [
    {
      kind: "StringLenBetween/StringMatch", text: "name: 1 to 64 of letters, digits, _, . and -",
      source: `${TF}scheduler/schedule_group.go resourceScheduleGroup Schema name (read at ccdfa898ead0b3742687d9a105740225179e0938)`,
      check: (i) => (typeof i.name === "string" && !/^[0-9A-Za-z_.-]{1,64}$/.test(i.name)
        ? [{ property: "name", value: i.name, kind: "StringLenBetween/StringMatch", text: "1 to 64 of letters, digits, _, . and -" }] : []),
    },
  ],
  "aws:lb/listenerRule:ListenerRule": [
    {
      kind: "intRange",
      text: "priority between 1 and 50000, or 99999 (the default rule)",
      source: `${TF}elbv2/listener_rule.go Schema priority (ValidateFunc validListenerRulePriority: listenerRulePriorityMin 1, listenerRulePriorityMax 50_000, listenerRulePriorityDefault 99_999)`,
      check: (i) => {
        const v = i.priority;
        if (typeof v !== "number" || (v >= 1 && v <= 50000) || v === 99999) return [];
        return [{ property: "priority", value: v, kind: "intRange", text: "between 1 and 50000, or 99999 (the default rule)" }];
      },
    },
  ],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRuleRules("vpc_security_group_ingress_rule.go"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRuleRules("vpc_security_group_ingress_rule.go (egress file not read, same rules assumed)"),
  "aws:ecs/capacityProvider:CapacityProvider": [
    {
      kind: "CustomizeDiff",
      text: "exactly one of autoScalingGroupProvider or managedInstancesProvider; cluster only with managedInstancesProvider",
      source: `${TF}ecs/capacity_provider.go resourceCapacityProvider CustomizeDiff (inline func): "exactly one of auto_scaling_group_provider or managed_instances_provider must be specified", "cluster must not be set when using auto_scaling_group_provider"`,
      check: (i) => {
        const asg = presence(i.autoScalingGroupProvider), managed = presence(i.managedInstancesProvider), cluster = presence(i.cluster);
        if (asg === "unknown" || managed === "unknown") return [];
        if ((asg === "set") === (managed === "set")) return [{ property: "autoScalingGroupProvider", value: i.autoScalingGroupProvider ?? null, kind: "CustomizeDiff", text: `${asg === "set" ? "both" : "neither"} of autoScalingGroupProvider and managedInstancesProvider` }];
        if (asg === "set" && cluster === "set") return [{ property: "cluster", value: i.cluster, kind: "CustomizeDiff", text: "cluster set with autoScalingGroupProvider" }];
        if (managed === "set" && cluster === "unset") return [{ property: "cluster", value: null, kind: "CustomizeDiff", text: "cluster required with managedInstancesProvider" }];
        return [];
      },
    },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    {
      kind: "CustomizeDiff",
      text: "one of statistic or extendedStatistic must be set when metricName is (not both)",
      source: `${TF}cloudwatch/metric_alarm.go resourceMetricAlarm CustomizeDiff (inline func): "One of \`statistic\` or \`extended_statistic\` must be set for a cloudwatch metric alarm"`,
      check: (i) => {
        if (presence(i.metricName) !== "set") return [];
        const s = presence(i.statistic), e = presence(i.extendedStatistic);
        if (s === "unknown" || e === "unknown") return [];
        if ((s === "set") === (e === "set")) return [{ property: "statistic", value: i.statistic ?? null, kind: "CustomizeDiff", text: `${s === "set" ? "both" : "neither of"} statistic and extendedStatistic set with metricName` }];
        return [];
      },
    },
    {
      kind: "CustomizeDiff",
      text: "no metricQueries element may have both expression and metric",
      source: `${TF}cloudwatch/metric_alarm.go resourceMetricAlarm CustomizeDiff (inline func): "No metric_query may have both \`expression\` and a \`metric\` specified"`,
      check: (i) => {
        if (!Array.isArray(i.metricQueries)) return [];
        return i.metricQueries.flatMap((q: any, n) =>
          q && typeof q.expression === "string" && q.expression !== "" && presence(q.metric) === "set"
            ? [{ property: `metricQueries[${n}].expression`, value: q.expression, kind: "CustomizeDiff", text: "expression and metric in one metricQueries element" }]
            : []);
      },
    },
  ],
  "aws:ecs/service:Service": [
    {
      kind: "CustomizeDiff (update)",
      text: "forceNewDeployment must be true when capacityProviderStrategies changes",
      source: `${TF}ecs/service.go capacityProviderStrategyCustomizeDiff: "force_new_deployment should be true when capacity_provider_strategy is being updated" (d.Id() != "" && d.HasChange; the strategy is a TypeSet)`,
      checkUpdate: (o, n) => {
        const changed = sameStrategies(o.capacityProviderStrategies, n.capacityProviderStrategies);
        if (changed !== false || isUnknown(n.forceNewDeployment) || n.forceNewDeployment === true) return [];
        return [{ property: "capacityProviderStrategies", value: n.capacityProviderStrategies ?? null, kind: "CustomizeDiff (update)", text: "capacityProviderStrategies changes without forceNewDeployment: true" }];
      },
    },
  ],
};
