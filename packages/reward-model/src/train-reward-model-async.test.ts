import { afterEach, describe, expect, it, vi } from "vitest";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import {
  RewardTrainingError,
  trainRewardModel,
  trainRewardModelAsync,
  type TrainRewardModelOptions,
  type TrainRewardModelResult,
} from "./train-reward-model.ts";

const dim = 1 << 13;
const pairs = plantedSignalPairs({ count: 600, seed: 11 });

function expectSameResult(actual: TrainRewardModelResult, expected: TrainRewardModelResult): void {
  expect(Buffer.from(actual.model.weights.buffer).equals(Buffer.from(expected.model.weights.buffer))).toBe(true);
  const { ms: actualMs, ...actualMetrics } = actual.metrics;
  const { ms: expectedMs, ...expectedMetrics } = expected.metrics;
  expect(actualMetrics).toEqual(expectedMetrics);
  expect(actualMs).toBeGreaterThan(0);
  expect(expectedMs).toBeGreaterThan(0);
  expect(actual.model.featurizer).toEqual(expected.model.featurizer);
}

describe("trainRewardModelAsync", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each(["lbfgs", "adam"] as const)("gives the same weights (bit for bit) and metrics as trainRewardModel with %s", async (optimizer) => {
    const options: TrainRewardModelOptions = { pairs, dim, l2: 1e-3, seed: 5, holdOut: 0.3, optimizer, epochs: optimizer === "adam" ? 15 : 100 };
    const expected = trainRewardModel(options);
    expect(expected.metrics.heldOutAccuracy).toBeGreaterThan(0.9);
    // The default slice, and a pause after every step (the most interleaving there can be).
    expectSameResult(await trainRewardModelAsync(options), expected);
    expectSameResult(await trainRewardModelAsync(options, { sliceMs: 0 }), expected);
  });

  it("gives the same result with Adam's last batch short and without a hold-out", async () => {
    const options: TrainRewardModelOptions = { pairs: pairs.slice(0, 150), dim, seed: 3, optimizer: "adam", epochs: 3, batchSize: 7 };
    expectSameResult(await trainRewardModelAsync(options, { sliceMs: 0 }), trainRewardModel(options));
  });

  it("gives the same result when it rests between slices (the server's background priority), and refuses a negative rest", async () => {
    const options: TrainRewardModelOptions = { pairs: pairs.slice(0, 150), dim, seed: 3, holdOut: 0.2, epochs: 20 };
    expectSameResult(await trainRewardModelAsync(options, { sliceMs: 1, restMs: 1 }), trainRewardModel(options));
    await expect(trainRewardModelAsync(options, { restMs: -1 })).rejects.toThrow(RangeError);
  });

  it("lets other work on the event loop run while it trains", async () => {
    // The default featurizer (what the in-server job trains with), a few hundred pairs: a run of
    // a few hundred ms.
    const options: TrainRewardModelOptions = { pairs: plantedSignalPairs({ count: 500, seed: 4 }), seed: 1, l2: 1e-3, holdOut: 0.2 };
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const interval = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 1);
    const started = performance.now();
    let result: TrainRewardModelResult;
    try {
      result = await trainRewardModelAsync(options);
    } finally {
      clearInterval(interval);
    }
    const total = performance.now() - started;
    longestGap = Math.max(longestGap, performance.now() - last);
    expect(result.metrics.ms).toBeGreaterThan(0);
    expect(result.metrics.ms).toBeLessThanOrEqual(total);
    // Slices of ~8 ms: dozens of ticks in a run of a few hundred ms, and no stall anywhere near
    // the whole run (a synchronous run would give 0 ticks and one gap as long as the run). Loose
    // bounds: a loaded CI box stretches slices, a fast one shortens the run.
    expect(ticks).toBeGreaterThanOrEqual(8);
    expect(longestGap).toBeLessThan(total / 4);
  });

  it.each([
    ["a MessageChannel", ["setImmediate"]],
    ["setTimeout", ["setImmediate", "MessageChannel"]],
  ] as const)("pauses with %s where setImmediate does not exist (browsers, workers)", async (_, missing) => {
    const options: TrainRewardModelOptions = { pairs: pairs.slice(0, 100), dim, seed: 2, holdOut: 0.2, epochs: 20 };
    const expected = trainRewardModel(options);
    for (const name of missing) vi.stubGlobal(name, undefined);
    const result = await trainRewardModelAsync(options, { sliceMs: 0 });
    vi.unstubAllGlobals();
    expectSameResult(result, expected);
  });

  it("rejects bad options as trainRewardModel throws them", async () => {
    await expect(trainRewardModelAsync({ pairs: [], dim })).rejects.toThrow(RewardTrainingError);
    await expect(trainRewardModelAsync({ pairs, dim, holdOut: 1 })).rejects.toThrow(/holdOut/);
    await expect(trainRewardModelAsync({ pairs, dim, optimizer: "adam", batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(trainRewardModelAsync({ pairs, dim }, { sliceMs: Number.NaN })).rejects.toThrow(RangeError);
  });
});
