import { describe, expect, it } from "vitest";
import { rewardPairsFromJudgment } from "./reward-pairs-from-judgment.ts";

const item = {
  id: "i1",
  prompt: "Q?",
  responses: new Map([
    ["a", "A text"],
    ["b", "B text"],
    ["c", "C text"],
    ["d", "D text"],
  ]),
};

describe("rewardPairsFromJudgment", () => {
  it("turns picks, best-of-K and rankings into pairs, and ties into none", () => {
    expect(rewardPairsFromJudgment({ verdict: "winner", winnerId: "b", ranking: null, presentedOrder: ["a", "b"] }, item)).toEqual([
      { prompt: "Q?", chosen: "B text", rejected: "A text", group: "i1" },
    ]);
    expect(rewardPairsFromJudgment({ verdict: "winner", winnerId: "c", ranking: null, presentedOrder: ["a", "b", "c"] }, item).map((p) => p.rejected)).toEqual([
      "A text",
      "B text",
    ]);
    const ranked = rewardPairsFromJudgment(
      { verdict: "ranking", winnerId: null, ranking: [["a"], ["b", "c"], ["d"]], presentedOrder: ["a", "b", "c", "d"] },
      item,
    );
    expect(ranked.map((p) => `${p.chosen[0]}>${p.rejected[0]}`)).toEqual(["A>B", "A>C", "A>D", "B>D", "C>D"]);
    expect(rewardPairsFromJudgment({ verdict: "tie", winnerId: null, ranking: null, presentedOrder: ["a", "b"] }, item)).toEqual([]);
    expect(rewardPairsFromJudgment({ verdict: "both_bad", winnerId: null, ranking: null, presentedOrder: ["a", "b"] }, item)).toEqual([]);
    expect(rewardPairsFromJudgment({ verdict: "winner", winnerId: "zz", ranking: null, presentedOrder: ["a", "zz"] }, item)).toEqual([]);
  });
});
