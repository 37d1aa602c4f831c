import { describe, expect, it } from "vitest";
import { krippendorffAlpha } from "./krippendorff-alpha.ts";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
// (rows A–D) × 12 units, null = missing. Published: nominal .743, ordinal .815,
// interval .849, ratio .797.
const observers = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const units = observers[0]!.map((_, unit) => observers.map((row) => row[unit]!));

describe("krippendorffAlpha", () => {
  it.each([
    ["nominal", 0.743],
    ["ordinal", 0.815],
    ["interval", 0.849],
    ["ratio", 0.797],
  ] as const)("reproduces Krippendorff's worked example at the %s level", (level, published) => {
    expect(krippendorffAlpha({ data: units, level })).toBeCloseTo(published, 3);
  });

  it("orders string categories by categoryOrder for ordinal data", () => {
    const names = ["one", "two", "three", "four", "five"];
    const named = units.map((unit) => unit.map((value) => (value === null ? null : names[value - 1]!)));
    expect(krippendorffAlpha({ data: named, level: "ordinal", categoryOrder: names })).toBeCloseTo(0.815, 3);
    // Nominal alpha ignores order and labels altogether.
    expect(krippendorffAlpha({ data: named, level: "nominal" })).toBeCloseTo(0.743, 3);
  });

  it("is 1 for perfect agreement and below 0 for systematic disagreement", () => {
    expect(
      krippendorffAlpha({
        data: [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        level: "nominal",
      }),
    ).toBe(1);
    expect(
      krippendorffAlpha({
        data: [
          [1, 2],
          [2, 1],
          [1, 2],
          [2, 1],
        ],
        level: "nominal",
      })!,
    ).toBeLessThan(0);
  });

  it("returns null when alpha is undefined", () => {
    expect(krippendorffAlpha({ data: [], level: "nominal" })).toBeNull();
    // A single rater per unit: nothing is pairable.
    expect(
      krippendorffAlpha({
        data: [
          [1, null],
          [null, 2],
          [3, null],
        ],
        level: "interval",
      }),
    ).toBeNull();
    // No variation: expected disagreement is 0.
    expect(
      krippendorffAlpha({
        data: [
          [2, 2],
          [2, 2, 2],
        ],
        level: "ordinal",
      }),
    ).toBeNull();
  });

  it("ignores units with a single value instead of counting them as agreement", () => {
    const withLoneValues = [...units, [7, null, null, null], [null, null, 9, null]];
    expect(krippendorffAlpha({ data: withLoneValues, level: "interval" })).toBeCloseTo(0.849, 3);
  });

  it("rejects non-numeric values at the interval level and unknown ordinal categories", () => {
    expect(() => krippendorffAlpha({ data: [["a", "b"]], level: "interval" })).toThrow(TypeError);
    expect(() => krippendorffAlpha({ data: [["a", "b"]], level: "ordinal", categoryOrder: ["a"] })).toThrow(RangeError);
  });
});
