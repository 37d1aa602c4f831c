import type { JudgmentSource } from "@arbiter/db";
import { listQualityItems, listQualityJudgments } from "../store/quality.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

/**
 * Every item (with its responses) and every judgment of the given sources in a campaign,
 * oldest judgment first. Response contents are loaded only when asked for (style control).
 */
export async function loadQualityData(options: {
  campaignId: string;
  sources: JudgmentSource[];
  withContent?: boolean;
}): Promise<{ items: Map<string, QualityItem>; judgments: QualityJudgment[] }> {
  const [itemRows, judgmentRows] = await Promise.all([
    listQualityItems(options.campaignId, options.withContent ?? false),
    listQualityJudgments(options.campaignId, options.sources),
  ]);
  const items = new Map<string, QualityItem>();
  for (const row of itemRows) {
    items.set(row.id, {
      id: row.id,
      externalId: row.externalId,
      isGold: row.isGold,
      responses: row.responses.map((r) => ({ id: r.id, position: r.position, model: r.model, content: (r as { content?: string }).content ?? "" })),
    });
  }
  const judgments: QualityJudgment[] = judgmentRows.map((j) => ({
    ...j,
    ranking: Array.isArray(j.ranking) ? (j.ranking as string[][]) : null,
    attributes: isAttributeMap(j.attributes) ? j.attributes : null,
  }));
  return { items, judgments };
}

function isAttributeMap(value: unknown): value is Record<string, Record<string, number>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
