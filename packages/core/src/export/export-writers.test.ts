import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { buildDatasetCard } from "./build-dataset-card.ts";
import { buildExportRows } from "./build-export-rows.ts";
import { exportColumns } from "./export-columns.ts";
import { exampleJudgments } from "./test-judgments.ts";
import { arrowColumnTypes, arrowRows, readParquetArrow } from "../../test/support/read-parquet-arrow.ts";
import type { ExportFormat, ResolvedPromptStyle } from "./types.ts";
import { writeJsonl } from "./write-jsonl.ts";
import { writeParquet } from "./write-parquet.ts";

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<{ buffer: ArrayBuffer; chunks: number }> {
  const parts = await all(chunks);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return { buffer: out.buffer, chunks: parts.length };
}

/** What a Parquet reader gives back for a row: timestamps as Dates, absent values as null. */
const asRead = (row: object) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, key === "createdAt" ? new Date(value as string) : value]));

const cases: [ExportFormat, ResolvedPromptStyle][] = [
  ["trl", "messages"],
  ["trl", "text"],
  ["rankings", "messages"],
  ["rankings", "text"],
  ["rationales", "messages"],
  ["raw", "text"],
];

const MESSAGES = "List<Struct<{role:Utf8, content:Utf8}>>";
/** The Arrow type each column must read back as (pyarrow, polars and `datasets` see the same). */
const arrowTypes = (format: ExportFormat, style: ResolvedPromptStyle): Record<string, string> => {
  const text = style === "text" ? "Utf8" : MESSAGES;
  switch (format) {
    case "trl":
      return { prompt: text, chosen: text, rejected: text };
    case "rationales":
      return { prompt: text, chosen: text, rejected: text, rationale: "Utf8" };
    case "rankings":
      return { prompt: text, responses: "List<Struct<{id:Utf8, content:Utf8, model:Utf8}>>", ranking: "List<List<Utf8>>" };
    case "raw":
      return {
        id: "Utf8",
        itemId: "Utf8",
        source: "Utf8",
        annotator: "Utf8",
        judgeModel: "Utf8",
        candidateIds: "List<Utf8>",
        candidateModels: "List<Utf8>",
        verdict: "Utf8",
        winnerId: "Utf8",
        ranking: "List<List<Utf8>>",
        strength: "Int32",
        confidence: "Float64",
        rationale: "Utf8",
        attributes: "List<Struct<{responseId:Utf8, attribute:Utf8, score:Int32}>>",
        spans: "List<Struct<{responseId:Utf8, start:Int32, end:Int32, label:Utf8, note:Utf8}>>",
        timeMs: "Int32",
        hintCondition: "Utf8",
        hintSource: "Utf8",
        createdAt: "Timestamp<MILLISECOND, UTC>",
      };
  }
};

describe("writers", () => {
  it.each(cases)("writes %s rows (%s prompts) as JSON Lines that read back exactly", async (format, promptStyle) => {
    const rows = await all(buildExportRows(format, exampleJudgments(), { aggregate: "all", promptStyle }));
    expect(rows.length).toBeGreaterThan(0);
    const text = (await all(writeJsonl(rows))).join("");
    expect(text.endsWith("\n")).toBe(true);
    expect(
      text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(rows);
  });

  it.each(cases)("writes %s rows (%s prompts) as Parquet that hyparquet reads back exactly", async (format, promptStyle) => {
    const rows = await all(buildExportRows(format, exampleJudgments(), { aggregate: "all", promptStyle }));
    const columns = exportColumns(format, { promptStyle });
    const { buffer, chunks } = await bytesOf(writeParquet(rows, { columns, rowGroupSize: 3, metadata: { "arbiter.format": format } }));
    const metadata = parquetMetadata(buffer);
    expect(metadata.row_groups).toHaveLength(Math.ceil(rows.length / 3));
    expect(chunks).toBe(metadata.row_groups.length + 2);
    expect(metadata.key_value_metadata).toEqual([{ key: "arbiter.format", value: format }]);
    // hyparquet reads a null list as undefined; the Arrow test below checks nulls exactly.
    const read = (await parquetReadObjects({ file: buffer })).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value ?? null])));
    expect(read).toEqual(rows.map(asRead));
  });

  it.each(cases)("writes %s rows (%s prompts) as typed Parquet: an Arrow reader sees real types, not JSON text", async (format, promptStyle) => {
    const rows = await all(buildExportRows(format, exampleJudgments(), { aggregate: "all", promptStyle }));
    const { buffer } = await bytesOf(writeParquet(rows, { columns: exportColumns(format, { promptStyle }), rowGroupSize: 3 }));
    const table = await readParquetArrow(new Uint8Array(buffer));
    expect(arrowColumnTypes(table)).toEqual(arrowTypes(format, promptStyle));
    expect(table.numRows).toBe(rows.length);
    expect(arrowRows(table)).toEqual(rows.map(asRead));
    // What TRL gets: the text itself, never a JSON string with literal quotes.
    if (format === "trl" && promptStyle === "text") expect(table.getChild("prompt")!.get(0)).toBe("What is 2+2?");
  });

  it("writes TRL's margin as a float64 column", async () => {
    const rows = await all(buildExportRows("trl", exampleJudgments(), { aggregate: "all", promptStyle: "text", margin: true }));
    const { buffer } = await bytesOf(writeParquet(rows, { columns: exportColumns("trl", { promptStyle: "text", margin: true }) }));
    const table = await readParquetArrow(new Uint8Array(buffer));
    expect(arrowColumnTypes(table)).toEqual({ prompt: "Utf8", chosen: "Utf8", rejected: "Utf8", margin: "Float64" });
    expect(arrowRows(table).map((row) => row.margin)).toEqual(rows.map((row) => (row as { margin: number }).margin));
  });

  it("writes a valid Parquet file with no rows", async () => {
    const { buffer } = await bytesOf(writeParquet([], { columns: exportColumns("trl", { promptStyle: "text" }) }));
    expect(parquetMetadata(buffer).num_rows).toBe(0n);
    expect(await parquetReadObjects({ file: buffer })).toEqual([]);
  });

  it("streams JSON Lines in chunks rather than one string", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ prompt: `p${i}`, chosen: "x".repeat(50), rejected: "y" }));
    const chunks = await all(writeJsonl(rows));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join("").split("\n")).toHaveLength(3001);
  });
});

describe("dataset card", () => {
  it("declares features for every format and file: nested lists, numbers, timestamps (text in JSON Lines)", () => {
    const card = (file: "jsonl" | "parquet") =>
      buildDatasetCard({
        title: "t",
        format: "raw",
        file,
        source: "all",
        license: "mit",
        generatedAt: new Date(0),
        counts: { items: 1, judgments: 1, rows: 1 },
      });
    const parquet = card("parquet");
    expect(parquet).toContain("  - name: ranking\n    list:\n      list: string\n");
    expect(parquet).toContain("  - name: candidateModels\n    list: string\n");
    expect(parquet).toContain("  - name: strength\n    dtype: int32\n");
    expect(parquet).toContain("  - name: confidence\n    dtype: float64\n");
    expect(parquet).toContain("  - name: createdAt\n    dtype: timestamp[ms, tz=UTC]\n");
    expect(parquet).toContain("  - name: spans\n    list:\n    - name: responseId\n      dtype: string\n    - name: start\n      dtype: int32\n");
    expect(card("jsonl")).toContain("  - name: createdAt\n    dtype: string\n");
    expect(card("jsonl")).toContain("    path: data/train-00000-of-00001.jsonl\n");
  });

  it("states counts, agreement, schema, license and date", () => {
    const card = buildDatasetCard({
      title: "Harmless | pairs",
      description: "Pairwise votes on HH-RLHF.",
      format: "trl",
      file: "parquet",
      source: "human",
      license: "cc-by-4.0",
      generatedAt: new Date("2025-02-03T04:05:06Z"),
      counts: { items: 2312, judgments: 6936, rows: 2001, humanJudgments: 6936, annotators: 12 },
      agreement: { krippendorffAlpha: 0.6123, cohenKappa: null },
      promptStyle: "messages",
    });
    expect(card).toMatch(/^---\nlicense: "cc-by-4.0"\npretty_name: "Harmless \| pairs"\nsize_categories:\n- 1K<n<10K\n/);
    // A Hugging Face dataset repository: configs name the data file, features match its columns.
    expect(card).toContain(
      [
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        "    path: data/train-00000-of-00001.parquet",
        "dataset_info:",
        "  features:",
        "  - name: prompt",
        "    list:",
        "    - name: role",
        "      dtype: string",
        "    - name: content",
        "      dtype: string",
        "  - name: chosen",
      ].join("\n"),
    );
    expect(card).toContain("# Harmless | pairs");
    expect(card).toContain("Exported from Arbiter on 2025-02-03T04:05:06.000Z as `trl` (Parquet), from human judgments.");
    expect(card).toContain("aggregated by **majority**");
    expect(card).toContain("| items | 2,312 |");
    expect(card).toContain("| rows | 2,001 |");
    expect(card).toContain("| annotators | 12 |");
    expect(card).toContain("| krippendorffAlpha | 0.612 |");
    expect(card).toContain("| cohenKappa | n/a |");
    expect(card).toContain("| `prompt` | list<struct<role: string, content: string>> | The conversation so far as [{role, content}], the prompt last |");
    expect(card).toContain("| `rejected` | list<struct<role: string, content: string>> |");
    expect(card).toContain('load_dataset("path/to/this/folder", split="train")');
    expect(card).toContain("## License\n\ncc-by-4.0");
  });
});
