import { describe, expect, it } from "vitest";
import { expandRankingToPairs } from "./expand-ranking-to-pairs.ts";

describe("expandRankingToPairs", () => {
  it("turns K items into K(K−1)/2 pairs, winners first", () => {
    const pairs = expandRankingToPairs({ ranking: [["w"], ["x"], ["y"], ["z"]] });
    expect(pairs).toHaveLength(6);
    expect(pairs.every(({ winner }) => winner === "a")).toBe(true);
    expect(pairs.map(({ a, b }) => `${a}>${b}`)).toEqual(["w>x", "w>y", "w>z", "x>y", "x>z", "y>z"]);
  });

  it("keeps ties as ties or drops them", () => {
    const ranking = [["top"], ["mid1", "mid2"], ["low"]];
    const kept = expandRankingToPairs({ ranking });
    expect(kept).toHaveLength(6);
    expect(kept.filter(({ winner }) => winner === "tie")).toEqual([{ a: "mid1", b: "mid2", winner: "tie" }]);
    expect(expandRankingToPairs({ ranking, ties: "drop" })).toHaveLength(5);
  });

  it("orients pairs by id when asked, flipping the winner to match", () => {
    const pairs = expandRankingToPairs({ ranking: [["b"], ["a"]], orientation: "sorted" });
    expect(pairs).toEqual([{ a: "a", b: "b", winner: "b" }]);
  });

  it("rejects an item listed twice", () => {
    expect(() => expandRankingToPairs({ ranking: [["a"], ["b", "a"]] })).toThrow(RangeError);
  });
});
