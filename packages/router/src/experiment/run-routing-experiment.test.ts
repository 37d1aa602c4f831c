import { describe, expect, it } from "vitest";
import { createRng } from "../random.ts";
import { formatExperimentReport } from "./format-experiment-report.ts";
import { simulatePairwiseJudge, type GoldPair } from "./pairwise-reward-judge.ts";
import { runRoutingExperiment } from "./run-routing-experiment.ts";
import { simulateHumanLabels } from "./simulate-human-labels.ts";

const TOPICS = ["bread", "rivers", "planets", "chess", "tea", "bridges", "violins", "glaciers"];

/** Synthetic pairs: the better output answers the prompt's topic, the worse one drifts off it. */
function syntheticPairs(n: number, seed: number): GoldPair[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length] as string;
    const other = TOPICS[(i + 3) % TOPICS.length] as string;
    const good = `${topic} is interesting: here are facts about ${topic} and why ${topic} matters.`;
    const bad = rng() < 0.5 ? `Let me tell you about ${other} instead.` : `${other} ${other} and more ${other}, nothing on the question.`;
    const goodFirst = rng() < 0.5;
    return { id: `p${i}`, prompt: `Tell me about ${topic}.`, output1: goodFirst ? good : bad, output2: goodFirst ? bad : good, label: goodFirst ? "1" : "2" };
  });
}

describe("simulatePairwiseJudge", () => {
  it("never scores a pair with a model trained on it (cross-fitting)", () => {
    const pairs = syntheticPairs(40, 1);
    const before = simulatePairwiseJudge({ pairs, seed: 2 });
    const relabelled = pairs.map((p, i) => (i === 7 ? { ...p, label: p.label === "1" ? ("2" as const) : ("1" as const) } : p));
    const after = simulatePairwiseJudge({ pairs: relabelled, seed: 2 });
    // (its margin; the position bias is set from all margins, so the flip threshold may move)
    expect(after[7]?.margin).toBe(before[7]?.margin);
    // …while the label does reach the models that judge the other folds
    expect(after.some((v, i) => i !== 7 && v.margin !== before[i]?.margin)).toBe(true);
  });

  it("learns the signal and flips on the requested share of pairs", () => {
    const pairs = syntheticPairs(80, 3);
    const verdicts = simulatePairwiseJudge({ pairs, inconsistentShare: 0.25 });
    const correct = verdicts.filter((v, i) => v.winner === pairs[i]?.label).length;
    expect(correct / pairs.length).toBeGreaterThan(0.8);
    const inconsistent = verdicts.filter((v) => !v.consistent).length;
    expect(inconsistent).toBeGreaterThanOrEqual(15);
    expect(inconsistent).toBeLessThanOrEqual(25);
    for (const v of verdicts) expect(v.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe("simulateHumanLabels", () => {
  it("flips about the requested share", () => {
    const gold = Array.from({ length: 2000 }, () => "a");
    const labels = simulateHumanLabels({ gold, other: gold.map(() => "b"), flipRate: 0.1, seed: 1 }).flat();
    const flipped = labels.filter((l) => l === "b").length / labels.length;
    expect(flipped).toBeGreaterThan(0.08);
    expect(flipped).toBeLessThan(0.12);
  });
});

describe("runRoutingExperiment", () => {
  const pairs = syntheticPairs(60, 5);
  const options = { pairs, budgets: [0.25, 1], repetitions: 2, randomRoutings: 3, humanFlipRate: 0, seed: 1 };
  const result = runRoutingExperiment(options);

  it("scores every strategy on the non-calibration items", () => {
    expect(result.calibrationItems).toBe(18);
    expect(result.evaluationItems).toBe(42);
    // noise-free humans are always right
    expect(result.allHuman.mean).toBe(1);
    const full = result.budgets[1];
    expect(full?.accuracy.learned.mean).toBe(1);
    expect(full?.accuracy.random.mean).toBe(1);
    const quarter = result.budgets[0];
    expect(quarter?.humanItems).toBe(10);
    for (const strategy of ["learned", "random", "judge-uncertainty"] as const) {
      expect(quarter?.accuracy[strategy].mean).toBeGreaterThanOrEqual(result.allJudge.mean);
      expect(quarter?.accuracy.oracle.mean).toBeGreaterThanOrEqual(quarter?.accuracy[strategy].mean ?? 1);
    }
  });

  it("is reproducible and renders a report", () => {
    expect(runRoutingExperiment(options)).toEqual(result);
    const report = formatExperimentReport(result, {
      date: "2026-11-22",
      machine: "test",
      command: "npm run route:score",
      sources: ["synthetic"],
      seconds: 1,
      options: { calibrationFraction: 0.3, humanFlipRate: 0, annotatorsPerItem: 1, repetitions: 2, randomRoutings: 3, judgeInconsistentShare: 0.25, seed: 1 },
    });
    expect(report).toContain("| 25 % | 10 / 42 |");
    expect(report).toContain("Date: 2026-11-22");
  });
});
