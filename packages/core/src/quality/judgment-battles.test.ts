import { describe, expect, it } from "vitest";
import { verdictToModelRanking } from "../arena/model-ranking.ts";
import { judgmentBattles } from "./judgment-battles.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";
import { toCsv } from "./to-csv.ts";

const item: QualityItem = {
  id: "i",
  externalId: "i",
  isGold: false,
  responses: [
    { id: "r1", position: 0, model: "big", content: "# Title\n\n- one\n- two\n\n**bold**" },
    { id: "r2", position: 1, model: "small", content: "short" },
    { id: "r3", position: 2, model: "mid", content: "medium answer" },
    { id: "r4", position: 3, model: null, content: "no model" },
  ],
};

function judgment(extra: Partial<QualityJudgment>): QualityJudgment {
  return {
    id: "j",
    itemId: "i",
    source: "human",
    userId: "u",
    judgeModel: null,
    verdict: "winner",
    winnerId: null,
    ranking: null,
    strength: null,
    attributes: null,
    presentedOrder: ["r2", "r1"],
    timeMs: null,
    isGold: false,
    goldCorrect: null,
    createdAt: new Date(0),
    ...extra,
  };
}

describe("judgmentBattles", () => {
  it("turns a pairwise winner into one battle and both_bad into a tie", () => {
    expect(judgmentBattles(judgment({ winnerId: "r2" }), item)).toEqual([{ modelA: "small", modelB: "big", winner: "a" }]);
    expect(judgmentBattles(judgment({ verdict: "both_bad" }), item)).toEqual([{ modelA: "small", modelB: "big", winner: "tie" }]);
  });

  it("expands a ranking with ties and skips responses without a model", () => {
    const battles = judgmentBattles(judgment({ verdict: "ranking", ranking: [["r3"], ["r1", "r4"], ["r2"]], presentedOrder: ["r1", "r2", "r3", "r4"] }), item);
    expect(battles).toEqual([
      { modelA: "mid", modelB: "big", winner: "a" },
      { modelA: "mid", modelB: "small", winner: "a" },
      { modelA: "big", modelB: "small", winner: "a" },
    ]);
  });

  it("lets a pick among K beat each other shown response, and measures style when asked", () => {
    const battles = judgmentBattles(judgment({ winnerId: "r1", presentedOrder: ["r1", "r2", "r3"] }), item, { style: true });
    expect(battles.map((b) => [b.modelA, b.modelB, b.winner])).toEqual([
      ["big", "small", "a"],
      ["big", "mid", "a"],
    ]);
    expect(battles[0]!.styleA).toMatchObject({ headers: 1, lists: 2, bold: 1 });
  });
});

describe("verdictToModelRanking", () => {
  const modelOf = (id: string) => item.responses.find((r) => r.id === id)?.model;
  it("maps tiers to models and refuses verdicts that rank nothing", () => {
    expect(verdictToModelRanking({ verdict: "ranking", winnerId: null, ranking: [["r2"], ["r1", "r4"], ["r3"]], shown: [], modelOf })).toEqual([
      ["small"],
      ["big"],
      ["mid"],
    ]);
    expect(verdictToModelRanking({ verdict: "winner", winnerId: "r3", ranking: null, shown: ["r1", "r3", "r2"], modelOf })).toEqual([
      ["mid"],
      ["big", "small"],
    ]);
    expect(verdictToModelRanking({ verdict: "both_bad", winnerId: null, ranking: null, shown: ["r1", "r2"], modelOf })).toBeNull();
    expect(verdictToModelRanking({ verdict: "tie", winnerId: null, ranking: null, shown: ["r1", "r4"], modelOf })).toBeNull();
  });
});

describe("toCsv", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    expect(
      toCsv([
        { a: "x,y", b: 'say "hi"', c: null, d: 1.5 },
        { a: "=SUM(A1)", b: "ok", c: 0, d: -2 },
      ]),
    ).toBe('a,b,c,d\r\n"x,y","say ""hi""",,1.5\r\n\'=SUM(A1),ok,0,-2\r\n');
  });
});
