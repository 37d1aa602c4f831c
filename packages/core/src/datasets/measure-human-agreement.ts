import { alphaClusters, collectHumanUnits, humanAlpha } from "../quality/human-alpha.ts";
import type { UnitItem } from "../quality/judgment-units.ts";
import { findExportItemPage, findExportJudgments, findExportResponses, type ItemKey } from "../store/exports.ts";
import { EXPORT_PAGE_ITEMS, type ExportJudgmentFilter } from "./stream-export-judgments.ts";

export interface HumanAgreement {
  /**
   * Nominal α over the human verdicts — the same function (`humanAlpha`) and so the same number as
   * the stats API and the quality dashboard. Categories: the chosen response's place in the item
   * as imported (`first`, `second`, …; for a ranked pair, the earlier / later response of the
   * pair), `tie`, `both_bad`. `null` when no unit has two human judgments or nothing varies.
   */
  krippendorffAlpha: number | null;
  /** 95 % percentile bootstrap interval over items (seeded as the dashboard's); null when α is. */
  krippendorffAlphaCi: [number, number] | null;
  /** Items with at least two human judgments of a unit: the ones agreement is measured on. */
  items: number;
  /** Units α is measured on (an item, or a pair of a ranked item's responses). */
  units: number;
  /** Always nominal now (rankings are expanded into pairs); null when α is undefined for lack of units. */
  level: "nominal" | "interval" | null;
}

/**
 * Agreement among the human judgments an export would include (same annotator, item and date
 * filters). Reads them in keyset pages of items; only the categories of pairable units are kept.
 */
export async function measureHumanAgreement(options: { campaignId: string; filter?: Omit<ExportJudgmentFilter, "source"> }): Promise<HumanAgreement> {
  const filter = options.filter ?? {};
  const clusters: string[][][] = [];

  let after: ItemKey | null = null;
  for (;;) {
    const page = await findExportItemPage({
      campaignId: options.campaignId,
      ...(filter.itemExternalId !== undefined ? { itemExternalId: filter.itemExternalId } : {}),
      after,
      limit: EXPORT_PAGE_ITEMS,
    });
    if (page.length === 0) break;
    after = { position: page[page.length - 1]!.position, id: page[page.length - 1]!.id };
    const ids = page.map((p) => p.id);
    const [judgments, responses] = await Promise.all([findExportJudgments(ids, { ...filter, source: "human" }), findExportResponses(ids)]);
    const items = new Map<string, UnitItem & { responses: { id: string; position: number }[] }>();
    for (const response of responses) {
      let item = items.get(response.itemId);
      if (!item) items.set(response.itemId, (item = { id: response.itemId, responses: [] }));
      // Responses come in import order: the index is the place.
      item.responses.push({ id: response.id, position: item.responses.length });
    }
    alphaClusters(collectHumanUnits(judgments, items), clusters);
    if (page.length < EXPORT_PAGE_ITEMS) break;
  }

  const { alpha, ci, units } = humanAlpha(clusters);
  return { krippendorffAlpha: alpha, krippendorffAlphaCi: ci, items: clusters.length, units, level: units > 0 ? "nominal" : null };
}
