import { expandRankingToPairs, type RankingWithTies } from "./expand-ranking-to-pairs.ts";

export interface RankingJudgement {
  /** What was ranked, e.g. a task id; pairs are only compared within one unit. */
  unit: string;
  rater: string;
  ranking: RankingWithTies;
}

export interface PairwiseReliabilityData {
  /** One row per (unit, pair), `a` < `b` lexicographically. */
  units: { unit: string; a: string; b: string }[];
  raters: string[];
  /**
   * Units × raters: +1 when the rater preferred `a`, −1 when `b`, 0 for a tie, `null` when the
   * rater did not rank both items. Ready for krippendorffAlpha: use `ordinal` or `interval`
   * so that a tie counts as half-way between the two preferences, `nominal` to treat it as a
   * category of its own.
   */
  data: (number | null)[][];
}

/**
 * Turns several raters' rankings of the same units into a pairwise reliability matrix, so
 * agreement on K-wise rankings can be measured with Krippendorff's alpha (ALGORITHMS.md §6–7).
 */
export function rankingsToReliabilityData(options: { judgements: readonly RankingJudgement[] }): PairwiseReliabilityData {
  const raters = [...new Set(options.judgements.map(({ rater }) => rater))].sort();
  const raterIndex = new Map(raters.map((rater, index) => [rater, index]));
  const rowIndex = new Map<string, number>();
  const units: PairwiseReliabilityData["units"] = [];
  const data: (number | null)[][] = [];

  const ordered = [...options.judgements].sort((x, y) => compare(x.unit, y.unit) || compare(x.rater, y.rater));
  for (const judgement of ordered) {
    for (const pair of expandRankingToPairs({ ranking: judgement.ranking, orientation: "sorted" })) {
      // JSON keeps the key unambiguous whatever characters the ids contain.
      const key = JSON.stringify([judgement.unit, pair.a, pair.b]);
      let row = rowIndex.get(key);
      if (row === undefined) {
        row = data.length;
        rowIndex.set(key, row);
        units.push({ unit: judgement.unit, a: pair.a, b: pair.b });
        data.push(new Array<number | null>(raters.length).fill(null));
      }
      const column = raterIndex.get(judgement.rater) as number;
      if (data[row]![column] !== null) {
        throw new RangeError(`rater ${judgement.rater} ranked unit ${judgement.unit} more than once`);
      }
      data[row]![column] = pair.winner === "a" ? 1 : pair.winner === "b" ? -1 : 0;
    }
  }
  return { units, raters, data };
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
