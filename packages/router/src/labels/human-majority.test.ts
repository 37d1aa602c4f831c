import { describe, expect, it } from "vitest";
import { humanMajority, judgeDisagreesWithHumans } from "./human-majority.ts";

describe("humanMajority", () => {
  it("takes the strict plurality", () => {
    expect(humanMajority(["a"])).toBe("a");
    expect(humanMajority(["a", "b", "a"])).toBe("a");
    expect(humanMajority(["tie", "tie", "b"])).toBe("tie");
  });
  it("calls a level split a tie", () => {
    expect(humanMajority(["a", "b"])).toBe("tie");
    expect(humanMajority(["a", "b", "c", "c", "a"])).toBe("tie");
  });
  it("rejects an empty list", () => {
    expect(() => humanMajority([])).toThrow();
  });
  it("compares the judge with the majority", () => {
    expect(judgeDisagreesWithHumans({ winner: "a" }, ["a", "a", "b"])).toBe(false);
    expect(judgeDisagreesWithHumans({ winner: "a" }, ["b", "b", "a"])).toBe(true);
    expect(judgeDisagreesWithHumans({ winner: "a" }, ["a", "b"])).toBe(true);
  });
});
