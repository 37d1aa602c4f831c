import { krippendorffAlpha, rankingsToReliabilityData, type RankingJudgement } from "@arbiter/ranking";
import { findExportItemPage, findHumanVerdicts, type ItemKey } from "../store/exports.ts";
import { EXPORT_PAGE_ITEMS, type ExportJudgmentFilter } from "./stream-export-judgments.ts";

export interface HumanAgreement {
  /**
   * Nominal α over pairwise verdicts (categories: the chosen response's imported id, `tie`,
   * `both_bad`), or, for K-wise rankings, interval α over every pair of responses each ranking
   * orders (+1 / 0 for a tie / −1). `null` when no item has two human judgments or nothing varies.
   */
  krippendorffAlpha: number | null;
  /** Items with at least two human judgments: the ones agreement is measured on. */
  items: number;
  level: "nominal" | "interval" | null;
}

/**
 * Agreement among the human judgments an export would include (same annotator, item and date
 * filters). Reads them in keyset pages of items; only a compact code per judgment is kept.
 */
export async function measureHumanAgreement(options: { campaignId: string; filter?: Omit<ExportJudgmentFilter, "source"> }): Promise<HumanAgreement> {
  const filter = options.filter ?? {};

  const categories = new Map<string, number>();
  const code = (value: string) => {
    let c = categories.get(value);
    if (c === undefined) categories.set(value, (c = categories.size));
    return c;
  };
  const nominal: number[][] = [];
  const rankings: RankingJudgement[] = [];

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
    const rows = await findHumanVerdicts(
      page.map((p) => p.id),
      filter,
    );
    let unit: number[] = [];
    let unitItem: string | null = null;
    const flush = () => {
      if (unit.length >= 2) nominal.push(unit);
      unit = [];
    };
    for (const row of rows) {
      if (row.itemId !== unitItem) {
        flush();
        unitItem = row.itemId;
      }
      if (row.verdict === "ranking") {
        if (row.ranking && row.userId) rankings.push({ unit: row.itemId, rater: row.userId, ranking: row.ranking });
      } else {
        unit.push(code(row.verdict === "winner" ? `winner:${row.winner ?? ""}` : row.verdict));
      }
    }
    flush();
    if (page.length < EXPORT_PAGE_ITEMS) break;
  }

  if (nominal.length > 0) {
    return { krippendorffAlpha: krippendorffAlpha({ data: nominal, level: "nominal" }), items: nominal.length, level: "nominal" };
  }
  const counts = new Map<string, number>();
  for (const r of rankings) counts.set(r.unit, (counts.get(r.unit) ?? 0) + 1);
  const shared = rankings.filter((r) => (counts.get(r.unit) ?? 0) >= 2);
  if (shared.length === 0) return { krippendorffAlpha: null, items: 0, level: null };
  const { data } = rankingsToReliabilityData({ judgements: shared });
  return { krippendorffAlpha: krippendorffAlpha({ data, level: "interval" }), items: new Set(shared.map((r) => r.unit)).size, level: "interval" };
}
