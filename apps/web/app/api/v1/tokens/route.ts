import { createApiToken, listOwnApiTokens, RateLimiter } from "@arbiter/core";
import { getConfig } from "@arbiter/config";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

const limiter = new RateLimiter("tokens", 10, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

/** The caller's own tokens (never their secrets). */
export const GET = apiRoute(async ({ actor }) => listOwnApiTokens({ actor }));

export const POST = apiRoute(
  async ({ request, ip }) => {
    await limiter.consume(ip);
    return createApiToken({ input: await readJson(request) });
  },
  { status: 201, anonymous: true },
);
