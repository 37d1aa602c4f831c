import { createSkillBelief, selectKWiseMatch, type ArenaSystem } from "@arbiter/ranking";
import { shuffled } from "@arbiter/ranking/random";
import { countArenaExposures, findArenaRatings } from "../store/arena.ts";
import type { Tx } from "../store/transaction.ts";

/**
 * Which K of an item's responses an annotator sees in an arena campaign (ALGORITHMS.md §2,
 * K-Sort Arena): the models are matched with `selectKWiseMatch` — the least-compared model
 * as pivot, opponents by closeness of skill plus a UCB bonus for rarely compared pairs — over
 * the campaign's ArenaRating beliefs. Comparison counts include open leases as well as
 * submitted work, so annotators working at the same time are not all handed the same match.
 *
 * One response per model is eligible (the earliest in import order); responses that name no
 * model only fill up when fewer than K models are present. Returns the chosen response ids
 * in a random display order.
 */
export async function pickArenaCandidates(
  tx: Tx,
  options: { campaignId: string; responses: ReadonlyArray<{ id: string; model: string | null; position: number }>; k: number; random: () => number },
): Promise<string[]> {
  const { k, random } = options;
  const byModel = new Map<string, string>();
  for (const response of [...options.responses].sort((x, y) => x.position - y.position)) {
    if (response.model && !byModel.has(response.model)) byModel.set(response.model, response.id);
  }
  const models = [...byModel.keys()];
  let chosen: string[];
  if (models.length <= k) {
    const unmodelled = shuffled(
      options.responses.filter((r) => !r.model || byModel.get(r.model) !== r.id).map((r) => r.id),
      random,
    );
    chosen = [...byModel.values(), ...unmodelled].slice(0, k);
  } else {
    // One query at a time: a transaction holds a single connection.
    const ratings = await findArenaRatings(tx, options.campaignId, models);
    const shown = await countArenaExposures(tx, options.campaignId, models);
    const beliefs = new Map(ratings.map((r) => [r.model, { mu: r.mu, sigma: r.sigma }]));
    const perModel = new Map<string, number>();
    const perPair = new Map<string, number>();
    let total = 0;
    for (const row of shown) {
      if (row.kind === "total") total = Number(row.n);
      else if (row.kind === "model") perModel.set(row.a!, Number(row.n));
      else perPair.set(pairKey(row.a!, row.b!), Number(row.n));
    }
    const systems: ArenaSystem[] = models.map((model) => ({
      id: model,
      belief: beliefs.get(model) ?? createSkillBelief(),
      comparisons: perModel.get(model) ?? 0,
    }));
    const match = selectKWiseMatch({
      systems,
      k,
      totalComparisons: total,
      timesCompared: (a, b) => perPair.get(pairKey(a, b)) ?? 0,
    });
    chosen = match.map((model) => byModel.get(model)!);
  }
  return shuffled(chosen, random);
}

/** The database orders by collation, JavaScript by code unit: key pairs by code unit on this side. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
