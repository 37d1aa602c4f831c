import type { Actor } from "../access/actor.ts";
import { writeJsonl } from "../export/write-jsonl.ts";
import { writeParquet } from "../export/write-parquet.ts";
import { prepareDatasetExport, type ExportCounts } from "./prepare-dataset-export.ts";
import { zipEntries } from "./zip-entries.ts";

export interface DatasetDownload {
  filename: string;
  contentType: string;
  /** The file, streamed: nothing is read from the database until it is iterated. */
  body: AsyncGenerator<Uint8Array>;
  /** Filled in while `body` is read. */
  counts: ExportCounts;
}

export const EXPORT_CONTENT_TYPES = {
  jsonl: "application/x-ndjson; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
  zip: "application/zip",
} as const;

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield encoder.encode(chunk);
}

/**
 * A campaign's judgments as a dataset file (`format` trl | rankings | rationales | raw, as
 * JSONL, Parquet, or a ZIP of the data under `data/` plus its dataset card `README.md`),
 * streamed from the database in keyset pages in constant memory. Admins and researchers only.
 */
export async function exportDataset(options: { actor: Actor | null; campaignId: string; query: unknown; now?: Date }): Promise<DatasetDownload> {
  const plan = await prepareDatasetExport(options);
  const { query, baseName, columns } = plan;
  const metadata = { "arbiter.format": query.format, "arbiter.source": query.source, "arbiter.campaign": plan.campaign.id };
  const dataFile = (file: "jsonl" | "parquet") => (file === "jsonl" ? utf8(writeJsonl(plan.rows())) : writeParquet(plan.rows(), { columns, metadata }));

  if (query.file !== "zip") {
    return { filename: `${baseName}.${query.file}`, contentType: EXPORT_CONTENT_TYPES[query.file], body: dataFile(query.file), counts: plan.counts };
  }
  const inner = query.bundle;
  const body = zipEntries(
    [
      { name: `data/${baseName}.${inner}`, content: () => dataFile(inner), method: inner === "parquet" ? "store" : "deflate" },
      // The card comes last in the archive: its counts are those of the data just written.
      {
        name: "README.md",
        content: async function* () {
          yield await plan.card(inner);
        },
      },
    ],
    { mtime: options.now ?? new Date() },
  );
  return { filename: `${baseName}.zip`, contentType: EXPORT_CONTENT_TYPES.zip, body, counts: plan.counts };
}
