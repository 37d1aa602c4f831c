import type { SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { parquetElements, parquetValue } from "./column-types.ts";
import type { ExportColumn } from "./export-columns.ts";

export const DEFAULT_ROW_GROUP_SIZE = 1000;

/** The file's schema: the root, then each column's elements (nested types in full). */
export function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  return [{ name: "root", num_children: columns.length }, ...columns.flatMap((column) => parquetElements(column.name, column.type, column.nullable))];
}

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

/**
 * Rows as a Parquet file, in byte chunks: the header, then one chunk per row group as soon as it
 * is full, then the footer. Memory holds one row group (`rowGroupSize` rows, default 1000, and
 * their encoded bytes) plus the footer's per-group metadata. Every column has its real type
 * (`parquetElements`): text as UTF-8 strings, message lists as `list<struct<role, content>>`,
 * rankings as nested lists, numbers as numbers, timestamps as UTC milliseconds; nothing is JSON
 * text. Snappy-compressed.
 */
export async function* writeParquet(
  rows: AsyncIterable<object> | Iterable<object>,
  options: { columns: readonly ExportColumn[]; rowGroupSize?: number; metadata?: Record<string, string> },
): AsyncGenerator<Uint8Array> {
  const { columns } = options;
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const writer = new ChunkWriter();
  const schema = parquetSchema(columns);
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
      data: group.map((row) => parquetValue(row[column.name], column.type)),
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
