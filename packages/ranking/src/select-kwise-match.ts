import type { SkillBelief } from "./rate-kwise-ranking.ts";

export interface ArenaSystem {
  id: string;
  belief: SkillBelief;
  /** Comparisons this system has taken part in. */
  comparisons: number;
}

export interface SelectKWiseMatchOptions {
  systems: readonly ArenaSystem[];
  /** How often two systems have been compared with each other. */
  timesCompared: (a: string, b: string) => number;
  /** Comparisons made so far in the whole arena (the n of the UCB bonus). */
  totalComparisons: number;
  k: number;
  /** Weight of the exploration bonus; K-Sort Arena uses 1. */
  alpha?: number;
  /** Performance noise β of the skill model (openskill's default 25/6). */
  beta?: number;
}

/**
 * K-Sort Arena matchmaking (ALGORITHMS.md §2): the pivot is the system with the fewest
 * comparisons (ties: the lowest id, for determinism); its K−1 opponents are the highest by the
 * UCB score U = similarity(pivot, q) + α·√(ln(n+1) / (n_pq + 1)).
 *
 * similarity = −(μ_p − μ_q)² / 2c² with c² = 2β² + σ_p² + σ_q²: the log of TrueSkill's match
 * quality kernel. It is 0 for equal skills and falls off quadratically in units of the combined
 * uncertainty, so close (informative) pairs win unless they were compared much more often, and
 * an uncertain pair counts as close sooner. The paper prints the first term as |S_i − S_q|,
 * but its text (and ALGORITHMS.md) asks to favour close skills, which a plain difference
 * would do the opposite of. The +1s keep the bonus finite for pairs never compared and at
 * n = 0. Returns the K ids, pivot first.
 */
export function selectKWiseMatch(options: SelectKWiseMatchOptions): string[] {
  const { systems, timesCompared, totalComparisons, k, alpha = 1, beta = 25 / 6 } = options;
  if (!(k >= 2) || k > systems.length) throw new RangeError(`k must be between 2 and ${systems.length}, got ${k}`);
  let pivot = systems[0]!;
  for (const system of systems) {
    if (system.comparisons < pivot.comparisons || (system.comparisons === pivot.comparisons && system.id < pivot.id)) {
      pivot = system;
    }
  }
  const logTotal = Math.log(totalComparisons + 1);
  const scored = systems
    .filter((system) => system !== pivot)
    .map((system) => {
      const spread = 2 * beta * beta + pivot.belief.sigma ** 2 + system.belief.sigma ** 2;
      const similarity = -((pivot.belief.mu - system.belief.mu) ** 2) / (2 * spread);
      const bonus = alpha * Math.sqrt(logTotal / (timesCompared(pivot.id, system.id) + 1));
      return { id: system.id, score: similarity + bonus };
    })
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return [pivot.id, ...scored.slice(0, k - 1).map(({ id }) => id)];
}
