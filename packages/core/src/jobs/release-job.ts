import { getPrisma } from "@arbiter/db";
import type { ClaimedJob } from "./job-types.ts";

/** Hands a job this worker could not finish (it is stopping) back to the queue at once. */
export async function releaseJob(options: { job: ClaimedJob; reason: string }): Promise<boolean> {
  const updated = await getPrisma().$executeRaw`
    UPDATE jobs SET status = 'queued', locked_until = NULL, run_at = now(), last_error = ${options.reason.slice(0, 4000)}
    WHERE id = ${options.job.id}::uuid AND status = 'running' AND attempts = ${options.job.attempts}::int`;
  return updated > 0;
}
