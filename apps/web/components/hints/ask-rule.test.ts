import { describe, expect, it } from "vitest";
import { askRule } from "./ask-rule";

describe('when the page asks "Keep your choice?"', () => {
  const evidence = { threshold: 0.91, heldOutPairs: 52, precision: 0.96, precisionCi: [0.87, 0.99] as [number, number] };

  it("at the version's validated threshold, saying what it rests on", () => {
    expect(askRule({ gate: "auto", ask: evidence })).toEqual({
      threshold: 0.91,
      basis: "At this confidence it was right on 96 % of 52 held-out pairs (95 % interval 87–99 %)",
      validated: true,
    });
    // Never below 0.8, whatever is stored.
    expect(askRule({ gate: "auto", ask: { ...evidence, threshold: 0.6 } })?.threshold).toBe(0.8);
  });

  it("never with the gate on and no evidence; at 0.8, marked not validated, with the gate off", () => {
    expect(askRule({ gate: "auto", ask: null })).toBeNull();
    expect(askRule(undefined)).toBeNull();
    expect(askRule({ gate: "off", ask: null })).toMatchObject({ threshold: 0.8, validated: false, basis: expect.stringMatching(/^Not validated/) });
    expect(askRule({ gate: "off", ask: evidence })).toMatchObject({ threshold: 0.91, validated: true });
  });
});
