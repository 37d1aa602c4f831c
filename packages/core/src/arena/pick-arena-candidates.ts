import type { RawDb } from "@arbiter/db";
import { createSkillBelief, selectKWiseMatch, type ArenaSystem } from "@arbiter/ranking";

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
export async function pickArenaCandidates(tx: RawDb, options: { campaignId: string; responses: ReadonlyArray<{ id: string; model: string | null; position: number }>; k: number; random: () => number }): Promise<string[]> {
  const { k, random } = options;
  const byModel = new Map<string, string>();
  for (const response of [...options.responses].sort((x, y) => x.position - y.position)) {
    if (response.model && !byModel.has(response.model)) byModel.set(response.model, response.id);
  }
  const models = [...byModel.keys()];
  let chosen: string[];
  if (models.length <= k) {
    const unmodelled = shuffle(options.responses.filter((r) => !r.model || byModel.get(r.model) !== r.id).map((r) => r.id), random);
    chosen = [...byModel.values(), ...unmodelled].slice(0, k);
  } else {
    // One query at a time: a transaction holds a single connection.
    const ratings = await tx.$queryRaw<Array<{ model: string; mu: number; sigma: number }>>`
      SELECT model, mu, sigma FROM arena_ratings WHERE campaign_id = ${options.campaignId}::uuid AND model = ANY(${models}::text[])`;
    const shown = await tx.$queryRaw<Array<{ kind: "pair" | "model" | "total"; a: string | null; b: string | null; n: bigint }>>`
      WITH shown AS (
        SELECT a.id, r.model FROM assignments a
        JOIN responses r ON r.id = ANY(a.candidate_order)
        WHERE a.campaign_id = ${options.campaignId}::uuid
          AND (a.status = 'submitted' OR (a.status = 'leased' AND a.expires_at > now()))
          AND r.model = ANY(${models}::text[])
      )
      SELECT 'pair' AS kind, x.model AS a, y.model AS b, count(*) AS n FROM shown x JOIN shown y ON x.id = y.id AND x.model < y.model GROUP BY x.model, y.model
      UNION ALL
      SELECT 'model', model, NULL, count(DISTINCT id) FROM shown GROUP BY model
      UNION ALL
      SELECT 'total', NULL, NULL, count(DISTINCT id) FROM shown`;
    const beliefs = new Map(ratings.map((r) => [r.model, { mu: r.mu, sigma: r.sigma }]));
    const perModel = new Map<string, number>();
    const perPair = new Map<string, number>();
    let total = 0;
    for (const row of shown) {
      if (row.kind === "total") total = Number(row.n);
      else if (row.kind === "model") perModel.set(row.a!, Number(row.n));
      else perPair.set(pairKey(row.a!, row.b!), Number(row.n));
    }
    const systems: ArenaSystem[] = models.map((model) => ({ id: model, belief: beliefs.get(model) ?? createSkillBelief(), comparisons: perModel.get(model) ?? 0 }));
    const match = selectKWiseMatch({
      systems,
      k,
      totalComparisons: total,
      timesCompared: (a, b) => perPair.get(pairKey(a, b)) ?? 0,
    });
    chosen = match.map((model) => byModel.get(model)!);
  }
  return shuffle(chosen, random);
}

/** The database orders by collation, JavaScript by code unit: key pairs by code unit on this side. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function shuffle<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
