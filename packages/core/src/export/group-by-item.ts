import type { ExportJudgmentRow } from "./types.ts";

/**
 * Runs of judgments of the same item. The rows must come ordered (or at least grouped) by item,
 * as an `ORDER BY item` cursor gives them, so only one item's judgments are held at a time; an
 * item seen again after another one throws rather than split its aggregate.
 */
export async function* groupByItem(rows: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>): AsyncGenerator<ExportJudgmentRow[]> {
  const finished = new Set<string>();
  let group: ExportJudgmentRow[] = [];
  for await (const row of rows) {
    const current = group[0]?.itemExternalId;
    if (current !== undefined && row.itemExternalId !== current) {
      finished.add(current);
      yield group;
      group = [];
    }
    if (finished.has(row.itemExternalId)) {
      throw new Error(`export rows must be grouped by item: item "${row.itemExternalId}" appears again after other items`);
    }
    group.push(row);
  }
  if (group.length > 0) yield group;
}
