/**
 * The Content-Security-Policy, in one place. Pages get a fresh nonce per request (set by
 * `proxy.ts`; Next.js puts it on its own scripts) and no 'unsafe-inline' for scripts; API
 * answers and static files get the same policy without one. Images, audio and video come from
 * our own origin and inline data only — the annotation page adds the hosts its campaign allows
 * (`mediaHosts`, validated: host names, IPv4, `*.domain`, optional port). 'unsafe-inline' stays
 * for styles (React style props); 'wasm-unsafe-eval' is for the reward model's WebAssembly.
 */
export function contentSecurityPolicy(options: { nonce?: string; mediaHosts?: readonly string[] } = {}): string {
  const hosts = options.mediaHosts ?? [];
  const media = ["'self'", "data:", "blob:", ...hosts].join(" ");
  return [
    "default-src 'self'",
    ["script-src 'self'", ...(options.nonce ? [`'nonce-${options.nonce}'`] : []), "'wasm-unsafe-eval'"].join(" "),
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media}`,
    `media-src ${media}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

/** 128 random bits, base64: a CSP nonce. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
