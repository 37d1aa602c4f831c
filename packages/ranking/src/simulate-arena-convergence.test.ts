import { describe, expect, it } from "vitest";
import { simulateArenaConvergence } from "./simulate-arena-convergence.ts";

describe("simulateArenaConvergence", () => {
  const small = { systems: 16, k: 4, seed: 1, stayExactFor: 500, maxComparisons: 20000 };

  it("converges with far fewer K-wise comparisons than online Elo needs pairs", () => {
    const { elo, arena } = simulateArenaConvergence({ ...small, noise: 0 });
    expect(elo).not.toBeNull();
    expect(arena).not.toBeNull();
    expect(arena! * 8).toBeLessThan(elo!);
  });

  it("still converges with 5 % label noise", () => {
    const { arena } = simulateArenaConvergence({ ...small, noise: 0.05 });
    expect(arena).not.toBeNull();
    expect(arena!).toBeLessThan(1000);
  });

  it("is deterministic under a seed", () => {
    const tiny = { ...small, systems: 10, stayExactFor: 200, noise: 0.05 };
    const first = simulateArenaConvergence(tiny);
    expect(simulateArenaConvergence(tiny)).toEqual(first);
    expect(simulateArenaConvergence({ ...tiny, seed: 2 })).not.toEqual(first);
  });

  it("reports null when a method does not converge within the limit", () => {
    expect(simulateArenaConvergence({ ...small, noise: 0, maxComparisons: 50 })).toEqual({ elo: null, arena: null });
  });

  it("validates its inputs", () => {
    expect(() => simulateArenaConvergence({ ...small, noise: 0.5 })).toThrow(RangeError);
    expect(() => simulateArenaConvergence({ ...small, noise: 0, k: 17 })).toThrow(RangeError);
  });
});
