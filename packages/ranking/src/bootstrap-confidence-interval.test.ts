import { describe, expect, it } from "vitest";
import { bootstrapConfidenceInterval } from "./bootstrap-confidence-interval.ts";
import { krippendorffAlpha } from "./krippendorff-alpha.ts";
import { createSeededRandom } from "./seeded-random.ts";

const mean = (values: readonly number[]) => values.reduce((total, value) => total + value, 0) / values.length;

/** Standard normal draws by Box–Muller, from a seeded source. */
function normalSample(count: number, seed: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

describe("bootstrapConfidenceInterval", () => {
  it("is deterministic under a seed and changes with it", () => {
    const units = normalSample(200, 3);
    const first = bootstrapConfidenceInterval({ units, statistic: mean, rounds: 300, seed: 42 });
    expect(bootstrapConfidenceInterval({ units, statistic: mean, rounds: 300, seed: 42 })).toEqual(first);
    expect(bootstrapConfidenceInterval({ units, statistic: mean, rounds: 300, seed: 43 })).not.toEqual(first);
  });

  it("gives the textbook width for a mean: about ±1.96·σ/√n", () => {
    const units = normalSample(400, 5);
    const { estimate, low, high, validRounds } = bootstrapConfidenceInterval({ units, statistic: mean, rounds: 2000 });
    const sd = Math.sqrt(mean(units.map((value) => (value - estimate!) ** 2)));
    const halfWidth = (1.96 * sd) / Math.sqrt(units.length);
    expect(validRounds).toBe(2000);
    expect(low!).toBeLessThan(estimate!);
    expect(high!).toBeGreaterThan(estimate!);
    expect((high! - low!) / 2).toBeGreaterThan(halfWidth * 0.85);
    expect((high! - low!) / 2).toBeLessThan(halfWidth * 1.15);
  });

  it("resamples whole units for Krippendorff's alpha and skips rounds where it is undefined", () => {
    // Two units out of 12 carry all the variation: many resamples have none.
    const units = [[1, 2], [3, 3], ...Array.from({ length: 10 }, () => [5, 5])];
    const result = bootstrapConfidenceInterval({
      units,
      statistic: (sample) => krippendorffAlpha({ data: sample, level: "interval" }),
      rounds: 200,
      seed: 1,
    });
    expect(result.validRounds).toBeGreaterThan(0);
    expect(result.validRounds).toBeLessThan(200);
    expect(result.low!).toBeLessThanOrEqual(result.high!);
  });

  it("returns nulls for no units", () => {
    expect(bootstrapConfidenceInterval({ units: [], statistic: mean })).toEqual({
      estimate: null,
      low: null,
      high: null,
      validRounds: 0,
    });
  });
});
