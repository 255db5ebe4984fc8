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

export const HAND_RULES: Readonly<Record<string, HandRule[]>> = {
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
      source: `${TF}ecs/service.go capacityProviderStrategyCustomizeDiff: "force_new_deployment should be true when capacity_provider_strategy is being updated" (d.Id() != "" && d.HasChange)`,
      checkUpdate: (o, n) => {
        const changed = same(o.capacityProviderStrategies ?? [], n.capacityProviderStrategies ?? []);
        if (changed !== false || isUnknown(n.forceNewDeployment) || n.forceNewDeployment === true) return [];
        return [{ property: "capacityProviderStrategies", value: n.capacityProviderStrategies ?? null, kind: "CustomizeDiff (update)", text: "capacityProviderStrategies changes without forceNewDeployment: true" }];
      },
    },
  ],
  "aws:servicediscovery/httpNamespace:HttpNamespace": [
    {
      kind: "required",
      text: "name is required",
      source: `${TF}servicediscovery/http_namespace.go resourceHTTPNamespace Schema: name Required, ForceNew, ValidateFunc validNamespaceName (hand-written: file not extracted in this run; validNamespaceName's pattern not read here)`,
      check: (i) => (presence(i.name) === "unset" ? [{ property: "name", value: i.name ?? null, kind: "required", text: "name is required" }] : []),
    },
  ],
  "aws:autoscaling/group:Group": [
    {
      kind: "ExactlyOneOf",
      text: "exactly one of launchConfiguration, launchTemplate, mixedInstancesPolicy",
      source: `${TF}autoscaling/group.go resourceGroup Schema: launch_configuration/launch_template/mixed_instances_policy ExactlyOneOf (hand-written: file not extracted in this run)`,
      check: (i) => {
        const keys = ["launchConfiguration", "launchTemplate", "mixedInstancesPolicy"];
        const p = keys.map((k) => presence(i[k]));
        const set = keys.filter((_, n) => p[n] === "set");
        if (set.length > 1 || (set.length === 0 && !p.includes("unknown"))) {
          return [{ property: set[1] ?? keys[0], value: set.length ? i[set[1]] : null, kind: "ExactlyOneOf", text: `exactly one of ${keys.join(", ")} (found ${set.length ? set.join(", ") : "none"})` }];
        }
        return [];
      },
    },
  ],
};
