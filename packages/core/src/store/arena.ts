import { LIVE_LEASE } from "./fragments.ts";
import type { Tx } from "./transaction.ts";

/** Arena campaigns: the models' rating beliefs (arena_ratings) and how often they were shown. */

/** The stored beliefs of `models` in the campaign (models never rated have no row). */
export async function findArenaRatings(tx: Tx, campaignId: string, models: string[]): Promise<Array<{ model: string; mu: number; sigma: number }>> {
  return tx.$queryRaw<Array<{ model: string; mu: number; sigma: number }>>`
    SELECT model, mu, sigma FROM arena_ratings WHERE campaign_id = ${campaignId}::uuid AND model = ANY(${models}::text[])`;
}

/** How often `models` were shown: per pair, per model and in all, counting submitted work and open leases. */
export async function countArenaExposures(
  tx: Tx,
  campaignId: string,
  models: string[],
): Promise<Array<{ kind: "pair" | "model" | "total"; a: string | null; b: string | null; n: bigint }>> {
  return tx.$queryRaw<Array<{ kind: "pair" | "model" | "total"; a: string | null; b: string | null; n: bigint }>>`
    WITH shown AS (
      SELECT a.id, r.model FROM assignments a
      JOIN responses r ON r.id = ANY(a.candidate_order)
      WHERE a.campaign_id = ${campaignId}::uuid
        AND (a.status = 'submitted' OR ${LIVE_LEASE})
        AND r.model = ANY(${models}::text[])
    )
    SELECT 'pair' AS kind, x.model AS a, y.model AS b, count(*) AS n FROM shown x JOIN shown y ON x.id = y.id AND x.model < y.model GROUP BY x.model, y.model
    UNION ALL
    SELECT 'model', model, NULL, count(DISTINCT id) FROM shown GROUP BY model
    UNION ALL
    SELECT 'total', NULL, NULL, count(DISTINCT id) FROM shown`;
}

/**
 * The rows of `models` (sorted), created at the prior when missing, locked in model order, so
 * concurrent judgments on overlapping models queue instead of losing an update or deadlocking.
 */
export async function lockArenaRatings(
  tx: Tx,
  campaignId: string,
  models: string[],
  prior: { mu: number; sigma: number },
): Promise<Array<{ model: string; mu: number; sigma: number }>> {
  await tx.$executeRaw`
    INSERT INTO arena_ratings (campaign_id, model, mu, sigma)
    SELECT ${campaignId}::uuid, model, ${prior.mu}::float8, ${prior.sigma}::float8 FROM unnest(${models}::text[]) AS model
    ON CONFLICT (campaign_id, model) DO NOTHING`;
  return tx.$queryRaw<Array<{ model: string; mu: number; sigma: number }>>`
    SELECT model, mu, sigma FROM arena_ratings WHERE campaign_id = ${campaignId}::uuid AND model = ANY(${models}::text[]) ORDER BY model FOR UPDATE`;
}

/** Stores updated beliefs, one more comparison each. */
export async function saveArenaRatings(tx: Tx, campaignId: string, updated: ReadonlyMap<string, { mu: number; sigma: number }>): Promise<void> {
  const rated = [...updated.keys()];
  await tx.$executeRaw`
    UPDATE arena_ratings r SET mu = u.mu, sigma = u.sigma, comparisons = r.comparisons + 1, updated_at = now()
    FROM unnest(${rated}::text[], ${rated.map((m) => updated.get(m)!.mu)}::float8[], ${rated.map((m) => updated.get(m)!.sigma)}::float8[]) AS u(model, mu, sigma)
    WHERE r.campaign_id = ${campaignId}::uuid AND r.model = u.model`;
}
