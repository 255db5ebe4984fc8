/** The container hosts' boot script. Pure, so the exact text is tested without an engine. */
import { ECS_RESERVED_MEMORY_MIB } from "../lib/instance-types";

export interface UserDataArgs {
  /** The ECS cluster the host joins. */
  clusterName: string;
  /** Install and start the SSM agent so operators can use Session Manager instead of SSH. */
  sessionManager?: boolean;
  /**
   * ENI trunking is on for the account. Nothing on the host reads it: a host gets a trunk interface only if
   * the account setting was on when it registered, so turning trunking on must replace the running hosts.
   * The marker changes the user data, hence the launch template version, hence the instance refresh.
   */
  eniTrunking?: boolean;
  /**
   * A Spot host: the agent drains its tasks (DRAINING, new tasks elsewhere, the load balancer lets
   * requests finish) as soon as AWS sends the two-minute interruption notice.
   */
  spotDraining?: boolean;
  /**
   * The host may start in a warm pool: the agent registers it with the cluster only once the Auto Scaling group puts
   * it in service, not while it is being prepared for the pool (ECS_WARM_POOLS_CHECK, agent 1.59.0 and later).
   */
  warmPoolsCheck?: boolean;
}

const CLUSTER_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Besides `ECS_CLUSTER` (the cluster the host joins), the user data:
 * - blocks awsvpc tasks from the instance metadata service (`ECS_AWSVPC_BLOCK_IMDS`), so a task can
 *   never read the host role's credentials, only its own task role's;
 * - reserves memory for the OS, the agent and Docker (`ECS_RESERVED_MEMORY`), matching the task
 *   capacity arithmetic that config validation uses.
 */
export function renderUserData(args: UserDataArgs): string {
  if (!CLUSTER_NAME_RE.test(args.clusterName)) {
    // The name lands in a shell heredoc; anything outside ECS's own name alphabet is refused, not quoted.
    throw new Error(`cluster name ${JSON.stringify(args.clusterName)} is not an ECS cluster name`);
  }
  const lines = [
    "#!/bin/bash",
    "set -euo pipefail",
    "cat >> /etc/ecs/ecs.config <<'EOF'",
    `ECS_CLUSTER=${args.clusterName}`,
    "ECS_AWSVPC_BLOCK_IMDS=true",
    `ECS_RESERVED_MEMORY=${ECS_RESERVED_MEMORY_MIB}`,
    ...(args.spotDraining ? ["ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"] : []),
    ...(args.warmPoolsCheck ? ["ECS_WARM_POOLS_CHECK=true"] : []),
    "EOF",
  ];
  if (args.eniTrunking) lines.push("# awsvpcTrunking: enabled for the account before this host registers (ENI trunking)");
  if (args.sessionManager) {
    lines.push(
      "# Session Manager: the agent ships with Amazon Linux 2023; install it where an image lacks it.",
      "rpm -q amazon-ssm-agent >/dev/null 2>&1 || dnf install -y amazon-ssm-agent || yum install -y amazon-ssm-agent",
      "systemctl enable --now amazon-ssm-agent",
    );
  }
  return lines.join("\n") + "\n";
}
