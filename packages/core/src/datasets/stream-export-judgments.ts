import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import type { ExportJudgmentRow, ExportResponse } from "../export/types.ts";
import {
  findExportItemPage,
  findExportItems,
  findExportJudgments,
  findExportResponses,
  type ExportJudgmentFilter,
  type ExportJudgmentRecord,
  type ItemKey,
} from "../store/exports.ts";

export type { ExportJudgmentFilter } from "../store/exports.ts";

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
  const filter = options.filter ?? {};
  const pageItems = options.pageItems ?? EXPORT_PAGE_ITEMS;
  const pseudonyms = new Map<string, string>();
  const pseudonym = (userId: string) => {
    let value = pseudonyms.get(userId);
    if (value === undefined) pseudonyms.set(userId, (value = pseudonymizeAnnotator(userId, options.pseudonymSalt)));
    return value;
  };

  let after: ItemKey | null = null;
  for (;;) {
    const page = await findExportItemPage({
      campaignId: options.campaignId,
      ...(filter.itemExternalId !== undefined ? { itemExternalId: filter.itemExternalId } : {}),
      after,
      limit: pageItems,
    });
    if (page.length === 0) return;
    const last = page[page.length - 1]!;
    after = { position: last.position, id: last.id };

    const itemIds = page.map((item) => item.id);
    const judgments = await findExportJudgments(itemIds, filter);
    if (judgments.length > 0) {
      const judgedIds = [...new Set(judgments.map((j) => j.itemId))];
      const items = await findExportItems(judgedIds);
      const responses = await findExportResponses(judgedIds);
      const itemById = new Map(items.map((item) => [item.id, item]));
      const responsesByItem = new Map<string, ExportResponse[]>();
      for (const r of responses) {
        let list = responsesByItem.get(r.itemId);
        if (!list) responsesByItem.set(r.itemId, (list = []));
        list.push({ id: r.id, externalId: r.externalId, content: r.content, model: r.model });
      }
      const judgmentsByItem = new Map<string, ExportJudgmentRecord[]>();
      for (const j of judgments) {
        let list = judgmentsByItem.get(j.itemId);
        if (!list) judgmentsByItem.set(j.itemId, (list = []));
        list.push(j);
      }
      for (const { id: itemId } of page) {
        const itemJudgments = judgmentsByItem.get(itemId);
        const item = itemById.get(itemId);
        if (!itemJudgments || !item) continue;
        const all = responsesByItem.get(itemId) ?? [];
        for (const j of itemJudgments) {
          const shown = j.presentedOrder.length > 0 ? new Set(j.presentedOrder) : null;
          yield {
            id: j.id,
            itemExternalId: item.externalId,
            prompt: item.prompt,
            messages: item.messages,
            responses: shown ? all.filter((r) => shown.has(r.id)) : all,
            source: j.source,
            annotatorPseudonym: j.userId ? pseudonym(j.userId) : null,
            judgeModel: j.judgeModel,
            verdict: j.verdict,
            winnerId: j.winnerId,
            ranking: j.ranking,
            strength: j.strength,
            confidence: j.confidence,
            rationale: j.rationale,
            attributes: j.attributes,
            spans: j.spans,
            timeMs: j.timeMs,
            hintCondition: j.hintCondition,
            hintSource: j.hintSource,
            createdAt: j.createdAt,
          };
        }
      }
    }
    if (page.length < pageItems) return;
  }
}
