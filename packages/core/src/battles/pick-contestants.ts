import { createSkillBelief, selectKWiseMatch, type ArenaSystem } from "@arbiter/ranking";
import { shuffled } from "@arbiter/ranking/random";
import type { LiveContestant } from "../campaign-config/live-config.ts";
import { countBattleExposures, findContestantBeliefs } from "../store/battles.ts";
import type { Tx } from "../store/transaction.ts";

/**
 * The K contestants of a new battle, in a random display order, by the arena's matchmaking
 * (ALGORITHMS.md §2): the least-compared contestant as pivot, opponents by closeness of skill
 * plus a UCB bonus for rarely compared pairs. Counts are battles that were not void, those still
 * generating included, so annotators starting at once are spread over the field. Contestants
 * that just failed sit out while enough others remain.
 */
export async function pickContestants(
  tx: Tx,
  options: { campaignId: string; contestants: readonly LiveContestant[]; k: number; avoid: ReadonlySet<string>; random: () => number },
): Promise<LiveContestant[]> {
  const { k } = options;
  const healthy = options.contestants.filter((c) => !options.avoid.has(c.name));
  const field = healthy.length >= k ? healthy : [...options.contestants];
  const names = field.map((c) => c.name);
  const beliefs = new Map((await findContestantBeliefs(tx, options.campaignId, names)).map((r) => [r.model, { mu: r.mu, sigma: r.sigma }]));
  const perModel = new Map<string, number>();
  const perPair = new Map<string, number>();
  let total = 0;
  for (const row of await countBattleExposures(tx, options.campaignId)) {
    if (row.kind === "total") total = Number(row.n);
    else if (row.kind === "model") perModel.set(row.a!, Number(row.n));
    else perPair.set(pairKey(row.a!, row.b!), Number(row.n));
  }
  // Shuffled first, so the pivot among equally compared contestants is not always the same one.
  const systems: ArenaSystem[] = shuffled(names, options.random).map((name) => ({
    id: name,
    belief: beliefs.get(name) ?? createSkillBelief(),
    comparisons: perModel.get(name) ?? 0,
  }));
  const minComparisons = Math.min(...systems.map((s) => s.comparisons));
  const pivotFirst = [...systems.filter((s) => s.comparisons === minComparisons), ...systems.filter((s) => s.comparisons !== minComparisons)];
  const match = selectKWiseMatch({
    systems: pivotFirst.map((s, index) => ({ ...s, id: s.id, comparisons: index === 0 ? s.comparisons - 0.5 : s.comparisons })),
    k,
    totalComparisons: total,
    timesCompared: (a, b) => perPair.get(pairKey(a, b)) ?? 0,
  });
  const byName = new Map(field.map((c) => [c.name, c]));
  return shuffled(
    match.map((name) => byName.get(name)!),
    options.random,
  );
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
