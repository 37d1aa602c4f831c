export { buildExportRows } from "./build-export-rows.ts";
export { buildTrlRows, type PreferenceExportOptions } from "./build-trl-rows.ts";
export { buildRankingRows } from "./build-ranking-rows.ts";
export { buildRationaleRows } from "./build-rationale-rows.ts";
export { buildRawRows, toRawRow } from "./build-raw-rows.ts";
export { buildDatasetCard, type DatasetCardOptions } from "./build-dataset-card.ts";
export { exportColumns, type ExportColumn } from "./export-columns.ts";
export { pseudonymizeAnnotator } from "./pseudonymize-annotator.ts";
export { writeJsonl } from "./write-jsonl.ts";
export { writeParquet, DEFAULT_ROW_GROUP_SIZE } from "./write-parquet.ts";
export { EXPORT_FORMATS } from "./types.ts";
export type {
  ExportAggregate,
  ExportFormat,
  ExportJudgmentRow,
  ExportResponse,
  ExportRow,
  PromptStyle,
  RankingRow,
  RationaleRow,
  RawRow,
  TrlRow,
} from "./types.ts";
