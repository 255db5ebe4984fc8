import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_SCHEMA, ConfigError, ConfigKey, KeySpec, ParseOptions, addressRoom, awsProviderKeys, describePlaceholders, findPlaceholders, namespaceProblems, networkWarnings, parseConfig, parseStackConfig, taskCount } from "../../config";
import { ROOT as ROOT_DIR } from "../../config/stack-files";
import { declaration } from "../../tools/docs";
import { ProgramError } from "../../plan/mock-engine";
import { runProgram } from "../../plan-project";
import { projectConfig, readProject, readStackFile, validConfigValue } from "../../config/stack-files";
import main = require("../../index");

const ROOT = path.resolve(__dirname, "..", "..");
const VPC_ID = "vpc-0a1b2c3d4e5f60718";
const PUBLIC_IDS = JSON.stringify(["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"]);
const PRIVATE_IDS = JSON.stringify(["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"]);
const parse = (raw: Record<string, string>, region: string | undefined = "us-east-1") => parseConfig(raw, region, { rootDir: ROOT });

/** The problems parseConfig reports for `raw`; fails the test when it accepts it. */
function problems(raw: Record<string, string>, region?: string): string[] {
  return parseConfigProblems({}, raw, region);
}

function parseConfigProblems(opts: Partial<ParseOptions>, raw: Record<string, string> = {}, region: string | undefined = "us-east-1"): string[] {
  try {
    parseConfig(raw, region, { rootDir: ROOT, ...opts });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    return e.problems;
  }
  assert.fail(`config ${JSON.stringify(raw)} was accepted`);
}

describe("config: the contract", () => {
  // pulumi/pulumi v3.248.0 sdk/go/common/workspace/config.go, ValidateStackConfigAndApplyProjectConfig: a
  // stack that leaves unset a project key declared without a default is refused ("Stack 'dev' is missing
  // configuration value ..."), before the program runs.
  it("gives every key Pulumi.yaml declares a default, so a stack may leave any of them unset", () => {
    assert.deepEqual(projectConfig().required, []);
  });

  it("refuses, as the CLI does, a stack that leaves unset a key declared without a default", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "required-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nconfig:\n  port:\n    type: integer\n  size:\n    type: integer\n  name:\n    default: web\n");
    fs.writeFileSync(path.join(dir, "Pulumi.qa.yaml"), "config:\n  p:size: 3\n");
    const stackFile = path.join(dir, "Pulumi.qa.yaml");
    assert.throws(() => readStackFile(stackFile, "qa", dir), /^Error: Stack 'qa' is missing configuration value 'port'$/);
    fs.writeFileSync(stackFile, "config: {}\n");
    assert.throws(() => readStackFile(stackFile, "qa", dir), /Stack 'qa' is missing configuration values 'port' and 'size'/);
  });

  it("reads a key Pulumi.yaml declares unset (programDefault) as unset, and the same key set to its default as set", () => {
    const unset = parseStackConfig({ ...projectConfig().values, "aws:region": "us-east-1" }, { rootDir: ROOT_DIR });
    assert.equal(unset.services[0].port, 80);
    assert.equal(projectConfig().values["ecs-ec2-api:containerPort"], "", "the CLI hands the declared default over");
  });

  it("declares every key in Pulumi.yaml with config/schema.ts's type, items, default and description (npm run docs)", () => {
    const declared = readProject().config ?? {};
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(CONFIG_SCHEMA).sort());
    for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) assert.deepEqual(declared[key], declaration(spec as KeySpec), key);
  });

  it("keeps the seed's parameter names and defaults", () => {
    const c = parse({});
    const [web] = c.services;
    assert.deepEqual(
      [c.instanceType, c.desiredCapacity, c.maxSize, web.name, web.imageUrl, web.cpu, web.memory, web.port, web.desiredCount],
      ["c5.xlarge", 0, 100, "web", "public.ecr.aws/docker/library/nginx:latest", 256, 512, 80, 2],
    );
    assert.equal(c.ecsAmiParameter, "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    assert.deepEqual([c.vpcCidr, c.availabilityZones, c.natGateways, web.healthCheck.path, c.certificateArn], ["10.0.0.0/16", 2, "perAz", "/", undefined]);
    assert.deepEqual(web.route, { kind: "default" }, "the flat keys describe the default service");
    assert.equal(c.services.length, 1);
  });

  it("computes tasks per host, and what maxSize hosts hold", () => {
    assert.deepEqual(parse({}).services[0].perHost, { perInstance: 3, limitedBy: "enis" });
    assert.deepEqual(parse({ eniTrunking: "true" }).services[0].perHost, { perInstance: 14, limitedBy: "memory" });
    const { capacity } = parse({ maxSize: "4" });
    assert.deepEqual(capacity.perHost.tasks * capacity.hosts, 12, "a c5.xlarge keeps 1 of its 4 interfaces: 3 task interfaces each");
    assert.deepEqual(capacity.desired, { cpu: 512, memoryMiB: 1024, tasks: 2 });
  });

});

describe("config: AMD hosts (issue 28, item 10)", () => {
  it("accepts t3a, m6a, c6a and r6a as instanceType and in spotInstanceTypes, and refuses ENI trunking on t3a (burstable)", () => {
    for (const t of ["t3a.medium", "m6a.large", "c6a.xlarge", "r6a.4xlarge"]) assert.equal(parse({ instanceType: t }).instanceType, t);
    const spot = parse({ instanceType: "m6a.large", spotInstanceTypes: JSON.stringify(["c6a.large", "r6a.large", "t3a.large"]) });
    assert.deepEqual(spot.spot?.instanceTypes, ["c6a.large", "r6a.large", "t3a.large"]);
    assert.match(problems({ instanceType: "t3a.large", eniTrunking: "true" })[0], /^ecs-ec2-api:eniTrunking = "true" is not allowed: false for t3a\.large: ENI trunking is not supported on burstable types/);
    assert.deepEqual([parse({ instanceType: "c6a.large" }).services[0].perHost.limitedBy, parse({ instanceType: "c6a.large", eniTrunking: "true" }).services[0].perHost.limitedBy], ["enis", "memory"], "trunking lifts c6a.large's 2 task interfaces to 10");
  });
});

describe("config: every key rejects a bad value, naming the key and what is allowed", () => {
  // key, bad value, what the message must say is allowed (and other keys the case needs)
  const cases: [ConfigKey, string, RegExp, Record<string, string>?][] = [
    ["registryCredentialsArn", "ghcr-pull", /a Secrets Manager secret ARN/],
    ["taskSpread", "azs", /one of binpack, zones, hosts/],
    // A boundary bounds only when it is the team's own policy: an AWS managed one grants far too much.
    ["permissionsBoundaryArn", "arn:aws:iam::aws:policy/AdministratorAccess", /a customer managed IAM policy ARN/],
    ["permissionsBoundaryArn", "ecs-ec2-api-boundary", /a customer managed IAM policy ARN such as arn:aws:iam::210987654321:policy\//],
    ["instanceType", "c5.huge", /one of .*c5\.xlarge/],
    ["desiredCapacity", "-1", /integer >= 0/],
    ["maxSize", "0", /integer >= 1/],
    ["ecsAmiParameter", "/my/ami", /under \/aws\/service\/ecs\/ ending in \/image_id/],
    // An AMI parameter must hold an AMI id: ".../recommended" holds a JSON document (the rule of the real path).
    ["ecsAmiParameter", "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended", /holds a JSON document; the AMI id is in .*\/recommended\/image_id/],
    ["serviceName", "Web_API", /lowercase letters, digits and hyphens/],
    ["serviceName", "a".repeat(33), /1 to 32/],
    ["serviceName", "-web", /not starting or ending with a hyphen/],
    // Derived names obey every service's rules: an ALB's name cannot begin with "internal-", "sg-" is
    // reserved for security group ids, and bucket names may not begin with "xn--", "sthree-" or
    // "amzn-s3-demo-" (rules of the real path). The name starts "<name>-alb-sg-..." and the others.
    ["serviceName", "internal-api", /"<name>-" must not begin with internal-, sg-, xn--, sthree-, amzn-s3-demo-/],
    ["serviceName", "internal", /must not begin with internal-/],
    ["serviceName", "sg-api", /must not begin with internal-, sg-/],
    ["serviceName", "sg", /must not begin with internal-, sg-/],
    ["serviceName", "xn--api", /xn--/],
    ["serviceName", "sthree", /sthree-/],
    ["serviceName", "amzn-s3-demo", /amzn-s3-demo-/],
    ["imageUrl", "not an image", /container image reference/],
    // ECS: an EC2 task's cpu is 128..196608 units (the rule of the real path).
    ["containerCpu", "127", /integer >= 128/],
    ["containerMemory", "lots", /integer >= 6/],
    ["containerPort", "70000", /1 to 65535/],
    ["desiredCount", "2.5", /integer >= 0/],
    ["vpcCidr", "10.0.0.0/8", /\/16 to \/24/],
    ["vpcCidr", "10.0.1.0/16", /host bits set/],
    ["availabilityZones", "1", /2 to 6/],
    ["availabilityZoneNames", "us-east-1a", /a list of strings/],
    ["availabilityZoneNames", '["eu-west-1a","eu-west-1b"]', /standard AZs of us-east-1 such as us-east-1a \(not eu-west-1a, eu-west-1b\)/],
    ["availabilityZoneNames", '["us-east-1a","us-east-1a"]', /distinct AZ names/],
    ["availabilityZoneNames", '["us-east-1a","us-east-1b","us-east-1c"]', /2 names, as many as availabilityZones \(2\)/],
    ["natGateways", "two", /perAz or single/],
    ["flowLogs", "yes", /true or false/],
    // --- an existing VPC: the three keys together, ids in form, and none of the keys of a created network ---
    ["vpcId", "vpc-123", /a VPC id such as vpc-0123456789abcdef0/, { publicSubnetIds: PUBLIC_IDS, privateSubnetIds: PRIVATE_IDS }],
    ["privateSubnetIds", "[]", /set with vpcId and publicSubnetIds: an existing network takes vpcId, publicSubnetIds and privateSubnetIds together/, { vpcId: VPC_ID, publicSubnetIds: PUBLIC_IDS }],
    ["publicSubnetIds", '["subnet-0aaa0000000000001"]', /2 subnets or more, in different AZs/, { vpcId: VPC_ID, privateSubnetIds: PRIVATE_IDS }],
    ["publicSubnetIds", '["subnet-1","subnet-0aaa0000000000002"]', /subnet ids such as subnet-0123456789abcdef0 \(not subnet-1\)/, { vpcId: VPC_ID, privateSubnetIds: PRIVATE_IDS }],
    ["privateSubnetIds", '["subnet-0aaa0000000000001"]', /subnet-0aaa0000000000001 is in publicSubnetIds too/, { vpcId: VPC_ID, publicSubnetIds: PUBLIC_IDS }],
    ["vpcCidr", "10.1.0.0/16", /unset with vpcId: it describes the network the program creates/, { vpcId: VPC_ID, publicSubnetIds: PUBLIC_IDS, privateSubnetIds: PRIVATE_IDS }],
    ["natGateways", "single", /unset with vpcId: .*NAT gateways and flow logs are the network team's/, { vpcId: VPC_ID, publicSubnetIds: PUBLIC_IDS, privateSubnetIds: PRIVATE_IDS }],
    ["healthCheckPath", "health", /starts with \//],
    ["healthCheckGracePeriodSeconds", "-5", /0 to 2147483647/],
    ["deregistrationDelaySeconds", "3601", /0 to 3600/],
    ["stopTimeoutSeconds", "121", /2 to 120/],
    ["albIdleTimeoutSeconds", "0", /1 to 4000/],
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
    // --- the API surface ---
    ["domainName", "api..acme.dev", /a DNS name such as api\.acme\.dev/, { hostedZoneId: "Z0123456789ABCDEFGHIJ" }],
    ["hostedZoneId", "", /the Route 53 hosted zone of domainName: set both or neither/, { domainName: "api.acme.dev" }],
    ["hostedZoneId", "zone-1", /Route 53 hosted zone id/, { domainName: "api.acme.dev" }],
    ["healthCheckMatcher", "600", /HTTP codes from 200 to 499/],
    ["healthCheckIntervalSeconds", "4", /5 to 300/],
    ["healthCheckTimeoutSeconds", "6", /less than healthCheckIntervalSeconds \(6\)/],
    ["healthyThresholdCount", "1", /2 to 10/],
    ["unhealthyThresholdCount", "11", /2 to 10/],
    ["deploymentMinimumHealthyPercent", "101", /0 to 100/],
    ["deploymentMaximumPercent", "100", /above 100 when deploymentMinimumHealthyPercent is 100/, { deploymentMinimumHealthyPercent: "100" }],
    ["command", '"node server.js"', /a list of strings/],
    ["containerHealthCheck", '{"command":["curl","-f","http://localhost/"]}', /starts with CMD .* or CMD-SHELL/],
    ["containerHealthCheck", '{"command":["CMD-SHELL","true"],"interval":5}', /containerHealthCheck\.interval is not a known key \(did you mean intervalSeconds\?\)/],
    ["environment", '{"1BAD":"x"}', /variable names of letters/],
    ["environment", '{"PORT":"8080"}', /the program sets PORT, SERVICE_NAME, SHUTDOWN_TIMEOUT_MS itself/],
    ["environment", '{"AWS_KEY_ID":"AKIAIOSFODNN7EXAMPLE"}', /^ecs-ec2-api:environment\.AWS_KEY_ID = "AKIA…\(20 chars\)" is not allowed: no credentials as plain values \(it holds an AWS access key id\); put it in SSM or Secrets Manager/],
    ["secrets", '{"DB":"arn:aws:ssm:eu-west-1:210987654321:parameter/db"}', /in the stack's region us-east-1 \(it is in eu-west-1\)/],
    ["secrets", '{"DB":"db-password"}', /an SSM parameter ARN .* or a Secrets Manager secret ARN/],
    ["secretsKmsKeyArns", '["arn:aws:kms:us-east-1:210987654321:alias/db"]', /KMS key ARN .*not an alias/, { secrets: '{"A":"arn:aws:ssm:us-east-1:210987654321:parameter/a"}' }],
    ["secretsKmsKeyArns", '["arn:aws:kms:us-east-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"]', /empty without secrets/],
    ["taskPolicyArns", '["AmazonS3ReadOnlyAccess"]', /IAM managed policy ARN/],
    ["egressRules", '[{"port":5432,"cidr":"0.0.0.0/0"}]', /not the whole internet on port 5432 unless the rule says allowInternet: true/],
    ["egressRules", '[{"port":5432}]', /exactly one destination/],
    ["egressRules", '[{"port":53,"protocol":"-1","cidr":"vpc"}]', /tcp or udp \(no rule opens every protocol\)/],
    ["services", '{"Bad_Name":{"imageUrl":"nginx"}}', /service names are 1 to 32 lowercase letters/],
    ["talksTo", '["nobody"]', /nobody is not a service of this stack/],
    // --- work queues: SQS's limits (Amazon SQS API Reference, CreateQueue: VisibilityTimeout 0..43200,
    // MessageRetentionPeriod 60..1209600; maxReceiveCount 1..1000), and a visibility timeout no shorter than
    // the container's stop timeout (a stopping task may still work on its message) ---
    ["queue", '{"visibilityTimeoutSeconds":20}', /from service web's stopTimeoutSeconds \(30\) to 43200/],
    ["queue", '{"visibilityTimeoutSeconds":43201}', /to 43200 \(seconds, SQS's most\)/],
    ["queue", '{"maxReceiveCount":0}', /an integer from 1 to 1000 \(receives of a message before SQS moves it to service web's dead-letter queue\)/],
    ["queue", '{"maxReceiveCount":1001}', /an integer from 1 to 1000/],
    ["queue", '{"messageRetentionSeconds":59}', /an integer from 60 to 1209600/],
    ["queue", '{"messageRetentionSeconds":3600,"oldestMessageAlarmSeconds":3600}', /from 60 to messageRetentionSeconds - 1 \(3599\)/],
    ["queue", '{"kmsKeyArn":"arn:aws:kms:eu-west-1:210987654321:key/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"}', /a key in the stack's region us-east-1/],
    ["queue", '{"urlVariable":"PORT"}', /other than PORT, SERVICE_NAME, SHUTDOWN_TIMEOUT_MS \(service web's container finds its queue's URL there\)/],
    ["queue", '{"visibility":90}', /queue\.visibility is not a known key \(did you mean visibilityTimeoutSeconds\?\)/],
    ["sendsTo", '["mailer"]', /mailer is not a service of this stack \(its services: web\), so service web cannot send to it/],
    ["sendsTo", '["web"]', /service web sends to itself: it reaches its own queue as QUEUE_URL/, { queue: "{}" }],
    ["jobs", '{"report":{"imageUrl":"busybox","schedule":"daily"}}', /jobs\.report\.schedule = "daily" is not allowed: not a schedule expression/],
    ["sidecars", '{"otel":{"imageUrl":"nginx","containerMemory":4}}', /an integer >= 6 \(MiB.*\(sidecar otel of service web\)/],
    // --- releases and operations ---
    ["deploymentStrategy", "blue-green", /one of rolling, blueGreen, canary, linear \(did you mean blueGreen\?\)/],
    ["bakeTimeMinutes", "1441", /0 to 1440/],
    ["canaryPercent", "0", /1 to 100/],
    ["linearStepPercent", "2", /3 to 100 \(percent; ECS's least step is 3\)/],
    ["shiftIntervalMinutes", "-1", /0 to 1440/],
    ["p99LatencyAlarmMs", "5", /10 to 600000/],
    ["alarmEmail", "ops-at-acme", /an email address/],
    ["alarmTopicArn", "arn:aws:sns:eu-west-1:210987654321:alerts", /a topic in the stack's region us-east-1/],
    ["alarmTopicArn", "arn:aws:sns:us-east-1:210987654321:alerts.fifo", /a standard topic: CloudWatch cannot notify FIFO topics/],
    ["waf", "on", /true or false/],
    ["wafRateLimit", "5", /10 to 2000000000/],
    ["wafCountRules", '["SizeRestrictions_BODDY"]', /SizeRestrictions_BODDY is none of them \(did you mean SizeRestrictions_BODY\?\)/, { waf: "true" }],
    ["wafCountRules", '["SizeRestrictions_BODY"]', /empty without waf/],
    // --- the hosts' image and warm pool (issue 31) ---
    ["hostImage", "al2023-ami-ecs-hvm-2023.0.*-kernel-6.1-x86_64", /an ECS-optimized Amazon Linux 2023 release name such as al2023-ami-ecs-hvm-2023\.0\.20261113-kernel-6\.1-x86_64 .* or an AMI id such as ami-0abcdef1234567890/],
    ["hostImage", "ami-12345", /an AMI id such as ami-0abcdef1234567890/],
    ["hostImage", "amzn2-ami-ecs-hvm-2.0.20240611-x86_64-ebs", /an ECS-optimized Amazon Linux 2023 release name/],
    // The AMI's architecture must be the instance type's (EC2 refuses to launch an arm64 image on x86_64 types).
    ["hostImage", "al2023-ami-ecs-hvm-2023.0.20261113-kernel-6.1-arm64", /a release built for c5\.xlarge's architecture, x86_64: .* is its arm64 build \(the same release for x86_64: al2023-ami-ecs-hvm-2023\.0\.20261113-kernel-6\.1-x86_64\)/],
    ["hostWarmPool", "-1", /an integer >= 0/],
    ["hostWarmPool", "5", /an integer from 0 to 4: a warm host enters service only while the group is below maxSize \(4\)/, { maxSize: "4" }],
    ["hostWarmPool", "2", /an integer from 0 to 1: .*below maxSize \(3\), and taskSpread zones keeps 2 hosts running \(one per AZ\)/, { maxSize: "3", taskSpread: "zones" }],
    ["spotInstanceTypes", '["c6g.xlarge"]', /types of instanceType's architecture \(x86_64, c5\.xlarge\)/],
    ["spotInstanceTypes", '["c5.huge"]', /c5\.huge is not one/],
    ["spotMaxSize", "0", /integer >= 1/],
    ["onDemandBaseTasks", "-1", /0 to 100000/],
    ["onDemandWeight", "1001", /0 to 1000/],
    ["spotWeight", "0", /above 0 when onDemandWeight is 0/, { spotInstanceTypes: '["c5.large"]', onDemandWeight: "0" }],
    ["services", '{"v2":{"imageUrl":"nginx","pathPatterns":["/v2/*"]}}', /services\.v2\.priority is not set: a routed service needs a priority/],
  ];
  for (const [key, value, allowed, others] of cases) {
    it(`rejects ${key} = ${JSON.stringify(value.length > 24 ? value.slice(0, 16) + "…" : value)}`, () => {
      const found = problems({ ...others, [key]: value });
      assert.equal(found.length, 1, found.join("\n"));
      // The problem names the key (or a part of it) and quotes the value as written.
      assert.match(found[0], new RegExp(`^ecs-ec2-api:${key}([.[]\\S*)? (= .* )?is not (allowed|set|a known key)`));
      if (found[0].startsWith(`ecs-ec2-api:${key} = `)) assert.ok(found[0].includes(JSON.stringify(value)), found[0]);
      assert.match(found[0], allowed);
    });
  }

  it("covers every key of the schema with a bad-value case", () => {
    const covered = new Set(cases.map(([key]) => key));
    assert.deepEqual(Object.keys(CONFIG_SCHEMA).filter((k) => !covered.has(k as ConfigKey)), []);
  });

  it("rejects a misspelt key instead of silently using the default, suggesting the near miss", () => {
    assert.match(problems({ instancetype: "c5.large" })[0], /ecs-ec2-api:instancetype is not a known key \(did you mean instanceType\?\)/);
    assert.match(problems({ desiredCont: "3" })[0], /ecs-ec2-api:desiredCont is not a known key \(did you mean desiredCount\?\)/);
  });

  it("rejects a misspelt aws: key, which the AWS provider would silently ignore, suggesting the near miss", () => {
    const found = parseConfigProblems({ awsKeys: ["region", "regoin"] });
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0], /^aws:regoin is not a setting of the AWS provider \(did you mean region\?\)/);
    assert.doesNotThrow(() => parseConfig({}, "us-east-1", { rootDir: ROOT, awsKeys: awsProviderKeys() }), "every provider key is accepted");
  });

  it("reports every problem at once", () => {
    assert.equal(problems({ maxSize: "0", natGateways: "two", containerPort: "0" }).length, 3);
  });

  it("requires a region that exists, suggesting the near miss", () => {
    assert.match(problems({}, "")[0], /aws:region is not set/);
    assert.match(problems({}, "mars-1")[0], /aws:region = "mars-1" is not allowed: mars-1 is not an AWS region; regions: af-south-1, /);
    assert.match(problems({}, "us-est-1")[0], /us-est-1 is not an AWS region \(did you mean us-east-1\?\)/);
    assert.match(problems({}, "eu-south-3")[0], /eu-south-3 is not an AWS region/);
  });

  it("refuses regions of other partitions (GovCloud, China) clearly instead of half-working there", () => {
    assert.match(problems({}, "us-gov-west-1")[0], /us-gov-west-1 is in the aws-us-gov \(GovCloud\) partition, which this program does not support/);
    assert.match(problems({}, "cn-north-1")[0], /aws-cn \(China\) partition/);
  });
});

describe("config: rules between keys", () => {
  it("keeps desiredCapacity within maxSize", () => {
    assert.match(problems({ desiredCapacity: "5", maxSize: "4" })[0], /desiredCapacity = "5".*from 0 to maxSize \(4\)/);
  });

  it("fits containerCpu and containerMemory on one host of the instance type", () => {
    assert.match(problems({ containerCpu: "8192" })[0], /containerCpu.*at most 4096 CPU units, what one c5\.xlarge offers/);
    assert.match(problems({ containerMemory: "8192" })[0], /containerMemory.*at most 7444 MiB, what one c5\.xlarge offers/);
  });

  it("names the smallest instance types of the same architecture a container too large for its host fits on", () => {
    assert.match(problems({ containerCpu: "8192" })[0], /; it fits on c5\.2xlarge, c6a\.2xlarge, c6i\.2xlarge \(the smallest x86_64 types that hold 8192 CPU units and 512 MiB\)$/);
    assert.match(problems({ containerMemory: "8192" })[0], /; it fits on r6a\.large, r6i\.large, m5\.xlarge \(the smallest x86_64 types that hold 256 CPU units and 8192 MiB\)$/);
    const graviton = { instanceType: "c7g.large", ecsAmiParameter: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" };
    assert.match(problems({ ...graviton, containerMemory: "6000" })[0], /it fits on m6g\.large, m7g\.large, t4g\.large \(the smallest arm64 types/);
    assert.match(problems({ containerCpu: "65536" })[0], /; no x86_64 type here holds 65536 CPU units/);
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

describe("config: the VPC must hold what the config places in it", () => {
  it("refuses public subnets smaller than /27, where an internet-facing ALB does not fit (8 free addresses per AZ)", () => {
    assert.match(addressRoom("10.0.0.0/24", 6, { hosts: 1, trunking: false, tasks: 1 }) ?? "", /6 public subnets are \/27 or larger .* gives \/28: use e\.g\. 10\.0\.0\.0\/23/);
    assert.equal(addressRoom("10.0.0.0/24", 2, { hosts: 1, trunking: false, tasks: 1 }), undefined, "a /24 over 2 AZs gives /26 subnets");
  });

  it("counts an address per host (two with ENI trunking) and per task interface at the deployment peak", () => {
    // 10.0.0.0/24 over 2 AZs: private /26 subnets, 59 usable addresses each (AWS keeps 5), 118 in all.
    assert.equal(addressRoom("10.0.0.0/24", 2, { hosts: 100, trunking: false, tasks: 18 }), undefined);
    const message = addressRoom("10.0.0.0/24", 2, { hosts: 100, trunking: false, tasks: 19 }) ?? "";
    assert.match(message, /2 private subnets \(\/26, 59 addresses each, 118 in all\) hold the peak of 119 addresses: 100 hosts and 19 task interfaces/);
    assert.match(message, /use e\.g\. 10\.0\.0\.0\/23/);
    assert.match(addressRoom("10.0.0.0/24", 2, { hosts: 59, trunking: true, tasks: 1 }) ?? "", /peak of 119 addresses: 59 hosts and their trunk interfaces and 1 task interfaces/);
  });

  it("refuses a vpcCidr whose private subnets cannot hold maxSize hosts and the tasks, naming the figures", () => {
    const [message] = problems({ vpcCidr: "10.0.0.0/24", autoscaling: "true", autoscalingMaxCount: "30" });
    assert.match(message, /^ecs-ec2-api:vpcCidr = "10\.0\.0\.0\/24" is not allowed: .*peak of 160 addresses: 100 hosts and 60 task interfaces during deployments \(every service's most tasks at its deploymentMaximumPercent\)/);
    assert.doesNotThrow(() => parse({ vpcCidr: "10.0.0.0/24", maxSize: "40", autoscaling: "true", autoscalingMaxCount: "30" }));
  });
});

describe("config: warnings for legal but doubtful blocks", () => {
  it("warns when the VPC overlaps Docker's bridge 172.17.0.0/16, which every ECS host holds", () => {
    assert.deepEqual(networkWarnings("172.16.0.0/16"), [], "172.16.0.0/16 ends where Docker's bridge begins");
    assert.match(networkWarnings("172.17.0.0/16")[0], /overlaps 172\.17\.0\.0\/16, which Docker's bridge \(docker0\) holds/);
    assert.equal(parse({ vpcCidr: "172.17.0.0/16" }).warnings.filter((w) => /Docker's bridge/.test(w)).length, 1);
  });

  it("warns when the VPC uses public address space, and not for RFC 1918 or shared space", () => {
    assert.match(networkWarnings("52.0.0.0/16")[0], /public address space/);
    for (const ok of ["10.0.0.0/16", "192.168.0.0/16", "100.64.0.0/16", "172.31.0.0/16"]) assert.deepEqual(networkWarnings(ok), [], ok);
  });
});

describe("config: placeholders never reach `pulumi up`", () => {
  const placeholderArn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";

  it("finds documentation accounts, all-zero ids and the reserved example domains in any value", () => {
    const found = findPlaceholders({
      certificateArn: placeholderArn,
      other: "arn:aws:acm:us-east-1:210987654321:certificate/00000000-0000-0000-0000-000000000000",
      domain: "api.example.com",
      real: "arn:aws:acm:us-east-1:210987654321:certificate/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
    });
    assert.deepEqual(found.map((p) => p.key), ["ecs-ec2-api:certificateArn", "ecs-ec2-api:other", "ecs-ec2-api:domain"]);
  });

  it("finds the documentation's own examples: an image in a documentation account's ECR registry (no ARN) and an EXAMPLE zone id, inside a map by its path", () => {
    // AWS's documentation writes ECR images as 111122223333.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>
    // (Amazon ECR User Guide, "Pushing a Docker image") and hosted zone ids as Z...EXAMPLE (Route 53 API
    // Reference examples).
    const found = findPlaceholders({
      imageUrl: "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2",
      hostedZoneId: "Z0123456789EXAMPLE",
      services: JSON.stringify({ v2: { imageUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2:1", desiredCount: 1 } }),
      realImage: "210987654321.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2",
      realZone: "Z04512343SFJ1ABCDEF",
      notAZone: "AKIAIOSFODNN7EXAMPLE",
    });
    assert.deepEqual(found.map((p) => [p.key, p.value]), [
      ["ecs-ec2-api:imageUrl", "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2"],
      ["ecs-ec2-api:hostedZoneId", "Z0123456789EXAMPLE"],
      ["ecs-ec2-api:services.v2.imageUrl", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2:1"],
    ]);
    assert.match(describePlaceholders(found)[2], /`pulumi config set --path 'ecs-ec2-api:services\.v2\.imageUrl' <value>`$/);
  });

  it("warns about an image in a documentation account and an EXAMPLE zone id in preview, and refuses them at up, naming the keys", async () => {
    const keys = { "ecs-ec2-api:imageUrl": "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2", "ecs-ec2-api:domainName": "api.acme-orders.dev", "ecs-ec2-api:hostedZoneId": "Z0123456789EXAMPLE" };
    const doc = { ...projectConfig().values, "aws:region": "us-east-1", ...keys };
    const warned = (await runProgram(main, { stack: "ph", config: doc, preview: true })).warnings.join("\n");
    const error = await runProgram(main, { stack: "ph", config: doc }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, "the program must fail at up");
    for (const key of ["imageUrl", "hostedZoneId"]) {
      assert.match(warned, new RegExp(`ecs-ec2-api:${key} = .* is a placeholder`), key);
      assert.match(error.message, new RegExp(`ecs-ec2-api:${key} = .* is a placeholder`), key);
    }
    assert.deepEqual(error.recording.resources.map((r: { type: string }) => r.type), ["pulumi:pulumi:Stack"]);
  });

  const config = { ...projectConfig().values, "aws:region": "us-east-1", "ecs-ec2-api:certificateArn": placeholderArn };

  it("refuses them at `pulumi up` (isDryRun false), before the first resource", async () => {
    const error = await runProgram(main, { stack: "ph", config }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, "the program must fail at up");
    assert.match(error.message, /still holds placeholders, which `pulumi up` refuses:\n {2}- ecs-ec2-api:certificateArn = ".*" is a placeholder/);
    assert.deepEqual(error.recording.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
  });

  it("warns about them in preview, which still evaluates the whole program", async () => {
    const recording = await runProgram(main, { stack: "ph", config, preview: true });
    assert.ok(recording.resources.length > 40, "preview evaluates the program");
    assert.ok(recording.warnings.some((w) => /ecs-ec2-api:certificateArn = .* is a placeholder .*`pulumi up` refuses placeholders/.test(w)), recording.warnings.join("\n"));
  });
});

describe("config: an unknown key's error lists the nearest few keys, not all of them", () => {
  it("names the did-you-mean and at most five nearest keys of the schema's", () => {
    const [message] = problems({ containerPrt: "8080" });
    assert.match(message, /^ecs-ec2-api:containerPrt is not a known key \(did you mean containerPort\?\); the nearest of the \d+ keys: containerPort, [^;]*$/);
    assert.equal(message.split(": ").pop()!.split(", ").length, 5, message);
    assert.ok(message.length < 200, message);
  });
});

describe("config: a key in a namespace nothing reads is an error, not a silent no-op", () => {
  const base = { ...projectConfig().values, "aws:region": "us-east-1" };
  const refusal = (all: Record<string, string>): unknown => {
    try {
      parseStackConfig(all, { rootDir: ROOT_DIR });
      return undefined;
    } catch (e) {
      return e;
    }
  };

  it("refuses ecs-ec2-ap:desiredCount with the namespace it likely misspells", () => {
    const error = refusal({ ...base, "ecs-ec2-ap:desiredCount": "3" });
    assert.ok(error instanceof ConfigError, "an unknown namespace must be refused");
    assert.match(error.problems[0], /^ecs-ec2-ap:desiredCount is in the namespace ecs-ec2-ap:, which nothing here reads \(did you mean ecs-ec2-api:desiredCount\?\)/);
    assert.deepEqual(namespaceProblems(["awz:region"]).map((p) => /did you mean aws:region\?/.test(p)), [true]);
  });

  it("lists it beside the other problems of the stack", () => {
    const error = refusal({ ...base, "acme:x": "1", "ecs-ec2-api:natGateways": "two" });
    assert.ok(error instanceof ConfigError, "must be refused");
    assert.equal(error.problems.length, 2, error.problems.join("\n"));
    assert.match(error.problems[0], /^acme:x is in the namespace acme:/);
  });

  it("accepts the CLI's own pulumi: keys (stack tags, default providers), which the CLI hands the program", () => {
    assert.doesNotThrow(() => parseStackConfig({ ...base, "pulumi:tags": '{"team":"orders"}', "pulumi:disable-default-providers": '["kubernetes"]' }, { rootDir: ROOT_DIR }));
  });
});

describe("config: a placeholder certificateArn beside a real domainName", () => {
  const config = {
    ...projectConfig().values, "aws:region": "us-east-1",
    "ecs-ec2-api:domainName": "api.acme-orders.dev", "ecs-ec2-api:hostedZoneId": "Z04512343SFJ1ABCDEF",
    "ecs-ec2-api:certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
  };
  const beside = /ecs-ec2-api:certificateArn = .* is a placeholder \(.*; it is set beside domainName api\.acme-orders\.dev and wins over the certificate the stack requests for it: remove it \(`pulumi config rm ecs-ec2-api:certificateArn`\)/;

  it("is refused at `pulumi up`, before the first resource, saying it would win over the domain's certificate", async () => {
    const error = await runProgram(main, { stack: "ph", config }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ProgramError, "the program must fail at up");
    assert.match(error.message, beside);
    assert.deepEqual(error.recording.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
  });

  it("is a warning in preview that says the same", async () => {
    const recording = await runProgram(main, { stack: "ph", config, preview: true });
    assert.ok(recording.warnings.some((w) => beside.test(w)), recording.warnings.join("\n"));
  });
});

describe("stack files: values checked against Pulumi.yaml's declared types, as the CLI does before the program runs", () => {
  // pulumi/pulumi sdk/go/common/workspace/project.go, ValidateConfigValue.
  it("accepts integers as numbers or integer strings, booleans as booleans or their strings", () => {
    assert.deepEqual([validConfigValue("integer", undefined, 4), validConfigValue("integer", undefined, "4"), validConfigValue("integer", undefined, "4.5")], [true, true, false]);
    assert.deepEqual([validConfigValue("boolean", undefined, true), validConfigValue("boolean", undefined, "false"), validConfigValue("boolean", undefined, "yes")], [true, true, false]);
  });

  it("accepts a list only with every item of the declared items type, and an object only as a map", () => {
    const strings = { type: "string" };
    assert.equal(validConfigValue("array", strings, ["us-east-1a"]), true);
    assert.equal(validConfigValue("array", strings, ["us-east-1a", 2]), false);
    assert.equal(validConfigValue("array", strings, "us-east-1a"), false);
    assert.equal(validConfigValue("object", undefined, { a: "b" }), true);
    assert.equal(validConfigValue("object", undefined, ["a"]), false);
  });
});

describe("taskCount: a service's tasks as desired or at their most (pure)", () => {
  it("is the desired count, or at the most autoscaling's maximum, else the desired count again", () => {
    const fixed = { desiredCount: 2, autoscaling: undefined };
    const scaled = { desiredCount: 2, autoscaling: { minCount: 1, maxCount: 6, cpuTarget: 60, requestsPerTarget: 1000 } };
    assert.equal(taskCount(scaled, "desired"), 2);
    assert.equal(taskCount(scaled, "peak"), 6);
    assert.equal(taskCount(fixed, "peak"), 2);
  });
});
