import { describe, expect, it } from "vitest";
import { createSeededRandom, krippendorffAlpha } from "@arbiter/ranking";
import { nominalAlpha } from "./nominal-alpha.ts";
import { measureAgreement } from "./measure-agreement.ts";
import { measureAnnotators } from "./measure-annotators.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

function pairItem(n: number): QualityItem {
  return {
    id: `i${n}`,
    externalId: `item-${n}`,
    isGold: false,
    responses: [
      { id: `a${n}`, position: 0, model: "m-a", content: "" },
      { id: `b${n}`, position: 1, model: "m-b", content: "" },
    ],
  };
}

let counter = 0;
function judgment(itemId: string, userId: string | null, choice: string, extra: Partial<QualityJudgment> = {}): QualityJudgment {
  const n = itemId.slice(1);
  const isVerdict = choice === "tie" || choice === "both_bad";
  return {
    id: `j${counter++}`,
    itemId,
    source: userId ? "human" : "judge",
    userId,
    judgeModel: userId ? null : "judge-1",
    verdict: isVerdict ? (choice as "tie" | "both_bad") : "winner",
    winnerId: isVerdict ? null : choice,
    ranking: null,
    strength: null,
    attributes: null,
    presentedOrder: [`a${n}`, `b${n}`],
    timeMs: 1000,
    isGold: false,
    goldCorrect: null,
    createdAt: new Date(2026, 0, 1, 0, counter),
    ...extra,
  };
}

// Three annotators on four pairwise items (C left item 4 out), and a judge on all four.
const items = new Map([1, 2, 3, 4].map((n) => [`i${n}`, pairItem(n)]));
const judgments = [
  judgment("i1", "A", "a1"),
  judgment("i1", "B", "a1"),
  judgment("i1", "C", "a1"),
  judgment("i2", "A", "a2"),
  judgment("i2", "B", "a2"),
  judgment("i2", "C", "b2"),
  judgment("i3", "A", "tie"),
  judgment("i3", "B", "tie"),
  judgment("i3", "C", "b3"),
  judgment("i4", "A", "b4"),
  judgment("i4", "B", "b4"),
  judgment("i1", null, "a1"),
  judgment("i2", null, "b2"),
  judgment("i3", null, "tie"),
  judgment("i4", null, "b4"),
];

describe("measureAgreement", () => {
  const agreement = measureAgreement({ items, judgments, overlap: 3, attributeNames: [] });

  it("computes nominal α over verdict categories by hand: 1 − (4/11)/(98/110) = 29/49", () => {
    // Coincidences: a1·a1 3; a2·a2 1, a2·b2 1+1; tie·tie 1, tie·b3 1+1; b4·b4 2 → n = 11,
    // D_o = 4/11, D_e = (11² − Σ n_c²)/(11·10) = (121 − 23)/110.
    expect(agreement.krippendorffAlpha).toBeCloseTo(29 / 49, 12);
    expect(agreement.pairableUnits).toBe(4);
    expect(agreement.unitKind).toBe("items");
    const [low, high] = agreement.krippendorffAlphaCi!;
    expect(low).toBeLessThanOrEqual(29 / 49);
    expect(high).toBeGreaterThanOrEqual(29 / 49);
  });

  it("computes Cohen's κ per pair on the item's own response order (A–B 1, A–C and B–C 1/7)", () => {
    const byPair = Object.fromEntries(agreement.cohenKappaPairwise.pairs.map((p) => [`${p.annotatorA}${p.annotatorB}`, p]));
    expect(byPair.AB).toMatchObject({ kappa: 1, sharedUnits: 4 });
    expect(byPair.AC!.kappa).toBeCloseTo(1 / 7, 12);
    expect(byPair.BC!.kappa).toBeCloseTo(1 / 7, 12);
    expect(agreement.cohenKappaPairwise.mean).toBeCloseTo(3 / 7, 12);
  });

  it("computes Fleiss' κ over the items with exactly `overlap` verdicts: (5/9 − 11/27)/(1 − 11/27) = 1/4", () => {
    expect(agreement.fleissUnits).toBe(3);
    expect(agreement.fleissKappa).toBeCloseTo(1 / 4, 12);
  });

  it("computes human-majority vs judge κ = 7/11", () => {
    expect(agreement.humanVsJudgeUnits).toBe(4);
    expect(agreement.humanVsJudgeCohenKappa).toBeCloseTo(7 / 11, 12);
  });

  it("reports leave-one-out agreement per annotator", () => {
    const figures = new Map(
      measureAnnotators({ items, judgments, members: new Map(), goldPauseThreshold: null, goldPauseMinJudgments: 5 }).map((f) => [f.userId, f]),
    );
    expect(figures.get("A")!.leaveOneOutAgreement).toBeCloseTo(0.75, 12);
    expect(figures.get("B")!.leaveOneOutAgreement).toBeCloseTo(0.75, 12);
    expect(figures.get("C")!.leaveOneOutAgreement).toBeCloseTo(1 / 3, 12);
    expect(figures.get("C")!.dawidSkeneAccuracy).toBeLessThan(figures.get("A")!.dawidSkeneAccuracy!);
  });

  it("expands rankings into pair units whose categories are the preferred response or tie", () => {
    const item: QualityItem = {
      id: "k",
      externalId: "k",
      isGold: false,
      responses: ["x", "y", "z"].map((id, position) => ({ id, position, model: null, content: "" })),
    };
    const ranked = (userId: string, ranking: string[][]) =>
      judgment("k", userId, "x", { verdict: "ranking", winnerId: null, ranking, presentedOrder: ["x", "y", "z"] });
    // Both agree on every pair: α = 1 over 3 pair units.
    const same = measureAgreement({
      items: new Map([["k", item]]),
      judgments: [ranked("A", [["x"], ["y"], ["z"]]), ranked("B", [["x"], ["y"], ["z"]]), ranked("C", [["z"], ["y", "x"]])],
      overlap: 2,
      attributeNames: [],
    });
    expect(same.unitKind).toBe("item_pairs");
    expect(same.pairableUnits).toBe(3);
    // Pairs xy: x,x,tie; xz: x,x,z; yz: y,y,z. Coincidences: x·x 1+1, x·tie 1, tie·x 1, x·z 1, z·x 1, y·y 1, y·z 1, z·y 1.
    // n = 9; n_x = 4, n_y = 2, n_z = 2, n_tie = 1; D_o = 6/9, D_e = (81 − 25)/72 → α = 1 − (6/9)/(56/72) = 1/7.
    expect(same.krippendorffAlpha).toBeCloseTo(1 / 7, 12);
  });

  it("measures ordinal α of signed strength and of attribute ratings", () => {
    const withStrength = [
      judgment("i1", "A", "a1", { strength: 3, attributes: { a1: { helpfulness: 4 }, b1: { helpfulness: 1 } } }),
      judgment("i1", "B", "a1", { strength: 3, attributes: { a1: { helpfulness: 4 }, b1: { helpfulness: 1 } } }),
      judgment("i2", "A", "b2", { strength: 1, attributes: { a2: { helpfulness: 2 }, b2: { helpfulness: 3 } } }),
      judgment("i2", "B", "b2", { strength: 1, attributes: { a2: { helpfulness: 2 }, b2: { helpfulness: 3 } } }),
    ];
    const result = measureAgreement({ items, judgments: withStrength, overlap: 2, attributeNames: ["helpfulness", "correctness"] });
    expect(result.strengthKrippendorffAlpha).toBe(1);
    expect(result.attributeKrippendorffAlpha).toEqual({ helpfulness: 1, correctness: null });
  });

  it("is null, not a number, with nothing to compare", () => {
    const result = measureAgreement({ items, judgments: [judgment("i1", "A", "a1")], overlap: 3, attributeNames: [] });
    expect(result).toMatchObject({ krippendorffAlpha: null, krippendorffAlphaCi: null, fleissKappa: null, humanVsJudgeCohenKappa: null, pairableUnits: 0 });
  });
});

describe("nominalAlpha", () => {
  it("equals @arbiter/ranking's krippendorffAlpha (nominal) on random data with missing values", () => {
    const random = createSeededRandom(11);
    for (let trial = 0; trial < 200; trial++) {
      const categories = ["x", "y", "z", "w"].slice(0, 1 + Math.floor(random() * 4));
      const units = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        Array.from({ length: Math.floor(random() * 5) }, () => categories[Math.floor(random() * categories.length)]!),
      );
      const reference = krippendorffAlpha({ data: units, level: "nominal" });
      const fast = nominalAlpha(units);
      if (reference === null) expect(fast).toBeNull();
      else expect(fast).toBeCloseTo(reference, 12);
    }
  });
});
