import { describe, expect, it } from "vitest";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { itemsLabelledByBoth, summarizeRoutingDashboard, type RoutingDashboardData } from "./routing-dashboard-view.ts";

function data(overrides: Partial<RoutingDashboardData> = {}): RoutingDashboardData {
  return {
    campaignId: "c1",
    status: "active",
    config: {} as CampaignConfig,
    routing: { mode: "hybrid", humanBudget: 0.5, calibrationFraction: 0.2, seed: 1 },
    routeRows: [
      { routing: "human", items: 3, human: 2, judge: 1 },
      { routing: "judge", items: 5, human: 0, judge: 5 },
      { routing: "calibration", items: 2, human: 2, judge: 2 },
    ],
    budgetUsed: 5,
    jobRows: [
      { status: "done", n: 8 },
      { status: "failed", n: 1 },
    ],
    errorRows: [{ itemId: "i9", lastError: "http_error: GET https://user:pw@judge.example/v1 failed", at: new Date("2025-01-01T00:00:00Z") }],
    usageRows: [{ model: "m", promptVersion: "p", judgments: 8, tokens: 1000.4, cost: null, priced: 0, latency: 12.6, inconsistent: 1 }],
    versions: [],
    humanJudgments: [
      { itemId: "a", verdict: "winner", winnerId: "ra", ranking: null },
      { itemId: "b", verdict: "tie", winnerId: null, ranking: null },
    ],
    judgeJudgments: [
      { itemId: "a", verdict: "winner", winnerId: "ra", ranking: null, confidence: 0.9 },
      { itemId: "b", verdict: "winner", winnerId: "rb", ranking: null, confidence: 0.6 },
      { itemId: "c", verdict: "tie", winnerId: null, ranking: null, confidence: 0.5 },
    ],
    labelledItems: [
      { id: "a", routing: "calibration", routingFeatures: null },
      { id: "b", routing: "human", routingFeatures: null },
    ],
    labelledResponses: [],
    reasonRows: [
      { feature: "judge_failed", items: 1 },
      { feature: null, items: 4 },
    ],
    judgeRouted: { n: 5, mean: 0.25 },
    ...overrides,
  };
}

describe("the routing dashboard, from its rows", () => {
  it("measures agreement only on items both the judge and humans labelled", () => {
    const d = data();
    expect(itemsLabelledByBoth(d.humanJudgments, d.judgeJudgments)).toEqual(["a", "b"]);
    const view = summarizeRoutingDashboard(d);
    expect(view.agreement.all.items).toBe(2);
    expect(view.agreement.calibration.items).toBe(1);
    expect(view.agreement.predictedOnJudgeRouted).toBe(0.75);
    expect(view.agreement.judgeRouted).toBe(5);
  });

  it("counts routes, budget, jobs and usage", () => {
    const view = summarizeRoutingDashboard(data());
    expect(view.items.total).toBe(10);
    expect(view.items.byRoute.pending).toEqual({ items: 0, humanLabelled: 0, judgeLabelled: 0 });
    expect(view.budget).toEqual({ maxHuman: 5, used: 5, calibrationTarget: 2, calibration: 2 });
    expect(view.judgeJobs).toMatchObject({ queued: 0, running: 0, done: 8, failed: 1 });
    expect(view.judgeJobs.recentErrors[0]?.error).not.toContain("pw@");
    expect(view.judgeUsage).toEqual([{ model: "m", promptVersion: "p", judgments: 8, totalTokens: 1000, cost: null, meanLatencyMs: 13, orderInconsistent: 1 }]);
    expect(view.model).toBeNull();
    expect(view.humanRoutedBecause).toEqual([{ feature: "judge_failed", items: 1, description: "The judge failed on this item." }]);
  });
});
