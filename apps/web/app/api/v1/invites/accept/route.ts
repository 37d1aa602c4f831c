import { acceptInvite, RateLimiter } from "@arbiter/core";
import { getConfig } from "@arbiter/config";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

const limiter = new RateLimiter("invite-accept", 20, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

export const POST = apiRoute(
  async ({ request, ip }) => {
    await limiter.consume(ip);
    return acceptInvite({ input: await readJson(request) });
  },
  { status: 201, anonymous: true },
);
