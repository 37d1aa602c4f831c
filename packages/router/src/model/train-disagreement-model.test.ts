import { describe, expect, it } from "vitest";
import { createRng } from "../random.ts";
import type { CalibrationItem } from "../types.ts";
import { predictDisagreement } from "./disagreement-model.ts";
import { extractItemFeatures } from "../features/extract-item-features.ts";
import { trainDisagreementModel } from "./train-disagreement-model.ts";

/**
 * Synthetic calibration items: the judge is wrong mostly when it flipped between orders, and
 * (a signal the judge-uncertainty fallback cannot see) when one response is much longer.
 */
function calibrationItems(n: number, seed: number): CalibrationItem[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const inconsistent = rng() < 0.3;
    const lopsided = rng() < 0.5;
    const long = Array.from({ length: lopsided ? 80 : 12 }, (_, k) => `word${k % 17}`).join(" ");
    const short = Array.from({ length: 10 }, (_, k) => `term${k % 7}`).join(" ");
    const pWrong = 0.05 + (inconsistent ? 0.5 : 0) + (lopsided ? 0.35 : 0);
    const human = rng() < pWrong ? "b" : "a";
    return {
      id: `c${i}`,
      prompt: `question ${i}`,
      responses: [
        { id: "a", content: long },
        { id: "b", content: short },
      ],
      judge: { winner: "a", confidence: 0.6 + 0.4 * rng(), consistent: !inconsistent },
      human: [human],
    };
  });
}

describe("trainDisagreementModel", () => {
  it("falls back to judge uncertainty with too few labels", () => {
    const model = trainDisagreementModel({ items: calibrationItems(10, 1) });
    expect(model.kind).toBe("judge-uncertainty");
    expect(model.trainedOn).toBe(10);
    const unsure = predictDisagreement(
      model,
      extractItemFeatures({
        id: "u",
        prompt: "p",
        responses: [
          { id: "a", content: "x" },
          { id: "b", content: "y" },
        ],
        judge: { winner: "a", confidence: 0.5, consistent: false },
      }),
    );
    const sure = predictDisagreement(
      model,
      extractItemFeatures({
        id: "s",
        prompt: "p",
        responses: [
          { id: "a", content: "x" },
          { id: "b", content: "y" },
        ],
        judge: { winner: "a", confidence: 1, consistent: true },
      }),
    );
    expect(unsure.score).toBeGreaterThan(sure.score);
    expect(unsure.contributions.map((c) => c.feature)).toContain("judge_order_inconsistent");
  });

  it("falls back when the judge never disagrees", () => {
    const items = calibrationItems(60, 2).map((item) => ({ ...item, human: ["a"] }));
    const model = trainDisagreementModel({ items });
    expect(model.kind).toBe("judge-uncertainty");
  });

  it("learns order inconsistency and length difference from enough labels", () => {
    const model = trainDisagreementModel({ items: calibrationItems(300, 3), seed: 1 });
    expect(model.kind).toBe("logistic");
    if (model.kind !== "logistic") return;
    expect(model.featureSet).toBe("all");
    const coefficient = (name: string) => model.features.find((f) => f.name === name)?.coefficient ?? 0;
    expect(coefficient("judge_order_inconsistent")).toBeGreaterThan(0.5);
    expect(coefficient("length_diff_relative") + coefficient("longer_response_tokens") + coefficient("length_diff_tokens")).toBeGreaterThan(0.3);
    expect(model.validation.logisticAuc).toBeGreaterThan(model.validation.judgeUncertaintyAuc ?? 1);
    // JSON round trip: the model can be stored and used later
    const restored = JSON.parse(JSON.stringify(model)) as typeof model;
    const features = extractItemFeatures(calibrationItems(1, 9)[0] as CalibrationItem);
    expect(predictDisagreement(restored, features).score).toBe(predictDisagreement(model, features).score);
  });

  it("uses only the core features with a modest calibration set", () => {
    const model = trainDisagreementModel({ items: calibrationItems(60, 4) });
    expect(model.kind).toBe("logistic");
    if (model.kind === "logistic") expect(model.featureSet).toBe("core");
    expect(model.trainedOn).toBe(60);
  });

  it("keeps the regression unless judge uncertainty ranked better in the router's order (doubt level first), and reports both AUCs", () => {
    // AUC by counting pairs: a second implementation beside metrics.ts's rank sums.
    const pairAuc = (scores: number[], labels: number[]) => {
      let wins = 0;
      let pairs = 0;
      scores.forEach((p, i) =>
        scores.forEach((q, j) => {
          if (labels[i] !== 1 || labels[j] !== 0) return;
          pairs++;
          wins += p > q ? 1 : p === q ? 0.5 : 0;
        }),
      );
      return wins / pairs;
    };
    const kinds = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      // Half the sets carry signal; in the other half humans answer at random, so either ranker may win.
      const items = calibrationItems(80, 100 + seed).map((item, i) =>
        seed % 2 === 0 ? item : { ...item, human: [createRng(`${seed}:${i}`)() < 0.4 ? "b" : "a"] },
      );
      const model = trainDisagreementModel({ items, seed });
      const v = model.validation!;
      const labels = items.map((item) => (item.human[0] === item.judge.winner ? 0 : 1));
      // The judge-uncertainty score here: mean of 1 − confidence, order flip, tie (0); the level: the flip.
      const uncertainty = items.map((item) => (1 - item.judge.confidence! + (item.judge.consistent ? 0 : 1) + 0) / 3);
      const level = items.map((item) => (item.judge.consistent ? 0 : 1));
      expect(v.doubtThenUncertaintyAuc).toBeCloseTo(
        pairAuc(
          uncertainty.map((u, i) => 2 * level[i]! + u),
          labels,
        ),
        12,
      );
      expect(v.judgeUncertaintyAuc).toBeCloseTo(pairAuc(uncertainty, labels), 12);
      expect(model.kind).toBe(v.doubtThenUncertaintyAuc! > v.doubtThenLogisticAuc! ? "judge-uncertainty" : "logistic");
      kinds.add(model.kind);
    }
    expect([...kinds].sort()).toEqual(["judge-uncertainty", "logistic"]);
  });

  it("is deterministic for a seed", () => {
    const items = calibrationItems(150, 5);
    expect(trainDisagreementModel({ items, seed: 7 })).toEqual(trainDisagreementModel({ items, seed: 7 }));
  });
});
