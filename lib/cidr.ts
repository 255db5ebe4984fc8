/** IPv4 CIDR arithmetic for the network plan. Pure: no Pulumi, tested on its own. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/p"; throws a message that says what is wrong with the text. */
export function parseCidr(text: string): Cidr {
  const m = CIDR_RE.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an IPv4 CIDR block like 10.0.0.0/16`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) throw new Error(`"${text}" has an octet above 255`);
  if (prefix > 32) throw new Error(`"${text}" has a prefix length above 32`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    throw new Error(`"${text}" has host bits set; the network address is ${formatCidr({ base: base - (base % size), prefix })}`);
  }
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${o.join(".")}/${c.prefix}`;
}

/** True when block `outer` holds every address of block `inner` (text forms; false when either is not a block). */
export function covers(outer: string, inner: string): boolean {
  try {
    const o = parseCidr(outer);
    const i = parseCidr(inner);
    return o.prefix <= i.prefix && Math.floor(i.base / 2 ** (32 - o.prefix)) === o.base / 2 ** (32 - o.prefix);
  } catch {
    return false;
  }
}

/** Splits a block into 2^bits equal blocks, in address order. */
export function splitCidr(c: Cidr, bits: number): Cidr[] {
  const prefix = c.prefix + bits;
  if (prefix > 28) throw new Error(`${formatCidr(c)} cannot be split into ${2 ** bits} subnets: AWS subnets are /28 at the smallest`);
  const size = 2 ** (32 - prefix);
  return Array.from({ length: 2 ** bits }, (_, i) => ({ base: c.base + i * size, prefix }));
}

export interface SubnetPlan {
  public: string[];
  private: string[];
}

/**
 * The subnet plan for `azCount` AZs: the lower half of the VPC holds the public subnets, the upper half
 * the private ones, each half cut into the fewest equal blocks that give one per AZ. For 10.0.0.0/16 and
 * two AZs this is the seed's plan exactly (public 10.0.0.0/18, 10.0.64.0/18; private 10.0.128.0/18,
 * 10.0.192.0/18); with three AZs each subnet is a /19 and one /19 per half stays free for growth.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  if (!Number.isInteger(azCount) || azCount < 1) throw new Error(`azCount must be a positive integer, got ${azCount}`);
  const [lower, upper] = splitCidr(parseCidr(vpcCidr), 1);
  const bits = Math.ceil(Math.log2(azCount));
  const pick = (half: Cidr) => splitCidr(half, bits).slice(0, azCount).map(formatCidr);
  return { public: pick(lower), private: pick(upper) };
}
