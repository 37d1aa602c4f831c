import { describe, expect, it } from "vitest";
import { combineRankedVerdicts, meanAttributeScores, presentationOrders } from "./combine-verdicts.ts";

describe("presentationOrders", () => {
  it("swaps a pair", () => {
    expect(presentationOrders(["a", "b"], 2)).toEqual([
      ["a", "b"],
      ["b", "a"],
    ]);
  });

  it("spreads rotations evenly and puts every item first once when rotations = K", () => {
    expect(presentationOrders(["a", "b", "c", "d"], 2)).toEqual([
      ["a", "b", "c", "d"],
      ["c", "d", "a", "b"],
    ]);
    expect(presentationOrders(["a", "b", "c"], 9).map((order) => order[0])).toEqual(["a", "b", "c"]);
    expect(presentationOrders(["a", "b", "c"], 1)).toEqual([["a", "b", "c"]]);
  });
});

describe("combineRankedVerdicts", () => {
  const ids = ["x", "y", "z"];

  it("keeps a verdict every order agrees on, with the mean confidence", () => {
    const combined = combineRankedVerdicts({
      candidateIds: ids,
      verdicts: [
        { ranking: [["y"], ["z", "x"]], confidence: 0.9 },
        { ranking: [["y"], ["x", "z"]], confidence: 0.5 },
      ],
      tieWhenInconsistent: false,
    });
    expect(combined).toEqual({ ranking: [["y"], ["x", "z"]], confidence: 0.7, orderConsistent: true });
  });

  it("turns a pairwise disagreement into a tie with no confidence", () => {
    const combined = combineRankedVerdicts({
      candidateIds: ["x", "y"],
      verdicts: [
        { ranking: [["x"], ["y"]], confidence: 0.9 },
        { ranking: [["x", "y"]], confidence: 0.6 },
      ],
      tieWhenInconsistent: true,
    });
    expect(combined).toEqual({ ranking: [["x", "y"]], confidence: 0, orderConsistent: false });
  });

  it("ranks K-wise disagreements by mean position and scales confidence by the pairs that agree", () => {
    const combined = combineRankedVerdicts({
      candidateIds: ids,
      verdicts: [
        { ranking: [["x"], ["y"], ["z"]], confidence: 0.8 },
        { ranking: [["y"], ["x"], ["z"]], confidence: 0.6 },
      ],
      tieWhenInconsistent: false,
    });
    // x–z and y–z agree, x–y does not: 2 of 3 pairs.
    expect(combined.ranking).toEqual([["x", "y"], ["z"]]);
    expect(combined.confidence).toBeCloseTo(0.7 * (2 / 3));
    expect(combined.orderConsistent).toBe(false);
  });

  it("cannot tell consistency from a single order", () => {
    const combined = combineRankedVerdicts({
      candidateIds: ids,
      verdicts: [{ ranking: [["z"], ["y"], ["x"]], confidence: 0.4 }],
      tieWhenInconsistent: false,
    });
    expect(combined).toEqual({ ranking: [["z"], ["y"], ["x"]], confidence: 0.4, orderConsistent: null });
  });
});

describe("meanAttributeScores", () => {
  it("averages each candidate's scores over the orders that gave them", () => {
    expect(
      meanAttributeScores([
        { x: { helpfulness: 4, verbosity: 1 }, y: { helpfulness: 2 } },
        { x: { helpfulness: 3 }, y: { helpfulness: 2 } },
      ]),
    ).toEqual({ x: { helpfulness: 3.5, verbosity: 1 }, y: { helpfulness: 2 } });
  });
});
