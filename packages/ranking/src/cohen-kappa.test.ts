import { describe, expect, it } from "vitest";
import { cohenKappa } from "./cohen-kappa.ts";
import { createSeededRandom, randomInteger } from "./seeded-random.ts";

/** Expands a 2×2 table [[yesYes, yesNo], [noYes, noNo]] into two aligned label lists. */
function fromTable([[yesYes, yesNo], [noYes, noNo]]: [[number, number], [number, number]]) {
  const ratingsA: string[] = [];
  const ratingsB: string[] = [];
  const add = (a: string, b: string, count: number) => {
    for (let i = 0; i < count; i++) {
      ratingsA.push(a);
      ratingsB.push(b);
    }
  };
  add("yes", "yes", yesYes);
  add("yes", "no", yesNo);
  add("no", "yes", noYes);
  add("no", "no", noNo);
  return { ratingsA, ratingsB };
}

describe("cohenKappa", () => {
  // Wikipedia, "Cohen's kappa", worked examples: p_o = 0.7, p_e = 0.5, κ = 0.4; and two
  // tables with the same p_o = 0.6 but κ = 0.1304 and 0.2593.
  it("reproduces Wikipedia's worked examples", () => {
    expect(
      cohenKappa(
        fromTable([
          [20, 5],
          [10, 15],
        ]),
      ),
    ).toBeCloseTo(0.4, 10);
    expect(
      cohenKappa(
        fromTable([
          [45, 15],
          [25, 15],
        ]),
      ),
    ).toBeCloseTo(0.1304, 4);
    expect(
      cohenKappa(
        fromTable([
          [25, 35],
          [5, 35],
        ]),
      ),
    ).toBeCloseTo(0.2593, 4);
  });

  it("weights disagreements by distance for ordered categories", () => {
    // Observed table (rows A, columns B): (1,1) (1,2) (2,2) (2,3) (3,3) (3,2); row totals
    // 2/2/2, column totals 1/3/2. Unweighted: p_o = 1/2, p_e = 1/3, κ = 1/4. Linear weights
    // |i−j|/2: observed 1/4, expected 7.5/18, κ = 0.4. Quadratic weights: observed 1/8,
    // expected 5.25/18, κ = 4/7.
    const ratingsA = [1, 1, 2, 2, 3, 3];
    const ratingsB = [1, 2, 2, 3, 3, 2];
    expect(cohenKappa({ ratingsA, ratingsB })).toBeCloseTo(0.25, 12);
    expect(cohenKappa({ ratingsA, ratingsB, weighting: "linear" })).toBeCloseTo(0.4, 12);
    expect(cohenKappa({ ratingsA, ratingsB, weighting: "quadratic" })).toBeCloseTo(4 / 7, 12);
  });

  it("matches the agreement-weight formula (p_o(w) − p_e(w)) / (1 − p_e(w)) on random data", () => {
    const random = createSeededRandom(7);
    const k = 5;
    const ratingsA = Array.from({ length: 300 }, () => randomInteger(random, k));
    const ratingsB = ratingsA.map((a) => Math.min(k - 1, Math.max(0, a + randomInteger(random, 3) - 1)));
    const agreementForm = (power: number) => {
      const weight = (i: number, j: number) => 1 - (Math.abs(i - j) / (k - 1)) ** power;
      const n = ratingsA.length;
      let observed = 0;
      for (let t = 0; t < n; t++) observed += weight(ratingsA[t]!, ratingsB[t]!) / n;
      let expected = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const pa = ratingsA.filter((value) => value === i).length / n;
          const pb = ratingsB.filter((value) => value === j).length / n;
          expected += weight(i, j) * pa * pb;
        }
      }
      return (observed - expected) / (1 - expected);
    };
    expect(cohenKappa({ ratingsA, ratingsB, weighting: "linear" })).toBeCloseTo(agreementForm(1), 12);
    expect(cohenKappa({ ratingsA, ratingsB, weighting: "quadratic" })).toBeCloseTo(agreementForm(2), 12);
  });

  it("uses the given category order for weights on string labels", () => {
    const categories = ["bad", "ok", "good"];
    const ratingsA = ["bad", "bad", "ok", "ok", "good", "good"];
    const ratingsB = ["bad", "ok", "ok", "good", "good", "ok"];
    expect(cohenKappa({ ratingsA, ratingsB, weighting: "linear", categories })).toBeCloseTo(0.4, 12);
  });

  it("skips missing labels and returns null when kappa is undefined", () => {
    expect(cohenKappa({ ratingsA: ["x", null, "y"], ratingsB: ["x", "y", "y"] })).toBe(1);
    expect(cohenKappa({ ratingsA: [], ratingsB: [] })).toBeNull();
    expect(cohenKappa({ ratingsA: ["x", "x"], ratingsB: ["x", "x"] })).toBeNull();
    expect(() => cohenKappa({ ratingsA: ["x"], ratingsB: [] })).toThrow(RangeError);
  });
});
