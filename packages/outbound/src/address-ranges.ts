import { isIPv4, isIPv6 } from "node:net";

/** Why an address is not a public one; null means it is public (globally routable unicast). */
export type AddressKind = "unspecified" | "loopback" | "private" | "shared" | "link-local" | "multicast" | "reserved" | "documentation";

const KIND_WORDS: Record<AddressKind, string> = {
  unspecified: "an unspecified address (0.0.0.0 / ::)",
  loopback: "a loopback address",
  private: "a private address",
  shared: "a carrier-grade NAT address (100.64.0.0/10)",
  "link-local": "a link-local address (cloud metadata lives there)",
  multicast: "a multicast address",
  reserved: "a reserved address",
  documentation: "a documentation address",
};

export function describeAddressKind(kind: AddressKind): string {
  return KIND_WORDS[kind];
}

interface Range {
  bytes: number[];
  prefix: number;
  kind: AddressKind;
}

function ipv4Bytes(address: string): number[] {
  return address.split(".").map(Number);
}

/** The 16 bytes of an IPv6 address (a zone id is ignored; an IPv4 tail is expanded). */
export function ipv6Bytes(address: string): number[] {
  let text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...restGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [(value >> 8) & 0xff, value & 0xff];
  });
}

function range(cidr: string, kind: AddressKind): Range {
  const [address = "", prefix = "0"] = cidr.split("/");
  return { bytes: isIPv4(address) ? ipv4Bytes(address) : ipv6Bytes(address), prefix: Number(prefix), kind };
}

function inRange(bytes: readonly number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  let bits = r.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((r.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

// RFC 6890 and the IANA special-purpose registries; everything here is refused unless listed.
const IPV4_RANGES: Range[] = [
  range("0.0.0.0/8", "unspecified"),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "shared"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "reserved"),
  range("192.0.2.0/24", "documentation"),
  range("192.88.99.0/24", "reserved"),
  range("192.168.0.0/16", "private"),
  range("198.18.0.0/15", "reserved"),
  range("198.51.100.0/24", "documentation"),
  range("203.0.113.0/24", "documentation"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved"),
];

const IPV6_RANGES: Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("64:ff9b:1::/48", "private"),
  range("100::/64", "reserved"),
  range("2001::/23", "reserved"),
  range("2001:db8::/32", "documentation"),
  range("3fff::/20", "documentation"),
  range("fc00::/7", "private"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "private"),
  range("ff00::/8", "multicast"),
];

/** IPv6 forms that carry an IPv4 address; they are judged by that address. */
const EMBEDDED_IPV4: Array<{ range: Range; offset: number }> = [
  { range: range("::ffff:0:0/96", "reserved"), offset: 12 },
  { range: range("64:ff9b::/96", "reserved"), offset: 12 },
  { range: range("2002::/16", "reserved"), offset: 2 },
];

const GLOBAL_UNICAST_V6 = range("2000::/3", "reserved");

function classifyIpv4(bytes: number[]): AddressKind | null {
  return IPV4_RANGES.find((r) => inRange(bytes, r))?.kind ?? null;
}

/**
 * What kind of non-public address this is, or null for a public one. Accepts IPv4 and IPv6
 * text (brackets and a zone id allowed); IPv4-mapped, NAT64 and 6to4 IPv6 addresses are judged
 * by the IPv4 address inside them. Anything that is not an IP address is "reserved".
 */
export function classifyAddress(address: string): AddressKind | null {
  const text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(text)) return classifyIpv4(ipv4Bytes(text));
  if (!isIPv6(text)) return "reserved";
  const bytes = ipv6Bytes(text);
  for (const { range: r, offset } of EMBEDDED_IPV4) {
    if (inRange(bytes, r)) return classifyIpv4(bytes.slice(offset, offset + 4));
  }
  const special = IPV6_RANGES.find((r) => inRange(bytes, r));
  if (special) return special.kind;
  // ::a.b.c.d (deprecated IPv4-compatible) and all other space outside 2000::/3 is not routable.
  return inRange(bytes, GLOBAL_UNICAST_V6) ? null : "reserved";
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === null;
}
