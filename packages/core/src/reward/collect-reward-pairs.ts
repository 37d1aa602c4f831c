import { rewardPromptText, type PreferencePair } from "@arbiter/reward-model";
import { findItemsForRewardPairs, findPreferenceJudgments } from "../store/reward-models.ts";
import { rewardPairsFromJudgment } from "./reward-pairs-from-judgment.ts";
import { REWARD_MAX_TRAINING_JUDGMENTS } from "./reward-training-policy.ts";

/**
 * The campaign's human votes as preference pairs, newest judgments first (at most
 * `maxJudgments`). The prompt is the text the browser scores with (`rewardPromptText`).
 */
export async function collectRewardPairs(options: {
  campaignId: string;
  maxJudgments?: number;
}): Promise<{ pairs: PreferencePair[]; judgments: number; items: number }> {
  const judgments = await findPreferenceJudgments(options.campaignId, options.maxJudgments ?? REWARD_MAX_TRAINING_JUDGMENTS);
  const itemIds = [...new Set(judgments.map((j) => j.itemId))];
  const items = await findItemsForRewardPairs(itemIds);
  const byId = new Map(
    items.map((item) => [
      item.id,
      {
        id: item.id,
        prompt: rewardPromptText({ prompt: item.prompt, messages: item.messages as Array<{ role: string; content: string }> | null }),
        responses: new Map(item.responses.map((r) => [r.id, r.content])),
      },
    ]),
  );
  const pairs = judgments.flatMap((judgment) => {
    const item = byId.get(judgment.itemId);
    return item ? rewardPairsFromJudgment(judgment, item) : [];
  });
  return { pairs, judgments: judgments.length, items: itemIds.length };
}
