import { z } from "zod";
import type { Prisma } from "@arbiter/db";
import { JobFailedPermanently, type JobHandler } from "../jobs/job-types.ts";
import { REWARD_MODEL_QUEUE } from "./enqueue-reward-training.ts";
import { prepareRewardModelVersion } from "./prepare-reward-model-version.ts";
import { storeRewardModelVersion } from "./store-reward-model-version.ts";

const Payload = z.object({ campaignId: z.uuid() });

/**
 * Trains a campaign's reward model when it is due. Reading votes and training run outside any
 * transaction; the version row is written in the transaction that completes the job, only while
 * this worker holds the lease, so a crashed run that is retried never stores twice.
 */
export function createRewardTrainingJobHandler(): JobHandler {
  return {
    queue: REWARD_MODEL_QUEUE,
    async run(job) {
      const parsed = Payload.safeParse(job.payload);
      if (!parsed.success) throw new JobFailedPermanently("bad reward-model job payload");
      const prepared = await prepareRewardModelVersion({ campaignId: parsed.data.campaignId });
      if (prepared.kind === "skipped") return { result: { skipped: prepared.reason, votes: prepared.votes ?? null } };
      const result: Record<string, Prisma.InputJsonValue | null> = {
        votes: prepared.votes,
        pairs: prepared.metrics.pairs,
        heldOutAccuracy: prepared.metrics.heldOutAccuracy,
        trainingMs: Math.round(prepared.metrics.ms),
        trainedOn: prepared.trainedOn,
        bytes: prepared.weights.byteLength,
      };
      return {
        result,
        apply: async (tx) => {
          await storeRewardModelVersion(tx, prepared);
        },
      };
    },
  };
}
