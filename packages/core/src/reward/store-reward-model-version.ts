import type { Prisma } from "@arbiter/db";
import { findLatestRewardModelVersion, insertRewardModelVersion, lockRewardModelVersions } from "../store/reward-models.ts";
import type { PrismaTx } from "../store/transaction.ts";
import { forgetRewardModelRef } from "./reward-model-ref.ts";
import type { PreparedRewardModel } from "./prepare-reward-model-version.ts";
import { toRewardModelVersionView, type RewardModelVersionView } from "./reward-model-version-view.ts";

/**
 * The write half of a training run, inside the caller's transaction: the next version number
 * under a per-campaign advisory lock, so two runs never collide. A run that finds a version
 * already trained on as many votes (a concurrent or repeated run) stores nothing and returns null.
 */
export async function storeRewardModelVersion(tx: PrismaTx, prepared: PreparedRewardModel): Promise<RewardModelVersionView | null> {
  const { campaignId } = prepared;
  await lockRewardModelVersions(tx, campaignId);
  const latest = await findLatestRewardModelVersion(campaignId, tx);
  if (latest && latest.trainedOnVotes >= prepared.votes && !prepared.force) return null;
  const metrics = { ...prepared.metrics, judgments: prepared.judgmentsUsed, items: prepared.items };
  const row = await insertRewardModelVersion(tx, {
    campaignId,
    version: (latest?.version ?? 0) + 1,
    weights: prepared.weights,
    trainedOnVotes: prepared.votes,
    heldOutAccuracy: prepared.metrics.heldOutAccuracy,
    metrics: metrics as unknown as Prisma.InputJsonValue,
  });
  forgetRewardModelRef(campaignId);
  return toRewardModelVersionView(campaignId, { ...row, bytes: prepared.weights.byteLength });
}
