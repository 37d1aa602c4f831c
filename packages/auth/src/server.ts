import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
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
    // Passwords are set only through Arbiter's own routes (POST /api/v1/me/password, reset links,
    // invites), each of which ends the user's other sessions and revokes their API tokens.
    // better-auth's own would change a password and leave both working.
    disabledPaths: ["/change-password", "/request-password-reset", "/reset-password"],
    databaseHooks: {
      session: {
        create: {
          // After the password was checked: a disabled account gets no session (and learns so).
          before: async (session) => {
            const user = await getPrisma().user.findUnique({ where: { id: session.userId }, select: { disabled: true } });
            if (!user || user.disabled) throw new APIError("FORBIDDEN", { code: "ACCOUNT_DISABLED", message: "This account is disabled." });
          },
        },
      },
    },
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
