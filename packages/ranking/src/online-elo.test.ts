import { describe, expect, it } from "vitest";
import { computeOnlineElo, updateOnlineElo } from "./online-elo.ts";

describe("online Elo", () => {
  it("moves K·(S − E) points: 2 points for a win between equals at K = 4", () => {
    const ratings = new Map<string, number>();
    updateOnlineElo(ratings, { modelA: "x", modelB: "y", winner: "a" });
    expect(ratings.get("x")).toBe(1002);
    expect(ratings.get("y")).toBe(998);
    // Now x is favoured: E_x = 1/(1 + 10^(−4/400)), and a tie costs it K·(0.5 − E_x).
    const expectedX = 1 / (1 + 10 ** (-4 / 400));
    updateOnlineElo(ratings, { modelA: "x", modelB: "y", winner: "tie" });
    expect(ratings.get("x")).toBeCloseTo(1002 + 4 * (0.5 - expectedX), 12);
    expect(ratings.get("x")! + ratings.get("y")!).toBeCloseTo(2000, 9);
  });

  it("depends on battle order, which is why the leaderboard uses Bradley–Terry", () => {
    const battles = [
      { modelA: "x", modelB: "y", winner: "a" as const },
      { modelA: "x", modelB: "y", winner: "b" as const },
    ];
    const forward = computeOnlineElo({ battles });
    const backward = computeOnlineElo({ battles: [...battles].reverse() });
    expect(forward.get("x")).not.toBeCloseTo(backward.get("x")!, 6);
    expect(computeOnlineElo({ battles, k: 32 }).get("x")).not.toBeCloseTo(forward.get("x")!, 3);
  });
});
