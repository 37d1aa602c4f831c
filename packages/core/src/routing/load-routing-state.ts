import { getPrisma, type RouteDecision } from "@arbiter/db";
import type { JudgeSettings } from "@arbiter/judge";
import { extractItemFeatures, TIE, type ItemFeatures, type RoutingItem } from "@arbiter/router";
import { comparisonKind, type CampaignConfig, type TaskTypeInput } from "../campaigns/campaign-config.ts";
import { judgeJudgmentKey } from "../llm-judge/campaign-judge-settings.ts";

/** A verdict reduced to the router's label: a response id, or "tie" (ties, "both bad", tied tops). */
export function preferenceLabel(judgment: { verdict: string; winnerId: string | null; ranking: unknown }): string {
  if (judgment.verdict === "winner" && judgment.winnerId) return judgment.winnerId;
  if (judgment.verdict === "ranking" && Array.isArray(judgment.ranking)) {
    const top = judgment.ranking[0];
    if (Array.isArray(top) && top.length === 1 && typeof top[0] === "string") return top[0];
  }
  return TIE;
}

export interface RoutingRow {
  id: string;
  /** The imported id: what the router sees, so decisions depend on the seed and the data, not on database ids. */
  key: string;
  routing: RouteDecision;
  humanCount: number;
  /** An annotator holds an unexpired lease on it. */
  leased: boolean;
  /** routing_features has been written by an earlier pass. */
  processed: boolean;
  item: RoutingItem;
  features: ItemFeatures;
  /** The judge's label under the current settings, if it has judged the item. */
  judge: { winner: string; confidence: number; consistent?: boolean } | null;
  /** The judge job for the current settings failed for good. */
  judgeFailed: boolean;
  /** Human labels (response id or "tie"), one per human judgment. */
  human: string[];
}

/** Counts against the human budget whatever its route: someone labelled it or is labelling it. */
export function isLocked(row: Pick<RoutingRow, "humanCount" | "leased">): boolean {
  return row.humanCount > 0 || row.leased;
}

function asMessages(value: unknown): Array<{ role: string; content: string }> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const ok = value.every((m) => typeof m === "object" && m !== null && typeof (m as { role?: unknown }).role === "string" && typeof (m as { content?: unknown }).content === "string");
  return ok ? (value as Array<{ role: string; content: string }>) : undefined;
}

/**
 * Everything a routing pass needs about a campaign's regular (non-gold) items: content as the
 * router sees it (the candidates an annotator would compare), features, the judge's verdict
 * under the current settings, human labels, and whether each item is locked to humans.
 */
export async function loadRoutingState(options: { campaignId: string; taskType: TaskTypeInput; config: CampaignConfig; settings: JudgeSettings | null }): Promise<RoutingRow[]> {
  const { campaignId, config, settings } = options;
  const prisma = getPrisma();
  const items = await prisma.$queryRaw<Array<{ id: string; external_id: string; prompt: string | null; messages: unknown; routing: RouteDecision; human_count: number; processed: boolean; leased: boolean }>>`
    SELECT i.id, i.external_id, i.prompt, i.messages, i.routing, i.human_count, i.routing_features IS NOT NULL AS processed,
           EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()) AS leased
    FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
    ORDER BY i.position`;
  if (items.length === 0) return [];
  const responses = await prisma.response.findMany({ where: { item: { campaignId, isGold: false } }, select: { id: true, itemId: true, content: true, position: true }, orderBy: [{ itemId: "asc" }, { position: "asc" }] });
  const responsesByItem = new Map<string, Array<{ id: string; content: string }>>();
  for (const r of responses) {
    const list = responsesByItem.get(r.itemId) ?? [];
    list.push({ id: r.id, content: r.content });
    responsesByItem.set(r.itemId, list);
  }
  const judgeByItem = new Map<string, { winner: string; confidence: number; consistent?: boolean }>();
  const failed = new Set<string>();
  if (settings) {
    const verdicts = await prisma.judgment.findMany({
      where: { campaignId, source: "judge", judgeModel: settings.model, promptVersion: settings.promptVersion },
      select: { itemId: true, verdict: true, winnerId: true, ranking: true, confidence: true, meta: true },
    });
    for (const v of verdicts) {
      const consistent = (v.meta as { orderConsistent?: unknown } | null)?.orderConsistent;
      judgeByItem.set(v.itemId, { winner: preferenceLabel(v), confidence: v.confidence ?? 0.5, ...(typeof consistent === "boolean" ? { consistent } : {}) });
    }
    const keys = items.filter((i) => !judgeByItem.has(i.id)).map((i) => judgeJudgmentKey(i.id, settings));
    if (keys.length > 0) {
      const rows = await prisma.job.findMany({ where: { dedupeKey: { in: keys }, status: "failed" }, select: { payload: true } });
      for (const row of rows) {
        const itemId = (row.payload as { itemId?: unknown } | null)?.itemId;
        if (typeof itemId === "string") failed.add(itemId);
      }
    }
  }
  const humanByItem = new Map<string, string[]>();
  const humans = await prisma.judgment.findMany({ where: { campaignId, source: "human", isGold: false }, select: { itemId: true, verdict: true, winnerId: true, ranking: true } });
  for (const h of humans) humanByItem.set(h.itemId, [...(humanByItem.get(h.itemId) ?? []), preferenceLabel(h)]);

  const comparison = comparisonKind(options.taskType, config);
  const shown = comparison === "pairwise" ? 2 : config.k;
  return items.map((row) => {
    const messages = asMessages(row.messages);
    const judge = judgeByItem.get(row.id) ?? null;
    const item: RoutingItem = {
      id: row.external_id,
      ...(messages ? { messages } : { prompt: row.prompt ?? "" }),
      responses: (responsesByItem.get(row.id) ?? []).slice(0, shown),
      ...(judge ? { judge } : {}),
    };
    return {
      id: row.id,
      key: row.external_id,
      routing: row.routing,
      humanCount: row.human_count,
      leased: row.leased,
      processed: row.processed,
      item,
      features: extractItemFeatures(item),
      judge,
      judgeFailed: failed.has(row.id),
      human: humanByItem.get(row.id) ?? [],
    };
  });
}
