import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { describeType, DOUBLE, INT32, listOf, MESSAGES, STRING, structOf, type ColumnType } from "../export/column-types.ts";
import { exportColumns, type ExportColumn } from "../export/export-columns.ts";
import { writeParquet } from "../export/write-parquet.ts";
import { chunked, jsonl, parseAll } from "./test-sources.ts";

/** A Parquet file written as the export writes one (hyparquet-writer, typed columns). */
async function parquetFile(columns: readonly ExportColumn[], rows: readonly object[], rowGroupSize = 1000): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of writeParquet(rows, { columns, rowGroupSize })) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

const col = (name: string, type: ColumnType, nullable = false): ExportColumn => ({ name, type, nullable, kind: describeType(type), description: "" });
const user = (content: string) => ({ role: "user", content });
const assistant = (content: string) => ({ role: "assistant", content });

describe("Parquet import: each layout", () => {
  it("reads trl with string columns, extra columns as metadata, the preference kept on the responses", async () => {
    const file = await parquetFile(
      [...exportColumns("trl", { promptStyle: "text", margin: true }), col("source", STRING, true)],
      [
        { prompt: "What is 2+2?", chosen: "4", rejected: "5", margin: 2, source: "math" },
        { prompt: "Capital of France?", chosen: "Paris", rejected: "Lyon", margin: 0, source: null },
      ],
    );
    const { items, errors, format, parsed } = await parseAll(file);
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
    expect(parsed.map((p) => [p.line, p.row])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(items[0]).toMatchObject({ prompt: "What is 2+2?", metadata: { margin: 2, source: "math" } });
    // Text, not JSON text: no quotes around the answers.
    expect(items[0]!.responses.map((r) => [r.content, r.metadata?.sourcePreference]).sort()).toEqual([
      ["4", "chosen"],
      ["5", "rejected"],
    ]);
    expect(items[1]!.metadata).toEqual({ margin: 0 });
  });

  it("reads conversational trl: message-list prompt and answers", async () => {
    const file = await parquetFile(exportColumns("trl", { promptStyle: "messages" }), [
      { prompt: [user("Hi"), assistant("Hello"), user("And now?")], chosen: [assistant("Now this.")], rejected: [assistant("Now that.")] },
    ]);
    const { items, errors } = await parseAll(file, { labelsAsGold: true });
    expect(errors).toEqual([]);
    expect(items[0]!.messages).toEqual([user("Hi"), assistant("Hello"), user("And now?")]);
    expect(items[0]!.prompt).toBeUndefined();
    const chosen = items[0]!.responses.find((r) => r.content === "Now this.")!;
    expect(items[0]!.gold).toEqual({ winner: chosen.externalId });
  });

  it("reads trl without a prompt column (implicit prompt): the shared turns become the conversation", async () => {
    const file = await parquetFile(
      [col("chosen", MESSAGES), col("rejected", MESSAGES)],
      [{ chosen: [user("Q"), assistant("good")], rejected: [user("Q"), assistant("bad")] }],
    );
    const { items, errors, format } = await parseAll(file);
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
    expect(items[0]!.messages).toEqual([user("Q")]);
    expect(items[0]!.responses.map((r) => r.content).sort()).toEqual(["bad", "good"]);
  });

  it("reads hh-rlhf transcripts", async () => {
    const file = await parquetFile(
      [col("chosen", STRING), col("rejected", STRING)],
      [{ chosen: "\n\nHuman: Hi?\n\nAssistant: Hello!", rejected: "\n\nHuman: Hi?\n\nAssistant: Go away." }],
    );
    const { items, errors, format } = await parseAll(file);
    expect(errors).toEqual([]);
    expect(format).toBe("hh-rlhf");
    expect(items[0]!.messages).toEqual([user("Hi?")]);
    expect(items[0]!.responses.map((r) => r.content).sort()).toEqual(["Go away.", "Hello!"]);
  });

  it("reads rankings: responses keep their ids and models, the ranking is the label", async () => {
    const file = await parquetFile(exportColumns("rankings", { promptStyle: "text" }), [
      {
        prompt: "Best poem?",
        responses: [
          { id: "x", content: "roses", model: "m1" },
          { id: "y", content: "violets", model: null },
          { id: "z", content: "tulips", model: "m2" },
        ],
        ranking: [["y"], ["x", "z"]],
      },
    ]);
    const asGold = await parseAll(file, { labelsAsGold: true });
    expect(asGold.errors).toEqual([]);
    expect(asGold.format).toBe("rankings");
    expect(asGold.items[0]).toMatchObject({
      prompt: "Best poem?",
      gold: { ranking: [["y"], ["x", "z"]] },
      responses: [
        { externalId: "x", content: "roses", model: "m1" },
        { externalId: "y", content: "violets" },
        { externalId: "z", content: "tulips", model: "m2" },
      ],
    });
    const plain = await parseAll(file);
    expect(plain.items[0]!.gold).toBeUndefined();
    expect(plain.parsed[0]!.labelled).toBe(true);
  });

  it("reads native: typed responses, gold and metadata structs, null fields as absent", async () => {
    const response = structOf({ name: "id", type: STRING, nullable: true }, { name: "content", type: STRING }, { name: "model", type: STRING, nullable: true });
    const gold = structOf({ name: "winner", type: STRING, nullable: true }, { name: "ranking", type: listOf(listOf(STRING)), nullable: true });
    const file = await parquetFile(
      [
        col("id", STRING),
        col("prompt", STRING, true),
        col("messages", MESSAGES, true),
        col("responses", listOf(response)),
        col("gold", gold, true),
        col("metadata", structOf({ name: "topic", type: STRING }, { name: "score", type: DOUBLE }), true),
      ],
      [
        {
          id: "n-1",
          prompt: "p",
          messages: null,
          responses: [
            { id: "r1", content: "a", model: "m" },
            { id: "r2", content: "", model: null },
          ],
          gold: { winner: "r2", ranking: null },
          metadata: { topic: "t", score: 0.5 },
        },
        { id: "n-2", prompt: null, messages: [user("hi")], responses: [{ content: "a" }, { content: "b" }], gold: null, metadata: null },
      ],
    );
    const { items, errors, format } = await parseAll(file, { labelsAsGold: true });
    expect(errors).toEqual([]);
    expect(format).toBe("native");
    expect(items).toEqual([
      {
        externalId: "n-1",
        prompt: "p",
        metadata: { topic: "t", score: 0.5 },
        gold: { winner: "r2" },
        responses: [
          { externalId: "r1", content: "a", model: "m" },
          { externalId: "r2", content: "" },
        ],
      },
      {
        externalId: "n-2",
        messages: [user("hi")],
        responses: [
          { externalId: "a", content: "a" },
          { externalId: "b", content: "b" },
        ],
      },
    ]);
  });

  it("reads every row group in order, in chunks of any size, and a gzipped file", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ prompt: `q${i}`, chosen: `yes ${i}`, rejected: `no ${i}` }));
    const file = await parquetFile(exportColumns("trl", { promptStyle: "text" }), rows, 10);
    for (const body of [chunked(file, 13), chunked(gzipSync(file), 64)]) {
      const { items, errors, parsed, batches } = await parseAll(body, { batchSize: 7 });
      expect(errors).toEqual([]);
      expect(items.map((item) => item.prompt)).toEqual(rows.map((row) => row.prompt));
      expect(parsed.at(-1)!.row).toBe(25);
      expect(batches).toBe(4);
    }
  });

  it("reads the rankings layout from JSON Lines too (the rankings export's JSONL), detected by responses + ranking", async () => {
    const row = {
      prompt: [user("Q")],
      responses: [
        { id: "a", content: "x", model: null },
        { id: "b", content: "y", model: "m" },
      ],
      ranking: [["b"], ["a"]],
    };
    const { items, errors, format } = await parseAll(jsonl(row, { ...row, ranking: [["a", "c"]] }), { labelsAsGold: true });
    expect(format).toBe("rankings");
    expect(items).toEqual([
      {
        externalId: expect.stringMatching(/^h-/),
        messages: [user("Q")],
        gold: { ranking: [["b"], ["a"]] },
        responses: [
          { externalId: "a", content: "x" },
          { externalId: "b", content: "y", model: "m" },
        ],
      },
    ]);
    expect(errors).toEqual([{ line: 2, message: expect.stringContaining('gold.ranking names "c", which is not one of the response ids (a, b)') }]);
  });

  it("honours a format given for the file", async () => {
    const file = await parquetFile([col("prompt", STRING), col("chosen", STRING), col("rejected", STRING)], [{ prompt: "p", chosen: "a", rejected: "b" }]);
    const { errors, format } = await parseAll(file, { format: "trl" });
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
  });
});

describe("Parquet import: bad files", () => {
  it("refuses a body that is not Parquet when Parquet was declared", async () => {
    const body = '{"prompt":"p","chosen":"a","rejected":"b"}\n';
    const { items, errors } = await parseAll(body, { file: "parquet" });
    expect(items).toEqual([]);
    expect(errors).toEqual([{ line: 1, row: 1, message: `row 1: the file is not Parquet: it does not start with "PAR1" (${body.length} bytes received)` }]);
  });

  it("refuses a file cut short (the footer is missing)", async () => {
    const file = await parquetFile(exportColumns("trl", { promptStyle: "text" }), [{ prompt: "p", chosen: "a", rejected: "b" }]);
    for (const cut of [file.subarray(0, file.byteLength - 10), file.subarray(0, 6)]) {
      const { items, errors } = await parseAll(cut);
      expect(items).toEqual([]);
      expect(errors).toEqual([
        { line: 1, row: 1, message: expect.stringMatching(/^row 1: the Parquet file is cut short or corrupt: it does not end with "PAR1"/) },
      ]);
    }
  });

  it("refuses a file whose footer is garbage", async () => {
    const file = await parquetFile(exportColumns("trl", { promptStyle: "text" }), [{ prompt: "p", chosen: "a", rejected: "b" }]);
    const broken = file.slice();
    broken.fill(0xff, broken.byteLength - 40, broken.byteLength - 8);
    const { items, errors } = await parseAll(broken);
    expect(items).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^row 1: the Parquet file('s footer cannot be read| is cut short or corrupt)/);
  });

  it("names the columns when the layout cannot be told", async () => {
    const file = await parquetFile([col("question", STRING), col("answer", STRING)], [{ question: "q", answer: "a" }]);
    const { items, errors } = await parseAll(file);
    expect(items).toEqual([]);
    expect(errors).toEqual([{ line: 1, row: 1, message: expect.stringMatching(/^row 1: cannot tell the layout from the columns \(question, answer\)/) }]);
  });

  it("names the column and its type when a column has the wrong type, and reads no row", async () => {
    const file = await parquetFile(
      [col("prompt", INT32), col("chosen", STRING), col("rejected", listOf(STRING))],
      [
        { prompt: 1, chosen: "a", rejected: ["b"] },
        { prompt: 2, chosen: "a", rejected: ["c"] },
      ],
    );
    const { items, errors } = await parseAll(file);
    expect(items).toEqual([]);
    expect(errors).toEqual([
      {
        line: 1,
        row: 1,
        message:
          'row 1: column "prompt" is int32; the trl layout needs a string or a list<struct<role: string, content: string>> there; ' +
          'column "rejected" is list<string>; the trl layout needs a string or a list<struct<role: string, content: string>> there ' +
          "(the type of a column is the same in every row, so no row was read)",
      },
    ]);
  });

  it("refuses a column native does not have, and a ranking that is not a list of lists", async () => {
    const native = await parquetFile(
      [col("prompt", STRING), col("responses", listOf(structOf({ name: "content", type: STRING }))), col("extra", STRING)],
      [{ prompt: "p", responses: [{ content: "a" }, { content: "b" }], extra: "x" }],
    );
    expect((await parseAll(native)).errors[0]!.message).toMatch(/^row 1: column "extra" is not a field of the native layout/);
    const rankings = await parquetFile(
      [
        col("prompt", STRING),
        col("responses", listOf(structOf({ name: "id", type: STRING }, { name: "content", type: STRING }))),
        col("ranking", listOf(STRING)),
      ],
      [
        {
          prompt: "p",
          responses: [
            { id: "a", content: "a" },
            { id: "b", content: "b" },
          ],
          ranking: ["a", "b"],
        },
      ],
    );
    expect((await parseAll(rankings)).errors[0]!.message).toMatch(/^row 1: column "ranking" is list<string>; the rankings layout needs a list<list<string>>/);
  });

  it("names the row and column of a bad value, keeps reading, and lists every bad row", async () => {
    const file = await parquetFile(
      [col("prompt", STRING, true), col("chosen", MESSAGES), col("rejected", MESSAGES)],
      [
        { prompt: "p1", chosen: [assistant("a")], rejected: [assistant("b")] },
        { prompt: "p2", chosen: [], rejected: [assistant("b")] },
        { prompt: null, chosen: [assistant("x")], rejected: [assistant("y")] },
        { prompt: "p1", chosen: [assistant("a")], rejected: [assistant("b")] },
      ],
      2,
    );
    const { items, errors } = await parseAll(file);
    expect(items.map((item) => item.prompt)).toEqual(["p1"]);
    expect(errors).toEqual([
      { line: 2, row: 2, message: "row 2: chosen is an empty message list" },
      { line: 3, row: 3, message: "row 3: the prompt is empty and there are no messages" },
      { line: 4, row: 4, kind: "duplicate_in_file", message: expect.stringMatching(/^row 4: duplicate id "h-[0-9a-f]+": line 1 has the same id/) },
    ]);
  });

  it("reads an unannotated binary column as UTF-8 text, and names the row and column of bytes that are not", async () => {
    const text = (name: string) => ({ name, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "REQUIRED" as const });
    const file = parquetWriteBuffer({
      schema: [{ name: "root", num_children: 3 }, text("prompt"), { name: "chosen", type: "BYTE_ARRAY", repetition_type: "REQUIRED" }, text("rejected")],
      columnData: [
        { name: "prompt", data: ["p1", "p2"] },
        { name: "chosen", data: [new TextEncoder().encode("fine"), new Uint8Array([0x61, 0xff])] },
        { name: "rejected", data: ["b", "b"] },
      ],
    });
    const { items, errors } = await parseAll(new Uint8Array(file));
    expect(items.map((item) => item.responses.map((r) => r.content).sort())).toEqual([["b", "fine"]]);
    expect(errors).toEqual([{ line: 2, row: 2, message: 'row 2: column "chosen" is not valid UTF-8 text' }]);
  });

  it("refuses format=csv for a Parquet file", async () => {
    const file = await parquetFile(exportColumns("trl", { promptStyle: "text" }), [{ prompt: "p", chosen: "a", rejected: "b" }]);
    const { errors } = await parseAll(file, { format: "csv" });
    expect(errors).toEqual([{ line: 1, row: 1, message: expect.stringMatching(/^row 1: format=csv reads CSV text, but the file is Parquet/) }]);
  });

  it("reports a Parquet file with no rows as holding no items", async () => {
    const file = await parquetFile(exportColumns("trl", { promptStyle: "text" }), []);
    const { errors } = await parseAll(file);
    expect(errors).toEqual([{ line: 1, message: "the file contains no items" }]);
  });
});
