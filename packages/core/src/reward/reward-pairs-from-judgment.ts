import { expandRankingToPairs, type PreferencePair } from "@arbiter/reward-model";

export interface JudgmentForTraining {
  verdict: "winner" | "tie" | "both_bad" | "ranking";
  winnerId: string | null;
  ranking: unknown;
  presentedOrder: string[];
}

/**
 * The preference pairs one human judgment says: a pick beats every other response shown (one
 * pair for pairwise, K−1 for best-of-K); a ranking expands into all its pairs (tied responses
 * give none); ties and "both bad" say nothing about which is better. `group` keeps an item's
 * pairs on one side of the held-out split.
 */
export function rewardPairsFromJudgment(judgment: JudgmentForTraining, item: { id: string; prompt: string; responses: Map<string, string> }): PreferencePair[] {
  const text = (id: string) => item.responses.get(id);
  if (judgment.verdict === "winner" && judgment.winnerId) {
    const chosen = text(judgment.winnerId);
    if (chosen === undefined) return [];
    return judgment.presentedOrder.flatMap((id) => {
      const rejected = id === judgment.winnerId ? undefined : text(id);
      return rejected === undefined || rejected === chosen ? [] : [{ prompt: item.prompt, chosen, rejected, group: item.id }];
    });
  }
  if (judgment.verdict === "ranking" && Array.isArray(judgment.ranking)) {
    const tiers = (judgment.ranking as unknown[])
      .map((tier) => (Array.isArray(tier) ? tier.flatMap((id) => (typeof id === "string" && text(id) !== undefined ? [text(id) as string] : [])) : []))
      .filter((tier) => tier.length > 0);
    return expandRankingToPairs({ prompt: item.prompt, tiers, group: item.id });
  }
  return [];
}
