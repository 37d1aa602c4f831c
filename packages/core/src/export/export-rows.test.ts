import { describe, expect, it } from "vitest";
import { buildExportRows } from "./build-export-rows.ts";
import { buildRankingRows } from "./build-ranking-rows.ts";
import { buildRationaleRows } from "./build-rationale-rows.ts";
import { buildRawRows } from "./build-raw-rows.ts";
import { buildTrlRows } from "./build-trl-rows.ts";
import { pseudonymizeAnnotator } from "./pseudonymize-annotator.ts";
import { isMultiTurn, resolvePromptStyle } from "./prompt-style.ts";
import { exampleJudgments } from "./test-judgments.ts";

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

const conversation = [
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello" },
  { role: "user", content: "Joke?" },
];

describe("trl rows", () => {
  it("aggregates by majority by default, leaving out ties, both_bad and draws", async () => {
    expect(await all(buildTrlRows(exampleJudgments()))).toEqual([
      { prompt: "What is 2+2?", chosen: "4", rejected: "5" },
      { prompt: "Draw a cat", chosen: "cat b", rejected: "cat a" },
      { prompt: "Draw a cat", chosen: "cat b", rejected: "cat c" },
    ]);
  });

  it("keeps only what every judgment agrees on when unanimous", async () => {
    expect(await all(buildTrlRows(exampleJudgments(), { aggregate: "unanimous" }))).toEqual([
      { prompt: "Draw a cat", chosen: "cat b", rejected: "cat a" },
      { prompt: "Draw a cat", chosen: "cat b", rejected: "cat c" },
    ]);
  });

  it("writes one row per preference with all, every prompt as a message list under messages", async () => {
    const rows = await all(buildTrlRows(exampleJudgments(), { aggregate: "all", promptStyle: "messages" }));
    expect(rows.slice(0, 4)).toEqual([
      { prompt: [{ role: "user", content: "What is 2+2?" }], chosen: [{ role: "assistant", content: "4" }], rejected: [{ role: "assistant", content: "5" }] },
      { prompt: [{ role: "user", content: "What is 2+2?" }], chosen: [{ role: "assistant", content: "4" }], rejected: [{ role: "assistant", content: "5" }] },
      { prompt: [{ role: "user", content: "What is 2+2?" }], chosen: [{ role: "assistant", content: "5" }], rejected: [{ role: "assistant", content: "4" }] },
      { prompt: conversation, chosen: [{ role: "assistant", content: "A pun" }], rejected: [{ role: "assistant", content: "No." }] },
    ]);
    expect(rows).toHaveLength(7);
  });

  it("holds every column to one type: a mix of single- and multi-turn items gives all lists or all strings", async () => {
    const mixed = exampleJudgments();
    expect(mixed.some(isMultiTurn) && mixed.some((row) => !isMultiTurn(row))).toBe(true);
    const style = resolvePromptStyle("auto", mixed.some(isMultiTurn));
    expect(style).toBe("messages");
    for (const format of ["trl", "rankings", "rationales"] as const) {
      const rows = (await all(buildExportRows(format, mixed, { aggregate: "all", promptStyle: style }))) as unknown as Record<string, unknown>[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Array.isArray(row.prompt)).toBe(true);
        if ("chosen" in row) expect([Array.isArray(row.chosen), Array.isArray(row.rejected)]).toEqual([true, true]);
      }
      const text = (await all(buildExportRows(format, mixed, { aggregate: "all", promptStyle: "text" }))) as unknown as Record<string, unknown>[];
      for (const row of text) expect(typeof row.prompt).toBe("string");
    }
    expect(resolvePromptStyle("auto", false)).toBe("text");
    expect(resolvePromptStyle("messages", false)).toBe("messages");
    expect(resolvePromptStyle("text", true)).toBe("text");
  });

  it("adds TRL's margin from the strength scale on request: the mean strength of the agreeing judgments, 0 without one", async () => {
    const rows = await all(buildTrlRows(exampleJudgments(), { aggregate: "all", margin: true }));
    expect(rows.map((row) => row.margin)).toEqual([2, 0, 0, 0, 0, 0, 0]);
    const majority = await all(buildTrlRows(exampleJudgments(), { margin: true }));
    // p1: j1 (strength 2) and j2 (none) chose "4": their mean over those that gave one is 2.
    expect(majority.map((row) => row.margin)).toEqual([2, 0, 0]);
    expect((await all(buildTrlRows(exampleJudgments())))[0]).not.toHaveProperty("margin");
  });

  it("expands K-wise rankings into every pair they order on request", async () => {
    const kwise = exampleJudgments().filter((row) => row.itemExternalId === "k1");
    const all3 = await all(buildTrlRows(kwise, { aggregate: "all", expandRankings: true }));
    expect(all3.map((row) => `${row.chosen as string} > ${row.rejected as string}`)).toEqual([
      "cat b > cat a",
      "cat b > cat c",
      "cat b > cat c",
      "cat b > cat a",
      "cat c > cat a",
    ]);
    const majority = await all(buildTrlRows(kwise, { expandRankings: true }));
    expect(majority.map((row) => `${row.chosen as string} > ${row.rejected as string}`)).toEqual(["cat b > cat a", "cat b > cat c"]);
  });

  it("renders prompts as text or as messages when asked", async () => {
    const multiTurn = exampleJudgments().filter((row) => row.itemExternalId === "m1");
    expect(await all(buildTrlRows(multiTurn, { aggregate: "all", promptStyle: "text" }))).toEqual([
      { prompt: "User: Hi\n\nAssistant: Hello\n\nUser: Joke?", chosen: "A pun", rejected: "No." },
    ]);
    const single = exampleJudgments().filter((row) => row.itemExternalId === "p1");
    expect((await all(buildTrlRows(single, { promptStyle: "messages" })))[0]).toEqual({
      prompt: [{ role: "user", content: "What is 2+2?" }],
      chosen: [{ role: "assistant", content: "4" }],
      rejected: [{ role: "assistant", content: "5" }],
    });
  });

  it("refuses rows that are not grouped by item", async () => {
    const rows = exampleJudgments();
    await expect(all(buildTrlRows([rows[0]!, rows[4]!, rows[1]!]))).rejects.toThrow(/grouped by item: item "p1" appears again/);
  });
});

describe("rankings rows", () => {
  it("writes each judgment's ranking by default, with a pairwise winner over the rest and ties as one tier", async () => {
    const rows = await all(buildRankingRows(exampleJudgments()));
    expect(rows.map((row) => row.ranking)).toEqual([
      [["a"], ["b"]],
      [["a"], ["b"]],
      [["b"], ["a"]],
      [["a", "b"]],
      [["y"], ["x"]],
      [["b"], ["a", "c"]],
      [["b"], ["c"], ["a"]],
    ]);
    expect(rows[0]).toEqual({
      prompt: "What is 2+2?",
      responses: [
        { id: "a", content: "4", model: "m1" },
        { id: "b", content: "5", model: "m2" },
      ],
      ranking: [["a"], ["b"]],
    });
  });

  it("gives a Borda consensus per item for majority, and agreed rankings only for unanimous", async () => {
    expect((await all(buildRankingRows(exampleJudgments(), { aggregate: "majority" }))).map((row) => row.ranking)).toEqual([
      [["a"], ["b"]],
      [["y"], ["x"]],
      [["b"], ["c"], ["a"]],
    ]);
    expect((await all(buildRankingRows(exampleJudgments(), { aggregate: "unanimous" }))).map((row) => row.ranking)).toEqual([[["y"], ["x"]]]);
  });

  it("lists the responses each judgment was shown when K-wise tasks show different subsets of an item", async () => {
    const [, , , , , , kwise] = exampleJudgments();
    const cat = (id: string, externalId: string) => ({ id, externalId, content: `cat ${externalId}`, model: null });
    const first = { ...kwise!, id: "s1", responses: [cat("r-5", "a"), cat("r-6", "b")], ranking: [["r-6"], ["r-5"]] };
    const second = { ...kwise!, id: "s2", responses: [cat("r-6", "b"), cat("r-7", "c")], ranking: [["r-7"], ["r-6"]] };
    const rows = await all(buildRankingRows([first, second]));
    expect(rows.map((row) => [row.responses.map((r) => r.id), row.ranking])).toEqual([
      [
        ["a", "b"],
        [["b"], ["a"]],
      ],
      [
        ["b", "c"],
        [["c"], ["b"]],
      ],
    ]);
    const [consensus] = await all(buildRankingRows([first, second], { aggregate: "majority" }));
    expect(consensus!.responses.map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(consensus!.ranking.flat().sort()).toEqual(["a", "b", "c"]);
  });
});

describe("rationale rows", () => {
  it("writes judgments that explain a preference, one row per pair", async () => {
    expect(await all(buildRationaleRows(exampleJudgments()))).toEqual([
      { prompt: "What is 2+2?", chosen: "4", rejected: "5", rationale: "Arithmetic." },
      { prompt: "Draw a cat", chosen: "cat b", rejected: "cat a", rationale: "b is clearest" },
    ]);
  });
});

describe("raw rows", () => {
  it("keeps every field, names responses by their imported ids and holds no names or e-mails", async () => {
    const rows = await all(buildRawRows(exampleJudgments()));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      id: "j1",
      itemId: "p1",
      source: "human",
      annotator: pseudonymizeAnnotator("user-1", "salt"),
      judgeModel: null,
      candidateIds: ["a", "b"],
      candidateModels: ["m1", "m2"],
      verdict: "winner",
      winnerId: "a",
      ranking: null,
      strength: 2,
      confidence: null,
      rationale: "Arithmetic.",
      attributes: [
        { responseId: "a", attribute: "helpfulness", score: 4 },
        { responseId: "b", attribute: "helpfulness", score: 1 },
      ],
      spans: [{ responseId: "b", start: 0, end: 1, label: "wrong", note: null }],
      timeMs: 5400,
      hintCondition: null,
      hintSource: null,
      createdAt: "2025-01-02T03:04:05.000Z",
    });
    expect(rows[3]).toMatchObject({ source: "judge", annotator: null, judgeModel: "gpt-judge", verdict: "tie", confidence: 0.7 });
    expect(rows[6]).toMatchObject({ verdict: "ranking", ranking: [["b"], ["a", "c"]], winnerId: null });
    expect(JSON.stringify(rows)).not.toMatch(/@|user-1/);
  });

  it("is what buildExportRows gives for raw", async () => {
    expect(await all(buildExportRows("raw", exampleJudgments()))).toEqual(await all(buildRawRows(exampleJudgments())));
  });
});

describe("pseudonymizeAnnotator", () => {
  it("is short, stable, and different per salt", () => {
    const id = pseudonymizeAnnotator("user-1", "salt");
    expect(id).toMatch(/^ann-[0-9a-f]{12}$/);
    expect(pseudonymizeAnnotator("user-1", "salt")).toBe(id);
    expect(pseudonymizeAnnotator("user-1", "other")).not.toBe(id);
    expect(pseudonymizeAnnotator("user-2", "salt")).not.toBe(id);
  });
});
