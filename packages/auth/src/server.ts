import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { getConfig } from "@arbiter/config";
import { getPrisma } from "@arbiter/db";
import { getAppSecret } from "./secret.ts";

function createAuth() {
  const config = getConfig();
  return betterAuth({
    appName: "Arbiter",
    baseURL: config.baseUrl,
    secret: getAppSecret(),
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    // Accounts are created by admins or invite links, never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "annotator" },
        disabled: { type: "boolean", required: false, input: false, defaultValue: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: config.ARBITER_RATE_LIMIT === "on",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 10 } },
    },
    // Origins are checked against the request's own host too, so any PORT works.
    trustedOrigins: (request) => {
      const origins = [config.baseUrl];
      const host = request?.headers.get("host");
      if (host) origins.push(`http://${host}`, `https://${host}`);
      return origins;
    },
    telemetry: { enabled: false },
    // Origin and CSRF checks stay on whatever the environment says: better-auth turns both off by
    // default when NODE_ENV=test or TEST is set (vitest sets TEST), which must never reach a server.
    advanced: { database: { generateId: () => crypto.randomUUID() }, disableOriginCheck: false, disableCSRFCheck: false },
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { arbiterAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.arbiterAuth ??= createAuth();
  return globalForAuth.arbiterAuth;
}
