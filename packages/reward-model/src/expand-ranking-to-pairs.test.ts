import { describe, expect, it } from "vitest";
import { expandRankingToPairs, tiersFromRanks } from "./expand-ranking-to-pairs.ts";

describe("expandRankingToPairs", () => {
  it("makes every earlier tier beat every later one and drops ties", () => {
    const pairs = expandRankingToPairs({ prompt: "p", tiers: [["a"], ["b", "c"], ["d"]] });
    expect(pairs.map((p) => `${p.chosen}>${p.rejected}`)).toEqual(["a>b", "a>c", "a>d", "b>d", "c>d"]);
    expect(pairs.every((p) => p.prompt === "p" && p.group === "p")).toBe(true);
  });

  it("gives nothing for a single tier and skips identical texts", () => {
    expect(expandRankingToPairs({ tiers: [["a", "b", "c"]] })).toEqual([]);
    expect(expandRankingToPairs({ tiers: [["a"], ["a", "b"]], group: "x" })).toEqual([{ prompt: undefined, chosen: "a", rejected: "b", group: "x" }]);
  });
});

describe("tiersFromRanks", () => {
  it("groups equal ranks, best (lowest) first", () => {
    expect(tiersFromRanks(["w", "x", "y", "z"], [2, 1, 2, 3])).toEqual([["x"], ["w", "y"], ["z"]]);
    expect(() => tiersFromRanks(["a"], [1, 2])).toThrow(RangeError);
  });
});
