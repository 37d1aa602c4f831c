import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { chunked, jsonl, parseAll } from "./test-sources.ts";

const good = (id: string) => ({ id, prompt: "p", responses: [{ content: "a" }, { content: "b" }] });

describe("bad files", () => {
  it("lists every bad line of a JSONL file with its number and keeps the good ones", async () => {
    const body = [
      JSON.stringify(good("ok-1")),
      '{"id":"t","prompt":"p","responses":[{"content":"a"},{"con',
      JSON.stringify({ id: "w1", prompt: 42, responses: "two" }),
      JSON.stringify({ id: "w2", prompt: "p", responses: [{ content: "a" }, { content: { text: "b" } }] }),
      JSON.stringify({ id: "m", prompt: "p" }),
      JSON.stringify({ id: "s", prompt: "p", responses: [{ content: "only" }] }),
      JSON.stringify({ id: "e", prompt: "  ", responses: [{ content: "a" }, { content: "b" }] }),
      "42",
      JSON.stringify({ id: "g", prompt: "p", responses: [{ content: "a" }, { content: "b" }], gold: { winner: "c" } }),
      JSON.stringify({ id: "r", prompt: "p", responses: [{ content: "a" }, { content: "b" }, { content: "c" }], gold: { ranking: [["a"], ["a", "b"]] } }),
      JSON.stringify({
        id: "d",
        prompt: "p",
        responses: [
          { id: "x", content: "a" },
          { id: "x", content: "b" },
        ],
      }),
      JSON.stringify(good("ok-1")),
      JSON.stringify(good("ok-2")),
    ].join("\n");
    const { items, errors } = await parseAll(body);
    expect(items.map((item) => item.externalId)).toEqual(["ok-1", "ok-2"]);
    expect(errors).toEqual([
      { line: 2, message: expect.stringMatching(/^truncated JSON: Unterminated string/) },
      { line: 3, message: "prompt: expected string, received number; responses: expected array, received string" },
      { line: 4, message: "responses[1].content: expected string, received object" },
      { line: 5, message: "responses is required" },
      { line: 6, message: "an item needs at least two responses; found 1" },
      { line: 7, message: "the prompt is empty and there are no messages" },
      { line: 8, message: "expected a JSON object, found a number" },
      { line: 9, message: 'gold.winner "c" is not one of the response ids (a, b)' },
      { line: 10, message: 'gold.ranking names "a" twice; gold.ranking must rank every response; missing "c"' },
      { line: 11, message: 'response ids must be distinct; repeated: "x"' },
      { line: 12, kind: "duplicate_in_file", message: 'duplicate id "ok-1": line 1 has the same id (or, without ids, the same content)' },
    ]);
  });

  it("reports a truncated JSON array at the element that is cut off", async () => {
    const body = JSON.stringify([good("a1"), good("a2")], null, 2).slice(0, -40);
    const { items, errors } = await parseAll(body);
    expect(items.map((item) => item.externalId)).toEqual(["a1"]);
    expect(errors).toEqual([{ line: 14, element: 1, message: "array element [1]: truncated JSON: the file ends before this element is complete" }]);
  });

  it("names the array element of every bad element of a JSON array", async () => {
    const body = `[\n${JSON.stringify(good("a1"))},\n{"id": "bad" "prompt": 1},\n${JSON.stringify({ input: "x" })},\n${JSON.stringify(good("a1"))}\n]`;
    const { errors } = await parseAll(body, { format: "native" });
    expect(errors).toEqual([
      { line: 3, element: 1, message: expect.stringMatching(/^array element \[1\]: invalid JSON: /) },
      { line: 4, element: 2, message: "array element [2]: responses is required; " + 'unknown field "input" (put extra data under "metadata")' },
      {
        line: 5,
        element: 3,
        kind: "duplicate_in_file",
        message: 'array element [3]: duplicate id "a1": line 2, array element [0] has the same id (or, without ids, the same content)',
      },
    ]);
  });

  it("reports an array that is never closed, a trailing comma and content after it", async () => {
    expect((await parseAll(`[${JSON.stringify(good("a"))},\n`)).errors).toEqual([
      { line: 2, message: "truncated JSON: the file ends before the closing ] of the array" },
    ]);
    expect((await parseAll(`[${JSON.stringify(good("a"))},\n]`)).errors).toEqual([
      { line: 2, element: 1, message: "array element [1]: invalid JSON: trailing comma before ]" },
    ]);
    expect((await parseAll(`[${JSON.stringify(good("a"))}]\n{}`)).errors).toEqual([
      { line: 2, message: "invalid JSON: unexpected content after the closing ] of the array" },
    ]);
  });

  it("reports a line over maxLineBytes without reading it, and goes on", async () => {
    const huge = JSON.stringify({ ...good("huge"), prompt: "x".repeat(9 * 1024 * 1024) });
    const body = [JSON.stringify(good("before")), huge, JSON.stringify(good("after"))].join("\n");
    const { items, errors } = await parseAll(chunked(body, 1 << 20));
    expect(items.map((item) => item.externalId)).toEqual(["before", "after"]);
    expect(errors).toEqual([{ line: 2, message: "the line is 9 MiB, over the 8 MiB limit (maxLineBytes); it was not read" }]);
  });

  it("applies maxLineBytes to JSON-array elements and CSV records too", async () => {
    const array = await parseAll(JSON.stringify([good("a"), { ...good("b"), prompt: "y".repeat(3000) }, good("c")]), { maxLineBytes: 1024 });
    expect(array.items.map((item) => item.externalId)).toEqual(["a", "c"]);
    expect(array.errors).toEqual([{ line: 1, element: 1, message: expect.stringMatching(/^array element \[1\]: the element is 3 KiB, over the 1 KiB limit/) }]);
    const csv = await parseAll(`prompt,response_a,response_b\nq,${"z".repeat(3000)},b\nq2,a,b\n`, { maxLineBytes: 1024 });
    expect(csv.items).toHaveLength(1);
    expect(csv.errors).toEqual([{ line: 2, message: expect.stringMatching(/^line 2 is 2\.9 KiB, over the 1 KiB limit/) }]);
  });

  it("reports bytes that are not UTF-8 on their line", async () => {
    const encoder = new TextEncoder();
    const body = new Uint8Array([
      ...encoder.encode(`${JSON.stringify(good("u1"))}\n{"id":"u2","prompt":"caf`),
      0xe9,
      ...encoder.encode(`","responses":[{"content":"a"},{"content":"b"}]}\n${JSON.stringify(good("u3"))}\n`),
    ]);
    const { items, errors } = await parseAll(body);
    expect(items.map((item) => item.externalId)).toEqual(["u1", "u3"]);
    expect(errors).toEqual([{ line: 2, message: "the line is not valid UTF-8" }]);
  });

  it("says an empty file is empty, once", async () => {
    for (const body of ["", "  \n\n", gzipSync(Buffer.alloc(0))]) {
      expect((await parseAll(body)).errors).toEqual([{ line: 1, message: "file is empty" }]);
    }
    expect((await parseAll("[]")).errors).toEqual([{ line: 1, message: "the file contains no items" }]);
  });

  it("reports gzip data that is cut short after the lines it could read", async () => {
    const full = gzipSync(Buffer.from(Array.from({ length: 200 }, (_, i) => JSON.stringify(good(`g${i}`))).join("\n")));
    const { items, errors } = await parseAll(full.subarray(0, full.byteLength - 30));
    expect(items.length).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^the gzip data is corrupt or cut short .*; reading stopped after this record$/);
  });

  it("says which record it cannot recognise", async () => {
    const { errors } = await parseAll(jsonl({ question: "?", answers: ["a", "b"] }));
    expect(errors).toEqual([{ line: 1, message: expect.stringMatching(/^cannot tell the format/) }]);
  });

  it("checks the fields of every other format", async () => {
    expect((await parseAll(jsonl({ prompt: "q", chosen: "c", rejected: 5 }))).errors).toEqual([
      { line: 1, message: "rejected: expected text or a list of {role, content} messages" },
    ]);
    expect((await parseAll(jsonl({ chosen: "c", rejected: "r" }), { format: "trl" })).errors).toEqual([
      { line: 1, message: "prompt is required when chosen and rejected are text (whole transcripts as text are format=hh-rlhf)" },
    ]);
    expect((await parseAll(jsonl({ chosen: "no markers", rejected: "\n\nHuman: hi\n\nAssistant: yo" }))).errors).toEqual([
      { line: 1, message: 'chosen is not an HH-RLHF transcript (it should start with "\\n\\nHuman:")' },
    ]);
    expect((await parseAll(jsonl({ input: "q", output_1: "a", output_2: "b", label: 3 }))).errors).toEqual([
      { line: 1, message: "label: label must be 1 or 2 (the better output)" },
    ]);
    expect((await parseAll(jsonl({ prompt: "q", generations: ["a.png", "b.png"], ranking: [1] }))).errors).toEqual([
      { line: 1, message: "ranking has 1 ranks for 2 generations" },
    ]);
    expect((await parseAll(jsonl({ prompt: "q", generations: ["a.png"], ranking: [1] }))).errors).toEqual([
      { line: 1, message: "an item needs at least two responses; found 1" },
    ]);
  });

  it("lists bad CSV records at the line they start on", async () => {
    const encoder = new TextEncoder();
    const body = new Uint8Array([
      ...encoder.encode('prompt,response_a,response_b,winner\nok,a,b,a\nshort,a\n"multi\nline",a,"b\n'),
      0xff,
      ...encoder.encode('",\nfine,a,b,c\n"never closed,a,b\n'),
    ]);
    const { items, errors } = await parseAll(body);
    expect(items.map((item) => item.prompt)).toEqual(["ok"]);
    expect(errors).toEqual([
      { line: 3, message: "expected 4 fields, found 2" },
      { line: 4, message: "line 6 is not valid UTF-8" },
      { line: 7, message: 'the gold column says "c"; expected a response id (a, b) or its number (1–2)' },
      { line: 8, message: "unterminated quoted field: the file ends inside the quotes opened in the record starting on line 8" },
    ]);
  });
});
