import { contentSecurityPolicy } from "./content-security-policy";

/** Headers every answer carries (next.config.ts applies them to Next's answers; lean-routes.ts to its own). */
export const securityHeaders: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** What API answers and static files carry on top: the page CSP without a nonce. */
export function apiSecurityHeaders(): Array<{ key: string; value: string }> {
  return [...securityHeaders, { key: "Content-Security-Policy", value: contentSecurityPolicy() }];
}
