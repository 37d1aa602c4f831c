import { getPrisma } from "@arbiter/db";
import { redactUrlsInText } from "@arbiter/outbound";
import type { ClaimedJob } from "./job-types.ts";

export const RETRY_BASE_DELAY_MS = 2_000;
export const RETRY_MAX_DELAY_MS = 10 * 60_000;

/** Exponential backoff after the n-th failed attempt: 2 s, 4 s, 8 s … capped at 10 min, ±20 % jitter. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exact = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exact * (0.8 + 0.4 * random()));
}

/**
 * Records a failed attempt. A retryable failure with attempts left goes back to the queue after
 * `delayMs` (e.g. a 429's retry-after) or the backoff; anything else fails the job for good.
 * Fenced like completion: returns the new status, or null if the lease was lost.
 */
export async function failJob(options: { job: ClaimedJob; error: string; retryable: boolean; delayMs?: number }): Promise<"queued" | "failed" | null> {
  const { job } = options;
  const retry = options.retryable && job.attempts < job.maxAttempts;
  const delay = Math.max(0, Math.round(options.delayMs ?? retryDelayMs(job.attempts)));
  // Shown to researchers on the routing page: any URL in it is redacted (credentials masked).
  const message = redactUrlsInText(options.error).slice(0, 4000);
  const rows = retry
    ? await getPrisma().$queryRaw<Array<{ status: "queued" }>>`
        UPDATE jobs SET status = 'queued', locked_until = NULL, last_error = ${message},
               run_at = now() + ${delay}::int * interval '1 millisecond'
        WHERE id = ${job.id}::uuid AND status = 'running' AND attempts = ${job.attempts}::int
        RETURNING status`
    : await getPrisma().$queryRaw<Array<{ status: "failed" }>>`
        UPDATE jobs SET status = 'failed', locked_until = NULL, last_error = ${message}, finished_at = now()
        WHERE id = ${job.id}::uuid AND status = 'running' AND attempts = ${job.attempts}::int
        RETURNING status`;
  return rows[0]?.status ?? null;
}
