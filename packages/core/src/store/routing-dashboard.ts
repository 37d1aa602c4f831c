import { getPrisma, type RouteDecision } from "@arbiter/db";
import { HAS_LIVE_LEASE } from "./fragments.ts";

/** The routing page's reads of items and models (its judge job and usage reads are in judge.ts). */

/** Regular items per route, with how many of them humans and the judge have labelled. */
export function countItemsByRoute(campaignId: string) {
  return getPrisma().$queryRaw<Array<{ routing: RouteDecision; items: number; human: number; judge: number }>>`
      SELECT routing, count(*)::int AS items, count(*) FILTER (WHERE human_count > 0)::int AS human, count(*) FILTER (WHERE judge_count > 0)::int AS judge
      FROM items WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold GROUP BY routing`;
}

/** Regular items that count against the human budget now: routed to humans or calibration, or labelled / leased by humans. */
export async function countHumanBudgetUsed(campaignId: string): Promise<number> {
  const rows = await getPrisma().$queryRaw<Array<{ used: number }>>`
      SELECT count(*)::int AS used FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
        AND (i.routing IN ('human', 'calibration') OR i.human_count > 0
             OR ${HAS_LIVE_LEASE})`;
  return rows[0]?.used ?? 0;
}

/** The campaign's last 20 disagreement models, newest first. */
export function listRouterModelVersions(campaignId: string) {
  return getPrisma().routerModelVersion.findMany({ where: { campaignId }, orderBy: { version: "desc" }, take: 20 });
}

/** Human-routed items sent there by the budget or a failed judge, by the leading feature of their decision. */
export function countHumanRoutedByFeature(campaignId: string) {
  return getPrisma().$queryRaw<Array<{ feature: string | null; items: number }>>`
      SELECT routing_features->'topFeatures'->0->>'feature' AS feature, count(*)::int AS items
      FROM items WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold AND routing = 'human' AND routing_features IS NOT NULL
        AND (routing_features->>'reason' = 'budget' OR routing_features->>'reason' = 'judge_failed')
      GROUP BY 1 ORDER BY 2 DESC`;
}

/** How many regular items are routed to the judge alone, and their mean predicted disagreement. */
export async function summarizeJudgeRoutedScores(campaignId: string): Promise<{ n: number; mean: number | null } | undefined> {
  const rows = await getPrisma().$queryRaw<Array<{ n: number; mean: number | null }>>`
      SELECT count(*)::int AS n, avg(routing_score)::float8 AS mean FROM items
      WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold AND routing = 'judge' AND routing_score IS NOT NULL`;
  return rows[0];
}

/** Route and stored routing features of these items. */
export function findItemRoutingFeatures(itemIds: readonly string[]) {
  return getPrisma().item.findMany({ where: { id: { in: [...itemIds] } }, select: { id: true, routing: true, routingFeatures: true } });
}

/** The response ids of these items, by position. */
export function listResponseIdsOfItems(itemIds: readonly string[]) {
  return getPrisma().response.findMany({
    where: { itemId: { in: [...itemIds] } },
    select: { id: true, itemId: true, position: true },
    orderBy: { position: "asc" },
  });
}
