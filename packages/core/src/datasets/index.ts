export { DatasetExportQuery } from "./dataset-export-query.ts";
export { exportDataset, EXPORT_CONTENT_TYPES, type DatasetDownload } from "./export-dataset.ts";
export { getDatasetCard } from "./get-dataset-card.ts";
export { measureHumanAgreement, type HumanAgreement } from "./measure-human-agreement.ts";
export { streamExportJudgments, EXPORT_PAGE_ITEMS, type ExportJudgmentFilter } from "./stream-export-judgments.ts";
export { zipEntries, type ZipEntry } from "./zip-entries.ts";
export type { ExportCounts } from "./prepare-dataset-export.ts";
