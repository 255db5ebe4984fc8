// The load-balanced service, continued: HTTPS, autoscaling, access logs, deletion protection, appPath, a prod-shaped stack (the whole program under the mock engine).
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Graph, RecordedResource } from "../../plan/mock-engine";
import { ROOT } from "../../config/stack-files";
import { TLS_POLICY } from "../../components/edge";
import { assertDependsOn, assertFedBy, fedBy, json, recordSeed, subnetsByTier } from "../helpers";
import { T, CERTIFICATE, ARM64_AMI_PARAMETER, US_EAST_1_ELB, service, td, container, httpListener, httpsListener, itKeepsTheWireLeastPrivilege } from "./service-fixtures";

describe("LoadBalancedService with a certificate (HTTPS)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ certificateArn: CERTIFICATE });
  });

  it("listens for HTTPS on 443 with the TLS 1.2+ policy and the certificate, forwarding to the target group", () => {
    const l = httpsListener(g);
    assert.ok(l, "an HTTPS listener");
    const tg = g.one(T.tg);
    assert.equal(l.inputs.protocol, "HTTPS");
    assert.equal(l.inputs.sslPolicy, TLS_POLICY);
    assert.match(TLS_POLICY, /^ELBSecurityPolicy-TLS13-1-2-/);
    assert.equal(l.inputs.certificateArn, CERTIFICATE);
    assert.equal(l.inputs.loadBalancerArn, g.one(T.alb).outputs.arn);
    assert.deepEqual(l.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.outputs.arn }]);
    assertFedBy(l, "defaultActions", tg);
  });

  it("redirects HTTP to HTTPS 443 with a 301", () => {
    assert.deepEqual(httpListener(g).inputs.defaultActions, [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }]);
  });

  it("starts the service only after the HTTPS listener exists (its target group joins the ALB there)", () => {
    const https = httpsListener(g);
    assert.ok(https, "an HTTPS listener");
    assertDependsOn(service(g), https);
    assertDependsOn(service(g), httpListener(g));
  });

  it("exports an https:// URL", () => {
    assert.equal(g.recording.outputs.url, `https://${g.one(T.alb).outputs.dnsName}`);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, true);
  });
});

describe("LoadBalancedService with autoscaling (2..7 tasks, CPU 55 %, 500 requests per task)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({
      autoscaling: "true", autoscalingMinCount: "2", autoscalingMaxCount: "7", autoscalingCpuTarget: "55",
      autoscalingRequestsPerTarget: "500", desiredCount: "3",
    });
  });

  it("registers the service's desired count as a scalable target between the configured bounds", () => {
    const target = g.one(T.scalingTarget);
    const s = service(g);
    const cluster = g.one(T.cluster);
    assert.equal(target.inputs.serviceNamespace, "ecs");
    assert.equal(target.inputs.scalableDimension, "ecs:service:DesiredCount");
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [2, 7]);
    assert.equal(target.inputs.resourceId, `service/${cluster.outputs.name}/${s.outputs.name}`);
    assertFedBy(target, "resourceId", s);
    assertFedBy(target, "resourceId", cluster);
  });

  it("tracks average CPU at the configured target", () => {
    const target = g.one(T.scalingTarget);
    const cpu = g.ofType(T.scalingPolicy).filter((p) => p.inputs.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification?.predefinedMetricType === "ECSServiceAverageCPUUtilization");
    assert.equal(cpu.length, 1);
    assert.equal(cpu[0].inputs.policyType, "TargetTrackingScaling");
    assert.equal(cpu[0].inputs.targetTrackingScalingPolicyConfiguration.targetValue, 55);
    assert.equal(cpu[0].inputs.resourceId, target.inputs.resourceId);
    assertFedBy(cpu[0], "resourceId", target);
  });

  it("tracks ALB requests per target on <alb arnSuffix>/<target group arnSuffix>", () => {
    const target = g.one(T.scalingTarget);
    const alb = g.one(T.alb);
    const tg = g.one(T.tg);
    const requests = g.ofType(T.scalingPolicy).filter((p) => p.inputs.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification?.predefinedMetricType === "ALBRequestCountPerTarget");
    assert.equal(requests.length, 1);
    const config = requests[0].inputs.targetTrackingScalingPolicyConfiguration;
    assert.equal(requests[0].inputs.policyType, "TargetTrackingScaling");
    assert.equal(config.targetValue, 500);
    assert.equal(config.predefinedMetricSpecification.resourceLabel, `${alb.outputs.arnSuffix}/${tg.outputs.arnSuffix}`);
    assertFedBy(requests[0], "targetTrackingScalingPolicyConfiguration", alb);
    assertFedBy(requests[0], "targetTrackingScalingPolicyConfiguration", tg);
    assertFedBy(requests[0], "resourceId", target);
    assert.equal(g.ofType(T.scalingPolicy).length, 2);
  });

  it("starts with desiredCount and then leaves it to the scaler (ignoreChanges)", () => {
    assert.equal(service(g).inputs.desiredCount, 3);
    const ignored = service(g).options.ignoreChanges;
    assert.ok(ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
  });
});

describe("LoadBalancedService with access logs (accessLogs: true, 90-day retention)", () => {
  let g: Graph;
  let bucket: RecordedResource;
  /** The one resource of `type` configuring the log bucket. */
  const onBucket = (type: string) => {
    const found = g.ofType(type).filter((r) => fedBy(r, "bucket", bucket));
    assert.equal(found.length, 1, `${type} on the log bucket`);
    return found[0];
  };
  before(async () => {
    g = await recordSeed({ accessLogs: "true", logRetentionDays: "90" });
    bucket = g.one(T.bucket);
  });

  it("blocks every kind of public access to the log bucket", () => {
    const block = onBucket(T.publicAccess);
    assert.deepEqual([block.inputs.blockPublicAcls, block.inputs.blockPublicPolicy, block.inputs.ignorePublicAcls, block.inputs.restrictPublicBuckets], [true, true, true, true]);
  });

  it("encrypts logs with SSE-S3 (AES256, what ALB log delivery supports)", () => {
    assert.deepEqual(onBucket(T.encryption).inputs.rules.map((r: any) => r.applyServerSideEncryptionByDefault.sseAlgorithm), ["AES256"]);
  });

  it("disables ACLs (BucketOwnerEnforced)", () => {
    assert.equal(onBucket(T.ownership).inputs.rule.objectOwnership, "BucketOwnerEnforced");
  });

  it("expires logs after logRetentionDays", () => {
    const rules = onBucket(T.lifecycle).inputs.rules;
    assert.equal(rules.length, 1);
    assert.equal(rules[0].status, "Enabled");
    assert.equal(rules[0].expiration.days, 90);
  });

  it("lets only the us-east-1 ELB account put objects, and denies any request without TLS", () => {
    const policy = json(onBucket(T.bucketPolicy).inputs.policy);
    const allow = policy.Statement.filter((s: any) => s.Effect === "Allow");
    assert.equal(allow.length, 1);
    assert.deepEqual(allow[0].Principal, { AWS: US_EAST_1_ELB });
    assert.deepEqual([allow[0].Action].flat(), ["s3:PutObject"]);
    for (const resource of [allow[0].Resource].flat()) assert.ok(String(resource).startsWith(`${bucket.outputs.arn}/`), resource);
    const deny = policy.Statement.filter((s: any) => s.Effect === "Deny");
    assert.equal(deny.length, 1);
    assert.equal(deny[0].Condition.Bool["aws:SecureTransport"], "false");
    assert.deepEqual([deny[0].Action].flat(), ["s3:*"]);
    assert.deepEqual([deny[0].Resource].flat().sort(), [bucket.outputs.arn, `${bucket.outputs.arn}/*`]);
  });

  it("turns ALB access logs on into that bucket, after its policy allows delivery", () => {
    const alb = g.one(T.alb);
    assert.equal(alb.inputs.accessLogs.enabled, true);
    assert.equal(alb.inputs.accessLogs.bucket, bucket.outputs.bucket);
    assertFedBy(alb, "accessLogs", bucket);
    assertDependsOn(alb, onBucket(T.bucketPolicy));
  });

  it("keeps the container log group for the same retention", () => {
    assert.equal(g.one(T.logGroup, "web-logs").inputs.retentionInDays, 90);
  });
});

describe("LoadBalancedService with deletion protection (deletionProtection: true)", () => {
  let g: Graph;
  before(async () => {
    g = await recordSeed({ deletionProtection: "true" });
  });

  it("protects the ALB from deletion", () => {
    assert.equal(g.one(T.alb).inputs.enableDeletionProtection, true);
  });
});

describe("LoadBalancedService running the team's own image (appPath)", () => {
  let appPath: string;
  let context: string;
  let tmp: string | undefined;
  before(() => {
    if (fs.existsSync(path.join(ROOT, "app", "Dockerfile"))) {
      appPath = "app";
      context = path.join(ROOT, "app");
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-ec2-api-app-"));
      fs.writeFileSync(path.join(tmp, "Dockerfile"), "FROM public.ecr.aws/docker/library/nginx:latest\n");
      appPath = context = tmp;
    }
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("on x86_64 hosts (c5.xlarge)", () => {
    let g: Graph;
    before(async () => {
      g = await recordSeed({ appPath, containerPort: "8080" });
    });

    it("creates an ECR repository that scans on push, has immutable tags and a lifecycle policy", () => {
      const repo = g.one(T.repository);
      assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
      assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
      assert.ok(repo.inputs.lifecyclePolicy?.rules?.length >= 1, JSON.stringify(repo.inputs.lifecyclePolicy));
    });

    it("builds the image from the appPath folder for linux/amd64 and pushes it to that repository", () => {
      const image = g.one(T.image);
      const repo = g.one(T.repository);
      assert.equal(image.inputs.context, context);
      assert.equal(image.inputs.platform, "linux/amd64");
      assert.equal(image.inputs.repositoryUrl, repo.outputs.url);
      assertFedBy(image, "repositoryUrl", repo);
    });

    it("runs the pushed image (its imageUri), not imageUrl", () => {
      const image = g.one(T.image);
      assert.ok(image.outputs.imageUri, "the mock image has a URI");
      assert.equal(container(g).image, image.outputs.imageUri);
      assertFedBy(td(g), "containerDefinitions", image);
    });
  });

  describe("on Graviton hosts (c7g.large, arm64 AMI)", () => {
    let g: Graph;
    before(async () => {
      g = await recordSeed({ appPath, containerPort: "8080", instanceType: "c7g.large", ecsAmiParameter: ARM64_AMI_PARAMETER });
    });

    it("builds the image for linux/arm64", () => {
      assert.equal(g.one(T.image).inputs.platform, "linux/arm64");
      assert.equal(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, "c7g.large");
      assert.equal(container(g).image, g.one(T.image).outputs.imageUri);
    });
  });
});

describe("the service in a prod-shaped stack (3 AZs, HTTPS, autoscaling, access logs, deletion protection)", () => {
  let g: Graph;
  const config = {
    "ecs-ec2-api:availabilityZones": "3", "ecs-ec2-api:certificateArn": CERTIFICATE, "ecs-ec2-api:autoscaling": "true",
    "ecs-ec2-api:autoscalingMinCount": "3", "ecs-ec2-api:autoscalingMaxCount": "12", "ecs-ec2-api:desiredCount": "3",
    "ecs-ec2-api:accessLogs": "true", "ecs-ec2-api:deletionProtection": "true",
  };
  before(async () => {
    g = await recordSeed(Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace("ecs-ec2-api:", ""), v])));
  });

  it("spans 3 public and 3 private subnets: the ALB in the public ones, the tasks in the private ones", () => {
    const { publicSubnets, privateSubnets } = subnetsByTier(g);
    assert.equal(publicSubnets.length, 3);
    assert.equal(privateSubnets.length, 3);
    assert.deepEqual(g.one(T.alb).inputs.subnets, publicSubnets.map((s) => s.id));
    assert.deepEqual(service(g).inputs.networkConfiguration.subnets, privateSubnets.map((s) => s.id));
    assert.equal(service(g).inputs.networkConfiguration.assignPublicIp, false);
  });

  it("serves HTTPS with the stack's certificate and redirects HTTP", () => {
    const l = httpsListener(g);
    assert.ok(l, "an HTTPS listener");
    assert.equal(l.inputs.certificateArn, config["ecs-ec2-api:certificateArn"]);
    assert.equal(l.inputs.sslPolicy, TLS_POLICY);
    assert.equal(httpListener(g).inputs.defaultActions[0].type, "redirect");
    assert.match(g.recording.outputs.url, /^https:\/\//);
  });

  it("autoscales the service within the stack's bounds", () => {
    const target = g.one(T.scalingTarget);
    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity],
      [Number(config["ecs-ec2-api:autoscalingMinCount"]), Number(config["ecs-ec2-api:autoscalingMaxCount"])]);
    assert.equal(g.ofType(T.scalingPolicy).length, 2);
    const ignored = service(g).options.ignoreChanges;
    assert.ok(ignored.includes("desiredCount"), `ignoreChanges: ${JSON.stringify(ignored)}`);
  });

  it("writes ALB access logs to the stack's bucket", () => {
    const alb = g.one(T.alb);
    assert.equal(alb.inputs.accessLogs.enabled, true);
    assert.equal(alb.inputs.accessLogs.bucket, g.one(T.bucket).outputs.bucket);
  });

  it("protects the ALB from deletion", () => {
    assert.equal(g.one(T.alb).inputs.enableDeletionProtection, true);
  });

  describe("security groups", () => {
    itKeepsTheWireLeastPrivilege(() => g, true);
  });
});

describe("LoadBalancedService with the longest service name the config allows (32 characters)", () => {
  it("keeps the load balancer's and target group's auto-names within AWS's 32 characters", async () => {
    const g = await recordSeed({ serviceName: "a-very-long-service-name-32chars" });
    for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"]) {
      const [r] = g.ofType(type);
      // Pulumi auto-names a resource "<logical name>-<7 random characters>".
      assert.ok(r.name.length + 8 <= 32, `${type} logical name ${r.name} leaves no room for the auto-name suffix`);
    }
    assert.equal(g.one("aws:ecs/service:Service").inputs.name, "a-very-long-service-name-32chars");
  });
});

describe("LoadBalancedService access logs under deletion protection", () => {
  it("leaves the log bucket and its settings in place on destroy only when the stack is protected", async () => {
    const kept = await recordSeed({ accessLogs: "true", deletionProtection: "true" });
    const bucketFamily = (g: Awaited<ReturnType<typeof recordSeed>>) => g.cloudResources.filter((r) => r.type.startsWith("aws:s3/"));
    assert.equal(bucketFamily(kept).length, 6, "bucket, public access block, ownership, encryption, lifecycle, policy");
    for (const r of bucketFamily(kept)) assert.equal(r.options.retainOnDelete, true, `${r.type} is retained`);
    assert.equal(kept.one("aws:s3/bucket:Bucket").inputs.forceDestroy, false);
    const plain = await recordSeed({ accessLogs: "true" });
    for (const r of bucketFamily(plain)) assert.equal(r.options.retainOnDelete, false, `${r.type} is deleted with the stack`);
    assert.equal(plain.one("aws:s3/bucket:Bucket").inputs.forceDestroy, true);
  });
});
