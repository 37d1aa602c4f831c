import { describe, expect, it } from "vitest";
import type { PairwiseBattle } from "./bradley-terry-battles.ts";
import { computeBradleyTerryLeaderboard } from "./compute-bradley-terry-leaderboard.ts";
import { createSeededRandom, randomInteger } from "./seeded-random.ts";

function simulateBattles(strengths: Record<string, number>, count: number, seed: number): PairwiseBattle[] {
  const random = createSeededRandom(seed);
  const models = Object.keys(strengths);
  return Array.from({ length: count }, () => {
    const a = randomInteger(random, models.length);
    const b = (a + 1 + randomInteger(random, models.length - 1)) % models.length;
    const pA = 1 / (1 + 10 ** ((strengths[models[b]!]! - strengths[models[a]!]!) / 400));
    return { modelA: models[a]!, modelB: models[b]!, winner: random() < pA ? "a" : "b" };
  });
}

describe("computeBradleyTerryLeaderboard", () => {
  const battles = simulateBattles({ best: 1300, twinA: 1100, twinB: 1100, worst: 900 }, 3000, 5);
  const leaderboard = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 7 });

  it("sorts by rating and brackets each rating with its interval", () => {
    expect(leaderboard.map(({ model }) => model)).toEqual(["best", expect.stringMatching(/twin/), expect.stringMatching(/twin/), "worst"]);
    for (const entry of leaderboard) {
      expect(entry.ciLow).toBeLessThan(entry.rating);
      expect(entry.ciHigh).toBeGreaterThan(entry.rating);
    }
  });

  it("ranks by non-overlapping intervals: indistinguishable twins share a rank", () => {
    const rank = Object.fromEntries(leaderboard.map(({ model, rank }) => [model, rank]));
    expect(rank).toEqual({ best: 1, twinA: 2, twinB: 2, worst: 4 });
  });

  it("counts each model's comparisons", () => {
    const total = leaderboard.reduce((sum, { comparisons }) => sum + comparisons, 0);
    expect(total).toBe(2 * battles.length);
    const bestCount = battles.filter(({ modelA, modelB }) => modelA === "best" || modelB === "best").length;
    expect(leaderboard[0]!.comparisons).toBe(bestCount);
  });

  it("gives intervals of the expected width: about ±1.96 standard errors", () => {
    // Two models, n battles at p = 0.5: the rating gap's standard error is
    // 400 / ln 10 · 1/√(n·p·(1−p)), and each rating carries half of the gap's error.
    const pair = simulateBattles({ x: 1000, y: 1000 }, 4000, 6);
    const [first] = computeBradleyTerryLeaderboard({ battles: pair, bootstrapRounds: 200, seed: 1 });
    const standardError = 400 / Math.LN10 / Math.sqrt(4000 * 0.25) / 2;
    const halfWidth = (first!.ciHigh - first!.ciLow) / 2;
    expect(halfWidth).toBeGreaterThan(1.96 * standardError * 0.8);
    expect(halfWidth).toBeLessThan(1.96 * standardError * 1.2);
  });

  it("defaults to FastChat's intervals (rounds kept as refitted); `aligned` shifts rounds onto the point estimate and gives other widths", () => {
    const fastchat = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 7, interval: "fastchat" });
    expect(computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 7 })).toEqual(fastchat);
    const aligned = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 7, interval: "aligned" });
    expect(aligned.map((e) => e.rating)).toEqual(fastchat.map((e) => e.rating));
    expect(aligned.map((e) => e.ciHigh - e.ciLow)).not.toEqual(fastchat.map((e) => e.ciHigh - e.ciLow));
  });

  it("is deterministic under a seed", () => {
    expect(computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 7 })).toEqual(leaderboard);
    expect(computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, seed: 8 })).not.toEqual(leaderboard);
  });

  it("gives a rarely seen model a wide interval from the rounds it appears in", () => {
    const withNewcomer: PairwiseBattle[] = [
      ...battles,
      { modelA: "newcomer", modelB: "worst", winner: "a" },
      { modelA: "newcomer", modelB: "twinA", winner: "b" },
      { modelA: "best", modelB: "newcomer", winner: "a" },
    ];
    // l2 keeps resamples where the newcomer only won (or only lost) finite.
    // Aligned intervals: with FastChat's (the default) the newcomer's swings move every round's mean and widen everyone's.
    const board = computeBradleyTerryLeaderboard({ battles: withNewcomer, bootstrapRounds: 100, l2: 0.01, interval: "aligned" });
    const newcomer = board.find(({ model }) => model === "newcomer")!;
    const best = board.find(({ model }) => model === "best")!;
    expect(newcomer.comparisons).toBe(3);
    expect(Number.isFinite(newcomer.ciLow) && Number.isFinite(newcomer.ciHigh)).toBe(true);
    expect(newcomer.ciHigh - newcomer.ciLow).toBeGreaterThan(5 * (best.ciHigh - best.ciLow));
  });

  it("bootstraps with style control too", () => {
    const random = createSeededRandom(9);
    const styled = battles.map((battle) => ({
      ...battle,
      styleA: { length: 100 + 400 * random(), headers: 0, lists: 0, bold: 0 },
      styleB: { length: 100 + 400 * random(), headers: 0, lists: 0, bold: 0 },
    }));
    const board = computeBradleyTerryLeaderboard({ battles: styled, bootstrapRounds: 100, styleControl: true });
    expect(board.map(({ model }) => model)[0]).toBe("best");
    for (const entry of board) expect(entry.ciLow).toBeLessThan(entry.ciHigh);
  });

  it("supports an anchor and rejects too few rounds", () => {
    const anchored = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 100, anchor: { model: "worst", rating: 500 } });
    const worst = anchored.find(({ model }) => model === "worst")!;
    expect(worst.rating).toBeCloseTo(500, 8);
    expect(worst.ciLow).toBeCloseTo(500, 8);
    expect(() => computeBradleyTerryLeaderboard({ battles, bootstrapRounds: 50 })).toThrow(RangeError);
    expect(computeBradleyTerryLeaderboard({ battles: [] })).toEqual([]);
  });
});
