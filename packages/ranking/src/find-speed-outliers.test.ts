import { describe, expect, it } from "vitest";
import { findSpeedOutliers } from "./find-speed-outliers.ts";
import { createSeededRandom } from "./seeded-random.ts";

describe("findSpeedOutliers", () => {
  it("finds planted click-through and stalled work among log-normal times", () => {
    const random = createSeededRandom(9);
    const durations = Array.from({ length: 60 }, (_, i) => ({
      id: `normal${i}`,
      // Log-normal around 60 s with σ = 0.3 in log space.
      seconds: 60 * Math.exp(0.3 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
    }));
    durations.push({ id: "clicker1", seconds: 3 }, { id: "clicker2", seconds: 4 }, { id: "stalled", seconds: 1800 });
    const scores = findSpeedOutliers({ durations });
    const flagged = Object.fromEntries(scores.filter(({ outlier }) => outlier).map(({ id, outlier }) => [id, outlier]));
    expect(flagged).toEqual({ clicker1: "fast", clicker2: "fast", stalled: "slow" });
  });

  it("is not fooled by the outliers themselves, unlike a mean/sd z-score", () => {
    const durations = [50, 55, 60, 62, 65, 58, 2, 2, 2].map((seconds, i) => ({ id: `w${i}`, seconds }));
    const robust = findSpeedOutliers({ durations, scale: "linear" });
    expect(robust.filter(({ outlier }) => outlier === "fast")).toHaveLength(3);
    const values = durations.map(({ seconds }) => seconds);
    const mean = values.reduce((total, value) => total + value, 0) / values.length;
    const sd = Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
    expect(Math.abs((2 - mean) / sd)).toBeLessThan(3.5);
  });

  it("needs a minimum absolute gap: 0.4 s beside peers at 0.3 s is not slow, 3 s beside peers at 20 s is fast", () => {
    const tight = [0.3, 0.3, 0.3, 0.31, 0.29, 0.4].map((seconds, i) => ({ id: `w${i}`, seconds }));
    const scores = findSpeedOutliers({ durations: tight });
    // The spread is tiny, so the z-score alone is extreme — the gap rule keeps it from being a flag.
    expect(Math.abs(scores[5]!.robustZ!)).toBeGreaterThan(3.5);
    expect(scores.map((s) => s.outlier)).toEqual([null, null, null, null, null, null]);
    const clicker = findSpeedOutliers({ durations: [20, 22, 19, 25, 21, 3].map((seconds, i) => ({ id: `w${i}`, seconds })) });
    expect(clicker[5]!.outlier).toBe("fast");
    // A gap in seconds is not enough without the ratio: 101 s beside peers at 100 s.
    const slowPeers = [100, 100, 100, 100.2, 99.9, 101.5].map((seconds, i) => ({ id: `w${i}`, seconds }));
    expect(findSpeedOutliers({ durations: slowPeers }).every((s) => s.outlier === null)).toBe(true);
  });

  it("falls back to the mean absolute deviation when most times are identical", () => {
    const durations = [10, 10, 10, 10, 10, 10, 50].map((seconds, i) => ({ id: `w${i}`, seconds }));
    const scores = findSpeedOutliers({ durations });
    // MAD = 0; mean |log deviation| = ln 5 / 7, so z = ln 5 / (ln 5 / 7 / 0.7979) = 7 · 0.7979.
    expect(scores[6]!.robustZ).toBeCloseTo(7 * 0.7979, 10);
    expect(scores[6]!.outlier).toBe("slow");
    expect(scores[0]!.robustZ).toBe(0);
  });

  it("scores nothing when all times are equal, and rejects non-positive times", () => {
    expect(
      findSpeedOutliers({
        durations: [
          { id: "a", seconds: 5 },
          { id: "b", seconds: 5 },
        ],
      }),
    ).toEqual([
      { id: "a", seconds: 5, robustZ: null, outlier: null },
      { id: "b", seconds: 5, robustZ: null, outlier: null },
    ]);
    expect(() => findSpeedOutliers({ durations: [{ id: "a", seconds: 0 }] })).toThrow(RangeError);
  });
});
