import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { CLIENT_ADDRESS_HEADER, getConfig, isClientAddressStamped } from "@arbiter/config";
import { consumeRateLimit, getPrisma } from "@arbiter/db";
import { getAppSecret } from "./secret.ts";
import { displayNameProblem, findUnstorableText } from "./text-rules.ts";

const MAX_IMAGE_URL_LENGTH = 2000;

/**
 * Input rules better-auth does not have: text PostgreSQL cannot store (NUL, unpaired
 * surrogates) anywhere in a body, and display names of 1–200 characters — 422, never a 500.
 */
const validateInput = createAuthMiddleware(async (ctx) => {
  const unstorable = findUnstorableText(ctx.body);
  if (unstorable)
    throw new APIError("UNPROCESSABLE_ENTITY", { code: "UNSTORABLE_TEXT", message: `${unstorable}: text cannot contain NUL or unpaired surrogate characters` });
  if (ctx.path !== "/update-user" || !ctx.body || typeof ctx.body !== "object") return;
  const body = ctx.body as { name?: unknown; image?: unknown };
  const nameProblem = body.name === undefined ? null : displayNameProblem(body.name);
  if (nameProblem) throw new APIError("UNPROCESSABLE_ENTITY", { code: "INVALID_NAME", message: nameProblem });
  if (typeof body.image === "string" && body.image.length > MAX_IMAGE_URL_LENGTH)
    throw new APIError("UNPROCESSABLE_ENTITY", { code: "INVALID_IMAGE", message: `an image URL is at most ${MAX_IMAGE_URL_LENGTH} characters` });
});

/** better-auth's rate-limit storage over the shared counters (its keys are ip + path; ours get an `auth:` prefix). */
async function consumeAuthRateLimit(key: string, rule: { window: number; max: number }): Promise<{ allowed: boolean; retryAfter: number | null }> {
  const { count, retryAfterSeconds } = await consumeRateLimit(`auth:${key}`, rule.window * 1000);
  return count > rule.max ? { allowed: false, retryAfter: retryAfterSeconds } : { allowed: true, retryAfter: null };
}

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
      // Counted in PostgreSQL (`rate_limits`, one atomic upsert), so every app instance shares
      // the count: the 11th sign-in attempt in a minute is refused whichever instance gets it.
      customStorage: { consume: consumeAuthRateLimit },
    },
    // Origins are checked against the request's own host too, so any PORT works.
    trustedOrigins: (request) => {
      const origins = [config.baseUrl];
      const host = request?.headers.get("host");
      if (host) origins.push(`http://${host}`, `https://${host}`);
      return origins;
    },
    telemetry: { enabled: false },
    hooks: { before: validateInput },
    // Origin and CSRF checks stay on whatever the environment says: better-auth turns both off by
    // default when NODE_ENV=test or TEST is set (vitest sets TEST), which must never reach a server.
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
      disableOriginCheck: false,
      disableCSRFCheck: false,
      // The client address for its rate limits: the one our web server resolved from the
      // connection (and ARBITER_TRUSTED_PROXIES), never X-Forwarded-For as a client sent it.
      // Not started by that server, no header is believed: every caller shares one bucket.
      ipAddress: { ipAddressHeaders: isClientAddressStamped() ? [CLIENT_ADDRESS_HEADER] : ["x-arbiter-no-client-address"] },
    },
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { arbiterAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.arbiterAuth ??= createAuth();
  return globalForAuth.arbiterAuth;
}
