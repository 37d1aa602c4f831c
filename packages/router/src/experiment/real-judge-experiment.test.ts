import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractItemFeatures } from "../features/extract-item-features.ts";
import { createRng } from "../random.ts";
import { estimateHumanErrorRate } from "./human-error.ts";
import { loadLlmBarJudgeVerdicts } from "./load-llmbar-judge-verdicts.ts";
import { parsePythonLiteral } from "./parse-python-literal.ts";
import { averageGains, meanInterval, studentT975, type RealJudgeRun } from "./format-real-judge-report.ts";
import type { JudgedPair } from "./load-llmbar-judge-verdicts.ts";
import { humanErrorRates, judgedPairToItem, runRealJudgeRoutingExperiment } from "./run-real-judge-routing-experiment.ts";

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

describe("judgedPairToItem, combined (Arbiter's judge)", () => {
  it("keeps a verdict given in both orders, makes a flip a tie and a verdict missing in either order none", () => {
    const pair = (shownInOrder: "1" | "2" | null, shownSwapped: "1" | "2" | null): JudgedPair => ({
      id: "p",
      prompt: "q",
      output1: "a",
      output2: "b",
      label: "1",
      verdict: { shownInOrder, shownSwapped },
    });
    expect(judgedPairToItem(pair("2", "2"), "combined").judge).toEqual({ winner: "2", consistent: true });
    expect(judgedPairToItem(pair("1", "2"), "combined").judge).toEqual({ winner: "tie", consistent: false });
    expect(judgedPairToItem(pair("1", null), "combined").judge).toEqual({ winner: null });
    expect(judgedPairToItem(pair("1", "2")).judge).toEqual({ winner: "1", consistent: false });
  });
});

describe("intervals", () => {
  it("uses Student's t quantiles (table values, and the expansion beyond 30 against published values)", () => {
    expect(studentT975(1)).toBe(12.706);
    expect(studentT975(19)).toBe(2.093);
    // Published 97.5 % quantiles: df 40 → 2.021, 60 → 2.000, 120 → 1.980.
    expect(studentT975(40)).toBeCloseTo(2.021, 3);
    expect(studentT975(60)).toBeCloseTo(2.0, 3);
    expect(studentT975(120)).toBeCloseTo(1.98, 3);
    expect(() => studentT975(0)).toThrow();
  });
  it("gives mean ± t·sd/√n", () => {
    // 1, 2, 3, 4: mean 2.5, sd √(5/3), t(3) = 3.182.
    const i = meanInterval([1, 2, 3, 4])!;
    const half = (3.182 * Math.sqrt(5 / 3)) / 2;
    expect(i).toMatchObject({ mean: 2.5, n: 4 });
    expect(i.low).toBeCloseTo(2.5 - half, 12);
    expect(i.high).toBeCloseTo(2.5 + half, 12);
    expect(meanInterval([1])).toBeNull();
  });
});

describe("runRealJudgeRoutingExperiment", () => {
  // Synthetic judge: wrong on 30 of 120 pairs, 24 of those flip with the order; 6 right ones flip too.
  const pairs: JudgedPair[] = Array.from({ length: 120 }, (_, i) => {
    const label = i % 2 === 0 ? "1" : "2";
    const other = label === "1" ? "2" : "1";
    const wrong = i % 4 === 1;
    const flips = wrong ? i % 20 !== 1 : i % 20 === 0;
    const first = wrong ? other : label;
    return {
      id: `s#${i}`,
      prompt: `question ${i} ${"about things ".repeat(i % 5)}`,
      output1: `answer one ${"word ".repeat(3 + (i % 7))}`,
      output2: `answer two ${"text ".repeat(2 + (i % 11))}`,
      label,
      verdict: { shownInOrder: first, shownSwapped: flips ? (first === "1" ? "2" : "1") : first },
    };
  });

  it("scores the shipped router: flips first, so at a budget the flips fill it beats random; differences are per repetition", () => {
    const result = runRealJudgeRoutingExperiment({ pairs, budgets: [0.2], repetitions: 3, randomRoutings: 5, rewardModel: false, seed: 1 });
    expect(result.judge).toMatchObject({ accuracy: 0.75, orderFlips: 0.25, noVerdict: 0 });
    const [b] = result.budgets;
    expect(b!.differences.learnedMinusUncertainty).toHaveLength(3);
    const mean = b!.differences.learnedMinusRandom.reduce((s, v) => s + v, 0) / 3;
    expect(b!.learnedMinusRandom.mean).toBeCloseTo(mean, 12);
    // Every routed item is a flip, and 80 % of flips are judge errors: far above random.
    expect(b!.accuracy.learned.mean).toBeGreaterThan(b!.accuracy.random.mean + 0.05);
    expect(b!.accuracy["judge-uncertainty"].mean).toBeGreaterThan(b!.accuracy.random.mean + 0.05);
    const run = (judge: string): RealJudgeRun => ({ judge, humanError: "uniform", result });
    const g = averageGains([run("x"), run("y")], 0.2);
    expect(g.minusRandom).toBeCloseTo(b!.learnedMinusRandom.mean, 12);
    expect(g.minusRandomInterval?.n).toBe(3);
  });

  it("with Arbiter's combined labels a flip is a tie (½ credit) and still goes to humans first", () => {
    const result = runRealJudgeRoutingExperiment({ pairs, budgets: [0.2], repetitions: 2, randomRoutings: 5, rewardModel: false, judgeLabels: "combined" });
    // 84 right in both orders (credit 1), 6 wrong in both orders (0), 30 flips (½ each).
    expect(result.judge.labelCredit).toBeCloseTo((84 + 15) / 120, 12);
    expect(result.judgeLabels).toBe("combined");
    expect(result.budgets[0]!.accuracy.learned.mean).toBeGreaterThan(result.budgets[0]!.accuracy.random.mean);
  });
});
