import { buildRankingRows } from "./build-ranking-rows.ts";
import { buildRationaleRows } from "./build-rationale-rows.ts";
import { buildRawRows } from "./build-raw-rows.ts";
import { buildTrlRows, type PreferenceExportOptions } from "./build-trl-rows.ts";
import type { ExportFormat, ExportJudgmentRow, ExportRow } from "./types.ts";

/** The rows of any export format (see each builder for what the options mean there). */
export function buildExportRows(
  format: ExportFormat,
  judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>,
  options: PreferenceExportOptions = {},
): AsyncGenerator<ExportRow> {
  switch (format) {
    case "trl":
      return buildTrlRows(judgments, options);
    case "rankings":
      return buildRankingRows(judgments, { ...options, aggregate: options.aggregate ?? "all" });
    case "rationales":
      return buildRationaleRows(judgments, options);
    case "raw":
      return buildRawRows(judgments);
  }
}
