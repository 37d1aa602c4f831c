import { getPrisma } from "@arbiter/db";
import type { ClaimedJob } from "./job-types.ts";

/**
 * Leases up to `limit` due jobs of the given queues to the caller: one statement, rows picked
 * with FOR UPDATE SKIP LOCKED so concurrent workers never take the same job. Each claim counts
 * an attempt; the attempt number fences the lease (completing checks it). A released dedupe key
 * (`releaseKeyOnClaim`) lets the next trigger enqueue a follow-up while this one runs.
 */
export async function claimJobs(options: { queues: readonly string[]; limit: number; leaseMs: number }): Promise<ClaimedJob[]> {
  if (options.limit <= 0 || options.queues.length === 0) return [];
  const rows = await getPrisma().$queryRaw<Array<{ id: string; queue: string; payload: unknown; attempts: number; max_attempts: number; locked_until: Date }>>`
    WITH next AS (
      SELECT id FROM jobs
      WHERE status = 'queued' AND run_at <= now() AND queue = ANY(${[...options.queues]}::text[])
      ORDER BY run_at, created_at
      LIMIT ${options.limit}::int
      FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
       SET status = 'running',
           attempts = j.attempts + 1,
           locked_until = now() + ${options.leaseMs}::int * interval '1 millisecond',
           dedupe_key = CASE WHEN j.release_key_on_claim THEN NULL ELSE j.dedupe_key END
      FROM next
     WHERE j.id = next.id
    RETURNING j.id, j.queue, j.payload, j.attempts, j.max_attempts, j.locked_until`;
  return rows.map((row) => ({
    id: row.id,
    queue: row.queue,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedUntil: row.locked_until,
  }));
}
