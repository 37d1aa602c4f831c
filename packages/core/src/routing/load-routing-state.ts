import type { JudgeSettings } from "@arbiter/judge";
import { extractItemFeatures, type RoutingItem } from "@arbiter/router";
import { comparisonKind, type CampaignConfig, type TaskTypeInput } from "../campaign-config/campaign-config.ts";
import { judgeJudgmentKey } from "../llm-judge/campaign-judge-settings.ts";
import { findFailedJudgeJobPayloads, listJudgeVerdicts } from "../store/judge.ts";
import { listHumanLabels, listRoutingItems, listRoutingResponses } from "../store/routing.ts";
import { preferenceLabel, type RoutingRow } from "./routing-row.ts";

export { isLocked, preferenceLabel, type RoutingRow } from "./routing-row.ts";

function asMessages(value: unknown): Array<{ role: string; content: string }> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const ok = value.every(
    (m) =>
      typeof m === "object" && m !== null && typeof (m as { role?: unknown }).role === "string" && typeof (m as { content?: unknown }).content === "string",
  );
  return ok ? (value as Array<{ role: string; content: string }>) : undefined;
}

/**
 * Everything a routing pass needs about a campaign's regular (non-gold) items: content as the
 * router sees it (the candidates an annotator would compare), features, the judge's verdict
 * under the current settings, human labels, and whether each item is locked to humans.
 */
export async function loadRoutingState(options: {
  campaignId: string;
  taskType: TaskTypeInput;
  config: CampaignConfig;
  settings: JudgeSettings | null;
}): Promise<RoutingRow[]> {
  const { campaignId, config, settings } = options;
  const items = await listRoutingItems(campaignId);
  if (items.length === 0) return [];
  const responses = await listRoutingResponses(campaignId);
  const responsesByItem = new Map<string, Array<{ id: string; content: string }>>();
  for (const r of responses) {
    const list = responsesByItem.get(r.itemId) ?? [];
    list.push({ id: r.id, content: r.content });
    responsesByItem.set(r.itemId, list);
  }
  const judgeByItem = new Map<string, { winner: string; confidence: number; consistent?: boolean }>();
  const failed = new Set<string>();
  if (settings) {
    const verdicts = await listJudgeVerdicts(campaignId, settings);
    for (const v of verdicts) {
      const consistent = (v.meta as { orderConsistent?: unknown } | null)?.orderConsistent;
      judgeByItem.set(v.itemId, { winner: preferenceLabel(v), confidence: v.confidence ?? 0.5, ...(typeof consistent === "boolean" ? { consistent } : {}) });
    }
    const keys = items.filter((i) => !judgeByItem.has(i.id)).map((i) => judgeJudgmentKey(i.id, settings));
    if (keys.length > 0) {
      const rows = await findFailedJudgeJobPayloads(keys);
      for (const row of rows) {
        const itemId = (row.payload as { itemId?: unknown } | null)?.itemId;
        if (typeof itemId === "string") failed.add(itemId);
      }
    }
  }
  const humanByItem = new Map<string, string[]>();
  const humans = await listHumanLabels(campaignId);
  for (const h of humans) humanByItem.set(h.itemId, [...(humanByItem.get(h.itemId) ?? []), preferenceLabel(h)]);

  const comparison = comparisonKind(options.taskType, config);
  const shown = comparison === "pairwise" ? 2 : config.k;
  return items.map((row) => {
    const messages = asMessages(row.messages);
    const judge = judgeByItem.get(row.id) ?? null;
    const item: RoutingItem = {
      id: row.externalId,
      ...(messages ? { messages } : { prompt: row.prompt ?? "" }),
      responses: (responsesByItem.get(row.id) ?? []).slice(0, shown),
      ...(judge ? { judge } : {}),
    };
    return {
      id: row.id,
      key: row.externalId,
      routing: row.routing,
      humanCount: row.humanCount,
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
