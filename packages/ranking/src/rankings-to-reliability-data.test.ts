import { describe, expect, it } from "vitest";
import { krippendorffAlpha } from "./krippendorff-alpha.ts";
import { rankingsToReliabilityData } from "./rankings-to-reliability-data.ts";

describe("rankingsToReliabilityData", () => {
  it("lines up the same pair across raters whatever order they ranked it in", () => {
    const result = rankingsToReliabilityData({
      judgements: [
        { unit: "t1", rater: "r1", ranking: [["x"], ["y"], ["z"]] },
        { unit: "t1", rater: "r2", ranking: [["z"], ["x", "y"]] },
      ],
    });
    expect(result.raters).toEqual(["r1", "r2"]);
    expect(result.units).toEqual([
      { unit: "t1", a: "x", b: "y" },
      { unit: "t1", a: "x", b: "z" },
      { unit: "t1", a: "y", b: "z" },
    ]);
    expect(result.data).toEqual([
      [1, 0],
      [1, -1],
      [1, -1],
    ]);
  });

  it("leaves pairs a rater did not see missing", () => {
    const { data } = rankingsToReliabilityData({
      judgements: [
        { unit: "t1", rater: "r1", ranking: [["x"], ["y"], ["z"]] },
        { unit: "t1", rater: "r2", ranking: [["x"], ["y"]] },
      ],
    });
    expect(data).toEqual([
      [1, 1],
      [1, null],
      [1, null],
    ]);
  });

  it("feeds Krippendorff's alpha: identical rankings agree perfectly, reversed ones do not", () => {
    const rankings = [
      [["a"], ["b"], ["c"], ["d"]],
      [["d"], ["c"], ["b", "a"]],
    ];
    const same = rankingsToReliabilityData({
      judgements: rankings.flatMap((ranking, unit) => ["r1", "r2", "r3"].map((rater) => ({ unit: `u${unit}`, rater, ranking }))),
    });
    expect(krippendorffAlpha({ data: same.data, level: "ordinal" })).toBe(1);

    const reversed = rankingsToReliabilityData({
      judgements: rankings.flatMap((ranking, unit) => [
        { unit: `u${unit}`, rater: "r1", ranking },
        { unit: `u${unit}`, rater: "r2", ranking: [...ranking].reverse() },
      ]),
    });
    expect(krippendorffAlpha({ data: reversed.data, level: "ordinal" })!).toBeLessThan(0);
  });

  it("rejects a rater ranking the same unit twice", () => {
    expect(() =>
      rankingsToReliabilityData({
        judgements: [
          { unit: "t1", rater: "r1", ranking: [["x"], ["y"]] },
          { unit: "t1", rater: "r1", ranking: [["y"], ["x"]] },
        ],
      }),
    ).toThrow(RangeError);
  });
});
