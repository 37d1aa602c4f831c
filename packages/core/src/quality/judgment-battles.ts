import { expandRankingToPairs, measureResponseStyle, type PairwiseBattle, type ResponseStyle } from "@arbiter/ranking";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

/**
 * The model-vs-model battles in one judgment, for leaderboards. A pairwise winner beats the
 * other response; a pick among K beats each other shown response (their order among themselves
 * is unknown, so no battles between them); a ranking is expanded into all its pairs, tied
 * tiers as ties. `tie` and `both_bad` are ties between every two shown responses: both_bad says
 * neither is acceptable, which is no evidence that one is better (Chatbot Arena counts its
 * "both are bad" votes as ties the same way). Pairs where either response names no model, or
 * both name the same model, are not battles.
 */
export function judgmentBattles(judgment: QualityJudgment, item: QualityItem, options: { style?: boolean } = {}): PairwiseBattle[] {
  const responses = new Map(item.responses.map((r) => [r.id, r]));
  const shown = (judgment.presentedOrder.length > 0 ? judgment.presentedOrder : item.responses.map((r) => r.id)).filter((id) => responses.has(id));
  const styles = new Map<string, ResponseStyle>();
  const styleOf = (id: string) => {
    let style = styles.get(id);
    if (!style) styles.set(id, (style = measureResponseStyle(responses.get(id)!.content)));
    return style;
  };
  const battles: PairwiseBattle[] = [];
  const add = (a: string, b: string, winner: PairwiseBattle["winner"]) => {
    const modelA = responses.get(a)?.model;
    const modelB = responses.get(b)?.model;
    if (!modelA || !modelB || modelA === modelB) return;
    battles.push(options.style ? { modelA, modelB, winner, styleA: styleOf(a), styleB: styleOf(b) } : { modelA, modelB, winner });
  };
  switch (judgment.verdict) {
    case "winner":
      if (judgment.winnerId && responses.has(judgment.winnerId)) for (const other of shown) if (other !== judgment.winnerId) add(judgment.winnerId, other, "a");
      break;
    case "tie":
    case "both_bad":
      for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) add(shown[i]!, shown[j]!, "tie");
      break;
    case "ranking": {
      const ranking = (judgment.ranking ?? []).map((tier) => tier.filter((id) => responses.has(id))).filter((tier) => tier.length > 0);
      for (const pair of expandRankingToPairs({ ranking })) add(pair.a, pair.b, pair.winner);
      break;
    }
  }
  return battles;
}
