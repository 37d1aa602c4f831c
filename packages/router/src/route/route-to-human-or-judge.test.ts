import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DisagreementModel } from "../model/disagreement-model.ts";
import type { Budget, RoutingItem } from "../types.ts";
import { resolveBudget } from "./resolve-budget.ts";
import { routeToHumanOrJudge } from "./route-to-human-or-judge.ts";

const uncertainty: DisagreementModel = { kind: "judge-uncertainty", trainedOn: 0, positiveRate: null, reason: "test" };

// A hand-set logistic model: only order inconsistency and judge confidence matter.
const logistic: DisagreementModel = {
  kind: "logistic",
  featureSet: "core",
  intercept: -1,
  l2: 1,
  trainedOn: 100,
  positiveRate: 0.3,
  validation: { folds: 5, logisticAuc: 0.7, logisticLogLoss: 0.5, judgeUncertaintyAuc: 0.6, baselineLogLoss: 0.6 },
  features: [
    { name: "judge_order_inconsistent", transform: "identity", mean: 0.2, std: 0.4, coefficient: 1.2 },
    { name: "judge_confidence", transform: "identity", mean: 0.8, std: 0.1, coefficient: -0.8 },
  ],
};

// fc.double spreads its values over bit patterns (mostly denormals and values near 1); a grid in
// [0, 1] exercises budgets and confidences the way real ones look.
const unitInterval = fc.oneof(
  fc.integer({ min: 0, max: 1000 }).map((k) => k / 1000),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

const itemArbitrary = fc.record({
  confidence: fc.option(unitInterval, { nil: undefined }),
  consistent: fc.option(fc.boolean(), { nil: undefined }),
  winner: fc.constantFrom("a", "b", "tie"),
  a: fc.string({ maxLength: 30 }),
  b: fc.string({ maxLength: 30 }),
});

const itemsArbitrary = fc.array(itemArbitrary, { maxLength: 40, size: "max" }).map((rows) =>
  rows.map((row, i): RoutingItem => ({
    id: `item-${i}`,
    prompt: "p",
    responses: [
      { id: "a", content: row.a },
      { id: "b", content: row.b },
    ],
    judge: { winner: row.winner, confidence: row.confidence, consistent: row.consistent },
  })),
);

const budgetArbitrary: fc.Arbitrary<Budget> = fc.oneof(
  unitInterval.map((fraction) => ({ fraction })),
  fc.nat({ max: 60 }).map((count) => ({ count })),
  unitInterval,
);

function item(id: string, judge: RoutingItem["judge"]): RoutingItem {
  return {
    id,
    prompt: "p",
    responses: [
      { id: "a", content: "x" },
      { id: "b", content: "y" },
    ],
    judge,
  };
}

describe("routeToHumanOrJudge", () => {
  it("never exceeds the budget and always spends it when items are available", () => {
    fc.assert(
      fc.property(itemsArbitrary, budgetArbitrary, fc.integer(), fc.constantFrom(uncertainty, logistic), (items, budget, seed, model) => {
        const result = routeToHumanOrJudge({ items, model, budget, seed });
        const human = result.decisions.filter((d) => d.route === "human").length;
        const limit =
          typeof budget === "number" || "fraction" in budget
            ? Math.floor((typeof budget === "number" ? budget : budget.fraction) * items.length + 1e-9)
            : budget.count;
        expect(human).toBeLessThanOrEqual(limit);
        expect(human).toBe(Math.min(limit, items.length));
        expect(result.human).toBe(human);
        expect(result.decisions.map((d) => d.id)).toEqual(items.map((i) => i.id));
      }),
      { numRuns: 100 },
    );
  });

  it("sends exactly the items first in (doubt level, score) order to humans, for either model", () => {
    fc.assert(
      fc.property(itemsArbitrary, unitInterval, fc.integer(), fc.constantFrom(uncertainty, logistic), (items, fraction, seed, model) => {
        const { decisions } = routeToHumanOrJudge({ items, model, budget: { fraction }, seed });
        // The doubt level, recomputed here from the judge verdict itself (not from the features).
        const byId = new Map(items.map((i) => [i.id, i]));
        for (const d of decisions) {
          const judge = byId.get(d.id)?.judge;
          expect(d.doubtLevel).toBe((judge?.consistent === false ? 1 : 0) + (judge?.winner === "tie" ? 1 : 0));
        }
        const key = (d: (typeof decisions)[number]) => [d.doubtLevel, d.score] as const;
        const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
        const human = decisions.filter((d) => d.route === "human");
        const judge = decisions.filter((d) => d.route === "judge");
        for (const h of human) for (const j of judge) expect(before(key(h), key(j))).toBe(true);
        // Ranks follow the same order.
        const ranked = [...decisions].sort((a, b) => a.rank - b.rank);
        for (let i = 1; i < ranked.length; i++) expect(before(key(ranked[i - 1]!), key(ranked[i]!))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("ranks by the judge's doubt level first and lets the learned score order only within a level", () => {
    // A model that scores the calm items far above the flipped ones: the flips still go first.
    const contrarian: DisagreementModel = {
      ...logistic,
      features: [{ name: "judge_order_inconsistent", transform: "identity", mean: 0.5, std: 0.5, coefficient: -3 }, ...logistic.features.slice(1)],
    };
    const items = [
      item("calm-likely", { winner: "a", confidence: 0.1, consistent: true }),
      item("calm-unlikely", { winner: "a", confidence: 0.9, consistent: true }),
      item("flip-unlikely", { winner: "a", confidence: 0.9, consistent: false }),
      item("flip-likely", { winner: "b", confidence: 0.2, consistent: false }),
      item("flip-tie", { winner: "tie", confidence: 0.95, consistent: false }),
      item("silent", { winner: null }),
    ];
    const { decisions } = routeToHumanOrJudge({ items, model: contrarian, budget: { count: 4 }, seed: 2 });
    const order = [...decisions].sort((a, b) => a.rank - b.rank).map((d) => [d.id, d.doubtLevel]);
    expect(order).toEqual([
      ["silent", 0],
      ["flip-tie", 2],
      ["flip-likely", 1],
      ["flip-unlikely", 1],
      ["calm-likely", 0],
      ["calm-unlikely", 0],
    ]);
    const byId = new Map(decisions.map((d) => [d.id, d]));
    // Within a level the model decides: the lower confidence (this model's only other feature) goes first.
    expect(byId.get("flip-likely")!.score).toBeGreaterThan(byId.get("flip-unlikely")!.score);
    // …and across levels it does not: the calm item scores higher but stays with the judge.
    expect(byId.get("calm-likely")!.score).toBeGreaterThan(byId.get("flip-likely")!.score);
    expect(
      decisions
        .filter((d) => d.route === "human")
        .map((d) => d.id)
        .sort(),
    ).toEqual(["flip-likely", "flip-tie", "flip-unlikely", "silent"]);
    // The explanation names what ranked it — the flip (and the tie) — even where the model weighs the flip against a human label.
    expect(byId.get("flip-unlikely")!.topFeatures[0]).toMatchObject({ feature: "judge_order_inconsistent", value: 1, contribution: -3 });
    expect(
      byId
        .get("flip-tie")!
        .topFeatures.slice(0, 2)
        .map((f) => f.feature),
    ).toEqual(["judge_order_inconsistent", "judge_tie"]);
    expect(byId.get("flip-tie")!.topFeatures[1]).toMatchObject({ value: 1, contribution: 0 });
  });

  it("is deterministic under a seed and independent of input order", () => {
    fc.assert(
      fc.property(itemsArbitrary, fc.integer(), (items, seed) => {
        const first = routeToHumanOrJudge({ items, model: uncertainty, budget: 0.3, seed });
        const again = routeToHumanOrJudge({ items: structuredClone(items), model: uncertainty, budget: 0.3, seed });
        expect(again).toEqual(first);
        const reversed = routeToHumanOrJudge({ items: [...items].reverse(), model: uncertainty, budget: 0.3, seed });
        const routeOf = (r: typeof first) => Object.fromEntries(r.decisions.map((d) => [d.id, d.route]));
        expect(routeOf(reversed)).toEqual(routeOf(first));
      }),
      { numRuns: 100 },
    );
  });

  it("breaks ties by the seed", () => {
    const tied = Array.from({ length: 40 }, (_, i) => item(`t${i}`, { winner: "a", confidence: 0.5 }));
    const humansFor = (seed: number) =>
      routeToHumanOrJudge({ items: tied, model: uncertainty, budget: { count: 5 }, seed })
        .decisions.filter((d) => d.route === "human")
        .map((d) => d.id);
    expect(humansFor(1)).toEqual(humansFor(1));
    expect(new Set([1, 2, 3, 4].map((s) => humansFor(s).join(","))).size).toBeGreaterThan(1);
  });

  it("routes the order-inconsistent, unsure item to a human and says why", () => {
    const items = [
      item("sure", { winner: "a", confidence: 0.95, consistent: true }),
      item("flipped", { winner: "a", confidence: 0.6, consistent: false }),
      item("middling", { winner: "b", confidence: 0.8, consistent: true }),
    ];
    const { decisions } = routeToHumanOrJudge({ items, model: logistic, budget: { count: 1 } });
    const flipped = decisions.find((d) => d.id === "flipped");
    expect(flipped?.route).toBe("human");
    expect(flipped?.rank).toBe(1);
    expect(flipped?.topFeatures[0]?.feature).toBe("judge_order_inconsistent");
    expect(flipped?.topFeatures.every((f) => f.contribution > 0)).toBe(true);
    const sure = decisions.find((d) => d.id === "sure");
    expect(sure?.route).toBe("judge");
    expect(sure?.topFeatures.every((f) => f.contribution < 0)).toBe(true);
  });

  it("sends items whose judge gave no verdict (winner null) to humans before any scored item, even under a model that scores them low", () => {
    const items = [
      item("flipped", { winner: "a", confidence: 0.05, consistent: false }),
      item("silent-1", { winner: null, confidence: 1, consistent: true }),
      item("middling", { winner: "b", confidence: 0.5 }),
      item("silent-2", { winner: null }),
    ];
    for (const model of [logistic, uncertainty]) {
      const { decisions } = routeToHumanOrJudge({ items, model, budget: { count: 2 }, seed: 4 });
      const byId = new Map(decisions.map((d) => [d.id, d]));
      expect(["silent-1", "silent-2"].map((id) => byId.get(id)!.route)).toEqual(["human", "human"]);
      expect(["silent-1", "silent-2"].map((id) => byId.get(id)!.rank).sort()).toEqual([1, 2]);
      expect(byId.get("silent-1")).toMatchObject({ score: 1, noVerdict: true });
      expect(byId.get("flipped")).toMatchObject({ route: "judge", rank: 3 });
      expect(byId.get("flipped")).not.toHaveProperty("noVerdict");
    }
    // With budget for one, one of the two silent items goes, never the flipped one.
    const one = routeToHumanOrJudge({ items, model: logistic, budget: { count: 1 } }).decisions.filter((d) => d.route === "human");
    expect(one.map((d) => d.noVerdict)).toEqual([true]);
  });

  it("rejects duplicate ids", () => {
    expect(() => routeToHumanOrJudge({ items: [item("x", undefined), item("x", undefined)], model: uncertainty, budget: 1 })).toThrow(/duplicate/);
  });
});

describe("resolveBudget", () => {
  it("reads fractions, counts and bare numbers", () => {
    expect(resolveBudget(0.25, 10)).toBe(2);
    expect(resolveBudget({ fraction: 0.29 }, 100)).toBe(29);
    expect(resolveBudget(1, 7)).toBe(7);
    expect(resolveBudget({ count: 1 }, 7)).toBe(1);
    expect(resolveBudget(40, 7)).toBe(7);
    expect(resolveBudget({ count: 3 }, 7)).toBe(3);
    expect(resolveBudget(0, 7)).toBe(0);
  });
  it("rejects nonsense", () => {
    expect(() => resolveBudget(-0.1, 10)).toThrow();
    expect(() => resolveBudget(2.5, 10)).toThrow();
    expect(() => resolveBudget({ fraction: 1.5 }, 10)).toThrow();
    expect(() => resolveBudget({ count: -1 }, 10)).toThrow();
    expect(() => resolveBudget(Number.NaN, 10)).toThrow();
  });
});
