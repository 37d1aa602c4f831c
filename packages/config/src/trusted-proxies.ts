import { isIP } from "node:net";

/** One entry of ARBITER_TRUSTED_PROXIES: an address, or a range in CIDR notation. */
export interface AddressRange {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/**
 * Parses ARBITER_TRUSTED_PROXIES: comma- or space-separated IPv4 / IPv6 addresses and CIDR
 * ranges (`127.0.0.1, 10.0.0.0/8, ::1, fd00::/8`). Anything else is listed in `invalid`.
 */
export function parseAddressRanges(value: string | undefined): { ranges: AddressRange[]; invalid: string[] } {
  const ranges: AddressRange[] = [];
  const invalid: string[] = [];
  for (const entry of (value ?? "").split(/[\s,]+/).filter(Boolean)) {
    const range = parseAddressRange(entry);
    if (range) ranges.push(range);
    else invalid.push(entry);
  }
  return { ranges, invalid };
}

function parseAddressRange(entry: string): AddressRange | null {
  const slash = entry.indexOf("/");
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return null;
  const maxPrefix = version === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(maxPrefix) : entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
  return { address, prefix: Number(prefixText), family: version === 4 ? "ipv4" : "ipv6" };
}
