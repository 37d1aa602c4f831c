import { createSkillBelief, rateKWiseRanking } from "@arbiter/ranking";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { verdictToModelRanking } from "./model-ranking.ts";
import { lockArenaRatings, saveArenaRatings } from "../store/arena.ts";
import type { Tx } from "../store/transaction.ts";

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
export async function updateArenaRatings(
  tx: Tx,
  options: {
    campaignId: string;
    config: Pick<CampaignConfig, "arena">;
    verdict: { verdict: "winner" | "tie" | "both_bad" | "ranking"; winnerId: string | null; ranking: string[][] | null };
    shown: readonly string[];
    responses: ReadonlyArray<{ id: string; model: string | null }>;
  },
): Promise<void> {
  if (!options.config.arena?.enabled) return;
  const models = new Map(options.responses.map((r) => [r.id, r.model]));
  const ranking = verdictToModelRanking({ ...options.verdict, shown: options.shown, modelOf: (id) => models.get(id) });
  if (!ranking) return;
  const names = ranking.flat().sort();
  const prior = createSkillBelief();
  const rows = await lockArenaRatings(tx, options.campaignId, names, prior);
  const updated = rateKWiseRanking({ beliefs: new Map(rows.map((r) => [r.model, { mu: r.mu, sigma: r.sigma }])), ranking });
  await saveArenaRatings(tx, options.campaignId, updated);
}
