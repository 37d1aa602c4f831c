import { rate, rating as openskillRating } from "openskill";
import { bradleyTerryFull, plackettLuce } from "openskill/models";
import type { RankingWithTies } from "./expand-ranking-to-pairs.ts";

/** Belief about a system's skill θ ~ N(mu, sigma²), on openskill's scale (prior 25 ± 25/3). */
export interface SkillBelief {
  mu: number;
  sigma: number;
}

/**
 * `bradley-terry-full`: the ranking is decomposed into all K(K−1)/2 pairwise outcomes, each a
 * Gaussian (Weng–Lin) Bradley–Terry update, as ALGORITHMS.md §2 describes K-Sort Arena.
 * `plackett-luce`: Weng–Lin's whole-ranking Plackett–Luce update.
 */
export type KWiseRatingModel = "bradley-terry-full" | "plackett-luce";

export interface RateKWiseRankingOptions {
  /** Current beliefs; systems in the ranking but not here start from the prior. */
  beliefs: ReadonlyMap<string, SkillBelief>;
  /** The judged order of the K systems, best first, with ties. */
  ranking: RankingWithTies;
  /**
   * Defaults to `bradley-terry-full`. The Plackett–Luce update credits a system for its place
   * in the group (at equal skills, 2nd of 4 gains while 3rd loses a little), so when groups
   * are formed from near neighbours the gap between two adjacent systems drifts with whom
   * they happen to be grouped: in the noise-free simulation (bin/sim-arena.ts) the ranking
   * kept losing exactness after thousands of comparisons. The pairwise decomposition keeps
   * each direct comparison pointing the right way and converges (see README).
   */
  model?: KWiseRatingModel;
  /**
   * Variance added to σ² before each update so beliefs can follow a changing skill
   * (openskill's own default is 25/300). Defaults to 0: a model checkpoint does not change,
   * and with drift added the beliefs never settle, so the ranking keeps jittering.
   */
  tau?: number;
}

export function createSkillBelief(): SkillBelief {
  const { mu, sigma } = openskillRating();
  return { mu, sigma };
}

/**
 * Bayesian update of the K systems in one ranking (K-Sort Arena, arXiv 2408.14468), ties
 * included, with the `openskill` package. Returns the new beliefs of the ranked systems only.
 */
export function rateKWiseRanking(options: RateKWiseRankingOptions): Map<string, SkillBelief> {
  const { model = "bradley-terry-full", tau = 0 } = options;
  const systems = options.ranking.flatMap((group) => [...group]);
  if (new Set(systems).size !== systems.length) throw new RangeError("a system appears more than once in the ranking");
  if (systems.length < 2) throw new RangeError("a ranking needs at least two systems");
  const rank = options.ranking.flatMap((group, level) => group.map(() => level + 1));
  const teams = systems.map((system) => [options.beliefs.get(system) ?? createSkillBelief()]);
  const updated = rate(teams, { rank, tau, model: model === "plackett-luce" ? plackettLuce : bradleyTerryFull });
  return new Map(systems.map((system, i) => [system, { mu: updated[i]![0]!.mu, sigma: updated[i]![0]!.sigma }]));
}

/** Leaderboard score μ − 3σ: a system climbs only once the evidence for it is firm. */
export function conservativeSkill(belief: SkillBelief): number {
  return belief.mu - 3 * belief.sigma;
}
