import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentDigest, contentHashId, defaultResponseId } from "./item-ids.ts";
import { parseItemStream, readItemBatches } from "./parse-item-stream.ts";
import { InflatedTooLargeError } from "./read-bytes.ts";
import { chunked, jsonl, parseAll, whole } from "./test-sources.ts";

describe("native format", () => {
  it("reads prompts, messages, media, gold and metadata, and names unnamed responses a, b, …", async () => {
    const body = jsonl(
      {
        id: "ext-1",
        prompt: "Say hi",
        responses: [
          { id: "x", content: "hi", model: "m1" },
          { id: "y", content: "", model: "m2" },
        ],
        gold: { winner: "x" },
        metadata: { topic: "greeting" },
      },
      {
        id: 7,
        messages: [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Hi!" },
          { role: "user", content: "Name a colour" },
        ],
        media: [{ type: "image", url: "https://example.org/a.png", alt: "a" }],
        responses: [{ content: "red" }, { content: "blue" }, { content: "green" }],
        gold: { ranking: [["b"], ["a", "c"]] },
      },
    );
    const { items, errors, format, parsed } = await parseAll(body, { labelsAsGold: true });
    expect(errors).toEqual([]);
    expect(format).toBe("native");
    expect(parsed.map((p) => p.line)).toEqual([1, 2]);
    expect(items[0]).toEqual({
      externalId: "ext-1",
      prompt: "Say hi",
      metadata: { topic: "greeting" },
      gold: { winner: "x" },
      responses: [
        { externalId: "x", content: "hi", model: "m1" },
        { externalId: "y", content: "", model: "m2" },
      ],
    });
    expect(items[1]).toMatchObject({
      externalId: "7",
      messages: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi!" },
        { role: "user", content: "Name a colour" },
      ],
      media: [{ type: "image", url: "https://example.org/a.png", alt: "a" }],
      gold: { ranking: [["b"], ["a", "c"]] },
      responses: [
        { externalId: "a", content: "red" },
        { externalId: "b", content: "blue" },
        { externalId: "c", content: "green" },
      ],
    });
  });

  it("reads a JSON array the same way, numbering elements and the lines they start on", async () => {
    const records = [
      { id: "1", prompt: "p1", responses: [{ content: "a" }, { content: "b" }] },
      { id: "2", prompt: 'p2 with [brackets], {braces} and "quotes"\\', responses: [{ content: "]" }, { content: "}," }] },
    ];
    const { parsed, errors, format } = await parseAll(JSON.stringify(records, null, 2));
    expect(errors).toEqual([]);
    expect(format).toBe("native");
    expect(parsed.map((p) => [p.line, p.element])).toEqual([
      [2, 0],
      [14, 1],
    ]);
    expect(parsed[1]!.item.prompt).toBe(records[1]!.prompt);
    expect(parsed[1]!.item.responses.map((r) => r.content)).toEqual(["]", "},"]);
  });

  it("gives id-less items a content hash that is stable and independent of key order", async () => {
    const one = await parseAll(jsonl({ prompt: "p", responses: [{ content: "a" }, { content: "b", model: "m" }] }));
    const two = await parseAll(jsonl({ responses: [{ model: "m", content: "b" }, { content: "a" }].reverse(), prompt: "p" }));
    const id = one.items[0]!.externalId;
    expect(id).toMatch(/^h-[0-9a-f]{16}$/);
    expect(two.items[0]!.externalId).toBe(id);
    expect(id).toBe(contentHashId(contentDigest({ prompt: "p", responses: [{ content: "a" }, { content: "b", model: "m" }] })));
  });

  it("skips blank lines, accepts CRLF and a byte order mark, and yields items in batches", async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `i${i}`, prompt: "p", responses: [{ content: "a" }, { content: "b" }] }));
    const body = `\uFEFF${lines[0]}\r\n\r\n${lines.slice(1).join("\r\n")}`;
    const { parsed, errors, batches } = await parseAll(body, { batchSize: 2 });
    expect(errors).toEqual([]);
    expect(parsed.map((p) => p.line)).toEqual([1, 3, 4, 5, 6]);
    expect(batches).toBe(3);
  });

  it("offers the same as a callback", async () => {
    const seen: string[][] = [];
    const result = await readItemBatches({
      source: whole(jsonl({ id: "a1", prompt: "p", responses: [{ content: "x" }, { content: "y" }] })),
      onBatch: (batch) => void seen.push(batch.map((p) => p.item.externalId)),
    });
    expect(seen).toEqual([["a1"]]);
    expect(result).toEqual({ format: "native", itemCount: 1, errors: [] });
  });

  it("can be read only once", async () => {
    const stream = parseItemStream({ source: whole("") });
    for await (const _ of stream) void _;
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

describe("trl format", () => {
  it("keeps the source preference in response metadata and hides it from the response ids", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ prompt: `Question ${i}`, chosen: `good ${i}`, rejected: `bad ${i}` }));
    const { items, errors, format } = await parseAll(jsonl(...rows));
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
    for (const [i, item] of items.entries()) {
      expect(item.prompt).toBe(`Question ${i}`);
      expect(item.gold).toBeUndefined();
      const chosen = item.responses.find((r) => r.metadata?.sourcePreference === "chosen")!;
      const rejected = item.responses.find((r) => r.metadata?.sourcePreference === "rejected")!;
      expect(chosen.content).toBe(`good ${i}`);
      expect(rejected.content).toBe(`bad ${i}`);
      expect(item.responses.map((r) => r.externalId)).toEqual(["a", "b"]);
    }
    const chosenIsA = items.filter((item) => item.responses[0]!.metadata?.sourcePreference === "chosen").length;
    expect(chosenIsA).toBeGreaterThan(5);
    expect(chosenIsA).toBeLessThan(35);
  });

  it("turns the preference into gold on request (labelsAsGold, or its old name preferenceAsGold)", async () => {
    for (const option of [{ labelsAsGold: true }, { preferenceAsGold: true }]) {
      const { items } = await parseAll(jsonl({ prompt: "q", chosen: "yes", rejected: "no" }), option);
      const chosen = items[0]!.responses.find((r) => r.content === "yes")!;
      expect(items[0]!.gold).toEqual({ winner: chosen.externalId });
    }
  });

  it("reads conversational rows with an explicit prompt, and keeps extra fields as metadata", async () => {
    const { items, errors } = await parseAll(
      jsonl({
        id: "c1",
        prompt: [{ role: "user", content: "Hi" }],
        chosen: [{ role: "assistant", content: "Hello!" }],
        rejected: [{ role: "assistant", content: "Go away." }],
        score_chosen: 9,
      }),
    );
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ externalId: "c1", messages: [{ role: "user", content: "Hi" }], metadata: { score_chosen: 9 } });
    expect(items[0]!.prompt).toBeUndefined();
    expect(items[0]!.responses.map((r) => r.content).sort()).toEqual(["Go away.", "Hello!"]);
  });

  it("splits an implicit prompt off conversational chosen/rejected", async () => {
    const shared = [{ role: "user", content: "2+2?" }];
    const { items, errors, format } = await parseAll(
      jsonl({ chosen: [...shared, { role: "assistant", content: "4" }], rejected: [...shared, { role: "assistant", content: "5" }] }),
    );
    expect(errors).toEqual([]);
    expect(format).toBe("trl");
    expect(items[0]!.messages).toEqual(shared);
    expect(items[0]!.responses.map((r) => r.content).sort()).toEqual(["4", "5"]);
  });
});

describe("hh-rlhf format", () => {
  const turn = (human: string, assistant: string) => `\n\nHuman: ${human}\n\nAssistant: ${assistant}`;

  it("makes the shared turns the conversation and the last assistant turns the candidates", async () => {
    const context = turn("hi", "hello") + "\n\nHuman: tell me a joke";
    const { items, errors, format } = await parseAll(jsonl({ chosen: `${context}\n\nAssistant: A pun.`, rejected: `${context}\n\nAssistant: ` }));
    expect(errors).toEqual([]);
    expect(format).toBe("hh-rlhf");
    expect(items[0]!.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "tell me a joke" },
    ]);
    const byPreference = Object.fromEntries(items[0]!.responses.map((r) => [r.metadata?.sourcePreference, r]));
    expect(byPreference.chosen).toMatchObject({ content: "A pun." });
    expect(byPreference.rejected).toMatchObject({ content: "" });
  });

  it("keeps a candidate that spans several turns, rendered as a conversation", async () => {
    const { items, errors } = await parseAll(jsonl({ chosen: turn("q1", "a1") + turn("q2", "a2"), rejected: turn("q1", "other") }));
    expect(errors).toEqual([]);
    expect(items[0]!.messages).toEqual([{ role: "user", content: "q1" }]);
    const chosen = items[0]!.responses.find((r) => r.metadata?.sourcePreference === "chosen")!;
    expect(chosen.content).toBe("Assistant: a1\n\nUser: q2\n\nAssistant: a2");
    expect(chosen.metadata?.messages).toEqual([
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
      { role: "assistant", content: "a2" },
    ]);
    expect(items[0]!.responses.find((r) => r.metadata?.sourcePreference === "rejected")!.content).toBe("other");
  });
});

describe("llmbar format", () => {
  it("makes label the gold winner", async () => {
    const body = JSON.stringify([
      { input: "Pick one", output_1: "first", output_2: "second", label: 2 },
      { input: "Again", output_1: "x", output_2: "y", label: 1, source: "natural" },
    ]);
    const { items, errors, format } = await parseAll(body, { labelsAsGold: true });
    expect(errors).toEqual([]);
    expect(format).toBe("llmbar");
    expect(items[0]).toMatchObject({
      prompt: "Pick one",
      gold: { winner: "b" },
      responses: [
        { externalId: "a", content: "first" },
        { externalId: "b", content: "second" },
      ],
    });
    expect(items[1]).toMatchObject({ gold: { winner: "a" }, metadata: { source: "natural" } });
  });
});

describe("imagereward format", () => {
  it("makes images the responses and the ranks, ties and gaps included, a gold ranking", async () => {
    const { items, errors, format } = await parseAll(
      JSON.stringify([{ id: "000-1", prompt: "a cat", generations: ["p/1.webp", "p/2 (x).webp", "p/3.webp", "p/4.webp"], ranking: [3, 1, 5, 1] }]),
      { mediaBaseUrl: "https://cdn.example.org/ir/", labelsAsGold: true },
    );
    expect(errors).toEqual([]);
    expect(format).toBe("imagereward");
    const item = items[0]!;
    expect(item.gold).toEqual({ ranking: [["b", "d"], ["a"], ["c"]] });
    expect(item.responses[1]).toEqual({
      externalId: "b",
      content: "![generated image](https://cdn.example.org/ir/p/2%20%28x%29.webp)",
      metadata: { media: [{ type: "image", url: "https://cdn.example.org/ir/p/2 (x).webp" }] },
    });
  });
});

describe("csv format", () => {
  it("detects a header, maps columns and reads quoted fields with line breaks", async () => {
    const body = [
      "id,prompt,response_a,model_a,response_b,model_b,winner,topic",
      'q1,"Write a haiku","Leaves fall,\r\nquiet ""pond""",gpt,"",llama,b,poetry',
      "q2,Plain,one,m1,two,m2,,misc",
      "",
    ].join("\r\n");
    const { parsed, errors, format } = await parseAll(body, { labelsAsGold: true });
    expect(errors).toEqual([]);
    expect(format).toBe("csv");
    expect(parsed.map((p) => p.line)).toEqual([2, 4]);
    expect(parsed[0]!.item).toEqual({
      externalId: "q1",
      prompt: "Write a haiku",
      metadata: { topic: "poetry" },
      gold: { winner: "b" },
      responses: [
        { externalId: "a", content: 'Leaves fall,\nquiet "pond"', model: "gpt" },
        { externalId: "b", content: "", model: "llama" },
      ],
    });
    expect(parsed[1]!.item.gold).toBeUndefined();
  });

  it("reads a file without a header as prompt then responses, tab-separated too", async () => {
    const { items, errors } = await parseAll("What is 2+2?\t4\tfive\tIV\n");
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ prompt: "What is 2+2?", responses: [{ content: "4" }, { content: "five" }, { content: "IV" }] });
  });

  it("reads chosen/rejected columns as a preference pair", async () => {
    const { items, errors } = await parseAll("prompt,chosen,rejected\nq,good,bad\n", { preferenceAsGold: true });
    expect(errors).toEqual([]);
    const chosen = items[0]!.responses.find((r) => r.content === "good")!;
    expect(items[0]!.gold).toEqual({ winner: chosen.externalId });
  });
});

describe("auto-detection and input handling", () => {
  it("gunzips a gzip body as a stream", async () => {
    const body = gzipSync(jsonl({ id: "z", prompt: "p", responses: [{ content: "a" }, { content: "b" }] }));
    const { items, errors } = await parseAll(chunked(body, 3));
    expect(errors).toEqual([]);
    expect(items.map((i) => i.externalId)).toEqual(["z"]);
  });

  it("counts a gzip body's inflated bytes: past maxInflatedBytes it stops with InflatedTooLargeError (a gzip bomb)", async () => {
    const item = jsonl({ id: "z", prompt: "p", responses: [{ content: "a" }, { content: "b" }] });
    const bomb = gzipSync(item + `{"id":"${"x".repeat(8 * 1024 * 1024)}`);
    expect(bomb.byteLength).toBeLessThan(16 * 1024);
    await expect(parseAll(chunked(bomb, 4096), { maxInflatedBytes: 1024 * 1024 })).rejects.toBeInstanceOf(InflatedTooLargeError);
    // Under the limit the same file reads as before (its cut-short last line reported); plain bodies are not counted.
    const underLimit = await parseAll(chunked(bomb, 4096), { maxInflatedBytes: 9 * 1024 * 1024 });
    expect(underLimit.items).toHaveLength(1);
    expect(underLimit.errors).toHaveLength(1);
    expect((await parseAll(chunked(item + " ".repeat(2 * 1024 * 1024), 65_536), { maxInflatedBytes: 1024 * 1024 })).items).toHaveLength(1);
  });

  it("follows the format given over the one the fields suggest", async () => {
    const record = { prompt: "p", chosen: "c", rejected: "r" };
    expect((await parseAll(jsonl(record))).format).toBe("trl");
    const forced = await parseAll(jsonl(record), { format: "native" });
    // One entry per bad line, its problems joined.
    expect(forced.errors).toEqual([{ line: 1, message: 'responses is required; unknown fields "chosen", "rejected" (put extra data under "metadata")' }]);
  });

  it("stops looking for the first record after 1 MiB of blank lines, and still numbers lines right", async () => {
    const blank = "\n".repeat(1024 * 1024 + 10);
    const { parsed, errors } = await parseAll(chunked(blank + jsonl({ id: "late", prompt: "p", responses: [{ content: "a" }, { content: "b" }] }), 64 * 1024));
    expect(errors).toEqual([]);
    expect(parsed.map((p) => [p.item.externalId, p.line])).toEqual([["late", 1024 * 1024 + 11]]);
  });

  it("accepts string chunks", async () => {
    const { items } = await parseAll(whole('{"id":"s","prompt":"p","res', 'ponses":[{"content":"a"},{"content":"b"}]}'));
    expect(items).toHaveLength(1);
  });

  it("names responses past z", () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(defaultResponseId)).toEqual(["a", "b", "z", "aa", "ab", "az", "ba"]);
  });
});

describe("labels as gold: an explicit choice, off by default, for every format", () => {
  const files: [string, string][] = [
    [
      "native",
      jsonl({
        id: "n1",
        prompt: "p",
        responses: [
          { id: "x", content: "1" },
          { id: "y", content: "2" },
        ],
        gold: { winner: "y" },
      }),
    ],
    ["llmbar", JSON.stringify([{ input: "Pick one", output_1: "first", output_2: "second", label: 2 }])],
    ["imagereward", JSON.stringify([{ id: "i1", prompt: "a cat", generations: ["1.webp", "2.webp"], ranking: [2, 1] }])],
    ["csv", "id,prompt,response_a,response_b,winner\nq1,p,one,two,b\n"],
    ["trl", jsonl({ prompt: "q", chosen: "yes", rejected: "no" })],
    ["hh-rlhf", jsonl({ chosen: "\n\nHuman: hi\n\nAssistant: hello", rejected: "\n\nHuman: hi\n\nAssistant: go away" })],
  ];

  it.each(files)("%s: labels are counted, not used, unless asked", async (format, body) => {
    const plain = parseItemStream({ source: chunked(body), format: format as never });
    const plainItems = [];
    for await (const batch of plain) plainItems.push(...batch);
    expect(plain.errors).toEqual([]);
    expect(plainItems.map((p) => p.item.gold)).toEqual([undefined]);
    expect(plainItems.map((p) => p.labelled)).toEqual([true]);
    expect({ gold: plain.goldCount, labelled: plain.labelledCount }).toEqual({ gold: 0, labelled: 1 });

    const asGold = parseItemStream({ source: chunked(body), format: format as never, labelsAsGold: true });
    const goldItems = [];
    for await (const batch of asGold) goldItems.push(...batch);
    expect(goldItems[0]!.item.gold).toBeDefined();
    expect({ gold: asGold.goldCount, labelled: asGold.labelledCount }).toEqual({ gold: 1, labelled: 1 });
  });

  it("still refuses a bad label when labels are not used (the file is wrong either way)", async () => {
    const { errors } = await parseAll(jsonl({ id: "g", prompt: "p", responses: [{ content: "a" }, { content: "b" }], gold: { winner: "c" } }));
    expect(errors).toEqual([{ line: 1, message: 'gold.winner "c" is not one of the response ids (a, b)' }]);
  });
});
