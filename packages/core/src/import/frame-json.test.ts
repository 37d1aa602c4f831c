import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonArrayRecords, jsonLineRecords } from "./frame-json.ts";
import { chunked } from "./test-sources.ts";

async function values(records: AsyncIterable<{ value?: unknown; error?: string }>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of records) {
    if (record.error !== undefined) throw new Error(record.error);
    out.push(record.value);
  }
  return out;
}

const tricky = fc.string({ unit: fc.constantFrom("a", "é", "🙂", '"', "\\", "[", "]", "{", "}", ",", "\n", " ", "\u2028") });
const record = fc.record({ id: tricky, prompt: tricky, nested: fc.array(fc.oneof(tricky, fc.integer(), fc.constant(null)), { maxLength: 3 }) });

describe("JSON framing", () => {
  it("splits any JSON array into its elements, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), async (array, pretty, size) => {
        const text = pretty ? JSON.stringify(array, null, 2) : JSON.stringify(array);
        expect(await values(jsonArrayRecords(chunked(text, size), 1 << 20))).toEqual(array);
      }),
      { numRuns: 100 },
    );
  });

  it("splits JSON Lines into records, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 40 }), async (rows, size) => {
        const text = rows.map((row) => JSON.stringify(row)).join("\r\n");
        expect(await values(jsonLineRecords(chunked(text, size), 1 << 20))).toEqual(rows);
      }),
      { numRuns: 100 },
    );
  });

  it("numbers array elements by the line they start on", async () => {
    const records: { line: number; element?: number }[] = [];
    for await (const { line, element } of jsonArrayRecords(chunked('[\n  1,\n  "two\\n",\n\n  {"three": [3]}\n]'), 1024)) records.push({ line, element });
    expect(records).toEqual([
      { line: 2, element: 0 },
      { line: 3, element: 1 },
      { line: 5, element: 2 },
    ]);
  });
});
