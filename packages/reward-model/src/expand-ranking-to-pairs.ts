import type { PreferencePair } from "./reward-model.ts";

export interface ExpandRankingOptions {
  readonly prompt?: string | undefined;
  /** Tie groups, best first: every response in a group beats every response in later groups. */
  readonly tiers: readonly (readonly string[])[];
  /** Split key for the resulting pairs; defaults to the prompt so one ranking stays on one side. */
  readonly group?: string | undefined;
}

/**
 * Expands one ranking into pairwise votes. Responses tied with each other give no pair, nor do
 * identical texts in different tiers.
 */
export function expandRankingToPairs(options: ExpandRankingOptions): PreferencePair[] {
  const group = options.group ?? options.prompt;
  const pairs: PreferencePair[] = [];
  options.tiers.forEach((better, tier) => {
    for (const worse of options.tiers.slice(tier + 1)) {
      for (const chosen of better) {
        for (const rejected of worse) {
          if (chosen !== rejected) pairs.push({ prompt: options.prompt, chosen, rejected, group });
        }
      }
    }
  });
  return pairs;
}

/** Turns per-item ranks (1 = best, equal ranks = tie) into best-first tie groups. */
export function tiersFromRanks<T>(items: readonly T[], ranks: readonly number[]): T[][] {
  if (items.length !== ranks.length) throw new RangeError("items and ranks must have the same length");
  const byRank = new Map<number, T[]>();
  items.forEach((item, i) => {
    const rank = ranks[i] as number;
    const tier = byRank.get(rank);
    if (tier) tier.push(item);
    else byRank.set(rank, [item]);
  });
  return [...byRank.entries()].sort(([a], [b]) => a - b).map(([, tier]) => tier);
}
