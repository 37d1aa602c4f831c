import { AppError } from "../errors.ts";
import { countRequest, deleteEndedRateLimits } from "../store/rate-limits.ts";

/** Counted requests between two prunes of ended windows, per process (a prune is one DELETE on an indexed column). */
const PRUNE_EVERY = 500;
let countedSincePrune = 0;

/**
 * Fixed-window request limits, counted in PostgreSQL (`rate_limits`): every app instance on the
 * same database shares the counters, so N instances behind a load balancer allow what one does.
 * Each limiter has a name, which is part of its keys (two limiters never share a counter).
 * Counting is one atomic upsert; refused requests count too, as they did in memory.
 */
export class RateLimiter {
  constructor(
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly enabled = true,
  ) {}

  /** Counts one request for `key`; throws `rate_limited` (429 with retry-after) past the limit. */
  async consume(key: string): Promise<void> {
    if (!this.enabled) return;
    const { count, retryAfterSeconds } = await countRequest(`${this.name}:${key}`, this.windowMs);
    if (++countedSincePrune >= PRUNE_EVERY) {
      countedSincePrune = 0;
      void deleteEndedRateLimits().catch((error: unknown) => console.error("[arbiter] pruning rate limits failed", error));
    }
    if (count > this.limit)
      throw new AppError("rate_limited", `Too many requests; retry in ${retryAfterSeconds} s.`, { headers: { "retry-after": String(retryAfterSeconds) } });
  }
}
