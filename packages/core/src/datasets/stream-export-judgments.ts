import { getPrisma, Prisma } from "@arbiter/db";
import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import type { ChatMessage, ExportJudgmentRow, ExportResponse } from "../export/types.ts";

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

interface JudgmentRecord {
  id: string;
  item_id: string;
  source: ExportJudgmentRow["source"];
  user_id: string | null;
  judge_model: string | null;
  verdict: ExportJudgmentRow["verdict"];
  winner_id: string | null;
  ranking: string[][] | null;
  strength: number | null;
  confidence: number | null;
  rationale: string | null;
  attributes: Record<string, Record<string, number>> | null;
  spans: Record<string, unknown>[] | null;
  presented_order: string[];
  time_ms: number | null;
  created_at: Date;
}

interface ItemRecord {
  id: string;
  external_id: string;
  prompt: string | null;
  messages: ChatMessage[] | null;
}

interface ResponseRecord {
  item_id: string;
  id: string;
  external_id: string;
  content: string;
  model: string | null;
}

/** Items per page. Each page is four indexed queries; memory holds one page of items and their judgments. */
export const EXPORT_PAGE_ITEMS = 500;

/**
 * A campaign's judgments joined with their items and responses, ordered by item (import order,
 * then id) and by judgment id within an item, as the export row builders need them. Read in
 * keyset pages of items, so memory stays flat however large the campaign, and no connection or
 * transaction is held between pages (the embedded database has one connection to share).
 * Each judgment lists the responses it was shown (its `presentedOrder`, in the item's order);
 * annotators appear only as `pseudonymizeAnnotator(userId, salt)`.
 */
export async function* streamExportJudgments(options: {
  campaignId: string;
  pseudonymSalt: string;
  filter?: ExportJudgmentFilter;
  pageItems?: number;
}): AsyncGenerator<ExportJudgmentRow> {
  const prisma = getPrisma();
  const filter = options.filter ?? {};
  const pageItems = options.pageItems ?? EXPORT_PAGE_ITEMS;
  const pseudonyms = new Map<string, string>();
  const pseudonym = (userId: string) => {
    let value = pseudonyms.get(userId);
    if (value === undefined) pseudonyms.set(userId, (value = pseudonymizeAnnotator(userId, options.pseudonymSalt)));
    return value;
  };
  const conditions: Prisma.Sql[] = [];
  if (filter.source) conditions.push(Prisma.sql`AND j.source = ${filter.source}::"JudgmentSource"`);
  if (filter.userIds) conditions.push(Prisma.sql`AND j.user_id = ANY(${filter.userIds}::text[])`);
  if (filter.since) conditions.push(Prisma.sql`AND j.created_at >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`AND j.created_at < ${filter.until}`);
  const judgmentFilter = conditions.length > 0 ? Prisma.join(conditions, " ") : Prisma.empty;
  const itemFilter = filter.itemExternalId !== undefined ? Prisma.sql`AND external_id = ${filter.itemExternalId}` : Prisma.empty;

  let after: { position: number; id: string } | null = null;
  for (;;) {
    const keyset: Prisma.Sql = after ? Prisma.sql`AND (position, id) > (${after.position}::int, ${after.id}::uuid)` : Prisma.empty;
    const page = await prisma.$queryRaw<Array<{ id: string; position: number }>>`
      SELECT id, position FROM items
      WHERE campaign_id = ${options.campaignId}::uuid ${itemFilter} ${keyset}
      ORDER BY position, id LIMIT ${pageItems}`;
    if (page.length === 0) return;
    const last = page[page.length - 1]!;
    after = { position: last.position, id: last.id };

    const itemIds = page.map((item) => item.id);
    const judgments = await prisma.$queryRaw<JudgmentRecord[]>`
      SELECT j.id, j.item_id, j.source, j.user_id, j.judge_model, j.verdict, j.winner_id, j.ranking, j.strength, j.confidence,
             j.rationale, j.attributes, j.spans, j.presented_order, j.time_ms, j.created_at
      FROM judgments j
      WHERE j.item_id = ANY(${itemIds}::uuid[]) ${judgmentFilter}
      ORDER BY j.item_id, j.id`;
    if (judgments.length > 0) {
      const judgedIds = [...new Set(judgments.map((j) => j.item_id))];
      const items = await prisma.$queryRaw<ItemRecord[]>`SELECT id, external_id, prompt, messages FROM items WHERE id = ANY(${judgedIds}::uuid[])`;
      const responses = await prisma.$queryRaw<ResponseRecord[]>`
        SELECT item_id, id, external_id, content, model FROM responses WHERE item_id = ANY(${judgedIds}::uuid[]) ORDER BY item_id, position`;
      const itemById = new Map(items.map((item) => [item.id, item]));
      const responsesByItem = new Map<string, ExportResponse[]>();
      for (const r of responses) {
        let list = responsesByItem.get(r.item_id);
        if (!list) responsesByItem.set(r.item_id, (list = []));
        list.push({ id: r.id, externalId: r.external_id, content: r.content, model: r.model });
      }
      const judgmentsByItem = new Map<string, JudgmentRecord[]>();
      for (const j of judgments) {
        let list = judgmentsByItem.get(j.item_id);
        if (!list) judgmentsByItem.set(j.item_id, (list = []));
        list.push(j);
      }
      for (const { id: itemId } of page) {
        const itemJudgments = judgmentsByItem.get(itemId);
        const item = itemById.get(itemId);
        if (!itemJudgments || !item) continue;
        const all = responsesByItem.get(itemId) ?? [];
        for (const j of itemJudgments) {
          const shown = j.presented_order.length > 0 ? new Set(j.presented_order) : null;
          yield {
            id: j.id,
            itemExternalId: item.external_id,
            prompt: item.prompt,
            messages: item.messages,
            responses: shown ? all.filter((r) => shown.has(r.id)) : all,
            source: j.source,
            annotatorPseudonym: j.user_id ? pseudonym(j.user_id) : null,
            judgeModel: j.judge_model,
            verdict: j.verdict,
            winnerId: j.winner_id,
            ranking: j.ranking,
            strength: j.strength,
            confidence: j.confidence,
            rationale: j.rationale,
            attributes: j.attributes,
            spans: j.spans,
            timeMs: j.time_ms,
            createdAt: j.created_at,
          };
        }
      }
    }
    if (page.length < pageItems) return;
  }
}
