import { enqueueJob } from "./enqueue-job.ts";
import type { JobDb } from "./job-types.ts";

// The routing-pass queue sits with the queue library, below both routing/ (which runs the passes)
// and llm-judge/ (whose job handler asks for one when a verdict lands): neither imports the other
// for it, and routing/ → llm-judge/ stays the only direction. No handler lives here.

export const ROUTING_QUEUE = "routing";

/**
 * Asks for a routing pass over a campaign. Triggers coalesce: at most one pass waits per
 * campaign (its key is released when a worker picks it up, so a trigger that arrives while a
 * pass runs queues exactly one more). Works inside the caller's transaction.
 */
export async function enqueueRoutingPass(db: JobDb, options: { campaignId: string; delayMs?: number }): Promise<boolean> {
  const { created } = await enqueueJob(db, {
    queue: ROUTING_QUEUE,
    payload: { campaignId: options.campaignId },
    dedupeKey: `routing:${options.campaignId}`,
    releaseKeyOnClaim: true,
    runAt: new Date(Date.now() + (options.delayMs ?? 0)),
    maxAttempts: 3,
  });
  return created;
}
