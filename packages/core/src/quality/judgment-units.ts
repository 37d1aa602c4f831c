import type { QualityJudgment } from "./quality-data.ts";

/**
 * What one judgment says about one unit of agreement. A pairwise (or pick-the-best) verdict is
 * about the item; a ranking is expanded into its pairs (ALGORITHMS.md §7), each a unit.
 *
 * `positional` is the category every agreement figure uses (the API contract's definition for
 * Krippendorff's α, and κ's, Fleiss' and Dawid–Skene's): the chosen response's place in the item
 * as imported (`first`, `second`, `third`, …), `tie` or `both_bad`; for a ranked pair, `first` /
 * `second` is the earlier / later response of the pair in import order. The categories are the
 * same on every item, so chance agreement is the pooled one. Never response ids: with per-item
 * categories chance agreement vanishes and α drifts up to raw percent agreement.
 */
export interface JudgmentUnit {
  unit: string;
  itemId: string;
  positional: string;
}

const PLACES = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** The category of the response at 0-based place `index` in import order: `first`, `second`, … (`#11`, `#12`, … past ten). */
export function placeCategory(index: number): string {
  return PLACES[index] ?? `#${index + 1}`;
}

/** What `judgmentUnits` reads of a judgment and of its item. */
export type UnitJudgment = Pick<QualityJudgment, "verdict" | "winnerId" | "ranking" | "presentedOrder">;
export interface UnitItem {
  id: string;
  responses: readonly { id: string; position: number }[];
}

/**
 * The units of one judgment. Responses the item does not know (cannot happen for stored
 * judgments, but judge rows come from elsewhere) are ignored.
 */
export function judgmentUnits(judgment: UnitJudgment, item: UnitItem): JudgmentUnit[] {
  const position = new Map(item.responses.map((r) => [r.id, r.position]));
  // The place in import order (0, 1, …), whatever numbers `position` holds.
  const place = new Map([...item.responses].sort((a, b) => a.position - b.position).map((r, index) => [r.id, index]));
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
    return [{ unit, itemId: item.id, positional: placeCategory(place.get(judgment.winnerId)!) }];
  }
  return [{ unit, itemId: item.id, positional: judgment.verdict }];
}
