import assert from "node:assert/strict";
import { imdsv2Required } from "../../policy-pack/policies";
import { UNKNOWN_ON_THE_WIRE, resourceArgs, unproxy } from "../../plan/policy-args";
import { UNKNOWN, resource, verdict, violations } from "./helpers";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const required = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 };

describe("imdsv2-required", () => {
  describe("at up (every input known)", () => {
    it("accepts a launch template, an instance and a launch configuration that require IMDSv2 tokens", async () => {
      const found = await violations(imdsv2Required, [
        resource(LT, "hosts", { metadataOptions: required }),
        resource(INSTANCE, "bastion", { metadataOptions: { httpTokens: "required" } }),
        resource(LC, "legacy", { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } }),
      ]);
      assert.deepEqual(found, []);
    });

    it("rejects a launch template without metadataOptions (IMDSv1 stays on)", async () => {
      const found = await violations(imdsv2Required, [resource(LT, "hosts", { imageId: "ami-1" })]);
      assert.deepEqual(found, ['metadataOptions is not set, so IMDSv1 stays enabled; set httpTokens to "required"']);
    });

    it("rejects an instance and a launch configuration whose httpTokens is optional or unset", async () => {
      const v = await verdict(imdsv2Required, [
        resource(INSTANCE, "bastion", { metadataOptions: { httpTokens: "optional" } }),
        resource(LC, "legacy", { metadataOptions: { httpEndpoint: "enabled" } }),
      ]);
      assert.deepEqual(
        v.violations.map((x) => [x.resourceName, x.message]),
        [
          ["bastion", 'metadataOptions.httpTokens is "optional"; set it to "required"'],
          ["legacy", 'metadataOptions.httpTokens is not set (defaults to "optional"); set it to "required"'],
        ],
      );
      assert.equal(v.enforcementLevel, "mandatory");
    });

    it("accepts a disabled metadata endpoint, which serves neither IMDS version", async () => {
      assert.deepEqual(await violations(imdsv2Required, [resource(LT, "hosts", { metadataOptions: { httpEndpoint: "disabled" } })]), []);
    });

    it("rejects a hop limit above maxHopLimit (default 2, configurable down to 1)", async () => {
      const lt = resource(LT, "hosts", { metadataOptions: { ...required, httpPutResponseHopLimit: 3 } });
      assert.match((await violations(imdsv2Required, [lt])).join(), /httpPutResponseHopLimit is 3; at most 2/);
      const two = resource(LT, "hosts", { metadataOptions: required });
      assert.match((await violations(imdsv2Required, [two], { config: { "imdsv2-required": { maxHopLimit: 1 } } })).join(), /httpPutResponseHopLimit is 2; at most 1/);
    });
  });

  describe("in preview (ids and computed values unknown)", () => {
    it("accepts a launch template with literal metadataOptions even though its other inputs are unknown", async () => {
      const lt = resource(LT, "hosts", { imageId: UNKNOWN, userData: UNKNOWN, iamInstanceProfile: { arn: UNKNOWN }, vpcSecurityGroupIds: [UNKNOWN], metadataOptions: required }, { preview: true });
      const v = await verdict(imdsv2Required, [lt], { preview: true });
      assert.deepEqual(v.violations, []);
      assert.equal(v.unverified, undefined);
    });

    it("reports 'cannot verify in preview' (not a pass) when metadataOptions or httpTokens is unknown", async () => {
      const found = await violations(
        imdsv2Required,
        [resource(LT, "a", { metadataOptions: UNKNOWN }, { preview: true }), resource(LT, "b", { metadataOptions: { httpTokens: UNKNOWN } }, { preview: true })],
        { preview: true },
      );
      assert.deepEqual(found, [
        "cannot verify in preview: metadataOptions is unknown until the update",
        "cannot verify in preview: metadataOptions.httpTokens is unknown until the update",
      ]);
    });
  });

  describe("remediation (enforcement level remediate)", () => {
    const config = { "imdsv2-required": "remediate" as const };

    it("sets httpTokens to required on a launch template that lacks metadataOptions, so it then passes", async () => {
      const v = await verdict(imdsv2Required, [resource(LT, "hosts", { imageId: "ami-1" })], { config });
      assert.equal(v.enforcementLevel, "remediate");
      assert.deepEqual(v.violations, []);
      assert.deepEqual(v.remediated, [{ urn: "urn:pulumi:test::ecs-ec2-api::aws:ec2/launchTemplate:LaunchTemplate::hosts", resourceName: "hosts" }]);
    });

    it("keeps the other inputs, unknown ones included, and clamps the hop limit", async () => {
      const lt = resource(LT, "hosts", { imageId: UNKNOWN, metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 5, instanceMetadataTags: "enabled" } }, { preview: true });
      const result = unproxy(await imdsv2Required.remediateResource!(resourceArgs(lt, { config: { maxHopLimit: 2, exemptResources: [] } }))) as any;
      assert.equal(result.imageId, UNKNOWN_ON_THE_WIRE);
      assert.deepEqual(result.metadataOptions, { instanceMetadataTags: "enabled", httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 });
    });

    it("leaves a compliant resource untouched (a disabled endpoint stays disabled)", async () => {
      const lt = resource(LT, "hosts", { metadataOptions: { httpEndpoint: "disabled" } });
      assert.equal(await imdsv2Required.remediateResource!(resourceArgs(lt, { config: { maxHopLimit: 2, exemptResources: [] } })), undefined);
      assert.equal((await verdict(imdsv2Required, [lt], { config })).remediated, undefined);
    });
  });
});
