/**
 * The configurations whose resource URNs tests/plan/urns.test.ts keeps stable: the committed stacks as they
 * were when their URNs were recorded (tests/fixtures/urn-stacks/: URN stability is the program's, for a
 * given config; a team's edits to its own stack files change its resources on purpose), and the seed with
 * every optional resource on. tests/fixtures/urns.json holds their URNs as deployed stacks have
 * them; a URN is a resource's identity in the stack's state, so one that disappears without an alias is
 * a delete and a create (a replacement) on the next `pulumi up`.
 */
export interface UrnVariant {
  /** A committed stack's config as recorded (tests/fixtures/urn-stacks/Pulumi.<stack>.yaml), or (undefined) Pulumi.yaml's defaults in us-east-1. */
  stack?: string;
  /** A fixture stack of tests/fixtures/stacks/ instead. */
  fixture?: string;
  /** Project keys over it. */
  overrides: Record<string, string>;
  /** Project keys it sets that the variant leaves unset. */
  removed?: string[];
}

const IMAGE = "public.ecr.aws/docker/library/nginx:1.27";
const DB_SECRET = { DB: "arn:aws:ssm:us-east-1:210987654321:parameter/db" };
const NIGHTLY = JSON.stringify({ nightly: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", schedule: "cron(0 2 * * ? *)", secrets: DB_SECRET, egressRules: [{ port: 5432, cidr: "vpc" }] } });

export const VARIANTS: Record<string, UrnVariant> = {
  dev: { stack: "dev", overrides: {} },
  staging: { stack: "staging", overrides: {} },
  prod: { stack: "prod", overrides: {} },
  "seed, everything on": {
    overrides: {
      instanceType: "c6i.large", eniTrunking: "true", hostSessionManager: "true", flowLogs: "true", accessLogs: "true",
      deletionProtection: "true", ecsExec: "true", autoscaling: "true", appPath: "app", containerPort: "8080",
      certificateArn: "arn:aws:acm:us-east-1:210987654321:certificate/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
    },
  },
  // Recorded before the task unit, the edge's routes and the host pools moved resources between components.
  "services, jobs, Spot and blue/green on the shaped fixture": {
    fixture: "shaped",
    overrides: {
      services: JSON.stringify({
        v2: { imageUrl: IMAGE, containerPort: 8080, pathPatterns: ["/v2/*"], priority: 100, deploymentStrategy: "canary", talksTo: ["billing"], sidecars: { envoy: { imageUrl: "envoyproxy/envoy:v1.31.0" } } },
        billing: { imageUrl: IMAGE, hostHeaders: ["billing.acme-api.dev"], priority: 200, deploymentStrategy: "linear", autoscaling: { minCount: 1, maxCount: 3 } },
        worker: { imageUrl: "public.ecr.aws/docker/library/busybox:1.36", talksTo: ["v2"], secrets: DB_SECRET, desiredCount: 1 },
      }),
      jobs: NIGHTLY,
      deploymentStrategy: "blueGreen",
      spotInstanceTypes: JSON.stringify(["c6i.xlarge", "m6i.xlarge"]),
      alarmEmail: "ops@acme-api.dev",
      waf: "true",
      sidecars: JSON.stringify({ otel: { imageUrl: "otel/collector:1" } }),
      taskPolicyArns: JSON.stringify(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]),
      ecsExec: "true",
      secrets: JSON.stringify({ K: "arn:aws:ssm:us-east-1:210987654321:parameter/k" }),
    },
  },
  "an existing VPC with a job on the small fixture": {
    fixture: "small",
    overrides: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      publicSubnetIds: JSON.stringify(["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"]),
      privateSubnetIds: JSON.stringify(["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"]),
      jobs: NIGHTLY,
    },
    removed: ["availabilityZones", "natGateways"],
  },
};
