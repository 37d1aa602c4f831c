import { z } from "zod";

/**
 * Remote media in item content (markdown images, `media` URLs) and guidelines is loaded by each
 * annotator's browser, which tells whoever runs that host the annotator's address and viewing
 * times. A campaign lists the hosts an admin allowed (`mediaHosts`); the annotation page loads
 * media from those only and shows a placeholder that says why for everything else, and its CSP
 * names the same hosts. No proxy: the server never fetches these URLs itself.
 */

/** `images.example.org`, `*.example.org` (its subdomains), `127.0.0.1:8080`; no scheme, path or spaces. */
export const MEDIA_HOST_PATTERN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;

export const MediaHost = z
  .string()
  .trim()
  .toLowerCase()
  .max(260)
  .refine((host) => MEDIA_HOST_PATTERN.test(host) && !/:0*$/.test(host) && Number(host.split(":")[1] ?? 1) <= 65535, {
    message: "a host name or IPv4 address, optionally with :port, or *.domain for its subdomains — no scheme, path or spaces (e.g. images.example.org)",
  });

export const MediaHosts = z.array(MediaHost).max(32);

const defaultPorts: Record<string, string> = { "http:": "80", "https:": "443" };

/**
 * Whether an allowed-host entry covers a URL, as the CSP host-source with the same text does:
 * http or https, the entry's port (the scheme's default port when it names none), the exact
 * host — or, for `*.domain`, any subdomain of it.
 */
export function mediaHostAllows(entry: string, url: URL): boolean {
  const defaultPort = defaultPorts[url.protocol];
  if (!defaultPort) return false;
  const [hostPattern = "", port] = entry.split(":");
  if ((url.port || defaultPort) !== (port ?? defaultPort)) return false;
  const hostname = url.hostname.toLowerCase();
  return hostPattern.startsWith("*.") ? hostname.endsWith(hostPattern.slice(1)) : hostname === hostPattern;
}

export type MediaDecision = { load: true; src: string } | { load: false; host: string | null };

/** Stands in for our own origin while resolving; `.invalid` never resolves. */
const SELF = new URL("http://arbiter-self.invalid/");
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Without leading C0 controls and spaces, which the URL parser skips too. */
function withoutLeadingControls(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 0x20) start++;
  return text.slice(start);
}

/**
 * What the annotation page does with a media URL from content: load it (a path on our own
 * origin, an inline `data:image`, or an allowed host) or not, naming the host it would have
 * contacted. The URL is resolved as the browser would, so `//evil.example/x.png` and
 * `/\evil.example/x.png` are evil.example, not paths of ours. Decided the same on the server
 * and in the browser (no `window`), so rendering never differs between them.
 */
export function decideMedia(raw: string, allowedHosts: readonly string[]): MediaDecision {
  const start = withoutLeadingControls(raw);
  if (start.trim() === "") return { load: false, host: null };
  if (/^data:image\/(png|jpe?g|gif|webp);/i.test(start)) return { load: true, src: raw };
  let url: URL;
  try {
    url = new URL(raw, SELF);
  } catch {
    return { load: false, host: null };
  }
  if (url.origin === SELF.origin && !HAS_SCHEME.test(start)) return { load: true, src: raw };
  if (url.protocol !== "http:" && url.protocol !== "https:") return { load: false, host: null };
  if (allowedHosts.some((entry) => mediaHostAllows(entry, url))) return { load: true, src: url.href };
  return { load: false, host: url.host };
}
