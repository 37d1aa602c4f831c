import type { Prisma } from "@arbiter/db";
import type { JobDb } from "./job-types.ts";

export interface EnqueueJobOptions {
  queue: string;
  payload: Prisma.InputJsonValue;
  /**
   * At most one job with this key is ever created: enqueueing again is a no-op (idempotent
   * enqueue). With `releaseKeyOnClaim` the key only holds while the job waits, which coalesces
   * repeated triggers into one pending job without losing a trigger that arrives while it runs.
   */
  dedupeKey?: string;
  releaseKeyOnClaim?: boolean;
  /** Not before this time (default now). */
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job to a queue, inside the caller's transaction when given one (so the job exists if
 * and only if the caller's change commits). Returns the new job's id, or null when a job with
 * the same dedupe key already exists.
 */
export async function enqueueJob(db: JobDb, options: EnqueueJobOptions): Promise<{ id: string | null; created: boolean }> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    INSERT INTO jobs (queue, payload, dedupe_key, release_key_on_claim, max_attempts, run_at)
    VALUES (${options.queue}, ${JSON.stringify(options.payload)}::jsonb, ${options.dedupeKey ?? null}, ${options.releaseKeyOnClaim ?? false},
            ${options.maxAttempts ?? 5}::int, ${options.runAt ?? new Date()})
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`;
  const id = rows[0]?.id ?? null;
  return { id, created: id !== null };
}

/** Many jobs of one queue in one statement; jobs whose key already exists are skipped. Returns how many were created. */
export async function enqueueJobs(
  db: JobDb,
  queue: string,
  jobs: ReadonlyArray<{ payload: Prisma.InputJsonValue; dedupeKey: string }>,
  options: { maxAttempts?: number } = {},
): Promise<number> {
  if (jobs.length === 0) return 0;
  const payloads = jobs.map((job) => JSON.stringify(job.payload));
  const keys = jobs.map((job) => job.dedupeKey);
  const inserted = await db.$executeRaw`
    INSERT INTO jobs (queue, payload, dedupe_key, max_attempts)
    SELECT ${queue}, p::jsonb, k, ${options.maxAttempts ?? 5}::int FROM unnest(${payloads}::text[], ${keys}::text[]) AS t(p, k)
    ON CONFLICT (dedupe_key) DO NOTHING`;
  return inserted;
}
