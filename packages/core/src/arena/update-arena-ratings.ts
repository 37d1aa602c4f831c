import type { RawDb } from "@arbiter/db";
import { createSkillBelief, rateKWiseRanking } from "@arbiter/ranking";
import type { CampaignConfig } from "../campaigns/campaign-config.ts";
import { verdictToModelRanking } from "./model-ranking.ts";

/**
 * After a human K-wise judgment in an arena campaign: the Bayesian update (openskill,
 * ALGORITHMS.md §2) of the ranked models' ArenaRating rows, in the judgment's transaction.
 * The rows are locked in model order, so concurrent judgments on overlapping models queue
 * instead of losing an update or deadlocking. A no-op outside arena campaigns and for
 * verdicts that rank nothing (both_bad, or fewer than two models).
 *
 * An undone judgment's update is not reversed: the ratings are an online posterior, and the
 * leaderboard's `method=arena` on a non-arena campaign shows the replay from stored judgments.
 */
export async function updateArenaRatings(tx: RawDb, options: {
  campaignId: string;
  config: Pick<CampaignConfig, "arena">;
  verdict: { verdict: "winner" | "tie" | "both_bad" | "ranking"; winnerId: string | null; ranking: string[][] | null };
  shown: readonly string[];
  responses: ReadonlyArray<{ id: string; model: string | null }>;
}): Promise<void> {
  if (!options.config.arena?.enabled) return;
  const models = new Map(options.responses.map((r) => [r.id, r.model]));
  const ranking = verdictToModelRanking({ ...options.verdict, shown: options.shown, modelOf: (id) => models.get(id) });
  if (!ranking) return;
  const names = ranking.flat().sort();
  const prior = createSkillBelief();
  await tx.$executeRaw`
    INSERT INTO arena_ratings (campaign_id, model, mu, sigma)
    SELECT ${options.campaignId}::uuid, model, ${prior.mu}::float8, ${prior.sigma}::float8 FROM unnest(${names}::text[]) AS model
    ON CONFLICT (campaign_id, model) DO NOTHING`;
  const rows = await tx.$queryRaw<Array<{ model: string; mu: number; sigma: number }>>`
    SELECT model, mu, sigma FROM arena_ratings WHERE campaign_id = ${options.campaignId}::uuid AND model = ANY(${names}::text[]) ORDER BY model FOR UPDATE`;
  const updated = rateKWiseRanking({ beliefs: new Map(rows.map((r) => [r.model, { mu: r.mu, sigma: r.sigma }])), ranking });
  const rated = [...updated.keys()];
  await tx.$executeRaw`
    UPDATE arena_ratings r SET mu = u.mu, sigma = u.sigma, comparisons = r.comparisons + 1, updated_at = now()
    FROM unnest(${rated}::text[], ${rated.map((m) => updated.get(m)!.mu)}::float8[], ${rated.map((m) => updated.get(m)!.sigma)}::float8[]) AS u(model, mu, sigma)
    WHERE r.campaign_id = ${options.campaignId}::uuid AND r.model = u.model`;
}
