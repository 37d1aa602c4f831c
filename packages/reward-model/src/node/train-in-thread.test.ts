import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { plantedSignalPairs } from "../testing/planted-signal-pairs.ts";
import { RewardTrainingError, trainRewardModel, type TrainRewardModelOptions } from "../train-reward-model.ts";
import { stopTrainingThread, trainRewardModelInThread, TrainingThreadError } from "./train-in-thread.ts";

const dim = 1 << 13;
const pairs = plantedSignalPairs({ count: 400, seed: 17 });

/** Nice values of this process's threads (Linux), from /proc/self/task/<tid>/stat field 19. */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

afterAll(async () => {
  await stopTrainingThread();
});

describe("trainRewardModelInThread", () => {
  it("gives the same weights (bit for bit) and metrics as trainRewardModel, for requests in flight together", async () => {
    const a: TrainRewardModelOptions = { pairs, dim, seed: 2, holdOut: 0.25 };
    const b: TrainRewardModelOptions = { pairs: pairs.slice(0, 120), dim, seed: 9, optimizer: "adam", epochs: 5 };
    const [inThreadA, inThreadB] = await Promise.all([trainRewardModelInThread(a), trainRewardModelInThread(b)]);
    for (const [actual, options] of [
      [inThreadA, a],
      [inThreadB, b],
    ] as const) {
      const expected = trainRewardModel(options);
      expect(Buffer.from(actual.model.weights.buffer).equals(Buffer.from(expected.model.weights.buffer))).toBe(true);
      const { ms: _actualMs, ...actualMetrics } = actual.metrics;
      const { ms: _expectedMs, ...expectedMetrics } = expected.metrics;
      expect(actualMetrics).toEqual(expectedMetrics);
      expect(actual.model.featurizer).toEqual(expected.model.featurizer);
    }
    expect(inThreadA.metrics.heldOutAccuracy).toBeGreaterThan(0.85);
  });

  it.runIf(process.platform === "linux")("runs at the lowest CPU priority on Linux, while this thread keeps its own", async () => {
    await trainRewardModelInThread({ pairs: pairs.slice(0, 20), dim, seed: 1 });
    const own = readFileSync("/proc/thread-self/stat", "utf8");
    const ownNice = Number(own.slice(own.lastIndexOf(")") + 2).split(" ")[16]);
    expect(ownNice).toBeLessThan(19);
    expect(threadNiceValues()).toContain(19);
  });

  it("rejects bad options with RewardTrainingError, as trainRewardModel throws it, and keeps serving", async () => {
    await expect(trainRewardModelInThread({ pairs: [], dim })).rejects.toThrow(RewardTrainingError);
    await expect(trainRewardModelInThread({ pairs, dim, holdOut: 1 })).rejects.toThrow("holdOut must be in [0, 1)");
    const after = await trainRewardModelInThread({ pairs: pairs.slice(0, 30), dim, seed: 4 });
    expect(after.metrics.pairs).toBe(30);
  });

  it("fails what it was running with TrainingThreadError when the thread dies, and starts a new one for the next request", async () => {
    const running = trainRewardModelInThread({ pairs, dim, seed: 3, epochs: 200 });
    const failed = expect(running).rejects.toThrow(TrainingThreadError);
    await stopTrainingThread();
    await failed;
    const next = await trainRewardModelInThread({ pairs: pairs.slice(0, 30), dim, seed: 4 });
    expect(next.metrics.pairs).toBe(30);
  });
});
