import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RouteDecision } from "@arbiter/db";
import { extractItemFeatures, resolveBudget, type DisagreementModel, type RoutingItem } from "@arbiter/router";
import { planRouting, spendsBudget, type PlanRow } from "./plan-routing.ts";

const fallback: DisagreementModel = { kind: "judge-uncertainty", trainedOn: 0, positiveRate: null, reason: "test" };

function row(i: number, state: { routing: RouteDecision; humanCount: number; leased: boolean; judged: boolean; failed: boolean; confidence: number }): PlanRow {
  const judge = state.judged ? { winner: i % 4 === 0 ? "tie" : `r${i}-a`, confidence: state.confidence, consistent: i % 3 !== 0 } : null;
  const item: RoutingItem = {
    id: `item-${i}`,
    prompt: `Prompt ${i}`,
    responses: [
      { id: `r${i}-a`, content: `answer ${"x ".repeat(i % 7)}` },
      { id: `r${i}-b`, content: `other ${i}` },
    ],
    ...(judge ? { judge } : {}),
  };
  return {
    id: `id-${i}`,
    key: item.id,
    routing: state.routing,
    humanCount: state.humanCount,
    leased: state.leased,
    item,
    features: extractItemFeatures(item),
    judge,
    judgeFailed: !state.judged && state.failed,
  };
}

const rowState = fc.record({
  routing: fc.constantFrom<RouteDecision>("pending", "human", "judge", "calibration"),
  humanCount: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 })),
  leased: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  judged: fc.boolean(),
  failed: fc.boolean(),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
});
const budget = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 60 }));

describe("planRouting (hybrid)", () => {
  it("never spends more than the budget beyond what humans already hold, keeps locked items, and is deterministic", () => {
    fc.assert(
      fc.property(
        fc.array(rowState, { maxLength: 40 }),
        budget,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (states, humanBudget, calibrationFraction, seed) => {
          const rows = states.map((s, i) => row(i, s));
          const routing = { mode: "hybrid" as const, humanBudget, calibrationFraction, seed };
          const plan = planRouting({ rows, routing, model: fallback, judgeEnabled: true });
          const locked = rows.filter((r) => r.humanCount > 0 || r.leased);
          const maxHuman = resolveBudget(humanBudget, rows.length);
          expect(plan.maxHuman).toBe(maxHuman);
          const spending = rows.filter((r) => spendsBudget(plan.routes.get(r.id)!.routing) || r.humanCount > 0 || r.leased).length;
          expect(spending).toBe(plan.humanUsed);
          // Items humans labelled or hold count whatever happens; beyond them the plan stays within the budget.
          expect(spending).toBeLessThanOrEqual(Math.max(maxHuman, locked.length));
          for (const r of locked) expect(spendsBudget(plan.routes.get(r.id)!.routing) || plan.routes.get(r.id)!.routing === r.routing).toBe(true);
          // Without a verdict an item is never ranked against the budget: it waits (or stays in the sample, or with humans).
          for (const r of rows) if (!r.judge && !r.judgeFailed) expect(["calibration", "awaiting_judge", "locked"]).toContain(plan.routes.get(r.id)!.reason);
          const again = planRouting({ rows: [...rows].reverse(), routing, model: fallback, judgeEnabled: true });
          for (const r of rows) expect(again.routes.get(r.id)).toEqual(plan.routes.get(r.id));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("spends the whole budget when enough items are judged, the judge's doubt level first, then the highest predicted disagreement", () => {
    const rows = Array.from({ length: 20 }, (_, i) =>
      row(i, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: i / 20 }),
    );
    const plan = planRouting({ rows, routing: { mode: "hybrid", humanBudget: 0.5, calibrationFraction: 0.1, seed: 3 }, model: fallback, judgeEnabled: true });
    const routes = rows.map((r) => plan.routes.get(r.id)!);
    expect(routes.filter((r) => r.routing === "calibration")).toHaveLength(2);
    expect(routes.filter((r) => r.routing === "human")).toHaveLength(8);
    // (level, score) in one number that sorts the same way: scores lie in [0, 1].
    const key = (r: (typeof routes)[number]) => 2 * r.doubtLevel! + r.score!;
    const human = routes.filter((r) => r.routing === "human").map(key);
    const judge = routes.filter((r) => r.routing === "judge").map(key);
    expect(Math.min(...human)).toBeGreaterThanOrEqual(Math.max(...judge));
    // The level: +1 for an order flip (every third row here), +1 for a tie (every fourth).
    rows.forEach((r, i) => {
      const route = plan.routes.get(r.id)!;
      if (route.reason === "budget") expect(route.doubtLevel).toBe((i % 3 === 0 ? 1 : 0) + (i % 4 === 0 ? 1 : 0));
    });
  });

  it("sends a flipped verdict to humans before a calm one that the model scores higher", () => {
    // A learned model that (wrongly) trusts flips: it scores the calm, unsure verdict far above the flipped one.
    const model: DisagreementModel = {
      kind: "logistic",
      featureSet: "core",
      intercept: 0,
      l2: 1,
      trainedOn: 50,
      positiveRate: 0.3,
      validation: { folds: 5, logisticAuc: 0.6, logisticLogLoss: 0.6, judgeUncertaintyAuc: 0.6, baselineLogLoss: 0.6 },
      features: [
        { name: "judge_order_inconsistent", transform: "identity", mean: 0.5, std: 0.5, coefficient: -2 },
        { name: "judge_confidence", transform: "identity", mean: 0.5, std: 0.25, coefficient: -2 },
      ],
    };
    const calm = row(1, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 0.05 });
    const flipped = row(3, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 0.95 });
    const plan = planRouting({
      rows: [calm, flipped],
      routing: { mode: "hybrid", humanBudget: 0.5, calibrationFraction: 0, seed: 1 },
      model,
      judgeEnabled: true,
    });
    expect(plan.routes.get(calm.id)!.score!).toBeGreaterThan(plan.routes.get(flipped.id)!.score!);
    expect(plan.routes.get(flipped.id)).toMatchObject({ routing: "human", doubtLevel: 1, rank: 1, reason: "budget" });
    expect(plan.routes.get(calm.id)).toMatchObject({ routing: "judge", doubtLevel: 0, rank: 2 });
  });

  it("keeps unjudged items waiting, sends items the judge failed on to humans first, and routes nothing without a judge", () => {
    const rows = [
      row(1, { routing: "pending", humanCount: 0, leased: false, judged: false, failed: false, confidence: 0 }),
      row(2, { routing: "pending", humanCount: 0, leased: false, judged: false, failed: true, confidence: 0 }),
      row(3, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 0.1 }),
      row(5, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 0.9 }),
    ];
    const plan = planRouting({ rows, routing: { mode: "hybrid", humanBudget: 2, calibrationFraction: 0, seed: 1 }, model: fallback, judgeEnabled: true });
    expect(rows.map((r) => [plan.routes.get(r.id)!.routing, plan.routes.get(r.id)!.reason])).toEqual([
      ["pending", "awaiting_judge"],
      ["human", "judge_failed"],
      ["human", "budget"],
      ["judge", "budget"],
    ]);
    const noJudge = planRouting({ rows, routing: { mode: "hybrid", humanBudget: 2, calibrationFraction: 0, seed: 1 }, model: fallback, judgeEnabled: false });
    expect(rows.map((r) => noJudge.routes.get(r.id)!.routing)).toEqual(["pending", "pending", "pending", "pending"]);
  });

  it("treats a judge that answered without a verdict (winner null) like a failed judge: humans first, ahead of the most doubtful verdict", () => {
    const doubtful = row(3, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 0 });
    const silent = row(6, { routing: "pending", humanCount: 0, leased: false, judged: true, failed: false, confidence: 1 });
    const noVerdict = { ...silent.judge!, winner: null };
    const rows = [doubtful, { ...silent, judge: noVerdict, item: { ...silent.item, judge: noVerdict } }];
    const plan = planRouting({ rows, routing: { mode: "hybrid", humanBudget: 0.5, calibrationFraction: 0, seed: 1 }, model: fallback, judgeEnabled: true });
    expect(plan.routes.get(silent.id)).toMatchObject({ routing: "human", score: 1, reason: "judge_failed" });
    expect(plan.routes.get(doubtful.id)).toMatchObject({ routing: "judge", reason: "budget" });
  });

  it("all_judge keeps human work with humans; all_human sends everything to humans", () => {
    const rows = [
      row(1, { routing: "calibration", humanCount: 1, leased: false, judged: true, failed: false, confidence: 1 }),
      row(2, { routing: "human", humanCount: 0, leased: false, judged: false, failed: false, confidence: 1 }),
    ];
    const judgeOnly = planRouting({
      rows,
      routing: { mode: "all_judge", humanBudget: 0, calibrationFraction: 0, seed: 1 },
      model: fallback,
      judgeEnabled: true,
    });
    expect(rows.map((r) => judgeOnly.routes.get(r.id)!.routing)).toEqual(["human", "judge"]);
    const humansOnly = planRouting({
      rows,
      routing: { mode: "all_human", humanBudget: 1, calibrationFraction: 0, seed: 1 },
      model: fallback,
      judgeEnabled: true,
    });
    expect(rows.map((r) => humansOnly.routes.get(r.id)!.routing)).toEqual(["human", "human"]);
  });
});
