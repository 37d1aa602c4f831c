import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import { resolveAnnotatorFilter } from "./resolve-annotator-filter.ts";
import { listJudgmentPage } from "../store/judgments.ts";

export const JudgmentListQuery = z
  .object({
    source: z.enum(["human", "judge", "reward_model", "all"]).default("all"),
    annotatorId: z.string().min(1).optional(),
    itemId: z.string().min(1).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().uuid().optional(),
  })
  .strict();

/**
 * The researcher's judgment browser: newest first, filtered, paged by cursor. Annotators appear
 * as the campaign's pseudonym (`annotatorId`, as in stats and exports); only admins also get the
 * user id and e-mail behind it.
 */
export async function listJudgments(options: { actor: Actor | null; campaignId: string; query: unknown }) {
  const actor = requireRole(options.actor, "admin", "researcher");
  const query = parseInput(JudgmentListQuery, options.query, "query");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const userIds = query.annotatorId ? await resolveAnnotatorFilter({ actor, campaign, annotatorId: query.annotatorId }) : undefined;
  const rows = await listJudgmentPage({
    campaignId: campaign.id,
    ...(query.source !== "all" ? { source: query.source } : {}),
    ...(userIds ? { userIds } : {}),
    ...(query.itemId ? { itemExternalId: query.itemId } : {}),
    ...(query.since ? { since: query.since } : {}),
    ...(query.until ? { until: query.until } : {}),
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const page = rows.slice(0, query.limit);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (userId: string) => {
    let value = pseudonyms.get(userId);
    if (value === undefined) pseudonyms.set(userId, (value = pseudonymizeAnnotator(userId, campaign.pseudonymSalt)));
    return value;
  };
  return {
    judgments: page.map((j) => {
      const ext = new Map(j.item.responses.map((r) => [r.id, r.externalId]));
      const toExt = (id: string) => ext.get(id) ?? id;
      return {
        id: j.id,
        itemId: j.item.externalId,
        source: j.source,
        annotatorId: j.userId ? pseudonym(j.userId) : null,
        ...(actor.role === "admin" && j.userId ? { annotatorUserId: j.userId, ...(j.user ? { annotatorEmail: j.user.email } : {}) } : {}),
        judgeModel: j.judgeModel,
        verdict: j.verdict,
        winner: j.winnerId ? toExt(j.winnerId) : null,
        winnerCandidateId: j.winnerId,
        ranking: (j.ranking as string[][] | null)?.map((g) => g.map(toExt)) ?? null,
        rankingCandidateIds: j.ranking as string[][] | null,
        strength: j.strength,
        confidence: j.confidence,
        rationale: j.rationale,
        attributes: j.attributes,
        spans: j.spans,
        presentedOrder: j.presentedOrder.map(toExt),
        timeMs: j.timeMs,
        isGold: j.isGold,
        goldCorrect: j.goldCorrect,
        /** The hint as the page reported it: {shown, changedMind?, modelVersion?, agreed?, source?}, or null. */
        hint: (j.meta as { hint?: unknown } | null)?.hint ?? null,
        /** The hint experiment's arm ("hint", "control", "none"; null for judgments made before it existed). */
        hintCondition: (j.meta as { hintCondition?: unknown } | null)?.hintCondition ?? null,
        /** What the hint was under that arm ("reward-model" or "judge"; null when not recorded). */
        hintSource: (j.meta as { hintSource?: unknown } | null)?.hintSource ?? null,
        createdAt: j.createdAt.toISOString(),
      };
    }),
    nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
