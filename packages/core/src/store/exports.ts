import { getPrisma, Prisma } from "@arbiter/db";
import type { ChatMessage, ExportJudgmentRow } from "../export/types.ts";

/** Reads for dataset exports and the agreement figure on their cards, in keyset pages of items. */

export interface ExportJudgmentFilter {
  /** `human` or `judge` only; absent: every source. */
  source?: "human" | "judge";
  /** Only these annotators' judgments. */
  userIds?: string[];
  /** The item's imported id. */
  itemExternalId?: string;
  since?: Date;
  until?: Date;
}

/** The filter's judgment conditions (`j`), each a bound parameter. */
function judgmentConditions(filter: ExportJudgmentFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.source) conditions.push(Prisma.sql`AND j.source = ${filter.source}::"JudgmentSource"`);
  if (filter.userIds) conditions.push(Prisma.sql`AND j.user_id = ANY(${filter.userIds}::text[])`);
  if (filter.since) conditions.push(Prisma.sql`AND j.created_at >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`AND j.created_at < ${filter.until}`);
  return conditions.length > 0 ? Prisma.join(conditions, " ") : Prisma.empty;
}

export interface ItemKey {
  id: string;
  position: number;
}

/** The next page of the campaign's items in import order (position, then id), after `after`. */
export async function findExportItemPage(options: { campaignId: string; itemExternalId?: string; after: ItemKey | null; limit: number }): Promise<ItemKey[]> {
  const { after } = options;
  const itemFilter = options.itemExternalId !== undefined ? Prisma.sql`AND external_id = ${options.itemExternalId}` : Prisma.empty;
  const keyset: Prisma.Sql = after ? Prisma.sql`AND (position, id) > (${after.position}::int, ${after.id}::uuid)` : Prisma.empty;
  return getPrisma().$queryRaw<ItemKey[]>`
    SELECT id, position FROM items
    WHERE campaign_id = ${options.campaignId}::uuid ${itemFilter} ${keyset}
    ORDER BY position, id LIMIT ${options.limit}`;
}

/**
 * Whether any of the campaign's items (or the one item asked for) is multi-turn: decides, once
 * per export, whether prompts are written as text or as message lists.
 */
export async function hasMultiTurnExportItems(options: { campaignId: string; itemExternalId?: string }): Promise<boolean> {
  const itemFilter = options.itemExternalId !== undefined ? Prisma.sql`AND external_id = ${options.itemExternalId}` : Prisma.empty;
  const rows = await getPrisma().$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM items
      WHERE campaign_id = ${options.campaignId}::uuid ${itemFilter}
        AND messages IS NOT NULL AND jsonb_typeof(messages) = 'array' AND jsonb_array_length(messages) > 0
    ) AS found`;
  return rows[0]?.found === true;
}

export interface ExportJudgmentRecord {
  id: string;
  itemId: string;
  source: ExportJudgmentRow["source"];
  userId: string | null;
  judgeModel: string | null;
  verdict: ExportJudgmentRow["verdict"];
  winnerId: string | null;
  ranking: string[][] | null;
  strength: number | null;
  confidence: number | null;
  rationale: string | null;
  attributes: Record<string, Record<string, number>> | null;
  spans: Record<string, unknown>[] | null;
  presentedOrder: string[];
  timeMs: number | null;
  hintCondition: string | null;
  hintSource: string | null;
  createdAt: Date;
}

/** The filtered judgments on these items, by item then id. */
export async function findExportJudgments(itemIds: string[], filter: ExportJudgmentFilter): Promise<ExportJudgmentRecord[]> {
  return getPrisma().$queryRaw<ExportJudgmentRecord[]>`
    SELECT j.id, j.item_id AS "itemId", j.source, j.user_id AS "userId", j.judge_model AS "judgeModel", j.verdict, j.winner_id AS "winnerId",
           j.ranking, j.strength, j.confidence, j.rationale, j.attributes, j.spans, j.presented_order AS "presentedOrder",
           j.time_ms AS "timeMs", j.meta ->> 'hintCondition' AS "hintCondition",
           j.meta ->> 'hintSource' AS "hintSource", j.created_at AS "createdAt"
    FROM judgments j
    WHERE j.item_id = ANY(${itemIds}::uuid[]) ${judgmentConditions(filter)}
    ORDER BY j.item_id, j.id`;
}

export interface ExportItemRecord {
  id: string;
  externalId: string;
  prompt: string | null;
  messages: ChatMessage[] | null;
}

export async function findExportItems(itemIds: string[]): Promise<ExportItemRecord[]> {
  return getPrisma().$queryRaw<ExportItemRecord[]>`SELECT id, external_id AS "externalId", prompt, messages FROM items WHERE id = ANY(${itemIds}::uuid[])`;
}

export interface ExportResponseRecord {
  itemId: string;
  id: string;
  externalId: string;
  content: string;
  model: string | null;
}

/** The responses of these items, by item and in import order. */
export async function findExportResponses(itemIds: string[]): Promise<ExportResponseRecord[]> {
  return getPrisma().$queryRaw<ExportResponseRecord[]>`
    SELECT item_id AS "itemId", id, external_id AS "externalId", content, model FROM responses WHERE item_id = ANY(${itemIds}::uuid[]) ORDER BY item_id, position`;
}
