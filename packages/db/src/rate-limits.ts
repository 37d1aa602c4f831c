import { Prisma } from "./generated/client.ts";
import { getRawDb, type RawDb } from "./sql.ts";

/** What one counted request learned: its number in the window, and the seconds until the window ends. */
export interface RateLimitCount {
  count: number;
  retryAfterSeconds: number;
}

/**
 * Counts one request against `key` in a fixed window of `windowMs`, in one atomic statement on
 * the `rate_limits` table, so every app instance sharing the database shares the count (and N
 * concurrent requests are counted N times: the upsert takes the row's lock). The window is
 * measured on the database's clock, never an instance's. A window that has ended starts again at 1.
 *
 * The one primitive behind better-auth's rate-limit storage (packages/auth) and the app's own
 * limiter (`RateLimiter` in @arbiter/core), which is why it lives here, below both.
 */
export async function consumeRateLimit(key: string, windowMs: number, db: RawDb = getRawDb()): Promise<RateLimitCount> {
  const [row] = await db.$queryRaw<Array<{ count: number; retryAfterSeconds: number }>>(Prisma.sql`
    INSERT INTO rate_limits AS r (key, count, reset_at)
    VALUES (${key}, 1, (now() AT TIME ZONE 'UTC') + make_interval(secs => ${windowMs}::int / 1000.0))
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.reset_at <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE r.count + 1 END,
      reset_at = CASE WHEN r.reset_at <= (now() AT TIME ZONE 'UTC') THEN EXCLUDED.reset_at ELSE r.reset_at END
    RETURNING r.count, GREATEST(1, CEIL(EXTRACT(EPOCH FROM (r.reset_at - (now() AT TIME ZONE 'UTC')))))::int AS "retryAfterSeconds"`);
  return { count: row!.count, retryAfterSeconds: row!.retryAfterSeconds };
}

/** Deletes counters whose window ended (they would restart at 1 anyway). Returns how many. */
export async function pruneRateLimits(db: RawDb = getRawDb()): Promise<number> {
  return db.$executeRaw(Prisma.sql`DELETE FROM rate_limits WHERE reset_at <= (now() AT TIME ZONE 'UTC')`);
}
