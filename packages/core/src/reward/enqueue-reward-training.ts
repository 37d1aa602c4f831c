import { enqueueJob } from "../jobs/enqueue-job.ts";
import type { JobDb } from "../jobs/job-types.ts";
import { REWARD_RETRAIN_DEBOUNCE_MS } from "./reward-training-policy.ts";

export const REWARD_MODEL_QUEUE = "reward-model";

/**
 * Called in the transaction that stores a human judgment: queues a training check for the
 * campaign 10 s later. Triggers coalesce into one waiting job per campaign (its key is released
 * when a worker takes it, so votes arriving during a run queue exactly one more); the job trains
 * only when the retraining policy says so. Nothing is queued when the campaign's hints are off.
 */
export async function enqueueRewardTraining(db: JobDb, options: { campaignId: string; hintMode?: string; delayMs?: number }): Promise<boolean> {
  if (options.hintMode === "off") return false;
  const { created } = await enqueueJob(db, {
    queue: REWARD_MODEL_QUEUE,
    payload: { campaignId: options.campaignId },
    dedupeKey: `reward-model:${options.campaignId}`,
    releaseKeyOnClaim: true,
    runAt: new Date(Date.now() + (options.delayMs ?? REWARD_RETRAIN_DEBOUNCE_MS)),
    maxAttempts: 3,
  });
  return created;
}
