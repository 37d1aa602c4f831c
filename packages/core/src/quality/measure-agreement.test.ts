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

  it("computes nominal α over the shared categories by hand: 1 − (4/11)/(76/110) = 9/19", () => {
    // Categories: first (a·), second (b·), tie — the same on every item. Values: first 5, second 4,
    // tie 2 → n = 11. Disagreeing coincidences: i2 first·second 2, i3 tie·second 2 → D_o = 4/11,
    // D_e = (11² − Σ n_c²)/(11·10) = (121 − 45)/110. (Response ids as categories gave 29/49: the
    // per-item categories shrink chance disagreement, inflating α.)
    expect(agreement.krippendorffAlpha).toBeCloseTo(9 / 19, 12);
    expect(agreement.pairableUnits).toBe(4);
    expect(agreement.unitKind).toBe("items");
    const [low, high] = agreement.krippendorffAlphaCi!;
    expect(low).toBeLessThanOrEqual(9 / 19);
    expect(high).toBeGreaterThanOrEqual(9 / 19);
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

  it("expands rankings into pair units whose categories are the pair's earlier (first) or later (second) response, or tie", () => {
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
    // Pairs xy: first,first,tie; xz: first,first,second; yz: first,first,second. Each unit has 4
    // disagreeing ordered pairs of values, weighted 1/(m − 1) = 1/2 → 2 per unit, D_o = 6/9;
    // n_first = 6, n_second = 2, n_tie = 1 → D_e = (81 − 41)/72 → α = 1 − (6/9)/(40/72) = −1/5.
    expect(same.krippendorffAlpha).toBeCloseTo(-1 / 5, 12);
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

describe("α on shared categories", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example with
  // missing data: observers A–D × 12 units, values 1–5. Published nominal α = 0.743.
  const published = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ];

  it("reproduces Krippendorff's published worked example (nominal α 0.743) when value v is the pick of the item's v-th response", () => {
    // Twelve pick-the-best items of five responses each, whose ids differ per item (as database keys do).
    const fiveWay = new Map(
      published[0]!.map((_, u) => [
        `u${u}`,
        {
          id: `u${u}`,
          externalId: `u${u}`,
          isGold: false,
          responses: [0, 1, 2, 3, 4].map((p) => ({ id: `u${u}-r${p}`, position: 10 * p, model: null, content: "" })),
        },
      ]),
    );
    const votes = published.flatMap((row, observer) =>
      row.flatMap((value, u) =>
        value === null ? [] : [judgment(`u${u}`, `obs${observer}`, `u${u}-r${value - 1}`, { presentedOrder: [0, 1, 2, 3, 4].map((p) => `u${u}-r${p}`) })],
      ),
    );
    const result = measureAgreement({ items: fiveWay, judgments: votes, overlap: 4, attributeNames: [] });
    expect(result.pairableUnits).toBe(11); // unit 12 has one value
    expect(result.krippendorffAlpha).toBeCloseTo(0.743, 3);
  });

  it("equals a second implementation (coincidence matrix over place labels) on random campaigns, and ignores the responses' ids", () => {
    const random = createSeededRandom(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(random() * 15);
      const pool = new Map(Array.from({ length: n }, (_, k) => [`i${k}`, pairItem(k)]));
      const votes: QualityJudgment[] = [];
      const reference: string[][] = [];
      for (let k = 0; k < n; k++) {
        const unit: string[] = [];
        for (const rater of ["A", "B", "C", "D"]) {
          if (random() < 0.3) continue;
          const r = random();
          const [choice, label] = r < 0.45 ? [`a${k}`, "first"] : r < 0.85 ? [`b${k}`, "second"] : r < 0.95 ? ["tie", "tie"] : ["both_bad", "both_bad"];
          votes.push(judgment(`i${k}`, rater, choice));
          unit.push(label);
        }
        reference.push(unit);
      }
      const expected = coincidenceAlpha(reference);
      const result = measureAgreement({ items: pool, judgments: votes, overlap: 4, attributeNames: [], bootstrapRounds: 10 });
      if (expected === null) expect(result.krippendorffAlpha).toBeNull();
      else expect(result.krippendorffAlpha).toBeCloseTo(expected, 12);
    }
  });
});

/** Textbook nominal α: build the full coincidence matrix o_ck, then α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. */
function coincidenceAlpha(units: string[][]): number | null {
  const o = new Map<string, number>();
  const categories = new Set<string>();
  for (const unit of units) {
    const m = unit.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const key = `${unit[i]}|${unit[j]}`;
        o.set(key, (o.get(key) ?? 0) + 1 / (m - 1));
        categories.add(unit[i]!);
      }
    }
  }
  const marginal = new Map<string, number>();
  for (const c of categories)
    marginal.set(
      c,
      [...categories].reduce((sum, k) => sum + (o.get(`${c}|${k}`) ?? 0), 0),
    );
  const total = [...marginal.values()].reduce((a, b) => a + b, 0);
  let observed = 0;
  let expected = 0;
  for (const c of categories) {
    for (const k of categories) {
      if (c === k) continue;
      observed += o.get(`${c}|${k}`) ?? 0;
      expected += marginal.get(c)! * marginal.get(k)!;
    }
  }
  if (total <= 1 || expected === 0) return null;
  return 1 - ((total - 1) * observed) / expected;
}

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
