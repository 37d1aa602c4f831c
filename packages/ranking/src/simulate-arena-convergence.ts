import { updateOnlineElo } from "./online-elo.ts";
import { conservativeSkill, createSkillBelief, rateKWiseRanking, type KWiseRatingModel, type SkillBelief } from "./rate-kwise-ranking.ts";
import { createSeededRandom, randomInteger, type RandomSource } from "./seeded-random.ts";
import { selectKWiseMatch } from "./select-kwise-match.ts";

export interface SimulateArenaConvergenceOptions {
  /** Number of simulated systems, with strictly ordered true skills. */
  systems: number;
  /** Systems per arena comparison (online Elo always gets one random pair). */
  k: number;
  /** Probability that each pairwise order inside a comparison is flipped (label noise). */
  noise: number;
  seed: number;
  /** A ranking has converged once it has been exact after this many comparisons in a row. */
  stayExactFor?: number;
  /** Give up (report `null`) when a method has not converged after this many comparisons. */
  maxComparisons?: number;
  model?: KWiseRatingModel;
  tau?: number;
}

export interface ArenaConvergence {
  /**
   * The first comparison count t at which the estimated ranking equals the true ranking and
   * stays equal after each of comparisons t … t + stayExactFor − 1; `null` if that did not
   * happen within `maxComparisons`. A K-wise comparison counts as one, as in the paper.
   */
  elo: number | null;
  arena: number | null;
}

/**
 * K-Sort Arena's convergence experiment (arXiv 2408.14468, ALGORITHMS.md §2): online Elo
 * (K = 4, start 1000) on uniformly random pairs versus Bayesian ratings (rateKWiseRanking)
 * with UCB matchmaking (selectKWiseMatch) on K-wise comparisons, both ranked by their
 * leaderboard score (Elo rating; μ − 3σ). A comparison shows the true order of its systems
 * except that each pair's order is flipped with probability `noise`; the shown ranking orders
 * systems by pairwise wins (Copeland), so flips that form a cycle surface as ties. For K = 2
 * this is exactly a pairwise vote flipped with probability `noise`, which is what Elo sees.
 */
export function simulateArenaConvergence(options: SimulateArenaConvergenceOptions): ArenaConvergence {
  const { systems, k, noise, seed, stayExactFor = 5000, maxComparisons = 200_000 } = options;
  if (!Number.isInteger(systems) || systems < 2) throw new RangeError(`systems must be an integer ≥ 2, got ${systems}`);
  if (!Number.isInteger(k) || k < 2 || k > systems) throw new RangeError(`k must be an integer in [2, ${systems}], got ${k}`);
  if (!(noise >= 0 && noise < 0.5)) throw new RangeError(`noise must be in [0, 0.5), got ${noise}`);
  if (!(stayExactFor >= 1)) throw new RangeError(`stayExactFor must be ≥ 1, got ${stayExactFor}`);
  const ids = Array.from({ length: systems }, (_, i) => `s${String(i).padStart(6, "0")}`);
  const limits = { stayExactFor, maxComparisons };
  return {
    elo: simulateOnlineElo(ids, noise, limits, createSeededRandom(seed)),
    arena: simulateBayesianArena(ids, k, noise, limits, options, createSeededRandom(seed ^ 0x5bd1e995)),
  };
}

interface Limits {
  stayExactFor: number;
  maxComparisons: number;
}

/** Runs `step` until `isExact` has held after `stayExactFor` consecutive comparisons. */
function comparisonsUntilStablyExact(limits: Limits, step: () => void, isExact: () => boolean): number | null {
  let exactRun = 0;
  for (let comparison = 1; comparison <= limits.maxComparisons; comparison++) {
    step();
    exactRun = isExact() ? exactRun + 1 : 0;
    if (exactRun === limits.stayExactFor) return comparison - limits.stayExactFor + 1;
  }
  return null;
}

// ids[i] has the i-th best true skill, so the true ranking is ids itself.
function simulateOnlineElo(ids: readonly string[], noise: number, limits: Limits, random: RandomSource): number | null {
  const ratings = new Map(ids.map((id) => [id, 1000]));
  return comparisonsUntilStablyExact(
    limits,
    () => {
      const first = randomInteger(random, ids.length);
      let second = randomInteger(random, ids.length - 1);
      if (second >= first) second += 1;
      const firstWins = first < second !== random() < noise;
      updateOnlineElo(ratings, { modelA: ids[first]!, modelB: ids[second]!, winner: firstWins ? "a" : "b" }, { k: 4 });
    },
    () => ids.every((id, i) => i === 0 || ratings.get(ids[i - 1]!)! > ratings.get(id)!),
  );
}

function simulateBayesianArena(
  ids: readonly string[],
  k: number,
  noise: number,
  limits: Limits,
  settings: Pick<SimulateArenaConvergenceOptions, "model" | "tau">,
  random: RandomSource,
): number | null {
  const count = ids.length;
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const beliefs = new Map<string, SkillBelief>(ids.map((id) => [id, createSkillBelief()]));
  const comparisons = new Array<number>(count).fill(0);
  const pairCounts = new Float64Array(count * count);
  let total = 0;
  return comparisonsUntilStablyExact(
    limits,
    () => {
      const match = selectKWiseMatch({
        systems: ids.map((id, i) => ({ id, belief: beliefs.get(id)!, comparisons: comparisons[i]! })),
        timesCompared: (a, b) => pairCounts[indexOf.get(a)! * count + indexOf.get(b)!]!,
        totalComparisons: total,
        k,
      }).map((id) => indexOf.get(id)!);
      const ranking = noisyRanking(match, noise, random).map((group) => group.map((i) => ids[i]!));
      for (const [id, belief] of rateKWiseRanking({ beliefs, ranking, ...settings })) beliefs.set(id, belief);
      for (const i of match) {
        comparisons[i]! += 1;
        for (const j of match) if (i !== j) pairCounts[i * count + j]! += 1;
      }
      total += 1;
    },
    () => ids.every((id, i) => i === 0 || conservativeSkill(beliefs.get(ids[i - 1]!)!) > conservativeSkill(beliefs.get(id)!)),
  );
}

/** Copeland ranking of `match` (true-skill indices) from pairwise orders flipped with probability `noise`. */
function noisyRanking(match: readonly number[], noise: number, random: RandomSource): number[][] {
  const sorted = [...match].sort((x, y) => x - y);
  const wins = new Map(sorted.map((system) => [system, 0]));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const winner = random() < noise ? sorted[j]! : sorted[i]!;
      wins.set(winner, wins.get(winner)! + 1);
    }
  }
  const levels = [...new Set(wins.values())].sort((x, y) => y - x);
  return levels.map((level) => sorted.filter((system) => wins.get(system) === level));
}
