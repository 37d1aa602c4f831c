import type { PairwiseBattle } from "./bradley-terry-battles.ts";

export interface OnlineEloSettings {
  /** Step size; Chatbot Arena's baseline uses 4. */
  k?: number;
  initialRating?: number;
  scale?: number;
  base?: number;
}

/**
 * Applies one battle to `ratings` in place: R_a += K·(S_a − E_a), R_b −= the same amount, where
 * E_a = 1 / (1 + base^((R_b − R_a)/scale)) and a tie scores 0.5. Unseen models start at
 * `initialRating`.
 */
export function updateOnlineElo(
  ratings: Map<string, number>,
  battle: Pick<PairwiseBattle, "modelA" | "modelB" | "winner">,
  settings: OnlineEloSettings = {},
): void {
  const { k = 4, initialRating = 1000, scale = 400, base = 10 } = settings;
  const ratingA = ratings.get(battle.modelA) ?? initialRating;
  const ratingB = ratings.get(battle.modelB) ?? initialRating;
  const expectedA = 1 / (1 + base ** ((ratingB - ratingA) / scale));
  const scoreA = battle.winner === "a" ? 1 : battle.winner === "b" ? 0 : 0.5;
  const change = k * (scoreA - expectedA);
  ratings.set(battle.modelA, ratingA + change);
  ratings.set(battle.modelB, ratingB - change);
}

/**
 * Online Elo over battles in the given order (FastChat's compute_online_elo), the baseline the
 * Bradley–Terry fit replaces: its result depends on battle order and drifts with recent games.
 */
export function computeOnlineElo(
  options: { battles: readonly Pick<PairwiseBattle, "modelA" | "modelB" | "winner">[] } & OnlineEloSettings,
): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const battle of options.battles) updateOnlineElo(ratings, battle, options);
  return ratings;
}
