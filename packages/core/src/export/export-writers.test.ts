import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { buildDatasetCard } from "./build-dataset-card.ts";
import { buildExportRows } from "./build-export-rows.ts";
import { exportColumns } from "./export-columns.ts";
import { exampleJudgments } from "./test-judgments.ts";
import type { ExportFormat, PromptStyle } from "./types.ts";
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

const cases: [ExportFormat, PromptStyle][] = [
  ["trl", "auto"],
  ["trl", "text"],
  ["rankings", "auto"],
  ["rationales", "messages"],
  ["raw", "auto"],
];

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
    expect(metadata.schema.slice(1).map((element) => element.name)).toEqual(columns.map((column) => column.name));
    const read = await parquetReadObjects({ file: buffer });
    expect(read).toEqual(rows.map(asRead));
  });

  it("writes a valid Parquet file with no rows", async () => {
    const { buffer } = await bytesOf(writeParquet([], { columns: exportColumns("trl") }));
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
    expect(card).toContain("# Harmless | pairs");
    expect(card).toContain("Exported from Arbiter on 2025-02-03T04:05:06.000Z as `trl` (Parquet), from human judgments.");
    expect(card).toContain("aggregated by **majority**");
    expect(card).toContain("| items | 2,312 |");
    expect(card).toContain("| rows | 2,001 |");
    expect(card).toContain("| annotators | 12 |");
    expect(card).toContain("| krippendorffAlpha | 0.612 |");
    expect(card).toContain("| cohenKappa | n/a |");
    expect(card).toContain("| `prompt` | json | The prompt, or the conversation so far as [{role, content}] |");
    expect(card).toContain("| `rejected` | json |");
    expect(card).toContain("## License\n\ncc-by-4.0");
  });
});
