import { describe, expect, it } from "vitest";
import { parseBudgetArg } from "./parse-budget-arg.ts";

describe("parseBudgetArg", () => {
  it("reads fractions, percentages and counts", () => {
    expect(parseBudgetArg("0.25")).toEqual({ fraction: 0.25 });
    expect(parseBudgetArg("1")).toEqual({ fraction: 1 });
    expect(parseBudgetArg("25%")).toEqual({ fraction: 0.25 });
    expect(parseBudgetArg("40")).toEqual({ count: 40 });
  });
  it.each(["2.5", "-0.1", "abc", "", "150%"])("rejects %j", (text) => {
    expect(() => parseBudgetArg(text)).toThrow(/--budget/);
  });
});
