// The role unit (components/role.ts): every role the program creates goes through it, and carries the
// stack's permissions boundary when the stack sets one (the bootstrap's deploy role may create only bounded
// roles: docs/bootstrap.md).
import assert from "node:assert/strict";
import { PROGRAM_ROLE_PATH } from "../../lib/names";
import { recordFixture } from "../helpers";

const BOUNDARY = "arn:aws:iam::210987654321:policy/ecs-ec2-api-boundary";
/** Every kind of role: hosts and executions, flow logs (shaped), tasks with secrets, blue/green's ECS role, a job's and Scheduler's. */
const EVERY_ROLE = {
  deploymentStrategy: "blueGreen",
  secrets: JSON.stringify({ DB: "arn:aws:ssm:us-east-1:210987654321:parameter/db" }),
  jobs: JSON.stringify({ nightly: { imageUrl: "busybox", schedule: "rate(1 day)" } }),
};
const ROLE = "aws:iam/role:Role";

describe("roles and the permissions boundary (permissionsBoundaryArn)", () => {
  it("puts the boundary on every role the stack creates: hosts, executions, tasks, ECS traffic shifting, jobs, Scheduler, flow logs", async () => {
    const g = await recordFixture("shaped", { ...EVERY_ROLE, permissionsBoundaryArn: BOUNDARY });
    const roles = g.ofType(ROLE);
    for (const suffix of ["host-role", "execution-role", "flow-logs", "task-role", "ecs-infrastructure", "job-task-role", "job-execution-role", "scheduler-role"]) {
      assert.ok(roles.some((r) => r.name.endsWith(suffix)), `a role ${suffix}`);
    }
    for (const r of roles) assert.equal(r.inputs.permissionsBoundary, BOUNDARY, r.name);
  });

  // The bootstrap's deploy role may create, pass and tag only roles under the program's path: IAM scopes
  // iam:PassRole by the role's ARN, arn:aws:iam::<account>:role/<path><name> (IAM User Guide, "IAM identifiers").
  it("puts every role and the hosts' instance profile under the program's path, where the deploy role may pass them", async () => {
    const g = await recordFixture("shaped", { ...EVERY_ROLE, permissionsBoundaryArn: BOUNDARY });
    for (const r of [...g.ofType(ROLE), ...g.ofType("aws:iam/instanceProfile:InstanceProfile")]) assert.equal(r.inputs.path, PROGRAM_ROLE_PATH, r.name);
  });

  it("sets no boundary and no path without the key: a stack plans as before", async () => {
    const g = await recordFixture("shaped", EVERY_ROLE);
    for (const r of g.ofType(ROLE)) assert.deepEqual([r.inputs.permissionsBoundary, r.inputs.path], [undefined, undefined], r.name);
  });
});
