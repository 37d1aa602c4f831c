import { describe, expect, it } from "vitest";
import { selectKWiseMatch, type ArenaSystem } from "./select-kwise-match.ts";

const system = (id: string, mu: number, comparisons: number, sigma = 2): ArenaSystem => ({
  id,
  belief: { mu, sigma },
  comparisons,
});

describe("selectKWiseMatch", () => {
  const systems = [system("a", 30, 10), system("b", 25, 3), system("c", 24, 10), system("d", 26, 10), system("e", 10, 10), system("f", 40, 10)];

  it("pivots on the least-compared system and adds the closest skills", () => {
    const match = selectKWiseMatch({ systems, timesCompared: () => 1, totalComparisons: 20, k: 3 });
    expect(match[0]).toBe("b");
    expect(new Set(match.slice(1))).toEqual(new Set(["c", "d"]));
  });

  it("explores a rarely compared pair over a slightly closer, often compared one", () => {
    const timesCompared = (x: string, y: string) => ([x, y].includes("c") ? 30 : 0);
    const match = selectKWiseMatch({ systems, timesCompared, totalComparisons: 200, k: 3 });
    expect(match).toEqual(["b", "d", "a"]);
  });

  it("does not chase exploration into hopeless mismatches", () => {
    const timesCompared = (x: string, y: string) => ([x, y].includes("e") || [x, y].includes("f") ? 0 : 5);
    const match = selectKWiseMatch({ systems, timesCompared, totalComparisons: 200, k: 3 });
    expect(match).not.toContain("e");
    expect(match).not.toContain("f");
  });

  it("breaks ties by id so the choice is reproducible", () => {
    const equal = ["q", "p", "s", "r"].map((id) => system(id, 25, 0));
    expect(selectKWiseMatch({ systems: equal, timesCompared: () => 0, totalComparisons: 0, k: 2 })).toEqual(["p", "q"]);
  });

  it("rejects k outside [2, number of systems]", () => {
    expect(() => selectKWiseMatch({ systems, timesCompared: () => 0, totalComparisons: 0, k: 7 })).toThrow(RangeError);
    expect(() => selectKWiseMatch({ systems, timesCompared: () => 0, totalComparisons: 0, k: 1 })).toThrow(RangeError);
  });
});
