// The container hosts' boot script (components/user-data.ts): pure, so its exact text is pinned here
// without an engine. The launch template's user data is this text, base64-encoded (tests/components/cluster.test.ts).
import assert from "node:assert/strict";
import { renderUserData } from "../../components/user-data";
import { ECS_RESERVED_MEMORY_MIB } from "../../lib/instance-types";

/** The boot script for cluster "api-cluster-1a2b3c4", as a host runs it: a snapshot, kept literal on purpose. */
const BASE_SCRIPT = [
  "#!/bin/bash",
  "set -euo pipefail",
  "cat >> /etc/ecs/ecs.config <<'EOF'",
  "ECS_CLUSTER=api-cluster-1a2b3c4",
  "ECS_AWSVPC_BLOCK_IMDS=true",
  "ECS_RESERVED_MEMORY=256",
  "EOF",
  "",
].join("\n");

const SSM_AGENT_LINES = [
  "# Session Manager: the agent ships with Amazon Linux 2023; install it where an image lacks it.",
  "rpm -q amazon-ssm-agent >/dev/null 2>&1 || dnf install -y amazon-ssm-agent || yum install -y amazon-ssm-agent",
  "systemctl enable --now amazon-ssm-agent",
  "",
].join("\n");

describe("renderUserData: the container hosts' boot script", () => {
  it("writes ECS_CLUSTER, the task IMDS block and the memory reserve into /etc/ecs/ecs.config, nothing else", () => {
    assert.equal(renderUserData({ clusterName: "api-cluster-1a2b3c4" }), BASE_SCRIPT);
  });

  it("renders the same script when Session Manager is explicitly off", () => {
    assert.equal(renderUserData({ clusterName: "api-cluster-1a2b3c4", sessionManager: false }), BASE_SCRIPT);
  });

  it("reserves the memory the task-capacity arithmetic assumes", () => {
    assert.equal(ECS_RESERVED_MEMORY_MIB, 256, "the snapshot above pins ECS_RESERVED_MEMORY=256");
    assert.match(renderUserData({ clusterName: "c" }), new RegExp(`^ECS_RESERVED_MEMORY=${ECS_RESERVED_MEMORY_MIB}$`, "m"));
  });

  it("names exactly the given cluster, in a quoted heredoc that the shell does not expand", () => {
    const script = renderUserData({ clusterName: "Team_A-prod-42" });
    assert.deepEqual(script.split("\n").filter((l) => l.startsWith("ECS_CLUSTER=")), ["ECS_CLUSTER=Team_A-prod-42"]);
    assert.match(script, /<<'EOF'\n/);
  });

  it("adds the SSM agent install and start after the ECS config when Session Manager is on", () => {
    assert.equal(renderUserData({ clusterName: "api-cluster-1a2b3c4", sessionManager: true }), BASE_SCRIPT + SSM_AGENT_LINES);
  });

  // Amazon ECS Developer Guide, "Configuring pre-initialized instances for your Amazon ECS Auto Scaling group": with a
  // warm pool, ECS_WARM_POOLS_CHECK=true in /etc/ecs/ecs.config (agent 1.59.0 and later).
  it("adds ECS_WARM_POOLS_CHECK=true to the agent config when the host may start in a warm pool, and nothing else", () => {
    assert.equal(renderUserData({ clusterName: "api-cluster-1a2b3c4", warmPoolsCheck: true }), BASE_SCRIPT.replace("ECS_RESERVED_MEMORY=256\n", "ECS_RESERVED_MEMORY=256\nECS_WARM_POOLS_CHECK=true\n"));
    assert.equal(renderUserData({ clusterName: "api-cluster-1a2b3c4", warmPoolsCheck: false }), BASE_SCRIPT);
  });

  it("never mentions the SSM agent when Session Manager is off", () => {
    assert.doesNotMatch(renderUserData({ clusterName: "api-cluster-1a2b3c4" }), /ssm/i);
  });

  it("accepts every character of ECS's cluster-name alphabet, up to 255 characters", () => {
    const longest = "a".repeat(255);
    assert.match(renderUserData({ clusterName: longest }), new RegExp(`^ECS_CLUSTER=${longest}$`, "m"));
    assert.match(renderUserData({ clusterName: "AZaz09_-" }), /^ECS_CLUSTER=AZaz09_-$/m);
  });

  for (const clusterName of ["a;rm -rf /", "$(x)", "`x`", "a\nb", "web\n", "EOF\nrm -rf /", "a b", "a'b", 'a"b', "a|b", "a&b", "a>b", "", "a".repeat(256)]) {
    it(`refuses the cluster name ${JSON.stringify(clusterName.length > 40 ? `${clusterName.slice(0, 8)}…(${clusterName.length} chars)` : clusterName)} instead of quoting it`, () => {
      assert.throws(() => renderUserData({ clusterName }), (err: Error) => {
        assert.match(err.message, /is not an ECS cluster name/);
        assert.ok(err.message.includes(JSON.stringify(clusterName)), "the error names the refused value");
        return true;
      });
      assert.throws(() => renderUserData({ clusterName, sessionManager: true }), /is not an ECS cluster name/);
    });
  }
});
