import { describe, expect, it } from "vitest";
import { parseAddressRanges } from "@arbiter/config";
import { createClientAddressResolver, normalizeAddress } from "./client-address.ts";

const resolver = (list: string) => createClientAddressResolver(parseAddressRanges(list).ranges);

describe("ARBITER_TRUSTED_PROXIES parsing", () => {
  it("takes addresses and CIDR ranges, comma- or space-separated, and lists anything else as invalid", () => {
    const { ranges, invalid } = parseAddressRanges("127.0.0.1, 10.0.0.0/8 ::1 fd00::/8,garbage,10.0.0.0/33,1.2.3.4/x");
    expect(ranges).toEqual([
      { address: "127.0.0.1", prefix: 32, family: "ipv4" },
      { address: "10.0.0.0", prefix: 8, family: "ipv4" },
      { address: "::1", prefix: 128, family: "ipv6" },
      { address: "fd00::", prefix: 8, family: "ipv6" },
    ]);
    expect(invalid).toEqual(["garbage", "10.0.0.0/33", "1.2.3.4/x"]);
    expect(parseAddressRanges(undefined)).toEqual({ ranges: [], invalid: [] });
  });
});

describe("client address", () => {
  it("normalizes IPv4-mapped IPv6, ports, brackets and zones; refuses what is not an address", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("10.1.2.3:5555")).toBe("10.1.2.3");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("unknown")).toBeNull();
    expect(normalizeAddress("")).toBeNull();
    expect(normalizeAddress(undefined)).toBeNull();
  });

  it("without trusted proxies it is the peer address, whatever X-Forwarded-For says", () => {
    const { resolve } = resolver("");
    expect(resolve("::ffff:203.0.113.7", "10.9.9.9")).toBe("203.0.113.7");
    expect(resolve("127.0.0.1", "1.1.1.1, 2.2.2.2")).toBe("127.0.0.1");
  });

  it("a peer that is not a trusted proxy is the client, even when other proxies are trusted", () => {
    expect(resolver("10.0.0.0/8").resolve("203.0.113.7", "198.51.100.1")).toBe("203.0.113.7");
  });

  it("behind trusted proxies it is the right-most untrusted X-Forwarded-For entry: a spoofed left part changes nothing", () => {
    const { resolve } = resolver("127.0.0.1, 10.0.0.0/8");
    expect(resolve("127.0.0.1", "198.51.100.9")).toBe("198.51.100.9");
    expect(resolve("::ffff:127.0.0.1", "6.6.6.6, 198.51.100.9")).toBe("198.51.100.9");
    expect(resolve("127.0.0.1", "6.6.6.6, 198.51.100.9, 10.1.1.1")).toBe("198.51.100.9");
    expect(resolve("127.0.0.1", ["6.6.6.6", "198.51.100.9, 10.1.1.1"])).toBe("198.51.100.9");
  });

  it("behind trusted proxies: all entries trusted → the left-most; none → the peer; garbage → the proxy that forwarded it", () => {
    const { resolve } = resolver("127.0.0.1, 10.0.0.0/8");
    expect(resolve("127.0.0.1", "10.2.2.2, 10.1.1.1")).toBe("10.2.2.2");
    expect(resolve("127.0.0.1", undefined)).toBe("127.0.0.1");
    expect(resolve("127.0.0.1", "")).toBe("127.0.0.1");
    expect(resolve("127.0.0.1", "not-an-ip, 10.1.1.1")).toBe("10.1.1.1");
    expect(resolve("127.0.0.1", "198.51.100.9, unknown")).toBe("127.0.0.1");
  });

  it("IPv6 ranges match IPv6 peers", () => {
    const { resolve, isTrusted } = resolver("fd00::/8");
    expect(isTrusted("fd12::1")).toBe(true);
    expect(isTrusted("fe80::1")).toBe(false);
    expect(resolve("fd12::1", "2001:db8::5")).toBe("2001:db8::5");
  });
});
