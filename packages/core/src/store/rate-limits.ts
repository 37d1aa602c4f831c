import { consumeRateLimit, pruneRateLimits, type RateLimitCount } from "@arbiter/db";

/**
 * Rate-limit counters (`rate_limits`), shared by every app instance on the database. The one
 * statement lives in @arbiter/db (`consumeRateLimit`) because better-auth's storage in
 * packages/auth, which core depends on, counts with it too.
 */
export function countRequest(key: string, windowMs: number): Promise<RateLimitCount> {
  return consumeRateLimit(key, windowMs);
}

export function deleteEndedRateLimits(): Promise<number> {
  return pruneRateLimits();
}
