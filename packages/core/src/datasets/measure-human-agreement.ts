import { getPrisma, Prisma } from "@arbiter/db";
import { krippendorffAlpha, rankingsToReliabilityData, type RankingJudgement } from "@arbiter/ranking";
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
  const prisma = getPrisma();
  const filter = options.filter ?? {};
  const conditions: Prisma.Sql[] = [];
  if (filter.userIds) conditions.push(Prisma.sql`AND j.user_id = ANY(${filter.userIds}::text[])`);
  if (filter.since) conditions.push(Prisma.sql`AND j.created_at >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`AND j.created_at < ${filter.until}`);
  const judgmentFilter = conditions.length > 0 ? Prisma.join(conditions, " ") : Prisma.empty;
  const itemFilter = filter.itemExternalId !== undefined ? Prisma.sql`AND external_id = ${filter.itemExternalId}` : Prisma.empty;

  const categories = new Map<string, number>();
  const code = (value: string) => {
    let c = categories.get(value);
    if (c === undefined) categories.set(value, (c = categories.size));
    return c;
  };
  const nominal: number[][] = [];
  const rankings: RankingJudgement[] = [];

  let after: { position: number; id: string } | null = null;
  for (;;) {
    const keyset: Prisma.Sql = after ? Prisma.sql`AND (position, id) > (${after.position}::int, ${after.id}::uuid)` : Prisma.empty;
    const page = await prisma.$queryRaw<Array<{ id: string; position: number }>>`
      SELECT id, position FROM items WHERE campaign_id = ${options.campaignId}::uuid ${itemFilter} ${keyset}
      ORDER BY position, id LIMIT ${EXPORT_PAGE_ITEMS}`;
    if (page.length === 0) break;
    after = { position: page[page.length - 1]!.position, id: page[page.length - 1]!.id };
    const rows = await prisma.$queryRaw<Array<{ item_id: string; user_id: string | null; verdict: string; winner: string | null; ranking: string[][] | null }>>`
      SELECT j.item_id, j.user_id, j.verdict, r.external_id AS winner, j.ranking
      FROM judgments j LEFT JOIN responses r ON r.id = j.winner_id
      WHERE j.item_id = ANY(${page.map((p) => p.id)}::uuid[]) AND j.source = 'human' ${judgmentFilter}
      ORDER BY j.item_id, j.id`;
    let unit: number[] = [];
    let unitItem: string | null = null;
    const flush = () => {
      if (unit.length >= 2) nominal.push(unit);
      unit = [];
    };
    for (const row of rows) {
      if (row.item_id !== unitItem) {
        flush();
        unitItem = row.item_id;
      }
      if (row.verdict === "ranking") {
        if (row.ranking && row.user_id) rankings.push({ unit: row.item_id, rater: row.user_id, ranking: row.ranking });
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
