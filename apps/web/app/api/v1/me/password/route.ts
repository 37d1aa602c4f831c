import { changeOwnPassword, RateLimiter, requireActor } from "@arbiter/core";
import { getConfig } from "@arbiter/config";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Guessing the current password through a stolen session or token is as slow as signing in. */
const limiter = new RateLimiter("password", 10, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

export const POST = apiRoute(async ({ actor, request }) => {
  await limiter.consume(requireActor(actor).userId);
  return changeOwnPassword({ actor, input: await readJson(request) });
});
