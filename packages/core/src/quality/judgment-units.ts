import type { QualityItem, QualityJudgment } from "./quality-data.ts";

/**
 * What one judgment says about one unit of agreement. A pairwise (or pick-the-best) verdict is
 * about the item; a ranking is expanded into its pairs (ALGORITHMS.md §7), each a unit.
 *
 * `verdict` is the category the API contract names for Krippendorff's α: the chosen
 * response's id, `tie` or `both_bad`. `positional` names the same choice by the responses'
 * import order in the item (`#0`, `#1`, … for a chosen response; `first`/`second` for the
 * earlier/later response of a ranked pair), so that categories mean the same across items —
 * what κ's chance term and Dawid–Skene's confusion matrices need.
 */
export interface JudgmentUnit {
  unit: string;
  itemId: string;
  verdict: string;
  positional: string;
}

/**
 * The units of one judgment. Responses the item does not know (cannot happen for stored
 * judgments, but judge rows come from elsewhere) are ignored.
 */
export function judgmentUnits(judgment: QualityJudgment, item: QualityItem): JudgmentUnit[] {
  const position = new Map(item.responses.map((r) => [r.id, r.position]));
  const shown = (judgment.presentedOrder.length > 0 ? judgment.presentedOrder : item.responses.map((r) => r.id)).filter((id) => position.has(id));
  if (judgment.verdict === "ranking") {
    const tiers = (judgment.ranking ?? []).map((tier) => tier.filter((id) => position.has(id))).filter((tier) => tier.length > 0);
    const units: JudgmentUnit[] = [];
    const listed = tiers.flatMap((tier, level) => tier.map((id) => ({ id, level })));
    for (let i = 0; i < listed.length; i++) {
      for (let j = i + 1; j < listed.length; j++) {
        const x = listed[i]!;
        const y = listed[j]!;
        const [first, second] = position.get(x.id)! < position.get(y.id)! ? [x, y] : [y, x];
        const tied = x.level === y.level;
        const winner = first.level < second.level ? first : second;
        units.push({
          unit: `${item.id}|${first.id}|${second.id}`,
          itemId: item.id,
          verdict: tied ? "tie" : winner.id,
          positional: tied ? "tie" : winner === first ? "first" : "second",
        });
      }
    }
    return units;
  }
  // A pick among a subset of the item's responses (arena) is only comparable with picks among the same subset.
  const subset = shown.length < item.responses.length ? `|${[...shown].sort().join(",")}` : "";
  const unit = `${item.id}${subset}`;
  if (judgment.verdict === "winner") {
    if (!judgment.winnerId || !position.has(judgment.winnerId)) return [];
    return [{ unit, itemId: item.id, verdict: judgment.winnerId, positional: `#${position.get(judgment.winnerId)}` }];
  }
  return [{ unit, itemId: item.id, verdict: judgment.verdict, positional: judgment.verdict }];
}
