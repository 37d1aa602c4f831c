import { createSeededRandom } from "@arbiter/ranking/random";
import { describe, expect, it } from "vitest";
import {
  ASK_MIN_CONFIDENCE,
  expectedCalibrationError,
  fitTemperature,
  lengthBaselines,
  selectAskThreshold,
  summarizeCalibration,
  temperatureNll,
  wilsonInterval,
} from "./calibration.ts";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import { trainRewardModel } from "./train-reward-model.ts";

/** Margins of a model that is right with probability σ(m / trueT): m drawn, the sign flipped with probability 1 − σ(|m| / trueT). */
function syntheticMargins(count: number, trueT: number, seed: number): Float64Array {
  const random = createSeededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const m = 6 * random();
    const right = random() < 1 / (1 + Math.exp(-m / trueT));
    out[i] = right ? m : -m;
  }
  return out;
}

describe("calibration", () => {
  it("temperature scaling recovers the temperature that generated over-confident margins, and lowers ECE", () => {
    const margins = syntheticMargins(4000, 3, 7);
    const t = fitTemperature(margins);
    expect(t).toBeGreaterThan(2.6);
    expect(t).toBeLessThan(3.4);
    expect(temperatureNll(margins, t)).toBeLessThan(temperatureNll(margins, 1));
    const fresh = syntheticMargins(4000, 3, 8);
    const before = expectedCalibrationError(fresh, 1);
    const after = expectedCalibrationError(fresh, t);
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.03);
  });

  it("a well-calibrated model keeps T near 1; too few pairs fit nothing", () => {
    expect(Math.abs(fitTemperature(syntheticMargins(4000, 1, 9)) - 1)).toBeLessThan(0.15);
    expect(fitTemperature([1, 2, 3])).toBe(1);
    expect(fitTemperature(new Float64Array(20))).toBe(1);
  });

  it("ECE is the weighted gap between confidence and accuracy per bin", () => {
    // Every margin gives confidence σ(0) = 0.5 → bin 0; a coin flip that is right half the time has ECE 0.
    expect(expectedCalibrationError([0, 0, 0, 0])).toBe(0);
    // Confidence σ(10) ≈ 1, right 1 of 2 → ECE ≈ 0.5.
    expect(expectedCalibrationError([10, -10])).toBeCloseTo(0.5, 3);
    expect(expectedCalibrationError([])).toBeNaN();
  });

  it("Wilson intervals match known values and widen for small samples", () => {
    const [lo, hi] = wilsonInterval(82, 100);
    expect(lo).toBeCloseTo(0.7333, 3);
    expect(hi).toBeCloseTo(0.8827, 3);
    const [smallLo] = wilsonInterval(4, 6);
    expect(smallLo).toBeLessThan(0.5);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it("length baselines count equal lengths one half and sum to 1", () => {
    const b = lengthBaselines([
      { chosen: "long answer", rejected: "short" },
      { chosen: "abc", rejected: "abcdef" },
      { chosen: "same", rejected: "four" },
    ]);
    expect(b.longer).toBeCloseTo(0.5);
    expect(b.shorter).toBeCloseTo(0.5);
    expect(lengthBaselines([{ chosen: "xx", rejected: "x" }])).toEqual({ longer: 1, shorter: 0 });
  });

  it("summarizeCalibration uses all held-out pairs for accuracy and the measure part for ECE", () => {
    const margins = [1, 2, -1, 3, 0];
    const pairs = margins.map((_, i) => ({ chosen: "a".repeat(i + 2), rejected: "b" }));
    const summary = summarizeCalibration(margins, pairs, { calibrate: [0, 1], measure: [2, 3, 4] });
    expect(summary).toMatchObject({
      calibrationPairs: 2,
      measurePairs: 3,
      temperature: 1,
      heldOutPairs: 5,
      accuracy: 3.5 / 5,
      baselines: { longer: 1, shorter: 0 },
    });
    expect(summary.accuracyCi[0]).toBeLessThan(0.7);
    expect(summary.accuracyCi[1]).toBeGreaterThan(0.7);
  });

  it("the ask threshold is the lowest confidence, tested from the top down, whose held-out precision's interval lower end reaches 85 %", () => {
    const sigmoidInverse = (p: number) => Math.log(p / (1 - p));
    // 40 pairs at confidence 0.99, all right; 30 at 0.9, 15 right; 30 at 0.6 (below the floor).
    const margins = [
      ...Array.from({ length: 40 }, () => sigmoidInverse(0.99)),
      ...Array.from({ length: 30 }, (_, i) => (i < 15 ? 1 : -1) * sigmoidInverse(0.9)),
      ...Array.from({ length: 30 }, (_, i) => (i % 2 ? 1 : -1) * sigmoidInverse(0.6)),
    ];
    const { ask, reason } = selectAskThreshold(margins, 1);
    expect(reason).toBeNull();
    expect(ask).toMatchObject({ heldOutPairs: 40, precision: 1 });
    expect(ask!.threshold).toBeCloseTo(0.99, 6);
    expect(ask!.precisionCi[0]).toBeGreaterThanOrEqual(0.85);
    // With 28 of the 30 right at 0.9, the lower level qualifies too: 68 of 70 (interval lower end ≈ 90 %).
    const better = margins.map((m, i) => (i >= 40 && i < 70 ? (i < 68 ? Math.abs(m) : -Math.abs(m)) : m));
    expect(selectAskThreshold(better, 1).ask).toMatchObject({ heldOutPairs: 70, precision: 68 / 70 });
    expect(selectAskThreshold(better, 1).ask!.threshold).toBeCloseTo(0.9, 6);
    // A higher temperature lowers every confidence: at T = 5 none is 80 % or more (0.99 becomes σ(4.6 / 5) ≈ 0.72).
    expect(selectAskThreshold(margins, 5)).toMatchObject({ ask: null, reason: expect.stringMatching(/^only 0 held-out pairs at 80.0 %/) });
  });

  it("refuses to ask on too few confident pairs, or when the confident ones are not right often enough; never below 80 %", () => {
    // 21 of 21 right would leave the interval's lower end at 84.5 %, just short; 22 of 22 reach 85.1 %.
    expect(wilsonInterval(21, 21)[0]).toBeLessThan(0.85);
    expect(selectAskThreshold(Array.from({ length: 21 }, () => 5))).toMatchObject({
      ask: null,
      reason: expect.stringMatching(/^only 21 held-out pairs .* \(needs 22\)/),
    });
    expect(selectAskThreshold(Array.from({ length: 22 }, () => 5)).ask).toMatchObject({ heldOutPairs: 22, precision: 1 });
    expect(selectAskThreshold(Array.from({ length: 10 }, () => 5))).toMatchObject({ ask: null, reason: expect.stringMatching(/^only 10 held-out pairs/) });
    const wrongHalf = Array.from({ length: 60 }, (_, i) => (i % 2 ? 4 : -4));
    expect(selectAskThreshold(wrongHalf)).toMatchObject({ ask: null, reason: expect.stringMatching(/right on 50.0 % of 60 held-out pairs/) });
    // Levels are tested from the top down and testing stops at the first failure: 23 of the 25 surest
    // right fails (lower end ≈ 75 %), so the 200 right ones below it are never asked about.
    const topWrong = [...Array.from({ length: 25 }, (_, i) => (i < 2 ? -6 : 6)), ...Array.from({ length: 200 }, () => 4)];
    expect(selectAskThreshold(topWrong)).toMatchObject({ ask: null, reason: expect.stringMatching(/right on 92.0 % of 25 held-out pairs/) });
    // Lots of pairs, all right, but only at 70 % confidence: never asks.
    expect(selectAskThreshold(Array.from({ length: 200 }, () => Math.log(0.7 / 0.3))).ask).toBeNull();
    for (const seed of [1, 2, 3]) {
      const { ask } = selectAskThreshold(syntheticMargins(600, 1, seed));
      if (ask) {
        expect(ask.threshold).toBeGreaterThanOrEqual(ASK_MIN_CONFIDENCE);
        expect(ask.precisionCi[0]).toBeGreaterThanOrEqual(0.85);
      }
    }
  });

  it("trained versions carry the calibration of their held-out split", () => {
    const pairs = plantedSignalPairs({ count: 400, seed: 3 });
    const { metrics } = trainRewardModel({ pairs, dim: 1 << 12, seed: 2, holdOut: 0.3 });
    const c = metrics.calibration!;
    expect(c.heldOutPairs).toBe(metrics.heldOutPairs);
    expect(c.calibrationPairs + c.measurePairs).toBe(metrics.heldOutPairs);
    expect(c.accuracy).toBeCloseTo(metrics.heldOutAccuracy!, 10);
    expect(c.accuracyCi[0]).toBeLessThan(c.accuracy);
    expect(c.temperature).toBeGreaterThan(0);
    expect(c.eceAfter).not.toBeNull();
    expect(c.ask === null ? typeof c.askReason : c.askReason).toBe(c.ask === null ? "string" : null);
    expect(trainRewardModel({ pairs: pairs.slice(0, 40), dim: 1 << 12, epochs: 5 }).metrics.calibration).toBeUndefined();
  });
});
