import { getPrisma } from "@arbiter/db";

/**
 * Jobs whose worker died (or stalled past its lease without a heartbeat) go back to the queue,
 * or fail for good when they have used every attempt. Safe to run from every worker at once.
 */
export async function recoverExpiredJobs(): Promise<{ requeued: number; failed: number }> {
  const rows = await getPrisma().$queryRaw<Array<{ status: "queued" | "failed" }>>`
    UPDATE jobs
       SET status = CASE WHEN attempts >= max_attempts THEN 'failed'::"JobStatus" ELSE 'queued'::"JobStatus" END,
           finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
           locked_until = NULL,
           run_at = now(),
           last_error = 'the lease of attempt ' || attempts || ' expired (its worker stopped or stalled)'
     WHERE status = 'running' AND locked_until < now()
    RETURNING status`;
  return { requeued: rows.filter((r) => r.status === "queued").length, failed: rows.filter((r) => r.status === "failed").length };
}
