import { describe, expect, it } from "vitest";
import { fleissKappa } from "./fleiss-kappa.ts";

// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
// P̄ = 0.378, P̄e = 0.213, κ = 0.210.
const counts = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

describe("fleissKappa", () => {
  it("reproduces Wikipedia's worked example", () => {
    expect(fleissKappa({ counts })).toBeCloseTo(0.2099, 4);
  });

  it("gives the same answer from raw labels", () => {
    const ratings = counts.map((row) => row.flatMap((count, category) => Array<string>(count).fill(`c${category}`)));
    expect(fleissKappa({ ratings })).toBeCloseTo(0.2099, 4);
  });

  it("is 1 for unanimous subjects that vary, and null without variation", () => {
    expect(
      fleissKappa({
        ratings: [
          ["a", "a", "a"],
          ["b", "b", "b"],
        ],
      }),
    ).toBe(1);
    expect(
      fleissKappa({
        ratings: [
          ["a", "a"],
          ["a", "a"],
        ],
      }),
    ).toBeNull();
    expect(fleissKappa({ counts: [] })).toBeNull();
    expect(fleissKappa({ ratings: [["a"], ["b"]] })).toBeNull();
  });

  it("rejects a varying number of raters per subject", () => {
    expect(() =>
      fleissKappa({
        counts: [
          [1, 2],
          [1, 1],
        ],
      }),
    ).toThrow(RangeError);
  });
});
