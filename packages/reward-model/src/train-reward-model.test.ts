import { describe, expect, it } from "vitest";
import { pairwiseAccuracy } from "./pairwise-accuracy.ts";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import { RewardTrainingError, trainRewardModel } from "./train-reward-model.ts";

const dim = 1 << 13;

describe("trainRewardModel", () => {
  const pairs = plantedSignalPairs({ count: 600, seed: 11 });

  it.each(["lbfgs", "adam"] as const)("learns a planted token with %s (held-out accuracy > 0.9)", (optimizer) => {
    const { model, metrics } = trainRewardModel({ pairs, dim, l2: 1e-3, seed: 5, holdOut: 0.3, optimizer, epochs: optimizer === "adam" ? 15 : 100 });
    expect(metrics.pairs).toBe(420);
    expect(metrics.heldOutPairs).toBe(180);
    expect(metrics.heldOutAccuracy).toBeGreaterThan(0.9);
    expect(metrics.trainAccuracy).toBeGreaterThan(0.9);
    expect(metrics.ms).toBeGreaterThan(0);
    expect(model.weights.length).toBe(dim + 19);
  });

  it("stays near chance when the labels are shuffled", () => {
    const shuffled = plantedSignalPairs({ count: 600, seed: 11, shuffleLabels: true });
    const { metrics } = trainRewardModel({ pairs: shuffled, dim, l2: 1e-3, seed: 5, holdOut: 0.3 });
    expect(metrics.heldOutAccuracy).toBeGreaterThan(0.38);
    expect(metrics.heldOutAccuracy).toBeLessThan(0.62);
  });

  it("gives bit-identical weights for the same seed, and a different split for another", () => {
    const small = pairs.slice(0, 150);
    for (const optimizer of ["lbfgs", "adam"] as const) {
      const a = trainRewardModel({ pairs: small, dim, seed: 3, holdOut: 0.2, optimizer, epochs: 5 });
      const b = trainRewardModel({ pairs: small, dim, seed: 3, holdOut: 0.2, optimizer, epochs: 5 });
      expect(Buffer.from(a.model.weights.buffer).equals(Buffer.from(b.model.weights.buffer))).toBe(true);
      const c = trainRewardModel({ pairs: small, dim, seed: 4, holdOut: 0.2, optimizer, epochs: 5 });
      expect(Buffer.from(a.model.weights.buffer).equals(Buffer.from(c.model.weights.buffer))).toBe(false);
    }
  });

  it("keeps pairs of one group on the same side of the split", () => {
    const grouped = pairs.slice(0, 200).map((pair, i) => ({ ...pair, group: `g${i % 20}` }));
    const { metrics } = trainRewardModel({ pairs: grouped, dim, seed: 9, holdOut: 0.25, epochs: 5 });
    expect(metrics.heldOutPairs % 10).toBe(0);
    expect(metrics.heldOutPairs + metrics.pairs).toBe(200);
  });

  it("reports no held-out metrics without a hold-out", () => {
    const { metrics } = trainRewardModel({ pairs: pairs.slice(0, 50), dim, epochs: 5 });
    expect(metrics.heldOutAccuracy).toBeNull();
    expect(metrics.heldOutPairs).toBe(0);
  });

  it("rejects bad options", () => {
    expect(() => trainRewardModel({ pairs: [], dim })).toThrow(RewardTrainingError);
    expect(() => trainRewardModel({ pairs, dim, holdOut: 1 })).toThrow(/holdOut/);
    expect(() => trainRewardModel({ pairs, dim, l2: -1 })).toThrow(/l2/);
    expect(() => trainRewardModel({ pairs, dim: 1000 })).toThrow(/power of two/);
  });
});

describe("pairwiseAccuracy", () => {
  it("agrees with the accuracy training reports, and flips with the labels", () => {
    const pairs = plantedSignalPairs({ count: 120, seed: 8 });
    const { model, metrics } = trainRewardModel({ pairs, dim, epochs: 30 });
    expect(pairwiseAccuracy(model, pairs)).toBeCloseTo(metrics.trainAccuracy, 12);
    const flipped = pairs.map((p) => ({ ...p, chosen: p.rejected, rejected: p.chosen }));
    expect(pairwiseAccuracy(model, flipped)).toBeCloseTo(1 - metrics.trainAccuracy, 12);
  });
});
