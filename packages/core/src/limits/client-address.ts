import { BlockList, isIP } from "node:net";
import type { AddressRange } from "@arbiter/config";

export { CLIENT_ADDRESS_HEADER, isClientAddressStamped, markClientAddressStamped } from "@arbiter/config";

/** Forwarded headers honoured only when the connection comes from a trusted proxy. */
export const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"] as const;

/** `::ffff:10.1.2.3` → `10.1.2.3`; IPv6 in lower case; null when it is not an address. */
export function normalizeAddress(value: string | undefined): string | null {
  if (!value) return null;
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const zone = address.indexOf("%");
  if (zone !== -1) address = address.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  const version = isIP(address);
  if (version === 0) return null;
  return version === 6 ? address.toLowerCase() : address;
}

/**
 * Who is asking, for rate limits: the connection's peer address, unless the peer is a trusted
 * proxy — then the right-most X-Forwarded-For entry that is not itself a trusted proxy (every
 * proxy appends the address it saw, so entries left of the last untrusted one are whatever that
 * client chose to send). An entry that is not an address ends the walk at the proxy that
 * forwarded it.
 */
export function createClientAddressResolver(trustedProxies: readonly AddressRange[]) {
  const trusted = new BlockList();
  for (const range of trustedProxies) trusted.addSubnet(range.address, range.prefix, range.family);
  const isTrusted = (address: string) => trustedProxies.length > 0 && trusted.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

  return {
    isTrusted(peer: string | undefined): boolean {
      const address = normalizeAddress(peer);
      return address !== null && isTrusted(address);
    },
    resolve(peer: string | undefined, forwardedFor: string | readonly string[] | undefined): string | null {
      const peerAddress = normalizeAddress(peer);
      if (peerAddress === null || !isTrusted(peerAddress)) return peerAddress;
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : ((forwardedFor as string | undefined) ?? ""))
        .split(",")
        .map((hop) => hop.trim())
        .filter(Boolean);
      let nearest = peerAddress;
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalizeAddress(hops[i]);
        if (hop === null) return nearest;
        if (!isTrusted(hop)) return hop;
        nearest = hop;
      }
      return nearest;
    },
  };
}
