/**
 * One entry of an allow-list of hosts: a host name or IP address, optionally with a port
 * (`api.example.com`, `127.0.0.1:8000`, `[::1]:8080`). Without a port any port matches.
 */
export interface HostRule {
  /** As the WHATWG URL parser writes it: lower case, punycode, IPv4 in dotted decimal, IPv6 in brackets; no trailing dot. */
  hostname: string;
  port: number | null;
  /** The entry as written, for messages. */
  text: string;
}

export class HostRuleError extends Error {
  override readonly name = "HostRuleError";
}

/** A host name as URLs carry it, trailing dot dropped (`localhost.` is `localhost`). */
export function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

function parseHostRule(entry: string): HostRule {
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(entry);
  const plain = bracketed ? null : /^([^:/?#@\s[\]*]+)(?::(\d+))?$/.exec(entry);
  const match = bracketed ?? plain;
  if (!match?.[1]) throw new HostRuleError(`"${entry}" is not a host or host:port (no scheme, path, user or wildcard)`);
  let hostname: string;
  try {
    hostname = canonicalHostname(new URL(`http://${match[1]}/`).hostname);
  } catch {
    throw new HostRuleError(`"${entry}" is not a valid host name or IP address`);
  }
  if (hostname === "") throw new HostRuleError(`"${entry}" names no host`);
  let port: number | null = null;
  if (match[2] !== undefined) {
    port = Number(match[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new HostRuleError(`"${entry}": the port must be 1–65535`);
  }
  return { hostname, port, text: entry };
}

/**
 * Parses a comma-separated allow-list (`ARBITER_ALLOWED_HOSTS`). Empty or blank means no list
 * (null). Throws HostRuleError naming the first bad entry.
 */
export function parseHostRules(list: string | undefined): HostRule[] | null {
  const entries = (list ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return null;
  return entries.map(parseHostRule);
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

/** The port a URL connects to (its explicit port, else the scheme's default). */
export function effectivePort(url: URL): number {
  return url.port === "" ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port);
}

/** Whether the URL's host (and port, when the rule names one) is one of the rules. */
export function matchesHostRules(url: URL, rules: readonly HostRule[]): boolean {
  const hostname = canonicalHostname(url.hostname);
  const port = effectivePort(url);
  return rules.some((rule) => rule.hostname === hostname && (rule.port === null || rule.port === port));
}
