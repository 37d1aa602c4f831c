import { ByteWriter, ParquetWriter, schemaFromColumnData, type BasicType } from "hyparquet-writer";
import type { ExportColumn } from "./export-columns.ts";

export const DEFAULT_ROW_GROUP_SIZE = 1000;

const PARQUET_TYPES: Record<ExportColumn["kind"], BasicType> = {
  string: "STRING",
  json: "JSON",
  int: "INT32",
  double: "DOUBLE",
  timestamp: "TIMESTAMP",
};

/** Hands out what has been written so far (at each row group) instead of growing one buffer. */
class ChunkWriter extends ByteWriter {
  readonly chunks: Uint8Array[] = [];

  flush(): void {
    if (this.index === 0) return;
    this.chunks.push(this.getBytes().slice());
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

function columnValue(value: unknown, kind: ExportColumn["kind"]): unknown {
  if (value === undefined || value === null) return null;
  if (kind === "timestamp") return value instanceof Date ? value : new Date(String(value));
  return value;
}

/**
 * Rows as a Parquet file, in byte chunks: the header, then one chunk per row group as soon as it
 * is full, then the footer. Memory holds one row group (`rowGroupSize` rows, default 1000, and
 * their encoded bytes) plus the footer's per-group metadata. `json` columns are stored as UTF-8
 * JSON text with the JSON logical type; `timestamp` columns as UTC milliseconds. Snappy-compressed.
 */
export async function* writeParquet(
  rows: AsyncIterable<object> | Iterable<object>,
  options: { columns: readonly ExportColumn[]; rowGroupSize?: number; metadata?: Record<string, string> },
): AsyncGenerator<Uint8Array> {
  const { columns } = options;
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const writer = new ChunkWriter();
  const schema = schemaFromColumnData({
    columnData: columns.map((column) => ({ name: column.name, data: [], type: PARQUET_TYPES[column.kind] })),
  });
  const parquet = new ParquetWriter({
    writer,
    schema,
    createdBy: "arbiter",
    ...(options.metadata ? { kvMetadata: Object.entries(options.metadata).map(([key, value]) => ({ key, value })) } : {}),
  });
  const drain = () => writer.chunks.splice(0);
  writer.flush();
  yield* drain();

  let group: Record<string, unknown>[] = [];
  const writeGroup = async () => {
    const columnData = columns.map((column) => ({
      name: column.name,
      type: PARQUET_TYPES[column.kind],
      data: group.map((row) => columnValue(row[column.name], column.kind)),
    }));
    await parquet.write({ columnData, rowGroupSize: group.length });
    group = [];
  };
  for await (const row of rows) {
    group.push(row as Record<string, unknown>);
    if (group.length >= rowGroupSize) {
      await writeGroup();
      yield* drain();
    }
  }
  if (group.length > 0) await writeGroup();
  await parquet.finish();
  yield* drain();
}
