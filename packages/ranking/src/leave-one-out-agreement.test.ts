import { describe, expect, it } from "vitest";
import { leaveOneOutMajorityAgreement } from "./leave-one-out-agreement.ts";

describe("leaveOneOutMajorityAgreement", () => {
  it("compares each annotator with the others' majority only", () => {
    const labels = [
      { item: "i1", annotator: "ann", label: "X" },
      { item: "i1", annotator: "bob", label: "X" },
      { item: "i1", annotator: "cat", label: "Y" },
      { item: "i2", annotator: "ann", label: "X" },
      { item: "i2", annotator: "bob", label: "X" },
      { item: "i2", annotator: "cat", label: "X" },
      // Only one annotator: nobody to compare with.
      { item: "i3", annotator: "cat", label: "Y" },
    ];
    // i1: ann and bob each face a 1–1 tie among the others (credit 1/2); cat faces X, X (0).
    expect(leaveOneOutMajorityAgreement({ labels })).toEqual([
      { annotator: "ann", agreement: 0.75, comparedItems: 2 },
      { annotator: "bob", agreement: 0.75, comparedItems: 2 },
      { annotator: "cat", agreement: 0.5, comparedItems: 2 },
    ]);
  });

  it("reports null for an annotator who never shares an item", () => {
    expect(leaveOneOutMajorityAgreement({ labels: [{ item: "i", annotator: "solo", label: "X" }] })).toEqual([
      { annotator: "solo", agreement: null, comparedItems: 0 },
    ]);
  });
});
