import assert from "node:assert/strict";
import { albAccessLogs, albDeletionProtection, albDropInvalidHeaders, albHttpRedirectsToHttps, albTlsPolicy, albWafEnabled } from "../../policy-pack/policies";
import { UNKNOWN, resource, verdict, violations } from "./helpers";

// Both type tokens of the same AWS resources: every ALB policy must cover both.
const TOKENS = [
  { lb: "aws:lb/loadBalancer:LoadBalancer", listener: "aws:lb/listener:Listener" },
  { lb: "aws:alb/loadBalancer:LoadBalancer", listener: "aws:alb/listener:Listener" },
];
const hardened = { loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true, accessLogs: { bucket: "logs", enabled: true } };
const forward = [{ type: "forward", targetGroupArn: "arn:tg" }];
const redirect = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];

for (const t of TOKENS) {
  describe(`ALB resource policies on ${t.lb}`, () => {
    it("accept a hardened application load balancer", async () => {
      const lb = resource(t.lb, "alb", hardened);
      for (const p of [albDropInvalidHeaders, albDeletionProtection, albAccessLogs]) assert.deepEqual(await violations(p, [lb]), [], p.name);
    });

    it("alb-drop-invalid-headers rejects a load balancer that forwards invalid headers", async () => {
      assert.match((await violations(albDropInvalidHeaders, [resource(t.lb, "alb", { ...hardened, dropInvalidHeaderFields: false })])).join(), /dropInvalidHeaderFields is not true/);
    });

    it("alb-deletion-protection rejects an unprotected load balancer (advisory by default)", async () => {
      const v = await verdict(albDeletionProtection, [resource(t.lb, "alb", { ...hardened, enableDeletionProtection: undefined })]);
      assert.equal(v.enforcementLevel, "advisory");
      assert.match(v.violations.map((x) => x.message).join(), /enableDeletionProtection is not true/);
    });

    it("alb-access-logs rejects logs that name a bucket but are not enabled", async () => {
      const v = await verdict(albAccessLogs, [resource(t.lb, "alb", { ...hardened, accessLogs: { bucket: "logs" } })]);
      assert.equal(v.enforcementLevel, "advisory");
      assert.match(v.violations.map((x) => x.message).join(), /accessLogs is not enabled with a bucket/);
    });

    it("alb-tls-policy accepts TLS 1.2+ policies and rejects older, TLS13-1-0 and missing ones", async () => {
      const https = (name: string, sslPolicy?: string) => resource(t.listener, name, { protocol: "HTTPS", port: 443, sslPolicy, certificateArn: "arn:cert", defaultActions: forward });
      const ok = [https("a", "ELBSecurityPolicy-TLS13-1-2-2021-06"), https("b", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"), https("c", "ELBSecurityPolicy-TLS13-1-3-2021-06")];
      assert.deepEqual(await violations(albTlsPolicy, ok), []);
      const v = await verdict(albTlsPolicy, [https("old", "ELBSecurityPolicy-2016-08"), https("tls10", "ELBSecurityPolicy-TLS13-1-0-2021-06"), https("none")]);
      assert.deepEqual(v.violations.map((x) => x.resourceName), ["old", "tls10", "none"]);
    });
  });

  describe(`alb-http-redirects-to-https on ${t.lb} (stack policy)`, () => {
    // In preview the ARN is unknown: listeners reach their load balancer through propertyDependencies.
    const stack = (httpActions: unknown[], preview: boolean, withHttps = true) => {
      const lb = resource(t.lb, "alb", hardened, { preview, outputs: preview ? hardened : { ...hardened, arn: "arn:aws:elasticloadbalancing:lb/app/alb" } });
      const listener = (name: string, inputs: Record<string, unknown>) =>
        resource(t.listener, name, { loadBalancerArn: preview ? UNKNOWN : "arn:aws:elasticloadbalancing:lb/app/alb", ...inputs }, { preview, propertyDependencies: preview ? { loadBalancerArn: [lb.urn] } : {} });
      return [
        lb,
        listener("http", { port: 80, protocol: "HTTP", defaultActions: httpActions }),
        ...(withHttps ? [listener("https", { port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: forward })] : []),
      ];
    };

    for (const preview of [true, false]) {
      const mode = preview ? "in preview (matched through the graph)" : "at up (matched by ARN)";
      it(`accepts an HTTP listener that redirects to HTTPS ${mode}`, async () => {
        assert.deepEqual(await violations(albHttpRedirectsToHttps, stack(redirect, preview), { preview }), []);
      });

      it(`rejects an HTTP listener that forwards while the load balancer also serves HTTPS ${mode}`, async () => {
        const v = await verdict(albHttpRedirectsToHttps, stack(forward, preview), { preview });
        assert.deepEqual(v.violations.map((x) => [x.resourceName, x.message]), [["http", "http serves plain HTTP on alb, which also listens on HTTPS; make its default action a redirect to HTTPS"]]);
      });
    }

    it("does not apply to an HTTP-only load balancer, unless requireHttps is set", async () => {
      const httpOnly = stack(forward, false, false);
      assert.equal((await verdict(albHttpRedirectsToHttps, httpOnly)).status, "not-applicable");
      const config = { "alb-http-redirects-to-https": { requireHttps: true } };
      assert.deepEqual(await violations(albHttpRedirectsToHttps, httpOnly, { config }), ["alb is internet-facing and has no HTTPS listener"]);
    });
  });
}

describe("ALB policies and other load balancer types", () => {
  it("do not hold a network load balancer to application-only checks", async () => {
    const nlb = resource("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" });
    assert.deepEqual(await violations(albDropInvalidHeaders, [nlb]), []);
  });

  it("alb-access-logs accepts a bucket name that is unknown in preview (the bucket is created by the same update)", async () => {
    const lb = resource("aws:lb/loadBalancer:LoadBalancer", "alb", { ...hardened, accessLogs: { bucket: UNKNOWN, enabled: true } }, { preview: true });
    const v = await verdict(albAccessLogs, [lb], { preview: true });
    assert.deepEqual([v.violations, v.unverified], [[], undefined]);
  });
});

describe("alb-waf-enabled", () => {
  const ASSOC = "aws:wafv2/webAclAssociation:WebAclAssociation";
  for (const t of TOKENS) {
    it(`accepts an internet-facing ALB with a web ACL association fed by it (preview: through the graph) on ${t.lb}`, async () => {
      const lb = resource(t.lb, "alb", { ...hardened }, { preview: true });
      const assoc = resource(ASSOC, "waf", { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { preview: true, propertyDependencies: { resourceArn: [lb.urn] } });
      assert.deepEqual(await violations(albWafEnabled, [lb, assoc], { preview: true }), []);
    });

    it(`matches the association by ARN at up, and rejects an internet-facing ALB without one, on ${t.lb}`, async () => {
      const lb = resource(t.lb, "alb", { ...hardened, arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1" });
      const assoc = resource(ASSOC, "waf", { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1", webAclArn: "arn:acl" });
      assert.deepEqual(await violations(albWafEnabled, [lb, assoc]), []);
      const v = await verdict(albWafEnabled, [lb]);
      assert.equal(v.enforcementLevel, "advisory");
      assert.deepEqual(v.violations.map((x) => x.message), ["alb faces the internet without a WAF web ACL (turn on waf)"]);
    });
  }

  it("does not ask internal load balancers for a web ACL", async () => {
    assert.deepEqual(await violations(albWafEnabled, [resource(TOKENS[0].lb, "internal", { ...hardened, internal: true })]), []);
  });
});
