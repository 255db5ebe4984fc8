// Private registries (registryCredentialsArn): a container whose image comes from ghcr.io or Docker Hub pulls
// with credentials ECS reads from Secrets Manager with the task's execution role (Amazon ECS Developer Guide,
// "Private registry authentication for tasks": repositoryCredentials.credentialsParameter is a Secrets Manager
// secret, and the execution role needs secretsmanager:GetSecretValue on it, kms:Decrypt with a customer key).
import assert from "node:assert/strict";
import { configProblems, json, planFixture, recordFixture } from "../helpers";

const GHCR = "arn:aws:secretsmanager:us-east-1:210987654321:secret:ghcr-pull-AbCdEf";
const HUB = "arn:aws:secretsmanager:us-east-1:210987654321:secret:dockerhub-pull-GhIjKl";
const KEY = "arn:aws:kms:us-east-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const problemsOf = configProblems;

describe("private registries (registryCredentialsArn)", () => {
  const overrides = {
    imageUrl: "ghcr.io/acme/orders:1.4.2", registryCredentialsArn: GHCR, secretsKmsKeyArns: JSON.stringify([KEY]),
    sidecars: JSON.stringify({ agent: { imageUrl: "docker.io/acme/agent:2.0", registryCredentialsArn: HUB } }),
    jobs: JSON.stringify({ nightly: { imageUrl: "ghcr.io/acme/report:1.0", schedule: "rate(1 day)", registryCredentialsArn: GHCR } }),
  };

  it("gives each container its repositoryCredentials: the service's, a sidecar's, a job's", async () => {
    const g = await recordFixture("small", overrides);
    const web = json(g.one(TD, "web-task").inputs.containerDefinitions);
    assert.deepEqual(web.map((c: any) => [c.name, c.repositoryCredentials]), [["web", { credentialsParameter: GHCR }], ["agent", { credentialsParameter: HUB }]]);
    const job = json(g.one(TD, "nightly-job-task").inputs.containerDefinitions);
    assert.deepEqual(job[0].repositoryCredentials, { credentialsParameter: GHCR });
  });

  it("lets the task's own execution role read exactly those secrets, and decrypt with the named key", async () => {
    const g = await recordFixture("small", overrides);
    const service = json(g.one(POLICY, "web-secrets").inputs.policy);
    assert.deepEqual(service.Statement.map((s: any) => [s.Action, s.Resource]), [["secretsmanager:GetSecretValue", [HUB, GHCR].sort()], ["kms:Decrypt", [KEY]]]);
    assert.equal(g.one(TD, "web-task").inputs.executionRoleArn, g.one("aws:iam/role:Role", "web-execution-role").outputs.arn, "the service's own role, not the cluster's");
    const job = json(g.one(POLICY, "nightly-job-secrets").inputs.policy);
    assert.deepEqual(job.Statement.map((s: any) => [s.Action, s.Resource]), [["secretsmanager:GetSecretValue", [GHCR]]]);
  });

  it("leaves a stack without private registries on the cluster's shared execution role", async () => {
    const g = await recordFixture("small");
    assert.deepEqual(g.ofType(POLICY).filter((p) => p.name.endsWith("-secrets")), []);
    for (const c of json(g.one(TD, "web-task").inputs.containerDefinitions)) assert.equal(c.repositoryCredentials, undefined);
  });

  it("refuses an SSM parameter, a JSON key, a secret of another region, naming the key and the service, sidecar or job", () => {
    assert.match(problemsOf({ registryCredentialsArn: "arn:aws:ssm:us-east-1:210987654321:parameter/ghcr" })[0], /^ecs-ec2-api:registryCredentialsArn = .* is not allowed: empty, or a Secrets Manager secret ARN .*ECS takes private registry credentials from Secrets Manager only/);
    assert.match(problemsOf({ registryCredentialsArn: `${GHCR}:password::` })[0], /registryCredentialsArn = .* no JSON key/);
    assert.match(problemsOf({ registryCredentialsArn: GHCR.replace("us-east-1", "eu-west-1") })[0], /a secret in the stack's region us-east-1 \(it is in eu-west-1\)/);
    assert.match(problemsOf({ sidecars: JSON.stringify({ agent: { imageUrl: "x/agent:1", registryCredentialsArn: "ghcr" } }) }).join("\n"), /sidecars\.agent\.registryCredentialsArn = "ghcr" is not allowed/);
    assert.match(problemsOf({ jobs: JSON.stringify({ nightly: { imageUrl: "x/r:1", schedule: "rate(1 day)", registryCredentialsArn: "ghcr" } }) }).join("\n"), /jobs\.nightly\.registryCredentialsArn = "ghcr" is not allowed/);
  });

  it("the plan shows where each private image's credentials come from", async () => {
    const { code, out } = await planFixture("small", ...Object.entries(overrides).flatMap(([k, v]) => ["--config", `${k}=${v}`]));
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`\\n {4}registry credentials +web <- Secrets Manager ${GHCR}; agent <- Secrets Manager ${HUB}\\n`));
    assert.match(out, new RegExp(`\\n {4}registry +private, credentials <- Secrets Manager ${GHCR}\\n`));
  });
});
