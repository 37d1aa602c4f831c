import type { NextConfig } from "next";

import { contentSecurityPolicy } from "./lib/content-security-policy";
import { securityHeaders } from "./lib/security-headers";

// Item content is sanitized before it renders, and the CSP is the second wall: no inline
// scripts (pages get a per-request nonce from proxy.ts), no remote media unless the campaign
// allows the host, no plugins, no framing. Pages get their CSP from proxy.ts; API answers and
// static files (which the proxy does not see) get the same policy without a nonce here.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: [
    "@arbiter/auth",
    "@arbiter/config",
    "@arbiter/core",
    "@arbiter/db",
    "@arbiter/ranking",
    "@arbiter/judge",
    "@arbiter/outbound",
    "@arbiter/router",
    "@arbiter/reward-model",
  ],
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  // Pages take no bodies (no server actions): what passes through proxy.ts is cloned up to 1 MB only.
  experimental: { authInterrupts: true, proxyClientMaxBodySize: "1mb" },
  async headers() {
    const csp = [{ key: "Content-Security-Policy", value: contentSecurityPolicy() }];
    return [
      { source: "/:path*", headers: [...securityHeaders] },
      { source: "/api/:path*", headers: csp },
      { source: "/_next/:path*", headers: csp },
    ];
  },
};

export default nextConfig;
