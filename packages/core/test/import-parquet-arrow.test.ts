import { Field, Float64, Int64, List, Struct, Table, Utf8, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { parseAll } from "../src/import/test-sources.ts";
import { writeParquetArrow } from "./support/read-parquet-arrow.ts";

/**
 * Parquet as the Hugging Face Hub holds it: written by an Arrow-based writer (here the Rust
 * `parquet` crate through parquet-wasm; pyarrow and polars write the same structures), not by the
 * hyparquet-writer the export uses. Lists of structs, int64 ids and doubles must read as the
 * JSON Lines path reads the same rows.
 */
const MESSAGE = new Struct([new Field("role", new Utf8(), false), new Field("content", new Utf8(), false)]);
const MESSAGES = new List(new Field("element", MESSAGE, false));

describe("Parquet written by an Arrow-based writer", () => {
  it("imports conversational trl with int64 ids and a double column, over several row groups", async () => {
    const n = 30;
    const turn = (role: string, content: string) => ({ role, content });
    const table = new Table({
      id: vectorFromArray(
        Array.from({ length: n }, (_, i) => BigInt(1000 + i)),
        new Int64(),
      ),
      prompt: vectorFromArray(
        Array.from({ length: n }, (_, i) => [turn("system", "Be brief."), turn("user", `Question ${i}?`)]),
        MESSAGES,
      ),
      chosen: vectorFromArray(
        Array.from({ length: n }, (_, i) => [turn("assistant", `Answer ${i}.`)]),
        MESSAGES,
      ),
      rejected: vectorFromArray(
        Array.from({ length: n }, (_, i) => [turn("assistant", i === 7 ? "" : `Wrong ${i}.`)]),
        MESSAGES,
      ),
      score_chosen: vectorFromArray(
        Array.from({ length: n }, (_, i) => i / 2),
        new Float64(),
      ),
    });
    const file = await writeParquetArrow(table, 8);
    const { items, errors, format } = await parseAll(file);
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
    expect(items).toHaveLength(n);
    expect(items[7]).toMatchObject({
      externalId: "1007",
      messages: [turn("system", "Be brief."), turn("user", "Question 7?")],
      metadata: { score_chosen: 3.5 },
    });
    expect(items[7]!.responses.map((r) => r.content).sort()).toEqual(["", "Answer 7."]);
  });

  it("imports hh-rlhf from string columns and names the row of a null value", async () => {
    const table = new Table({
      chosen: vectorFromArray(["\n\nHuman: Hi\n\nAssistant: Hello", null, "\n\nHuman: Yo\n\nAssistant: Hey"], new Utf8()),
      rejected: vectorFromArray(["\n\nHuman: Hi\n\nAssistant: Go", "\n\nHuman: X\n\nAssistant: Y", "\n\nHuman: Yo\n\nAssistant: No"], new Utf8()),
    });
    const { items, errors, format } = await parseAll(await writeParquetArrow(table));
    expect(format).toBe("hh-rlhf");
    expect(items).toHaveLength(2);
    expect(errors).toEqual([{ line: 2, row: 2, message: "row 2: chosen is required" }]);
  });
});
