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
  /** Project keys over it. */
  overrides: Record<string, string>;
}

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
};
