import assert from "node:assert/strict";
import * as path from "path";
import { CONFIG_SCHEMA, ConfigError, ConfigKey, parseConfig, projectKeys } from "../config";
import { ProgramError, runProgram } from "../scripts/mock-engine";
import { projectConfig, readProject, readStackConfig } from "../scripts/stack-config";
import main = require("../index");

const ROOT = path.resolve(__dirname, "..");
const parse = (raw: Record<string, string>, region: string | undefined = "us-east-1") => parseConfig(raw, region, { rootDir: ROOT });

/** The problems parseConfig reports for `raw`; fails the test when it accepts it. */
function problems(raw: Record<string, string>, region?: string): string[] {
  try {
    parse(raw, region);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    return e.problems;
  }
  assert.fail(`config ${JSON.stringify(raw)} was accepted`);
}

describe("config: the contract", () => {
  it("declares every key in Pulumi.yaml with config.ts's type, default and description", () => {
    const declared = readProject().config ?? {};
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(CONFIG_SCHEMA).sort());
    for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) {
      assert.deepEqual(declared[key], { type: spec.type, default: spec.default, description: spec.description }, key);
    }
  });

  it("keeps the seed's parameter names and defaults", () => {
    const c = parse({});
    assert.deepEqual(
      [c.instanceType, c.desiredCapacity, c.maxSize, c.serviceName, c.imageUrl, c.containerCpu, c.containerMemory, c.containerPort, c.desiredCount],
      ["c5.xlarge", 0, 100, "web", "public.ecr.aws/docker/library/nginx:latest", 256, 512, 80, 2],
    );
    assert.equal(c.ecsAmiParameter, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    assert.deepEqual([c.vpcCidr, c.availabilityZones, c.natGateways, c.healthCheckPath, c.certificateArn], ["10.0.0.0/16", 2, "perAz", "/", undefined]);
  });

  it("computes tasks per host and the most tasks maxSize hosts can hold", () => {
    assert.deepEqual(parse({}).taskCapacity, { perInstance: 3, limitedBy: "enis", maxTasks: 300 });
    assert.deepEqual(parse({ eniTrunking: "true" }).taskCapacity, { perInstance: 14, limitedBy: "memory", maxTasks: 1400 });
  });

  it("accepts every committed stack file", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const all = readStackConfig(stack);
      assert.doesNotThrow(() => parse(projectKeys(all), all["aws:region"]), stack);
    }
  });
});

describe("config: every key rejects a bad value, naming the key and what is allowed", () => {
  // key, bad value, what the message must say is allowed
  const cases: [ConfigKey, string, RegExp][] = [
    ["instanceType", "c5.huge", /one of .*c5\.xlarge/],
    ["desiredCapacity", "-1", /integer >= 0/],
    ["maxSize", "0", /integer >= 1/],
    ["ecsAmiParameter", "/my/ami", /under \/aws\/service\/ecs\//],
    ["serviceName", "Web_API", /lowercase letters, digits and hyphens/],
    ["serviceName", "a".repeat(33), /1 to 32/],
    ["serviceName", "-web", /not starting or ending with a hyphen/],
    ["serviceName", "internal-api", /nor starting with internal-/],
    ["imageUrl", "not an image", /container image reference/],
    ["containerCpu", "0", /integer > 0/],
    ["containerMemory", "lots", /integer >= 6/],
    ["containerPort", "70000", /1 to 65535/],
    ["desiredCount", "2.5", /integer >= 0/],
    ["vpcCidr", "10.0.0.0/8", /\/16 to \/24/],
    ["vpcCidr", "10.0.1.0/16", /host bits set/],
    ["availabilityZones", "1", /2 to 6/],
    ["natGateways", "two", /perAz or single/],
    ["flowLogs", "yes", /true or false/],
    ["healthCheckPath", "health", /starts with \//],
    ["healthCheckGracePeriodSeconds", "-5", /0 to 2147483647/],
    ["certificateArn", "my-cert", /ACM certificate ARN/],
    ["logRetentionDays", "10", /one of 1, 3, 5, 7, 14, 30/],
    ["deletionProtection", "on", /true or false/],
    ["accessLogs", "1", /true or false/],
    ["autoscaling", "enabled", /true or false/],
    ["autoscalingMinCount", "0", /integer >= 1/],
    ["autoscalingMaxCount", "none", /integer >= 1/],
    ["autoscalingCpuTarget", "95", /10 to 90/],
    ["autoscalingRequestsPerTarget", "0", /integer >= 1/],
    ["ecsExec", "maybe", /true or false/],
    ["appPath", "no-such-folder", /folder .* that contains a Dockerfile/],
    ["eniTrunking", "sure", /true or false/],
    ["hostSessionManager", "TRUE", /true or false/],
  ];
  for (const [key, value, allowed] of cases) {
    it(`rejects ${key} = ${JSON.stringify(value.length > 20 ? value.slice(0, 8) + "…" : value)}`, () => {
      const found = problems({ [key]: value });
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0], new RegExp(`^ecs-ec2-api:${key} = ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not allowed: `));
      assert.match(found[0], allowed);
    });
  }

  it("covers every key of the schema with a bad-value case", () => {
    const covered = new Set(cases.map(([key]) => key));
    assert.deepEqual(Object.keys(CONFIG_SCHEMA).filter((k) => !covered.has(k as ConfigKey)), []);
  });

  it("rejects a misspelt key instead of silently using the default", () => {
    assert.match(problems({ instancetype: "c5.large" })[0], /ecs-ec2-api:instancetype is not a known key/);
  });

  it("reports every problem at once", () => {
    assert.equal(problems({ maxSize: "0", natGateways: "two", containerPort: "0" }).length, 3);
  });

  it("requires a region and a well-formed one", () => {
    assert.match(problems({}, "")[0], /aws:region is not set/);
    assert.match(problems({}, "mars-1")[0], /aws:region = "mars-1" is not an AWS region/);
  });
});

describe("config: rules between keys", () => {
  it("keeps desiredCapacity within maxSize", () => {
    assert.match(problems({ desiredCapacity: "5", maxSize: "4" })[0], /desiredCapacity = "5".*from 0 to maxSize \(4\)/);
  });

  it("fits containerCpu and containerMemory on one host of the instance type", () => {
    assert.match(problems({ containerCpu: "8192" })[0], /containerCpu.*at most 4096 CPU units, what one c5\.xlarge offers/);
    assert.match(problems({ containerMemory: "8192" })[0], /containerMemory.*at most 7444 MiB, what one c5\.xlarge offers/);
    assert.doesNotThrow(() => parse({ instanceType: "r6i.xlarge", containerMemory: "8192" }));
  });

  it("keeps availabilityZones within the region's AZs", () => {
    assert.match(problems({ availabilityZones: "3" }, "us-west-1")[0], /availabilityZones = "3".*from 2 to 2: us-west-1 has 2 AZs/);
    assert.doesNotThrow(() => parse({ availabilityZones: "6" }, "us-east-1"));
  });

  it("matches the AMI parameter's architecture to the instance type's", () => {
    assert.match(problems({ instanceType: "c7g.large" })[0], /ecsAmiParameter.*arm64 AMI path for the Graviton type c7g\.large/);
    assert.match(problems({ ecsAmiParameter: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" })[0], /x86_64 AMI path/);
    assert.doesNotThrow(() => parse({ instanceType: "c7g.large", ecsAmiParameter: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" }));
  });

  it("refuses ENI trunking on types that cannot trunk", () => {
    assert.match(problems({ instanceType: "t3.large", eniTrunking: "true" })[0], /eniTrunking = "true".*not supported on burstable types/);
  });

  it("refuses a certificate from another region", () => {
    const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    assert.match(problems({ certificateArn: arn }, "us-east-1")[0], /certificate in the stack's region us-east-1/);
    assert.equal(parse({ certificateArn: arn }, "eu-west-1").certificateArn, arn);
  });

  it("refuses a desiredCount that maxSize hosts can never place, naming both keys and the figure", () => {
    const [message] = problems({ desiredCount: "13", maxSize: "4" });
    assert.match(message, /desiredCount = "13" is not allowed: at most 12: one c5\.xlarge holds 3 task\(s\)/);
    assert.match(message, /network interfaces, see eniTrunking/);
    assert.match(message, /maxSize \(4\) hosts hold 12/);
    assert.doesNotThrow(() => parse({ desiredCount: "12", maxSize: "4" }));
    assert.doesNotThrow(() => parse({ desiredCount: "13", maxSize: "4", eniTrunking: "true" }), "trunking raises the limit");
  });

  it("refuses an autoscaling maximum that maxSize hosts can never place", () => {
    assert.match(problems({ autoscaling: "true", autoscalingMaxCount: "31", maxSize: "10" })[0], /autoscalingMaxCount = "31".*at most 30/);
  });

  it("keeps desiredCount within the autoscaling bounds and min <= max", () => {
    assert.match(problems({ autoscaling: "true", desiredCount: "1" })[0], /desiredCount.*from autoscalingMinCount \(2\) to autoscalingMaxCount \(10\)/);
    assert.match(problems({ autoscaling: "true", autoscalingMinCount: "11", desiredCount: "11", autoscalingMaxCount: "10" }).join("\n"), /autoscalingMinCount = "11".*at most autoscalingMaxCount \(10\)/);
    assert.doesNotThrow(() => parse({ desiredCount: "1" }), "bounds apply only with autoscaling on");
  });
});

describe("config: validation runs before the first resource", () => {
  for (const [key, value] of [["natGateways", "two"], ["desiredCount", "1000"], ["vpcCidr", "10.0.0.0/8"]] as const) {
    it(`registers nothing but the stack when ${key} = ${value}`, async () => {
      const config = { ...projectConfig().values, "aws:region": "us-east-1", [`ecs-ec2-api:${key}`]: value };
      const error = await runProgram(main, { stack: "bad", config }).then(() => undefined, (e) => e);
      assert.ok(error instanceof ProgramError, "the program must fail");
      assert.match(error.message, new RegExp(`ecs-ec2-api:${key}`));
      assert.deepEqual(error.recording.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
  }
});
