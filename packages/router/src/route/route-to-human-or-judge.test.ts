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

  it("sends exactly the highest-scored items to humans", () => {
    fc.assert(
      fc.property(itemsArbitrary, unitInterval, fc.integer(), (items, fraction, seed) => {
        const { decisions } = routeToHumanOrJudge({ items, model: logistic, budget: { fraction }, seed });
        const humanScores = decisions.filter((d) => d.route === "human").map((d) => d.score);
        const judgeScores = decisions.filter((d) => d.route === "judge").map((d) => d.score);
        if (humanScores.length > 0 && judgeScores.length > 0) expect(Math.min(...humanScores)).toBeGreaterThanOrEqual(Math.max(...judgeScores));
      }),
      { numRuns: 100 },
    );
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
