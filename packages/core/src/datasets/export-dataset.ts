import type { Actor } from "../access/actor.ts";
import { AppError } from "../errors.ts";
import { datasetDataFile } from "../export/build-dataset-card.ts";
import type { ExportRow } from "../export/types.ts";
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

/** The rows with the first one already read, so an export with none can be refused before anything is sent. */
async function peekRows(rows: AsyncGenerator<ExportRow>): Promise<{ empty: boolean; rows: () => AsyncGenerator<ExportRow> }> {
  const first = await rows.next();
  return {
    empty: first.done === true,
    rows: async function* () {
      if (first.done) return;
      yield first.value;
      yield* rows;
    },
  };
}

/**
 * A campaign's judgments as a dataset file (`format` trl | rankings | rationales | raw, as
 * JSONL, Parquet, or a ZIP laid out as a Hugging Face dataset repository: the data at
 * `data/train-00000-of-00001.<jsonl|parquet>` and the dataset card `README.md` whose front
 * matter names it), streamed from the database in keyset pages in constant memory. Admins and
 * researchers only. The first row is read before answering: an export with no rows is a 404
 * that says so, never an empty file.
 */
export async function exportDataset(options: { actor: Actor | null; campaignId: string; query: unknown; now?: Date }): Promise<DatasetDownload> {
  const plan = await prepareDatasetExport(options);
  const { query, baseName, columns } = plan;
  const peeked = await peekRows(plan.rows());
  if (peeked.empty) {
    throw new AppError(
      "not_found",
      `This export has no rows: no ${query.source === "all" ? "" : `${query.source} `}judgments match the filters` +
        (query.format === "trl" || query.format === "rationales" ? ", or none gives a preference (ties and both-bad verdicts are left out)" : "") +
        (query.format === "rationales" ? " with a written rationale" : "") +
        ".",
    );
  }
  const metadata = { "arbiter.format": query.format, "arbiter.source": query.source, "arbiter.campaign": plan.campaign.id };
  const dataFile = (file: "jsonl" | "parquet") => (file === "jsonl" ? utf8(writeJsonl(peeked.rows())) : writeParquet(peeked.rows(), { columns, metadata }));

  if (query.file !== "zip") {
    return { filename: `${baseName}.${query.file}`, contentType: EXPORT_CONTENT_TYPES[query.file], body: dataFile(query.file), counts: plan.counts };
  }
  const inner = query.bundle;
  const body = zipEntries(
    [
      { name: datasetDataFile(inner), content: () => dataFile(inner), method: inner === "parquet" ? "store" : "deflate" },
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
  // The two ZIP variants differ in name as in content.
  return { filename: `${baseName}-${inner}.zip`, contentType: EXPORT_CONTENT_TYPES.zip, body, counts: plan.counts };
}
