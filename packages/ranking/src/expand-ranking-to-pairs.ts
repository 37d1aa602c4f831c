/** Best-first list of tie groups: `[["x"], ["y", "z"]]` means x is preferred to y and z, which tie. */
export type RankingWithTies = readonly (readonly string[])[];

export type PairwiseWinner = "a" | "b" | "tie";

export interface PairwiseOutcome {
  a: string;
  b: string;
  winner: PairwiseWinner;
}

export interface ExpandRankingOptions {
  ranking: RankingWithTies;
  /** Keep tied pairs as `winner: "tie"` (default) or drop them, as LiPO/DPO-style exports may want. */
  ties?: "keep" | "drop";
  /**
   * `ranking`: `a` is the item listed first (the winner or, for a tie, the earlier one).
   * `sorted`: `a` is the lexicographically smaller id, so the same pair lines up across raters
   * whatever they preferred; needed when pairs are compared between raters (agreement).
   */
  orientation?: "ranking" | "sorted";
}

/**
 * Expands a ranking of K items into its K(K−1)/2 pairwise outcomes (ALGORITHMS.md §7), in
 * ranking order. Throws if an item appears twice, since such a ranking contradicts itself.
 */
export function expandRankingToPairs(options: ExpandRankingOptions): PairwiseOutcome[] {
  const { ranking, ties = "keep", orientation = "ranking" } = options;
  const listed = ranking.flatMap((group, level) => group.map((item) => ({ item, level })));
  const unique = new Set(listed.map(({ item }) => item));
  if (unique.size !== listed.length) throw new RangeError("an item appears more than once in the ranking");

  const pairs: PairwiseOutcome[] = [];
  for (let i = 0; i < listed.length; i++) {
    for (let j = i + 1; j < listed.length; j++) {
      const first = listed[i]!;
      const second = listed[j]!;
      const tied = first.level === second.level;
      if (tied && ties === "drop") continue;
      const swap = orientation === "sorted" && second.item < first.item;
      const a = swap ? second.item : first.item;
      const b = swap ? first.item : second.item;
      pairs.push({ a, b, winner: tied ? "tie" : swap ? "b" : "a" });
    }
  }
  return pairs;
}
