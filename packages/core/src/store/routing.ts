import { getPrisma, type Prisma, type RouteDecision } from "@arbiter/db";
import { HAS_LIVE_LEASE } from "./fragments.ts";
import type { PrismaTx } from "./transaction.ts";

/**
 * Routing: the state a pass reads, the decisions it writes, and the campaigns the worker's
 * sweep looks at. The routing-pass queue is jobs/routing-pass-queue.ts; the routing page's
 * reads are in routing-dashboard.ts.
 */

/** The campaign a routing pass runs over; null when it is gone. */
export function findCampaignForRouting(campaignId: string) {
  return getPrisma().campaign.findUnique({ where: { id: campaignId } });
}

/** A campaign's regular (non-gold) items as a routing pass reads them, in campaign order. */
export function listRoutingItems(campaignId: string) {
  return getPrisma().$queryRaw<
    Array<{
      id: string;
      externalId: string;
      prompt: string | null;
      messages: unknown;
      routing: RouteDecision;
      humanCount: number;
      processed: boolean;
      leased: boolean;
    }>
  >`
    SELECT i.id, i.external_id AS "externalId", i.prompt, i.messages, i.routing, i.human_count AS "humanCount", i.routing_features IS NOT NULL AS processed,
           ${HAS_LIVE_LEASE} AS leased
    FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
    ORDER BY i.position`;
}

/** The responses of a campaign's regular items, by item and position. */
export function listRoutingResponses(campaignId: string) {
  return getPrisma().response.findMany({
    where: { item: { campaignId, isGold: false } },
    select: { id: true, itemId: true, content: true, position: true },
    orderBy: [{ itemId: "asc" }, { position: "asc" }],
  });
}

/** Every human verdict on a campaign's regular items (the router's human labels). */
export function listHumanLabels(campaignId: string) {
  return getPrisma().judgment.findMany({
    where: { campaignId, source: "human", isGold: false },
    select: { itemId: true, verdict: true, winnerId: true, ranking: true },
  });
}

/** Routing decisions of a campaign are written one pass at a time. */
export async function lockCampaignRouting(tx: PrismaTx, campaignId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`routing:${campaignId}`}))`;
}

/** The campaign's newest disagreement model, if any. */
export function findLatestRouterModel(tx: PrismaTx, campaignId: string) {
  return tx.routerModelVersion.findFirst({ where: { campaignId }, orderBy: { version: "desc" } });
}

/** Stores a newly trained disagreement model as the campaign's next version. */
export async function insertRouterModelVersion(
  tx: PrismaTx,
  data: { campaignId: string; version: number; params: Prisma.InputJsonValue; metrics: Prisma.InputJsonValue },
): Promise<void> {
  await tx.routerModelVersion.create({ data });
}

/** Each regular item's route, human label count and live lease now, by id. */
export async function readFreshRoutingState(
  tx: PrismaTx,
  campaignId: string,
): Promise<Map<string, { id: string; routing: RouteDecision; humanCount: number; leased: boolean }>> {
  const rows = await tx.$queryRaw<Array<{ id: string; routing: RouteDecision; humanCount: number; leased: boolean }>>`
    SELECT i.id, i.routing, i.human_count AS "humanCount",
           ${HAS_LIVE_LEASE} AS leased
    FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold`;
  return new Map(rows.map((r) => [r.id, r]));
}

/** Sets items' routes (and their routed time), taking their row locks. */
export async function setItemRoutes(tx: PrismaTx, updates: ReadonlyArray<{ id: string; routing: RouteDecision }>): Promise<void> {
  if (updates.length === 0) return;
  await tx.$executeRaw`
    UPDATE items i SET routing = u.routing::"RouteDecision", routed_at = now()
    FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.routing)}::text[]) AS u(id, routing)
    WHERE i.id = u.id`;
}

/** Of these items, those a human labelled or holds a live lease on. */
export function findItemsTakenByHumans(tx: PrismaTx, itemIds: readonly string[]): Promise<Array<{ id: string }>> {
  return tx.$queryRaw<Array<{ id: string }>>`
          SELECT i.id FROM items i WHERE i.id = ANY(${[...itemIds]}::uuid[])
            AND (i.human_count > 0 OR ${HAS_LIVE_LEASE})`;
}

/**
 * Writes a pass's decisions: route, score and `routing_features` per item; `routed_at` moves
 * only when the route changes. Rows already as decided are left alone. Returns how many changed.
 */
export function writeRoutingDecisions(
  tx: PrismaTx,
  decisions: { ids: string[]; routes: string[]; scores: Array<number | null>; features: string[] },
): Promise<number> {
  const { ids, routes, scores, features } = decisions;
  return tx.$executeRaw`
        UPDATE items i
           SET routing = u.routing::"RouteDecision", routing_score = u.score, routing_features = u.features::jsonb,
               routed_at = CASE WHEN i.routing::text = u.routing AND i.routed_at IS NOT NULL THEN i.routed_at ELSE now() END
          FROM unnest(${ids}::uuid[], ${routes}::text[], ${scores}::float8[], ${features}::text[]) AS u(id, routing, score, features)
         WHERE i.id = u.id
           AND (i.routing::text <> u.routing OR i.routing_score IS DISTINCT FROM u.score OR i.routing_features IS DISTINCT FROM u.features::jsonb)`;
}

/** Active campaigns with whether they have items no pass has processed and items still waiting (pending). */
export function listActiveCampaignsForSweep() {
  return getPrisma().$queryRaw<Array<{ id: string; config: unknown; unprocessed: boolean; waiting: boolean }>>`
    SELECT c.id, c.config,
           EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.is_gold AND i.routing_features IS NULL) AS unprocessed,
           EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.is_gold AND i.routing = 'pending') AS waiting
    FROM campaigns c WHERE c.status = 'active'`;
}
