import { acceptPasswordReset, RateLimiter } from "@arbiter/core";
import { getConfig } from "@arbiter/config";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

const limiter = new RateLimiter("password-reset-accept", 20, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

/** Anonymous by design: the link's single-use secret is the credential. */
export const POST = apiRoute(
  async ({ request, ip }) => {
    await limiter.consume(ip);
    return acceptPasswordReset({ input: await readJson(request) });
  },
  { anonymous: true },
);
