import { getPrisma, type Prisma } from "@arbiter/db";
import { JobLeaseLost, type ClaimedJob, type JobOutcome } from "./job-types.ts";

/**
 * Marks a job done and writes its effect (`outcome.apply`) in one transaction, only while this
 * worker still holds the lease (same attempt, still running). Returns false, writing nothing,
 * when the lease was lost — the job expired and another worker took it over.
 */
export async function completeJob(options: { job: ClaimedJob; outcome: JobOutcome }): Promise<boolean> {
  const { job, outcome } = options;
  try {
    await getPrisma().$transaction(async (tx) => {
      // The job row lock, taken first, keeps a concurrent lease recovery out until we commit.
      const marked = await tx.$executeRaw`
        UPDATE jobs SET status = 'done', locked_until = NULL, finished_at = now(), last_error = NULL,
               result = ${outcome.result === undefined ? null : JSON.stringify(outcome.result)}::jsonb
        WHERE id = ${job.id}::uuid AND status = 'running' AND attempts = ${job.attempts}::int`;
      if (marked === 0) throw new JobLeaseLost(`job ${job.id} is no longer leased to this worker`);
      await outcome.apply?.(tx as Prisma.TransactionClient);
    });
    return true;
  } catch (error) {
    if (error instanceof JobLeaseLost) return false;
    throw error;
  }
}
