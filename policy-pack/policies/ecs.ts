// Container hardening. containerDefinitions is one JSON string; when it is unknown in preview (e.g. the image
// URI of an image built by the same update), reading it throws and the SDK reports the check as advisory
// "can't run during preview" — the check then runs for real at `up`.
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf, containers, controls, exempted, schema } from "./util";

const privilegedSchema = schema();

export const noPrivilegedContainers: ResourceValidationPolicy = {
  name: "no-privileged-containers",
  // Checkov CKV_AWS_334 is "Ensure ECS containers should run as non-privileged" (CKV_AWS_97 is EFS transit encryption).
  ...controls("ECS task definitions must not run any container in privileged mode.", { fsbp: "ECS.4", checkov: "CKV_AWS_334" }, "high"),
  enforcementLevel: "mandatory",
  configSchema: privilegedSchema,
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, args, report) => {
    exempted(args, privilegedSchema);
    const parsed = containers(td.containerDefinitions);
    if ("error" in parsed) return report(parsed.error);
    for (const c of parsed.list) {
      if (c.privileged === true) report(`container ${c.name} runs privileged, with root access to the host's devices; drop "privileged" and add only the Linux capabilities it needs`);
    }
  }),
};

const secretsSchema = schema({
  secretNamePatterns: {
    type: "array",
    items: { type: "string" },
    default: ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL"],
    description: "Case-insensitive regular expressions; an environment variable whose name matches one must come from `secrets`.",
  },
  allowedNames: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Variable names that match a pattern but hold no secret (e.g. \"CACHE_KEY_PREFIX\").",
  },
});

export const noPlaintextSecretsInEnv: ResourceValidationPolicy = {
  name: "no-plaintext-secrets-in-env",
  // Checkov has no CKV_AWS check for secret-like names in ECS environment variables (its secret scanner,
  // CKV_SECRET_*, looks at values instead); none is claimed.
  ...controls(
    "Container environment variables named like secrets (PASSWORD, SECRET, TOKEN, KEY and similar) must be passed through `secrets`, not `environment`.",
    { fsbp: "ECS.8", checkov: "none" },
    "high",
  ),
  enforcementLevel: "mandatory",
  configSchema: secretsSchema,
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, args, report) => {
    exempted(args, secretsSchema);
    const { secretNamePatterns, allowedNames } = configOf<{ secretNamePatterns: string[]; allowedNames: string[] }>(args, secretsSchema);
    const patterns = secretNamePatterns.map((p) => new RegExp(p, "i"));
    const parsed = containers(td.containerDefinitions);
    if ("error" in parsed) return report(parsed.error);
    for (const c of parsed.list) {
      for (const v of Array.isArray(c.environment) ? c.environment : []) {
        const name = String(v?.name ?? "");
        if (!allowedNames.includes(name) && patterns.some((p) => p.test(name))) {
          report(`container ${c.name} passes ${name} as a plain environment variable, visible to anyone who can describe the task definition; reference it from Secrets Manager or SSM in \`secrets\``);
        }
      }
    }
  }),
};

const loggingSchema = schema();

export const containerLoggingConfigured: ResourceValidationPolicy = {
  name: "container-logging-configured",
  // No Checkov CKV_AWS check for a task definition's logConfiguration is known (CKV_AWS_335 is the host PID
  // namespace, CKV_AWS_223/224 are cluster-level ECS Exec logging); none is claimed.
  ...controls("Every container of an ECS task definition must have a logConfiguration with a logDriver.", { fsbp: "ECS.9", checkov: "none" }, "medium"),
  enforcementLevel: "mandatory",
  configSchema: loggingSchema,
  validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (td, args, report) => {
    exempted(args, loggingSchema);
    const parsed = containers(td.containerDefinitions);
    if ("error" in parsed) return report(parsed.error);
    for (const c of parsed.list) {
      if (!c.logConfiguration?.logDriver) report(`container ${c.name} has no logConfiguration.logDriver, so its output is lost when the task stops`);
    }
  }),
};

const insightsSchema = schema();

export const containerInsightsEnabled: ResourceValidationPolicy = {
  name: "container-insights-enabled",
  ...controls("ECS clusters must enable Container Insights (setting containerInsights \"enabled\" or \"enhanced\").", { fsbp: "ECS.12", checkov: "CKV_AWS_65" }, "low"),
  enforcementLevel: "advisory",
  configSchema: insightsSchema,
  validateResource: validateResourceOfType(aws.ecs.Cluster, (cluster, args, report) => {
    exempted(args, insightsSchema);
    const setting = (cluster.settings ?? []).find((s) => s.name === "containerInsights");
    if (!setting || !["enabled", "enhanced"].includes(setting.value)) {
      report(`containerInsights is ${setting ? JSON.stringify(setting.value) : "not set"}; set it to "enabled" (or "enhanced") for task- and host-level metrics`);
    }
  }),
};

export const ecsPolicies = [noPrivilegedContainers, noPlaintextSecretsInEnv, containerLoggingConfigured, containerInsightsEnabled];
