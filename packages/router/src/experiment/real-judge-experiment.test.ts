import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractItemFeatures } from "../features/extract-item-features.ts";
import { createRng } from "../random.ts";
import { estimateHumanErrorRate } from "./human-error.ts";
import { loadLlmBarJudgeVerdicts } from "./load-llmbar-judge-verdicts.ts";
import { parsePythonLiteral } from "./parse-python-literal.ts";
import { humanErrorRates, judgedPairToItem, orderByDoubtThenLearned } from "./run-real-judge-routing-experiment.ts";

describe("parsePythonLiteral", () => {
  it("reads what Python's repr writes, as JSON would", () => {
    const repr = `[{'swap = False': {'completion': ["Output (a) isn't", 'stop'], 'winner': '1'}, 'swap = True': {'winner': None, 'ok': True, 'n': -1.5e2, 't': ('a\\n', "b\\x41")}}]`;
    expect(parsePythonLiteral(repr)).toEqual([
      { "swap = False": { completion: ["Output (a) isn't", "stop"], winner: "1" }, "swap = True": { winner: null, ok: true, n: -150, t: ["a\n", "bA"] } },
    ]);
  });
  it("throws on what it cannot read", () => {
    expect(() => parsePythonLiteral("{'a': }")).toThrow(/offset/);
    expect(() => parsePythonLiteral("[1, 2] x")).toThrow(/trailing/);
  });
});

describe("loadLlmBarJudgeVerdicts", () => {
  it("takes the first round's both-order winners, JSON or Python-literal, unparseable as null", () => {
    const dir = mkdtempSync(join(tmpdir(), "llmbar-judges-"));
    const file = join(dir, "natural_X_Swap.json");
    const base = { input: "q", output_1: "a", output_2: "b" };
    writeFileSync(
      file,
      JSON.stringify([
        {
          ...base,
          label: 1,
          results: [
            { "swap = False": { winner: "1" }, "swap = True": { winner: "2" } },
            { "swap = False": { winner: "2" }, "swap = True": { winner: "2" } },
          ],
        },
        { ...base, label: 2, results: "[{'swap = False': {'winner': '2'}, 'swap = True': {'winner': '2'}}]" },
        { ...base, label: 2, results: [{ "swap = False": { winner: "0" }, "swap = True": { winner: "1" } }] },
      ]),
    );
    const pairs = loadLlmBarJudgeVerdicts(file);
    expect(pairs.map((p) => [p.id, p.label, p.verdict.shownInOrder, p.verdict.shownSwapped])).toEqual([
      ["natural_X_Swap#0", "1", "1", "2"],
      ["natural_X_Swap#1", "2", "2", "2"],
      ["natural_X_Swap#2", "2", null, "1"],
    ]);
    expect(pairs.map((p) => judgedPairToItem(p).judge)).toEqual([{ winner: "1", consistent: false }, { winner: "2", consistent: true }, { winner: null }]);
  });
});

describe("estimateHumanErrorRate", () => {
  it("counts disagreeing annotator pairs within items and inverts d = 2e(1 − e)", () => {
    // [a,a,b]: 2 of 3 pairs disagree; [a,a]: 0 of 1; single labels do not count. d = 2/4.
    const estimate = estimateHumanErrorRate([["a", "a", "b"], ["a", "a"], ["b"]]);
    expect(estimate).toMatchObject({ pairs: 4, items: 2, rate: 0.5 });
    expect(estimateHumanErrorRate([["a"], ["b"]])).toBeNull();
  });
  it("recovers a simulated annotator error rate", () => {
    const rng = createRng("human-error-test");
    const e = 0.15;
    const labels = Array.from({ length: 20000 }, () => Array.from({ length: 3 }, () => (rng() < e ? "worse" : "better")));
    // A second, independent computation of d: 1 − P(all pairs agree) per pair = 2e(1 − e).
    expect(2 * e * (1 - e)).toBeCloseTo(0.255, 12);
    expect(estimateHumanErrorRate(labels)?.rate).toBeCloseTo(e, 2);
  });
});

describe("humanErrorRates", () => {
  it("keeps the mean and puts the factor on hard items", () => {
    const ids = Array.from({ length: 10 }, (_, i) => `i${i}`);
    const rates = humanErrorRates(ids, 0.1, "hard", new Set(["i0", "i1"]), 3);
    expect(rates.reduce((s, r) => s + r, 0) / rates.length).toBeCloseTo(0.1, 12);
    expect((rates[0] as number) / (rates[5] as number)).toBeCloseTo(3, 12);
    expect(humanErrorRates(ids, 0.1, "uniform", new Set(["i0"]), 3)).toEqual(ids.map(() => 0.1));
  });
});

describe("verbosity-bias features", () => {
  const item = (winner: string | null) =>
    extractItemFeatures({
      id: "x",
      prompt: "p",
      responses: [
        { id: "1", content: "one two three four five six seven" },
        { id: "2", content: "- one\n- two\n- three" },
      ],
      judge: { winner },
    });
  it("is signed: positive when the judge picked the longer / more formatted response", () => {
    // 7 tokens vs 3 tokens: (7 − 3) / (7 + 3 + 1).
    expect(item("1").judge_winner_longer).toBeCloseTo(4 / 11, 12);
    expect(item("2").judge_winner_longer).toBeCloseTo(-4 / 11, 12);
    expect(item("2").judge_winner_more_formatted).toBeGreaterThan(0);
    expect(item("1").judge_winner_more_formatted).toBe(-(item("2").judge_winner_more_formatted as number));
  });
  it("is null without a verdict or on a tie", () => {
    expect(item(null).judge_winner_longer).toBeNull();
    expect(item("tie").judge_winner_more_formatted).toBeNull();
  });
});

describe("orderByDoubtThenLearned", () => {
  it("puts no-verdict items first, then the judge's doubt, and lets the learned score order only within a doubt level", () => {
    const order = orderByDoubtThenLearned([
      { id: "calm-likely", noVerdict: false, doubt: 0, learned: 0.9 },
      { id: "flip-unlikely", noVerdict: false, doubt: 1, learned: 0.1 },
      { id: "flip-likely", noVerdict: false, doubt: 1, learned: 0.6 },
      { id: "calm-unlikely", noVerdict: false, doubt: 0, learned: 0.2 },
      { id: "silent", noVerdict: true, doubt: 0.5, learned: 0 },
    ]);
    expect(order).toEqual(["silent", "flip-likely", "flip-unlikely", "calm-likely", "calm-unlikely"]);
  });
});
