import assert from "node:assert/strict";
import { formatCidr, parseCidr, planSubnets } from "../../lib/cidr";

describe("CIDR plan (pure)", () => {
  const plans: { vpc: string; azs: number; public: string[]; private: string[] }[] = [
    {
      vpc: "10.0.0.0/16", azs: 2, // the seed's plan
      public: ["10.0.0.0/18", "10.0.64.0/18"], private: ["10.0.128.0/18", "10.0.192.0/18"],
    },
    {
      vpc: "10.0.0.0/16", azs: 3,
      public: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"], private: ["10.0.128.0/19", "10.0.160.0/19", "10.0.192.0/19"],
    },
    {
      vpc: "172.16.0.0/20", azs: 4,
      public: ["172.16.0.0/23", "172.16.2.0/23", "172.16.4.0/23", "172.16.6.0/23"],
      private: ["172.16.8.0/23", "172.16.10.0/23", "172.16.12.0/23", "172.16.14.0/23"],
    },
    {
      vpc: "192.168.10.0/24", azs: 6,
      public: ["192.168.10.0/28", "192.168.10.16/28", "192.168.10.32/28", "192.168.10.48/28", "192.168.10.64/28", "192.168.10.80/28"],
      private: ["192.168.10.128/28", "192.168.10.144/28", "192.168.10.160/28", "192.168.10.176/28", "192.168.10.192/28", "192.168.10.208/28"],
    },
  ];
  for (const p of plans) {
    it(`splits ${p.vpc} over ${p.azs} AZs into public-low and private-high halves`, () => {
      assert.deepEqual(planSubnets(p.vpc, p.azs), { public: p.public, private: p.private });
    });
  }

  it("never overlaps subnets and keeps them inside the VPC", () => {
    for (const azs of [2, 3, 4, 5, 6]) {
      const plan = planSubnets("10.20.0.0/16", azs);
      const all = [...plan.public, ...plan.private].map(parseCidr);
      const vpc = parseCidr("10.20.0.0/16");
      const end = (c: { base: number; prefix: number }) => c.base + 2 ** (32 - c.prefix);
      for (const c of all) assert.ok(c.base >= vpc.base && end(c) <= end(vpc), formatCidr(c));
      const sorted = [...all].sort((a, b) => a.base - b.base);
      for (let i = 1; i < sorted.length; i++) assert.ok(end(sorted[i - 1]) <= sorted[i].base, `${azs} AZs overlap`);
    }
  });

  const bad: [string, RegExp][] = [
    ["10.0.0.0", /not an IPv4 CIDR/],
    ["10.0.0/16", /not an IPv4 CIDR/],
    ["10.0.0.256/24", /octet above 255/],
    ["300.0.0.0/16", /octet above 255/],
    ["10.0.0.0/33", /prefix length above 32/],
    ["10.0.1.0/16", /host bits set; the network address is 10\.0\.0\.0\/16/],
    ["", /not an IPv4 CIDR/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)} with a message that says why`, () => {
      assert.throws(() => parseCidr(text), message);
    });
  }

  it("refuses a split below AWS's /28 minimum", () => {
    assert.throws(() => planSubnets("10.0.0.0/26", 3), /\/28 at the smallest/);
  });
  it("refuses a non-positive AZ count", () => {
    assert.throws(() => planSubnets("10.0.0.0/16", 0), /positive integer/);
  });
});
