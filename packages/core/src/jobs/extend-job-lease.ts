import { getPrisma } from "@arbiter/db";
import type { ClaimedJob } from "./job-types.ts";

/** Heartbeat: pushes the lease of a running job forward. False when this worker no longer holds it. */
export async function extendJobLease(options: { job: ClaimedJob; leaseMs: number }): Promise<boolean> {
  const updated = await getPrisma().$executeRaw`
    UPDATE jobs SET locked_until = now() + ${options.leaseMs}::int * interval '1 millisecond'
    WHERE id = ${options.job.id}::uuid AND status = 'running' AND attempts = ${options.job.attempts}::int`;
  return updated > 0;
}
