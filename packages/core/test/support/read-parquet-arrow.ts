import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DataType, tableFromIPC, tableToIPC, type Table } from "apache-arrow";

/**
 * Reads Parquet the way Arrow-based tools (pyarrow, polars, pandas, Hugging Face `datasets`) do:
 * the Rust `parquet` crate (parquet-wasm) decodes to Arrow, apache-arrow gives the table. Unlike
 * hyparquet, it does not turn JSON-annotated text into objects: a column written as JSON text
 * reads back as `Utf8`, so the column types asserted on are what a Python user would get.
 */
let ready: Promise<typeof import("parquet-wasm/esm")> | undefined;

function parquetWasm(): Promise<typeof import("parquet-wasm/esm")> {
  ready ??= (async () => {
    const pq = await import("parquet-wasm/esm");
    const require = createRequire(import.meta.url);
    pq.initSync({ module: readFileSync(require.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm")) });
    return pq;
  })();
  return ready;
}

export async function readParquetArrow(bytes: Uint8Array): Promise<Table> {
  const pq = await parquetWasm();
  return tableFromIPC(pq.readParquet(bytes).intoIPCStream());
}

/** An Arrow table as Parquet written by an Arrow-based writer (the Rust `parquet` crate, as pyarrow and polars write it), Snappy, `rowGroupSize` rows a group. */
export async function writeParquetArrow(table: Table, rowGroupSize = 1024 * 1024): Promise<Uint8Array> {
  const pq = await parquetWasm();
  const properties = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.SNAPPY).setMaxRowGroupSize(rowGroupSize).build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, "stream")), properties);
}

/** Each column's Arrow type as text (`Utf8`, `List<Struct<{role:Utf8, content:Utf8}>>`, …), by name. */
export function arrowColumnTypes(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]));
}

/** The table's rows as plain values: lists as arrays, structs as objects, int64 as numbers, timestamps as Dates. */
export function arrowRows(table: Table): Record<string, unknown>[] {
  const timestamps = table.schema.fields.filter((field) => DataType.isTimestamp(field.type)).map((field) => field.name);
  return table.toArray().map((row) => {
    const record = plain(row) as Record<string, unknown>;
    for (const name of timestamps) if (typeof record[name] === "number") record[name] = new Date(record[name]);
    return record;
  });
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object" || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(plain);
  const json = typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON: () => unknown }).toJSON() : value;
  if (Array.isArray(json)) return json.map(plain);
  return Object.fromEntries(Object.entries(json as object).map(([key, inner]) => [key, plain(inner)]));
}
