import assert from "node:assert/strict";
import { containerInsightsEnabled, containerLoggingConfigured, noPlaintextSecretsInEnv, noPrivilegedContainers } from "../../policy-pack/policies";
import { UNKNOWN, resource, verdict, violations } from "./helpers";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const CLUSTER = "aws:ecs/cluster:Cluster";

const logging = { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" } };
const container = (extra: Record<string, unknown> = {}) => ({ name: "web", image: "nginx:1.27", essential: true, logConfiguration: logging, ...extra });
const task = (...containers: Record<string, unknown>[]) => resource(TASK, "web-task", { family: "web", containerDefinitions: JSON.stringify(containers) });

describe("no-privileged-containers", () => {
  it("accepts containers that do not ask for privileged mode", async () => {
    assert.deepEqual(await violations(noPrivilegedContainers, [task(container(), container({ name: "sidecar", privileged: false }))]), []);
  });

  it("rejects a privileged container", async () => {
    const found = await violations(noPrivilegedContainers, [task(container(), container({ name: "agent", privileged: true }))]);
    assert.equal(found.length, 1);
    assert.match(found[0], /^container agent runs privileged/);
  });

  it("reports a containerDefinitions document that is not JSON instead of crashing", async () => {
    const bad = resource(TASK, "bad", { containerDefinitions: "[{" });
    assert.match((await violations(noPrivilegedContainers, [bad])).join(), /containerDefinitions is not valid JSON/);
  });

  it("leaves an unknown containerDefinitions to `up`: the engine's advisory 'can't run during preview'", async () => {
    const v = await verdict(noPrivilegedContainers, [resource(TASK, "web-task", { containerDefinitions: UNKNOWN }, { preview: true })], { preview: true });
    assert.equal(v.passed, true);
    assert.match(v.unverified?.[0].message ?? "", /can't run policy 'no-privileged-containers' during preview: .*containerDefinitions can't be known during preview/);
  });
});

describe("no-plaintext-secrets-in-env", () => {
  it("accepts secrets passed through `secrets` and harmless environment variables", async () => {
    const c = container({ environment: [{ name: "PORT", value: "80" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }] });
    assert.deepEqual(await violations(noPlaintextSecretsInEnv, [task(c)]), []);
  });

  it("rejects a password, a token and an access key passed as plain environment variables", async () => {
    const c = container({
      environment: [
        { name: "DB_PASSWORD", value: "hunter2" },
        { name: "github_token", value: "ghp_x" },
        { name: "AWS_ACCESS_KEY_ID", value: "AKIA..." },
        { name: "LOG_LEVEL", value: "info" },
      ],
    });
    const found = await violations(noPlaintextSecretsInEnv, [task(c)]);
    assert.deepEqual(found.map((m) => m.split(" ")[3]), ["DB_PASSWORD", "github_token", "AWS_ACCESS_KEY_ID"]);
  });

  it("takes the name patterns and the allowed names from config", async () => {
    const c = container({ environment: [{ name: "CACHE_KEY_PREFIX", value: "v1" }, { name: "PIN", value: "1234" }] });
    const config = { "no-plaintext-secrets-in-env": { secretNamePatterns: ["KEY", "^PIN$"], allowedNames: ["CACHE_KEY_PREFIX"] } };
    assert.deepEqual((await violations(noPlaintextSecretsInEnv, [task(c)], { config })).map((m) => m.split(" ")[3]), ["PIN"]);
  });
});

describe("container-logging-configured", () => {
  it("accepts containers that all have a log driver", async () => {
    assert.deepEqual(await violations(containerLoggingConfigured, [task(container(), container({ name: "sidecar" }))]), []);
  });

  it("rejects a container without logConfiguration", async () => {
    const found = await violations(containerLoggingConfigured, [task(container(), container({ name: "sidecar", logConfiguration: undefined }))]);
    assert.deepEqual(found, ["container sidecar has no logConfiguration.logDriver, so its output is lost when the task stops"]);
  });
});

describe("container-insights-enabled", () => {
  it("accepts a cluster with Container Insights enabled or enhanced", async () => {
    const found = await violations(containerInsightsEnabled, [
      resource(CLUSTER, "a", { settings: [{ name: "containerInsights", value: "enabled" }] }),
      resource(CLUSTER, "b", { settings: [{ name: "containerInsights", value: "enhanced" }] }),
    ]);
    assert.deepEqual(found, []);
  });

  it("rejects a cluster without the setting or with it disabled (advisory by default)", async () => {
    const v = await verdict(containerInsightsEnabled, [resource(CLUSTER, "a", {}), resource(CLUSTER, "b", { settings: [{ name: "containerInsights", value: "disabled" }] })]);
    assert.equal(v.enforcementLevel, "advisory");
    assert.deepEqual(
      v.violations.map((x) => x.message),
      ['containerInsights is not set; set it to "enabled" (or "enhanced") for task- and host-level metrics', 'containerInsights is "disabled"; set it to "enabled" (or "enhanced") for task- and host-level metrics'],
    );
  });
});
