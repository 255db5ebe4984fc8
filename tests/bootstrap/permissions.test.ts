// The deploy role's permissions come from a table of what each resource type and data source of the program asks
// of AWS (bootstrap/permissions.ts). Complete on the program's source (a type added later without a row turns this
// red, naming it), and on the program's recorded plans: variants that together register every type.
import assert from "node:assert/strict";
import { Graph, RecordedResource } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { projectConfig } from "../../config/stack-files";
import main = require("../../index");
import { INVOKE_ACTIONS, MANAGED_POLICY_ACTIONS, RESOURCE_ACTIONS, actionsOf, serviceOf } from "../../bootstrap/permissions";
import { boundaryDocument, deployStatements, previewStatements, scopedResources, type Statement } from "../../bootstrap/policies";
import { awsTypes, awsxComponents, awsxTokenOf, programInvokes } from "../program-source";

/** Every type the program's source can register: its aws resources, and awsx's components by their own tokens. */
const programTypes = () => [...awsTypes(), ...awsxComponents().map((c) => ({ token: awsxTokenOf(c.token), where: c.where }))];

const ACCOUNT = { partition: "aws", accountId: "210987654321", region: "us-east-1" };

/** IAM's matching of an action or resource pattern (case-insensitive for actions, * and ? wildcards). */
const matches = (pattern: string, value: string, caseless = true) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseless ? "i" : "").test(value);
const allows = (statements: Statement[], action: string) => statements.some((s) => s.Effect === "Allow" && s.Action.some((a) => matches(a, action)));

describe("the deploy role's permissions table (bootstrap/permissions.ts)", () => {
  describe("on the program's source", () => {
    it("has a row for every resource type the program can register (new aws.<module>.<Type>( and awsx's ecr components)", () => {
      const missing = programTypes().filter((t) => !RESOURCE_ACTIONS[t.token]).map((t) => `${t.token} (${t.where})`);
      assert.deepEqual(missing, [], `types without permissions in bootstrap/permissions.ts: ${missing.join(", ")}`);
    });

    it("has no row for a type the program never registers: the deploy role gets nothing the program does not use", () => {
      const registered = new Set(programTypes().map((t) => t.token));
      assert.deepEqual(Object.keys(RESOURCE_ACTIONS).filter((t) => !registered.has(t)), []);
    });

    it("has the actions of every data source the program reads, and of none it does not", () => {
      const invoked = programInvokes();
      assert.deepEqual(invoked.filter((i) => !(i.token in INVOKE_ACTIONS)).map((i) => `${i.token} (${i.where})`), []);
      assert.deepEqual(Object.keys(INVOKE_ACTIONS).filter((t) => !invoked.some((i) => i.token === t)), []);
    });
  });

  describe("on the program's recorded plans: every feature, in two variants that together register every type", () => {
    // Over the seed (Pulumi.yaml's defaults): own network with HTTPS for a domain, WAF, alarms by email, access and
    // flow logs, Spot, autoscaling, ENI trunking, Session Manager, ECS Exec, several services that talk, a worker, a
    // queue worker sleeping at 0 on a customer managed key that the default service and a job send to, a sidecar,
    // secrets, a scheduled job, an image built from appPath, blue/green. Then an existing VPC.
    const seed = { ...projectConfig().values, "aws:region": "us-east-1" };
    const everything: Record<string, string> = {
      ...seed,
      "ecs-ec2-api:instanceType": "c6i.xlarge",
      "ecs-ec2-api:maxSize": "10",
      "ecs-ec2-api:domainName": "api.acme-orders.dev",
      "ecs-ec2-api:hostedZoneId": "Z04512343SFJ1ABCDEF",
      "ecs-ec2-api:waf": "true",
      "ecs-ec2-api:alarmEmail": "ops@acme-orders.dev",
      "ecs-ec2-api:accessLogs": "true",
      "ecs-ec2-api:flowLogs": "true",
      "ecs-ec2-api:spotInstanceTypes": JSON.stringify(["c6i.xlarge", "c5.xlarge"]),
      "ecs-ec2-api:autoscaling": "true",
      "ecs-ec2-api:eniTrunking": "true",
      "ecs-ec2-api:hostSessionManager": "true",
      "ecs-ec2-api:ecsExec": "true",
      "ecs-ec2-api:appPath": "app",
      "ecs-ec2-api:deploymentStrategy": "blueGreen",
      "ecs-ec2-api:sidecars": JSON.stringify({ envoy: { imageUrl: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.4.0-prod" } }),
      "ecs-ec2-api:secrets": JSON.stringify({ DB_URL: "arn:aws:ssm:us-east-1:210987654321:parameter/orders/db-url" }),
      "ecs-ec2-api:talksTo": JSON.stringify(["v2"]),
      "ecs-ec2-api:sendsTo": JSON.stringify(["mailer"]),
      "ecs-ec2-api:services": JSON.stringify({
        v2: { imageUrl: "public.ecr.aws/docker/library/nginx:latest", pathPatterns: ["/v2/*"], priority: 100 },
        worker: { imageUrl: "public.ecr.aws/docker/library/busybox:latest", command: ["sleep", "infinity"] },
        mailer: {
          imageUrl: "public.ecr.aws/docker/library/busybox:latest", desiredCount: 0, autoscaling: { minCount: 0, maxCount: 2 },
          queue: { kmsKeyArn: "arn:aws:kms:us-east-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b" },
        },
      }),
      "ecs-ec2-api:jobs": JSON.stringify({ nightly: { imageUrl: "public.ecr.aws/docker/library/busybox:latest", schedule: "cron(0 2 * * ? *)", sendsTo: ["mailer"] } }),
    };
    const existingVpc: Record<string, string> = {
      ...seed,
      "ecs-ec2-api:vpcId": "vpc-0abc1234def567890",
      "ecs-ec2-api:publicSubnetIds": JSON.stringify(["subnet-0aaa1111bbbb22223", "subnet-0aaa1111bbbb22224"]),
      "ecs-ec2-api:privateSubnetIds": JSON.stringify(["subnet-0ccc1111dddd22223", "subnet-0ccc1111dddd22224"]),
    };
    let graphs: Graph[];
    before(async function () {
      this.timeout(60000);
      graphs = [
        new Graph(await runProgram(main, { stack: "everything", config: everything })),
        new Graph(await runProgram(main, { stack: "existing-vpc", config: existingVpc })),
      ];
    });
    const recorded = () => [...new Set(graphs.flatMap((g) => g.resources.filter((r) => r.custom || r.type.startsWith("awsx:")).map((r) => r.type)))].sort();
    const deploy = () => deployStatements(ACCOUNT);

    it("registers every type of the table between them (the variants use every feature)", () => {
      assert.deepEqual(Object.keys(RESOURCE_ACTIONS).filter((t) => !recorded().includes(t)), []);
    });

    it("gives every recorded resource type's service prefix actions in the deploy policy, every action of its row", () => {
      for (const type of recorded()) {
        const row = RESOURCE_ACTIONS[type];
        assert.ok(row, `${type} is recorded but has no row in bootstrap/permissions.ts`);
        for (const service of new Set(actionsOf(row).map(serviceOf))) assert.ok(deploy().some((s) => s.Effect === "Allow" && s.Action.some((a) => a.startsWith(`${service}:`))), `${type}: no ${service}: action in the deploy policy`);
        for (const action of actionsOf(row)) assert.ok(allows(deploy(), action), `${type}: the deploy policy does not allow ${action}`);
      }
    });

    it("allows every data source the program read, in the deploy and in the preview policy", () => {
      for (const token of new Set(graphs.flatMap((g) => g.recording.invokes.map((i) => i.token)))) {
        assert.ok(token in INVOKE_ACTIONS, `${token} is read but has no row in INVOKE_ACTIONS`);
        for (const action of INVOKE_ACTIONS[token]) {
          assert.ok(allows(deploy(), action), `deploy: ${token} needs ${action}`);
          assert.ok(allows(previewStatements(ACCOUNT), action), `preview: ${token} needs ${action}`);
        }
      }
    });

    it("passes each role only to the services its trust names, and the deploy policy allows passing to each", () => {
      const pass = deploy().find((s) => s.Action.includes("iam:PassRole"))!;
      const services = [pass.Condition!.StringEquals["iam:PassedToService"]].flat();
      const roles = graphs.flatMap((g) => g.ofType("aws:iam/role:Role"));
      for (const role of roles) {
        for (const st of JSON.parse(String(role.inputs.assumeRolePolicy)).Statement) {
          const principal = st.Principal.Service;
          assert.ok(services.includes(principal), `${role.name} is trusted by ${principal}, to which the deploy role may not pass it`);
        }
      }
    });

    it("reaches the program's buckets, and only those: the recorded access-log buckets' names match the deploy policy's S3 resources", () => {
      const buckets = graphs.flatMap((g) => g.ofType("aws:s3/bucket:Bucket"));
      assert.ok(buckets.length > 0, "the variants create an access-log bucket");
      const [bucketPattern] = scopedResources(ACCOUNT).s3;
      for (const b of buckets) assert.ok(matches(bucketPattern, `arn:aws:s3:::${b.outputs.bucket}`, false), `${b.outputs.bucket} is outside ${bucketPattern}`);
    });

    it("leaves the program's roles everything their policies grant within the permissions boundary", () => {
      const boundary = boundaryDocument(ACCOUNT, []).Statement;
      const inline = (r: RecordedResource) => JSON.parse(String(r.inputs.policy)).Statement.filter((s: Statement) => s.Effect === "Allow").flatMap((s: Statement) => [s.Action].flat());
      for (const p of graphs.flatMap((g) => g.ofType("aws:iam/rolePolicy:RolePolicy"))) {
        for (const action of inline(p)) assert.ok(allows(boundary, action), `${p.name} grants ${action}, which the boundary does not allow`);
      }
      for (const a of graphs.flatMap((g) => g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"))) {
        const managed = /^arn:aws:iam::aws:policy\/(.+)$/.exec(String(a.inputs.policyArn))?.[1];
        if (!managed) continue; // a team's own policy (taskPolicyArns): its actions go in applicationActions
        assert.ok(MANAGED_POLICY_ACTIONS[managed], `${a.name} attaches ${managed}, which bootstrap/permissions.ts MANAGED_POLICY_ACTIONS does not list`);
        for (const action of MANAGED_POLICY_ACTIONS[managed]) assert.ok(allows(boundary, action), `${managed} grants ${action}, which the boundary does not allow`);
      }
    });
  });
});
