import { describe, expect, it } from "vitest";
import { measurePositionBias, type DisplayPositionChoice } from "./position-bias.ts";
import { createSeededRandom } from "./seeded-random.ts";

describe("measurePositionBias", () => {
  it("flags an annotator who mostly picks the first slot", () => {
    const random = createSeededRandom(3);
    const choices: DisplayPositionChoice[] = Array.from({ length: 200 }, () => (random() < 0.8 ? "first" : "second"));
    const bias = measurePositionBias({ choices });
    expect(bias.firstShare!).toBeGreaterThan(0.7);
    expect(bias.pValue!).toBeLessThan(1e-10);
  });

  it("does not flag an unbiased annotator", () => {
    const random = createSeededRandom(4);
    const choices: DisplayPositionChoice[] = Array.from({ length: 200 }, () => (random() < 0.5 ? "first" : "second"));
    expect(measurePositionBias({ choices }).pValue!).toBeGreaterThan(0.05);
  });

  it("leaves ties out of the share and the test", () => {
    const bias = measurePositionBias({ choices: ["first", "first", "first", "second", "tie", "tie"] });
    expect(bias).toMatchObject({ firstCount: 3, secondCount: 1, tieCount: 2, firstShare: 0.75 });
    // P(X ≥ 3) + P(X ≤ 1) for X ~ Bin(4, ½) = 10/16.
    expect(bias.pValue).toBeCloseTo(0.625, 12);
    expect(measurePositionBias({ choices: ["tie"] })).toMatchObject({ firstShare: null, pValue: null });
  });
});
