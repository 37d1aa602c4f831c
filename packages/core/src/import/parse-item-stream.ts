import { csvRecords } from "./frame-csv.ts";
import { jsonArrayRecords, jsonLineRecords } from "./frame-json.ts";
import { detectJsonFormat } from "./detect-format.ts";
import { parquetRecords, sniffParquet } from "./frame-parquet.ts";
import { CsvItemMapper } from "./map-csv.ts";
import { mapHhRlhfRecord } from "./map-hh-rlhf.ts";
import { mapImageRewardRecord } from "./map-imagereward.ts";
import { mapLlmbarRecord } from "./map-llmbar.ts";
import { mapNativeRecord } from "./map-native.ts";
import { mapRankingsRecord } from "./map-rankings.ts";
import { mapTrlRecord } from "./map-trl.ts";
import { GzipError, gunzipIfCompressed, sniffFirstByte, toByteChunks } from "./read-bytes.ts";
import { SeenIds } from "./seen-ids.ts";
import type { ItemFormat, LineError, LineErrorKind, MapOptions, MapOutcome, ParsedItem } from "./types.ts";

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface ParseItemStreamOptions {
  /** The body: bytes (plain or gzip, detected by its magic bytes) or text, in chunks of any size. */
  source: AsyncIterable<Uint8Array | string>;
  /** Defaults to "auto": CSV unless the body starts with `{` or `[`; the JSON format from the first record's fields (Parquet: its column names). */
  format?: ItemFormat | "auto";
  /** "parquet": the body must be a Parquet file (else one error). Default "auto": Parquet when it starts with `PAR1`, text otherwise. */
  file?: "auto" | "parquet";
  /** Longest line (JSONL, CSV) or array element (JSON) read; longer ones are reported, never held. Default 8 MiB. */
  maxLineBytes?: number;
  /** Items per batch (default 500); a batch also ends once its records pass `maxBatchBytes` (default 16 MiB). */
  batchSize?: number;
  maxBatchBytes?: number;
  /**
   * Use the file's labels as gold, for every format: native `gold`, LLMBar `label`, ImageReward
   * `ranking`, a CSV gold column, trl / hh-rlhf / CSV chosen-over-rejected. Default false: labels
   * are checked (a bad one is still a bad line) but every item is imported as a regular item, and
   * `labelledCount` says how many carried one.
   */
  labelsAsGold?: boolean;
  /** The old name of `labelsAsGold`; either one set to true turns it on. */
  preferenceAsGold?: boolean;
  /** Prefix for relative image paths (ImageReward `generations`). */
  mediaBaseUrl?: string;
  /** A gzip body may inflate to at most this many bytes; past it, iteration throws InflatedTooLargeError. Default: no limit. */
  maxInflatedBytes?: number;
}

/**
 * Batches of items, in file order. Bad records are left out and listed in `errors` (complete
 * once iteration has finished); an import with any error should import nothing.
 */
export interface ItemStream extends AsyncIterable<ParsedItem[]> {
  readonly errors: readonly LineError[];
  /** The format given, or the one detected; undefined until a record has been recognised. */
  readonly format: ItemFormat | undefined;
  /** Items yielded so far. */
  readonly itemCount: number;
  /** Items yielded so far that are gold (always 0 without `labelsAsGold`). */
  readonly goldCount: number;
  /** Items yielded so far whose record carried a label (gold or not, as `labelsAsGold` decided). */
  readonly labelledCount: number;
}

type JsonFormat = Exclude<ItemFormat, "csv">;

function mapJsonRecord(format: JsonFormat, value: unknown, options: MapOptions): MapOutcome {
  switch (format) {
    case "native":
      return mapNativeRecord(value);
    case "trl":
      return mapTrlRecord(value, options);
    case "hh-rlhf":
      return mapHhRlhfRecord(value, options);
    case "llmbar":
      return mapLlmbarRecord(value);
    case "imagereward":
      return mapImageRewardRecord(value, options);
    case "rankings":
      return mapRankingsRecord(value);
  }
}

const where = (line: number, element: number | undefined) => (element === undefined ? `line ${line}` : `line ${line}, array element [${element}]`);

/**
 * Reads an items file as a stream and yields normalized items in batches, holding one batch and
 * one record at a time (plus a compact table of the ids seen, 16–32 bytes an item in typed
 * arrays, to catch duplicates: see seen-ids.ts). Memory stays flat whatever the file's size. See FORMATS.md for the formats.
 *
 * ```ts
 * const items = parseItemStream({ source: request.body, format: "auto" });
 * for await (const batch of items) await insert(batch);
 * if (items.errors.length > 0) rollback(items.errors);
 * ```
 */
export function parseItemStream(options: ParseItemStreamOptions): ItemStream {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const labelsAsGold = options.labelsAsGold === true || options.preferenceAsGold === true;
  // Mappers always report a label (preference pairs included), so that an import can say how many
  // items carried one; the option decides below whether it is kept as gold.
  const mapOptions: MapOptions = {
    labelsAsGold: true,
    ...(options.mediaBaseUrl !== undefined ? { mediaBaseUrl: options.mediaBaseUrl } : {}),
  };
  const requested = options.format ?? "auto";
  const errors: LineError[] = [];
  let format: ItemFormat | undefined = requested === "auto" ? undefined : requested;
  let itemCount = 0;
  let goldCount = 0;
  let labelledCount = 0;
  let started = false;

  async function* batches(): AsyncGenerator<ParsedItem[]> {
    const body = await sniffParquet(gunzipIfCompressed(toByteChunks(options.source), options.maxInflatedBytes));
    // Parquet (frame-parquet.ts): its rows become the same JSON records the text formats give.
    const parquet = body.parquet || options.file === "parquet" ? parquetRecords(body.chunks, { format, maxRowBytes: maxLineBytes }) : undefined;
    const { first, empty, chunks } = parquet ? { first: undefined, empty: false, chunks: body.chunks } : await sniffFirstByte(body.chunks);
    if (empty) {
      errors.push({ line: 1, message: "file is empty" });
      return;
    }
    const looksLikeJson = first === undefined || first === 0x7b || first === 0x5b;
    const framing = parquet ? "parquet" : format === "csv" || (format === undefined && !looksLikeJson) ? "csv" : first === 0x5b ? "array" : "lines";
    if (framing === "csv") format = "csv";
    const csvMapper = new CsvItemMapper(mapOptions);
    const records =
      parquet ??
      (framing === "csv"
        ? csvRecords(chunks, maxLineBytes)
        : framing === "array"
          ? jsonArrayRecords(chunks, maxLineBytes)
          : jsonLineRecords(chunks, maxLineBytes));

    const seen = new SeenIds();
    let batch: ParsedItem[] = [];
    let batchBytes = 0;
    let lastLine = 1;

    try {
      for await (const record of records) {
        const { line } = record;
        const element = "element" in record ? record.element : undefined;
        const row = "row" in record ? record.row : undefined;
        const at = row !== undefined ? { line, row } : element === undefined ? { line } : { line, element };
        lastLine = line;
        const prefix = row !== undefined ? `row ${row}: ` : element !== undefined ? `array element [${element}]: ` : "";
        // One entry per record, whatever number of problems it has: the count of entries is the count of bad lines.
        const fail = (message: string, kind?: LineErrorKind) => errors.push({ ...at, ...(kind ? { kind } : {}), message: `${prefix}${message}` });
        if (record.error !== undefined) {
          fail(record.error);
          continue;
        }

        let outcome: MapOutcome | "header";
        if ("cells" in record) outcome = csvMapper.map(record.cells);
        else {
          format ??= parquet?.format ?? detectJsonFormat(record.value);
          if (format === undefined || format === "csv") {
            fail("cannot tell the format from this record's fields; pass format=native|trl|hh-rlhf|rankings|llmbar|imagereward");
            continue;
          }
          outcome = mapJsonRecord(format, record.value, mapOptions);
        }
        if (outcome === "header") continue;
        if ("errors" in outcome) {
          fail(outcome.errors.join("; "));
          continue;
        }
        const item = outcome.item;
        const previous = seen.firstSeen(item.externalId, at);
        if (previous !== undefined) {
          fail(
            `duplicate id "${item.externalId}": ${where(previous.line, previous.element)} has the same id (or, without ids, the same content)`,
            "duplicate_in_file",
          );
          continue;
        }
        const labelled = item.gold !== undefined;
        if (labelled) {
          labelledCount++;
          if (labelsAsGold) goldCount++;
          else delete item.gold;
        }
        batch.push({ ...at, item, ...(labelled ? { labelled } : {}) });
        batchBytes += record.size;
        itemCount++;
        if (batch.length >= batchSize || batchBytes >= maxBatchBytes) {
          yield batch;
          batch = [];
          batchBytes = 0;
        }
      }
    } catch (error) {
      if (!(error instanceof GzipError)) throw error;
      errors.push({ line: lastLine, message: `${error.message}; reading stopped after this record` });
    }
    if (batch.length > 0) yield batch;
    if (itemCount === 0 && errors.length === 0) errors.push({ line: 1, message: "the file contains no items" });
  }

  return {
    get errors() {
      return errors;
    },
    get format() {
      return format;
    },
    get itemCount() {
      return itemCount;
    },
    get goldCount() {
      return goldCount;
    },
    get labelledCount() {
      return labelledCount;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new Error("an item stream can be read only once");
      started = true;
      return batches();
    },
  };
}

/** The callback form: hands each batch to `onBatch` (awaited, so the database sets the pace) and returns the outcome. */
export async function readItemBatches(
  options: ParseItemStreamOptions & { onBatch: (items: ParsedItem[]) => Promise<void> | void },
): Promise<{ format: ItemFormat | undefined; itemCount: number; errors: LineError[] }> {
  const stream = parseItemStream(options);
  for await (const batch of stream) await options.onBatch(batch);
  return { format: stream.format, itemCount: stream.itemCount, errors: [...stream.errors] };
}
