import type { Prisma } from "@arbiter/db";
import { forgetRewardModelRef } from "./reward-model-ref.ts";
import type { PreparedRewardModel } from "./prepare-reward-model-version.ts";
import { toRewardModelVersionView, type RewardModelVersionView } from "./reward-model-version-view.ts";

/**
 * The write half of a training run, inside the caller's transaction: the next version number
 * under a per-campaign advisory lock, so two runs never collide. A run that finds a version
 * already trained on as many votes (a concurrent or repeated run) stores nothing and returns null.
 */
export async function storeRewardModelVersion(tx: Prisma.TransactionClient, prepared: PreparedRewardModel): Promise<RewardModelVersionView | null> {
  const { campaignId } = prepared;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reward-model:${campaignId}`}))`;
  const latest = await tx.rewardModelVersion.findFirst({ where: { campaignId }, orderBy: { version: "desc" }, select: { version: true, trainedOnVotes: true } });
  if (latest && latest.trainedOnVotes >= prepared.votes && !prepared.force) return null;
  const metrics = { ...prepared.metrics, judgments: prepared.judgmentsUsed, items: prepared.items };
  const row = await tx.rewardModelVersion.create({
    data: {
      campaignId,
      version: (latest?.version ?? 0) + 1,
      format: "ARM1",
      weights: prepared.weights as Uint8Array<ArrayBuffer>,
      trainedOnVotes: prepared.votes,
      heldOutAccuracy: prepared.metrics.heldOutAccuracy,
      metrics: metrics as unknown as Prisma.InputJsonValue,
    },
    select: { version: true, format: true, trainedOnVotes: true, heldOutAccuracy: true, metrics: true, createdAt: true },
  });
  forgetRewardModelRef(campaignId);
  return toRewardModelVersionView(campaignId, { ...row, bytes: prepared.weights.byteLength });
}
