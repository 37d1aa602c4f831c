import { inPrismaTransaction } from "../store/transaction.ts";
import { prepareRewardModelVersion, type RewardTrainingSkip } from "./prepare-reward-model-version.ts";
import type { RewardModelVersionView } from "./reward-model-version-view.ts";
import { storeRewardModelVersion } from "./store-reward-model-version.ts";

/**
 * Trains and stores a new reward-model version for a campaign when one is due (or at once with
 * `force`). The job worker runs the same two halves, with the write fenced by its lease.
 */
export async function trainCampaignRewardModel(options: {
  campaignId: string;
  force?: boolean;
}): Promise<{ kind: "trained"; version: RewardModelVersionView } | RewardTrainingSkip> {
  const prepared = await prepareRewardModelVersion(options);
  if (prepared.kind === "skipped") return prepared;
  const stored = await inPrismaTransaction((tx) => storeRewardModelVersion(tx, prepared));
  if (!stored) return { kind: "skipped", campaignId: options.campaignId, reason: "a version trained on as many votes already exists", votes: prepared.votes };
  return { kind: "trained", version: stored };
}
