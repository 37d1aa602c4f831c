import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { classifyAddress, describeAddressKind } from "./address-ranges.ts";
import { canonicalHostname, matchesHostRules, type HostRule } from "./host-rules.ts";
import { OutboundError } from "./outbound-error.ts";
import { redactUrl } from "./redact-url.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Where outgoing requests may go.
 * - `allowedHosts` null (no list): any host whose addresses are all public; loopback, private,
 *   link-local, multicast and other special addresses are refused.
 * - `allowedHosts` set: only the listed hosts (and ports), at whatever address they resolve to —
 *   listing a host is how an internal server (a vLLM on 10.0.0.5, a test server on 127.0.0.1)
 *   is allowed explicitly.
 */
export interface OutboundPolicy {
  /** Distinguishes policies (caches of clients and connection pools are per policy). */
  readonly id: number;
  readonly allowedHosts: readonly HostRule[] | null;
  readonly resolve: Resolver;
}

let nextPolicyId = 1;

export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

export function createOutboundPolicy(options: { allowedHosts: readonly HostRule[] | null; resolve?: Resolver }): OutboundPolicy {
  return { id: nextPolicyId++, allowedHosts: options.allowedHosts, resolve: options.resolve ?? systemResolver };
}

/** What a destination check found: the URL may be requested; `listed` = its host is on the allow-list. */
export interface AllowedDestination {
  url: URL;
  listed: boolean;
}

/** Names that only ever mean a machine nearby: refused by name, before any lookup, unless listed. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

function refusedAddress(url: URL, address: string, kind: Parameters<typeof describeAddressKind>[0]): OutboundError {
  const host = canonicalHostname(url.hostname);
  const where = bareHostname(url) === address ? host : `${host} (resolves to ${address})`;
  return new OutboundError(
    "address_not_allowed",
    `${where} is ${describeAddressKind(kind)}; requests to it are refused unless ARBITER_ALLOWED_HOSTS lists the host`,
  );
}

/**
 * The checks that need no network: an http(s) URL; on the allow-list when there is one; and,
 * when not listed, no IP literal of a non-public range and no local-only name (`localhost`,
 * `*.local`, a single-label name). Throws OutboundError; the resolved addresses are checked
 * again when connecting (`assertResolvedAddresses`).
 */
export function checkDestination(rawUrl: string | URL, policy: OutboundPolicy): AllowedDestination {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new OutboundError("invalid_url", "the URL is not valid");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundError("invalid_url", `${redactUrl(url.href)} is not an http(s) URL`);
  const listed = policy.allowedHosts !== null && matchesHostRules(url, policy.allowedHosts);
  if (listed) return { url, listed };
  const host = canonicalHostname(url.hostname);
  if (policy.allowedHosts !== null) {
    throw new OutboundError(
      "host_not_allowed",
      `${host}${url.port ? `:${url.port}` : ""} is not in ARBITER_ALLOWED_HOSTS (${policy.allowedHosts.map((rule) => rule.text).join(", ")})`,
    );
  }
  const bare = bareHostname(url);
  if (isIP(bare)) {
    const kind = classifyAddress(bare);
    if (kind) throw refusedAddress(url, bare, kind);
    return { url, listed };
  }
  if (LOCAL_NAME.test(host) || !host.includes(".")) {
    throw new OutboundError("address_not_allowed", `${host} is a local host name; requests to it are refused unless ARBITER_ALLOWED_HOSTS lists it`);
  }
  return { url, listed };
}

/** Throws address_not_allowed when an unlisted host resolved to any non-public address. */
export function assertResolvedAddresses(destination: AllowedDestination, addresses: readonly ResolvedAddress[]): void {
  if (destination.listed) return;
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind) throw refusedAddress(destination.url, address, kind);
  }
}

/**
 * The full check before anything is sent: `checkDestination`, then the host's current
 * addresses. A name that does not resolve now is not refused here (the request will fail with
 * `dns`); requests check the addresses they actually connect to in any case.
 */
export async function verifyDestination(rawUrl: string | URL, policy: OutboundPolicy, options: { timeoutMs?: number } = {}): Promise<AllowedDestination> {
  const destination = checkDestination(rawUrl, policy);
  const bare = bareHostname(destination.url);
  if (destination.listed || isIP(bare)) return destination;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    policy.resolve(bare).catch(() => [] as ResolvedAddress[]),
    new Promise<ResolvedAddress[]>((resolve) => {
      timer = setTimeout(() => resolve([]), options.timeoutMs ?? 3_000);
    }),
  ]).finally(() => clearTimeout(timer));
  assertResolvedAddresses(destination, addresses);
  return destination;
}
