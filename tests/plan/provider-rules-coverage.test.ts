/**
 * The provider-rules table is complete and current: every resource type the program's source, or the bootstrap
 * program's (bootstrap/), can register has rules, and no generated enum refuses a value the installed @pulumi/aws
 * documents as valid (the SDK's .d.ts is the bridged provider's schema in its own words; a rule read from an older
 * copy of a schema file shows here).
 */
import * as assert from "assert";
import { coverage, type Coverage, type GeneratedRule } from "../../plan/provider-rules/check";
import generated from "../../plan/provider-rules/rules.generated.json";
import { documentedValues, sdkDoc } from "./sdk-declarations";
import { awsTypes, awsxComponents, bootstrapFiles, programFiles } from "../program-source";

/**
 * What an awsx component registers through its plugin (out of the plan's sight, but created by `pulumi up`):
 * awsx.ecr.Repository makes an ECR repository and, with lifecyclePolicy, its lifecycle policy.
 */
const AWSX_CHILDREN: Record<string, string[]> = {
  "ecr.Repository": ["aws:ecr/repository:Repository", "aws:ecr/lifecyclePolicy:LifecyclePolicy"],
  "ecr.Image": [],
};
/**
 * Every resource type `new aws.<module>.<Type>(` or an awsx component in the files registers, by type token: the
 * program's (components/ and index.ts) or the bootstrap's (bootstrap/components/ and bootstrap/index.ts).
 */
function registeredTypes(files: string[]): Map<string, string> {
  const found = new Map(awsTypes(files).map((t) => [t.token, t.where]));
  for (const c of awsxComponents(files)) {
    const children = AWSX_CHILDREN[c.token];
    assert.ok(children, `${c.where}: awsx.${c.token}: say in AWSX_CHILDREN which aws types it registers`);
    for (const t of children) if (!found.has(t)) found.set(t, c.where);
  }
  return found;
}

/** Whether the table has a type's rules: from its schema (none when the schema declares none) or hand-written. */
const hasRules = (c: Coverage | undefined): boolean => !!c && (c.read || c.generated + c.hand > 0);

describe("provider rules: every type the program or the bootstrap can register has rules", () => {
  const cov = coverage();
  const withoutRules = (types: Map<string, string>) => [...types].filter(([t]) => !hasRules(cov[t])).map(([t, where]) => `${t} (${where})`);
  const hint = "types without provider rules: add them to tools/provider-rules/types.mjs and re-run extract.mjs, or to rules.hand.ts";
  it("finds the types in both sources (the scan itself works): the program's service, VPC and ECR repository; the bootstrap's state bucket, its layout object and the OIDC provider", () => {
    const program = registeredTypes(programFiles()), bootstrap = registeredTypes(bootstrapFiles());
    for (const t of ["aws:ecs/service:Service", "aws:ec2/vpc:Vpc", "aws:ecr/repository:Repository"]) assert.ok(program.has(t), t);
    for (const t of ["aws:s3/bucket:Bucket", "aws:s3/bucketObjectv2:BucketObjectv2", "aws:iam/openIdConnectProvider:OpenIdConnectProvider"]) assert.ok(bootstrap.has(t), t);
    assert.ok([...bootstrap.values()].every((where) => where.startsWith("bootstrap/")), "the bootstrap's types are found in bootstrap/");
  });
  it("each `new aws.x.Y(` in components/ and index.ts, and each awsx component's children, has rules", () => {
    assert.deepStrictEqual(withoutRules(registeredTypes(programFiles())), [], hint);
  });
  it("each `new aws.x.Y(` in bootstrap/components/ and bootstrap/index.ts has rules", () => {
    assert.deepStrictEqual(withoutRules(registeredTypes(bootstrapFiles())), [], hint);
  });
  it("the Auto Scaling group's warm pool block has rules (autoscaling/group.go warm_pool)", () => {
    const asg = (generated.types as Record<string, { rules?: GeneratedRule[] }>)["aws:autoscaling/group:Group"];
    assert.ok(asg.rules?.some((r) => r.path.startsWith("warmPool.")), "autoscaling/group.go warm_pool");
  });
});

describe("provider rules: enums follow the bridged provider (the installed SDK's documentation)", () => {
  it("reads the SDK's documented values (ecs/taskDefinition.d.ts requiresCompatibilities)", () => {
    assert.deepStrictEqual(documentedValues(sdkDoc("aws:ecs/taskDefinition:TaskDefinition", "requiresCompatibilities")), ["EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES"]);
    assert.deepStrictEqual(documentedValues("Must be one of: `binpack`, `random`, or `spread` > **Note:** for `spread`, `host`"), ["binpack", "random", "spread"]);
    assert.strictEqual(documentedValues("Valid values: host` ,  `task`."), undefined);
  });
  it("no generated enum refuses a value the SDK documents as valid for that input", () => {
    const contradicted: string[] = [];
    for (const [type, entry] of Object.entries(generated.types as Record<string, { rules?: GeneratedRule[] }>)) {
      for (const r of entry.rules ?? []) {
        const enums = r.kind === "enum" ? [r] : r.kind === "any" ? r.of!.filter((x) => x.kind === "enum") : [];
        const documented = enums.length ? documentedValues(sdkDoc(type, r.path)) : undefined;
        for (const e of documented ? enums : []) {
          const accepts = (v: string) => e.values!.some((x) => (e.ignoreCase ? String(x).toLowerCase() === v.toLowerCase() : x === v));
          const refused = documented!.filter((v) => !accepts(v));
          if (refused.length) contradicted.push(`${type} ${r.path}: refuses ${refused.join(", ")}`);
        }
      }
    }
    assert.deepStrictEqual(contradicted, []);
  });
});
