import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from "hyparquet";
import { detectJsonFormat } from "./detect-format.ts";
import { formatBytes } from "./frame-lines.ts";
import { readHead } from "./read-bytes.ts";
import type { ItemFormat } from "./types.ts";

/** One row of a Parquet file as the JSON mappers take it, or why it could not be read. `line` and `row` are both the row number, from 1. */
export type ParquetRecord =
  | { line: number; row: number; size: number; value: Record<string, unknown>; error?: undefined }
  | { line: number; row: number; size: number; value?: undefined; error: string };

/** The rows of a Parquet file, and the layout they were read as (known once the footer has been read). */
export interface ParquetRecords extends AsyncIterable<ParquetRecord> {
  readonly format: Exclude<ItemFormat, "csv"> | undefined;
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** Whether the body starts with Parquet's magic bytes `PAR1`; `chunks` still yields the whole body. */
export async function sniffParquet(source: AsyncIterable<Uint8Array>): Promise<{ parquet: boolean; chunks: AsyncGenerator<Uint8Array> }> {
  const { head, chunks } = await readHead(source, (read) => read.reduce((sum, chunk) => sum + chunk.byteLength, 0) >= MAGIC.length);
  const start = Buffer.concat(head).subarray(0, MAGIC.length);
  return { parquet: start.length === MAGIC.length && MAGIC.every((byte, i) => start[i] === byte), chunks };
}

// ---------------------------------------------------------------------------------------------
// Column types: what the footer's schema says a column holds, and what each layout accepts.

/** The type of a column (or a field in it), from the schema. `name` is how messages show it. */
type Shape =
  | { kind: "text" | "json" | "int" | "number" | "bool" | "time" | "binary" | "map" | "other"; name: string }
  | { kind: "list"; of: Shape; name: string }
  | { kind: "struct"; fields: Map<string, Shape>; name: string };

function leafShape(tree: SchemaTree): Shape {
  const { type, converted_type: converted, logical_type: logical } = tree.element;
  const lower = (type ?? "unknown").toLowerCase();
  if (type === "BYTE_ARRAY") {
    if (converted === "JSON" || logical?.type === "JSON") return { kind: "json", name: "json" };
    if (converted === undefined && logical === undefined) return { kind: "text", name: "binary (read as UTF-8 text)" };
    if (converted === "UTF8" || converted === "ENUM" || logical?.type === "STRING" || logical?.type === "ENUM") return { kind: "text", name: "string" };
    return { kind: "other", name: (logical?.type ?? converted ?? lower).toLowerCase() };
  }
  if (converted?.startsWith("TIMESTAMP") || converted === "DATE" || logical?.type === "TIMESTAMP" || logical?.type === "DATE" || type === "INT96") {
    return { kind: "time", name: "timestamp" };
  }
  if (converted === "DECIMAL" || logical?.type === "DECIMAL") return { kind: "number", name: "decimal" };
  if (type === "INT32" || type === "INT64") return { kind: "int", name: lower };
  if (type === "FLOAT" || type === "DOUBLE") return { kind: "number", name: lower };
  if (type === "BOOLEAN") return { kind: "bool", name: "bool" };
  if (type === "FIXED_LEN_BYTE_ARRAY" && logical?.type === "FLOAT16") return { kind: "number", name: "float16" };
  if (type === "FIXED_LEN_BYTE_ARRAY" && logical?.type === "UUID") return { kind: "text", name: "uuid" };
  return { kind: "binary", name: lower };
}

const listShape = (of: Shape): Shape => ({ kind: "list", of, name: `list<${of.name}>` });

function groupShape(children: readonly SchemaTree[]): Shape {
  const fields = new Map(children.map((child) => [child.element.name, shapeOf(child)] as const));
  return { kind: "struct", fields, name: `struct<${[...fields].map(([name, shape]) => `${name}: ${shape.name}`).join(", ")}>` };
}

/** The shape of a schema node: lists in the standard three-level form or the older two-level ones, structs, maps, leaves. */
function shapeOf(tree: SchemaTree): Shape {
  const { converted_type: converted, logical_type: logical, repetition_type: repetition } = tree.element;
  if (tree.children.length === 0) return repetition === "REPEATED" ? listShape(leafShape(tree)) : leafShape(tree);
  if (converted === "MAP" || converted === "MAP_KEY_VALUE" || logical?.type === "MAP") return { kind: "map", name: "map" };
  if (converted === "LIST" || logical?.type === "LIST") {
    const repeated = tree.children[0]!;
    // Three-level: `repeated group list { element }`; two-level: the repeated node is the element.
    if (repeated.children.length === 1 && repeated.element.name !== "array" && !repeated.element.name.endsWith("_tuple")) {
      const element = repeated.children[0]!;
      return listShape(
        element.element.repetition_type === "REPEATED"
          ? shapeOf({ ...element, element: { ...element.element, repetition_type: "REQUIRED" } })
          : shapeOf(element),
      );
    }
    return listShape(repeated.children.length === 0 ? leafShape(repeated) : groupShape(repeated.children));
  }
  const struct = groupShape(tree.children);
  return repetition === "REPEATED" ? listShape(struct) : struct;
}

/** What a layout accepts in one column: a check and the words for the message. */
interface Expectation {
  accepts: (shape: Shape) => boolean;
  wanted: string;
}

const isText = (shape: Shape | undefined) => shape?.kind === "text" || shape?.kind === "json";
const isId = (shape: Shape | undefined) => isText(shape) || shape?.kind === "int";
const isStructWith = (shape: Shape, required: Record<string, (field: Shape | undefined) => boolean>) =>
  shape.kind === "struct" && Object.entries(required).every(([name, check]) => check(shape.fields.get(name)));
const listOfStructsWith = (shape: Shape, required: Record<string, (field: Shape | undefined) => boolean>) =>
  shape.kind === "json" || (shape.kind === "list" && isStructWith(shape.of, required));

const TEXT: Expectation = { accepts: isText, wanted: "a string" };
const ID: Expectation = { accepts: isId, wanted: "a string or an integer" };
const MESSAGES_WANTED = "list<struct<role: string, content: string>>";
const MESSAGES: Expectation = { accepts: (shape) => listOfStructsWith(shape, { role: isText, content: isText }), wanted: `a ${MESSAGES_WANTED}` };
const TEXT_OR_MESSAGES: Expectation = { accepts: (shape) => TEXT.accepts(shape) || MESSAGES.accepts(shape), wanted: `a string or a ${MESSAGES_WANTED}` };
const ANY: Expectation = { accepts: () => true, wanted: "" };

/** The columns each layout knows, with the types it takes there. Other columns become item metadata (native: they are errors). */
const LAYOUT_COLUMNS: Partial<Record<Exclude<ItemFormat, "csv">, Record<string, Expectation>>> = {
  native: {
    id: ID,
    prompt: TEXT,
    messages: MESSAGES,
    media: { accepts: (shape) => listOfStructsWith(shape, { type: isText, url: isText }), wanted: "a list<struct<type: string, url: string, alt: string>>" },
    responses: { accepts: (shape) => listOfStructsWith(shape, { content: isText }), wanted: "a list<struct<id: string, content: string, model: string>>" },
    gold: { accepts: (shape) => shape.kind === "struct" || shape.kind === "json", wanted: "a struct<winner: string> or struct<ranking: list<list<string>>>" },
    metadata: ANY,
  },
  trl: { id: ID, prompt: TEXT_OR_MESSAGES, chosen: TEXT_OR_MESSAGES, rejected: TEXT_OR_MESSAGES },
  "hh-rlhf": { id: ID, chosen: TEXT, rejected: TEXT },
  rankings: {
    id: ID,
    prompt: TEXT_OR_MESSAGES,
    responses: {
      accepts: (shape) => listOfStructsWith(shape, { id: isId, content: isText }),
      wanted: "a list<struct<id: string, content: string, model: string>>",
    },
    ranking: {
      accepts: (shape) => shape.kind === "json" || (shape.kind === "list" && shape.of.kind === "list" && isId(shape.of.of)),
      wanted: "a list<list<string>> (response ids best first, ties in one inner list)",
    },
  },
};

/** What is wrong with the columns for the layout: a column of the wrong type, or (native) a column the layout does not have. */
function columnProblems(format: Exclude<ItemFormat, "csv">, columns: ReadonlyMap<string, Shape>): string[] {
  const known = LAYOUT_COLUMNS[format];
  if (known === undefined) return [];
  const problems: string[] = [];
  for (const [name, shape] of columns) {
    const expected = known[name];
    if (expected === undefined) {
      if (format === "native") problems.push(`column "${name}" is not a field of the native layout (extra data goes in a "metadata" column)`);
    } else if (!expected.accepts(shape)) problems.push(`column "${name}" is ${shape.name}; the ${format} layout needs ${expected.wanted} there`);
  }
  return problems;
}

/** The layout from the column names, as `detectJsonFormat` judges a JSON record's fields (a list-typed `chosen` is conversational trl). */
function detectLayout(columns: ReadonlyMap<string, Shape>): Exclude<ItemFormat, "csv"> | undefined {
  return detectJsonFormat(Object.fromEntries([...columns].map(([name, shape]) => [name, shape.kind === "list" ? [] : ""])));
}

// ---------------------------------------------------------------------------------------------
// Values: hyparquet's decoded rows as plain JSON values, with the problems of a row.

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A value the reader could not decode; reported as a problem of its row and column. */
class Undecodable {
  constructor(readonly reason: string) {}
}

const PARSERS = {
  stringFromBytes(bytes: Uint8Array | undefined) {
    if (bytes === undefined || bytes === null) return bytes;
    try {
      return utf8.decode(bytes);
    } catch {
      return new Undecodable("is not valid UTF-8 text");
    }
  },
  jsonFromBytes(bytes: Uint8Array | undefined) {
    if (bytes === undefined || bytes === null) return bytes;
    try {
      return JSON.parse(utf8.decode(bytes)) as unknown;
    } catch {
      return new Undecodable("holds text that is not valid JSON (the column is annotated JSON)");
    }
  },
};

interface Plain {
  size: number;
  problems: string[];
}

/**
 * A decoded value as JSON: struct fields that are null are left out (a null optional field is an
 * absent one), 64-bit integers become numbers (or text past 2^53), times ISO 8601 text.
 */
function toPlain(value: unknown, path: string, out: Plain): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      out.size += value.length;
      return value;
    case "number":
      out.size += 8;
      return Number.isFinite(value) ? value : null;
    case "bigint":
      out.size += 8;
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case "boolean":
      out.size += 1;
      return value;
  }
  if (value instanceof Undecodable) {
    out.problems.push(`column "${path}" ${value.reason}`);
    return null;
  }
  if (value instanceof Date) {
    out.size += 24;
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (value instanceof Uint8Array) {
    out.problems.push(`column "${path}" holds binary data, not text`);
    return null;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, (element, i) => toPlain(element, `${path}[${i}]`, out));
  }
  if (typeof value === "object") {
    const record: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const plain = toPlain(field, `${path}.${key}`, out);
      if (plain !== null) record[key] = plain;
    }
    return record;
  }
  out.problems.push(`column "${path}" holds a value that cannot be read`);
  return null;
}

// ---------------------------------------------------------------------------------------------

/** The body written to a temporary file: Parquet's footer is at its end, so rows cannot be read before it has all arrived. */
async function spool(chunks: AsyncIterable<Uint8Array>, path: string): Promise<number> {
  const handle = await open(path, "w");
  let size = 0;
  try {
    for await (const chunk of chunks) {
      await handle.write(chunk);
      size += chunk.byteLength;
    }
  } finally {
    await handle.close();
  }
  return size;
}

async function lastBytes(file: AsyncBuffer, count: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(Math.max(0, file.byteLength - count), file.byteLength));
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The rows of a Parquet body, one row group at a time. The body is written to a temporary file
 * first (the caller bounds its size: the footer that says where everything is comes last), then
 * the footer is read; the layout is `format` or detected from the column names, and each column
 * the layout uses must have a type it takes (one problem, at row 1, names every bad column). Then
 * each row group is decoded on its own and its rows handed out as JSON records, so memory holds
 * one row group. A body that is not Parquet, is cut short or has a corrupt row group ends with one
 * error record.
 */
export function parquetRecords(chunks: AsyncIterable<Uint8Array>, options: { format: ItemFormat | undefined; maxRowBytes: number }): ParquetRecords {
  let format: Exclude<ItemFormat, "csv"> | undefined;

  async function* rows(): AsyncGenerator<ParquetRecord> {
    const fail = (row: number, error: string): ParquetRecord => ({ line: row, row, size: 0, error });
    const dir = await mkdtemp(join(tmpdir(), "arbiter-import-"));
    try {
      const path = join(dir, "items.parquet");
      const bytes = await spool(chunks, path);
      const file = await asyncBufferFromFile(path);
      const start = bytes >= 4 ? new Uint8Array(await file.slice(0, 4)) : new Uint8Array();
      if (!MAGIC.every((byte, i) => start[i] === byte)) {
        yield fail(1, `the file is not Parquet: it does not start with "PAR1" (${formatBytes(bytes)} received)`);
        return;
      }
      const end = await lastBytes(file, 4);
      if (bytes < 12 || !MAGIC.every((byte, i) => end[i] === byte)) {
        yield fail(1, `the Parquet file is cut short or corrupt: it does not end with "PAR1" (${formatBytes(bytes)} received)`);
        return;
      }
      let metadata: FileMetaData;
      let schema: SchemaTree;
      try {
        metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
        schema = parquetSchema(metadata);
      } catch (error) {
        yield fail(1, `the Parquet file's footer cannot be read (${reason(error)})`);
        return;
      }

      const columns = new Map(schema.children.map((child) => [child.element.name, shapeOf(child)] as const));
      if (options.format === "csv") {
        yield fail(1, "format=csv reads CSV text, but the file is Parquet; leave format out (auto) or name the layout: native, trl, hh-rlhf or rankings");
        return;
      }
      format = options.format ?? detectLayout(columns);
      if (format === undefined) {
        yield fail(
          1,
          `cannot tell the layout from the columns (${[...columns.keys()].join(", ")}); expected native (responses), trl (prompt, chosen, rejected), hh-rlhf (chosen, rejected) or rankings (prompt, responses, ranking), or pass format=`,
        );
        return;
      }
      const problems = columnProblems(format, columns);
      if (problems.length > 0) {
        yield fail(1, `${problems.join("; ")} (the type of a column is the same in every row, so no row was read)`);
        return;
      }

      let groupStart = 0;
      for (const group of metadata.row_groups) {
        const groupEnd = groupStart + Number(group.num_rows);
        let decoded: Record<string, unknown>[];
        try {
          decoded = await parquetReadObjects({ file, metadata, rowStart: groupStart, rowEnd: groupEnd, parsers: PARSERS });
        } catch (error) {
          yield fail(groupStart + 1, `rows ${groupStart + 1}–${groupEnd} cannot be read (corrupt Parquet data: ${reason(error)}); reading stopped here`);
          return;
        }
        for (let i = 0; i < decoded.length; i++) {
          const row = groupStart + i + 1;
          const out: Plain = { size: 0, problems: [] };
          const value: Record<string, unknown> = {};
          for (const [name, cell] of Object.entries(decoded[i]!)) {
            const plain = toPlain(cell, name, out);
            if (plain !== null) value[name] = plain;
          }
          decoded[i] = {}; // let the row go as soon as it is handed on
          if (out.size > options.maxRowBytes)
            yield fail(row, `the row is ${formatBytes(out.size)}, over the ${formatBytes(options.maxRowBytes)} limit (maxLineBytes)`);
          else if (out.problems.length > 0) yield fail(row, out.problems.join("; "));
          else yield { line: row, row, size: out.size, value };
        }
        groupStart = groupEnd;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const iterable = rows();
  return {
    get format() {
      return format;
    },
    [Symbol.asyncIterator]: () => iterable,
  };
}
