import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRecords } from "./frame-csv.ts";
import { chunked } from "./test-sources.ts";

const encodeCell = (cell: string) => (cell === "" || /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

describe("CSV framing", () => {
  it("reads back any RFC 4180 table, whatever the chunking, at the line each record starts", async () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "é", "🙂", '"', ",", "\n", " ", "'") });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 })),
        fc.integer({ min: 1, max: 30 }),
        async (rows, size) => {
          const text = rows.map((row) => row.map(encodeCell).join(",")).join("\r\n") + "\r\n";
          const read: { line: number; cells?: string[] }[] = [];
          for await (const record of csvRecords(chunked(text, size), 1 << 20)) read.push({ line: record.line, cells: record.cells });
          expect(read.map((record) => record.cells)).toEqual(rows);
          let line = 1;
          for (const [index, row] of rows.entries()) {
            expect(read[index]!.line).toBe(line);
            line += row.map(encodeCell).join(",").split("\n").length;
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
