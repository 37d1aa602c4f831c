import type { RouteDecision } from "@arbiter/db";
import { redactUrlsInText } from "@arbiter/outbound";
import {
  FEATURE_DEFINITIONS,
  judgeHumanAgreement,
  predictDisagreement,
  resolveBudget,
  type CalibrationItem,
  type DisagreementModel,
  type FeatureName,
  type ItemFeatures,
  type JudgeHumanAgreement,
  type ModelValidation,
} from "@arbiter/router";
import type { CampaignConfig, RoutingConfig } from "../campaign-config/campaign-config.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "../llm-judge/judge-settings-view.ts";
import type { JudgeUsageRow } from "../store/judge.ts";
import { preferenceLabel } from "./routing-row.ts";
import type { StoredRoutingFeatures } from "./run-routing-pass.ts";

export interface RoutingDashboard {
  campaignId: string;
  status: string;
  routing: RoutingConfig;
  judge: JudgeSettingsView;
  items: {
    total: number;
    byRoute: Record<RouteDecision, { items: number; humanLabelled: number; judgeLabelled: number }>;
  };
  budget: {
    /** Items that may get human labels (calibration included); null when every item goes to humans. */
    maxHuman: number | null;
    /** Items that count against it now: calibration, routed to humans, or labelled / leased by humans. */
    used: number;
    calibrationTarget: number;
    calibration: number;
  };
  judgeJobs: Record<"queued" | "running" | "done" | "failed", number> & { recentErrors: Array<{ itemId: string | null; error: string; at: string }> };
  judgeUsage: Array<{
    model: string | null;
    promptVersion: string | null;
    judgments: number;
    totalTokens: number;
    cost: number | null;
    meanLatencyMs: number | null;
    orderInconsistent: number;
  }>;
  model: null | {
    version: number;
    createdAt: string;
    kind: DisagreementModel["kind"];
    trainedOn: number;
    positiveRate: number | null;
    validation: ModelValidation | null;
    /** Strongest features of a fitted model, by |coefficient|. */
    features: Array<{ feature: FeatureName; coefficient: number; description: string }>;
  };
  history: Array<{ version: number; createdAt: string; kind: string; trainedOn: number; logisticAuc: number | null; judgeUncertaintyAuc: number | null }>;
  /** Judge vs human majority on items with both labels, and what the current model predicted there. */
  agreement: {
    calibration: AgreementFigures;
    all: AgreementFigures;
    /** Expected agreement on items left to the judge alone: 1 − mean predicted disagreement. */
    predictedOnJudgeRouted: number | null;
    judgeRouted: number;
    /** Predicted vs observed disagreement, by predicted-disagreement bin. */
    reliability: Array<{ from: number; to: number; items: number; predicted: number; observed: number }>;
  };
  /** Why items were sent to humans: the leading feature of each human-routed item's decision. */
  humanRoutedBecause: Array<{ feature: string; items: number; description: string }>;
}

interface AgreementFigures extends JudgeHumanAgreement {
  /** 1 − mean predicted disagreement over the same items (current model); null without a model. */
  predicted: number | null;
}

const ROUTES: RouteDecision[] = ["pending", "human", "judge", "calibration"];

function describeFeature(name: string): string {
  return (
    (FEATURE_DEFINITIONS as Record<string, { description: string } | undefined>)[name]?.description ??
    (name === "judge_failed" ? "The judge failed on this item." : name)
  );
}

type Verdict = { itemId: string; verdict: string; winnerId: string | null; ranking: unknown };

/** What the routing page is computed from: plain rows, as the store reads them. */
export interface RoutingDashboardData {
  campaignId: string;
  status: string;
  config: CampaignConfig;
  routing: RoutingConfig;
  routeRows: ReadonlyArray<{ routing: RouteDecision; items: number; human: number; judge: number }>;
  budgetUsed: number;
  jobRows: ReadonlyArray<{ status: "queued" | "running" | "done" | "failed"; n: number }>;
  errorRows: ReadonlyArray<{ itemId: string | null; lastError: string | null; at: Date }>;
  usageRows: readonly JudgeUsageRow[];
  /** Newest first. */
  versions: ReadonlyArray<{ version: number; createdAt: Date; params: unknown }>;
  humanJudgments: readonly Verdict[];
  judgeJudgments: ReadonlyArray<Verdict & { confidence: number | null }>;
  /** Route and stored features of the items in `judgeJudgments` that humans labelled too. */
  labelledItems: ReadonlyArray<{ id: string; routing: RouteDecision; routingFeatures: unknown }>;
  /** Their response ids, by position. */
  labelledResponses: ReadonlyArray<{ id: string; itemId: string }>;
  reasonRows: ReadonlyArray<{ feature: string | null; items: number }>;
  judgeRouted: { n: number; mean: number | null } | undefined;
}

/** Items both the judge (current settings) and humans labelled: the ones agreement is measured on. */
export function itemsLabelledByBoth(humanJudgments: ReadonlyArray<{ itemId: string }>, judgeJudgments: ReadonlyArray<{ itemId: string }>): string[] {
  const human = new Set(humanJudgments.map((h) => h.itemId));
  return judgeJudgments.filter((j) => human.has(j.itemId)).map((j) => j.itemId);
}

/** The routing dashboard from its rows: budget, routes, judge jobs and usage, models, agreement, reasons. */
export function summarizeRoutingDashboard(data: RoutingDashboardData): RoutingDashboard {
  const {
    campaignId,
    config,
    routing,
    routeRows,
    budgetUsed,
    jobRows,
    errorRows,
    usageRows,
    versions,
    humanJudgments,
    judgeJudgments,
    reasonRows,
    judgeRouted,
  } = data;
  const byRoute = Object.fromEntries(ROUTES.map((r) => [r, { items: 0, humanLabelled: 0, judgeLabelled: 0 }])) as RoutingDashboard["items"]["byRoute"];
  for (const row of routeRows) byRoute[row.routing] = { items: row.items, humanLabelled: row.human, judgeLabelled: row.judge };
  const total = routeRows.reduce((s, r) => s + r.items, 0);
  const maxHuman = routing.mode === "hybrid" ? resolveBudget(routing.humanBudget, total) : routing.mode === "all_judge" ? 0 : null;

  const latest = versions[0];
  const model = (latest?.params ?? null) as DisagreementModel | null;

  // Items with both labels: observed agreement, and what the model predicts for them.
  const humanByItem = new Map<string, string[]>();
  for (const h of humanJudgments) humanByItem.set(h.itemId, [...(humanByItem.get(h.itemId) ?? []), preferenceLabel(h)]);
  const both = judgeJudgments.filter((j) => humanByItem.has(j.itemId));
  const bothItems = data.labelledItems;
  const bothResponses = data.labelledResponses;
  const itemInfo = new Map(bothItems.map((i) => [i.id, i]));
  const responsesByItem = new Map<string, Array<{ id: string; content: string }>>();
  for (const r of bothResponses) responsesByItem.set(r.itemId, [...(responsesByItem.get(r.itemId) ?? []), { id: r.id, content: "" }]);
  const labelled = both.map((j) => {
    const info = itemInfo.get(j.itemId);
    const features = (info?.routingFeatures as StoredRoutingFeatures | null)?.features ?? null;
    const calibrationItem: CalibrationItem = {
      id: j.itemId,
      prompt: "",
      responses: responsesByItem.get(j.itemId) ?? [],
      judge: { winner: preferenceLabel(j), confidence: j.confidence ?? undefined },
      human: humanByItem.get(j.itemId) ?? [],
    };
    const predicted = model && features ? predictDisagreement(model, features as ItemFeatures).score : null;
    return { calibrationItem, predicted, calibration: info?.routing === "calibration" };
  });
  const figures = (subset: typeof labelled): AgreementFigures => {
    const agreement = judgeHumanAgreement(subset.map((s) => s.calibrationItem));
    const predictions = subset.map((s) => s.predicted).filter((p): p is number => p !== null);
    return { ...agreement, predicted: predictions.length > 0 ? 1 - predictions.reduce((a, b) => a + b, 0) / predictions.length : null };
  };
  const bins = [0, 0.2, 0.4, 0.6, 0.8, 1.0000001];
  const reliability = bins.slice(0, -1).flatMap((from, b) => {
    const to = bins[b + 1] as number;
    const inBin = labelled.filter((s) => s.predicted !== null && (s.predicted as number) >= from && (s.predicted as number) < to);
    if (inBin.length === 0) return [];
    const disagreements = inBin.filter((s) => judgeHumanAgreement([s.calibrationItem]).agreement === 0).length;
    return [
      {
        from,
        to: Math.min(1, to),
        items: inBin.length,
        predicted: inBin.reduce((a, s) => a + (s.predicted as number), 0) / inBin.length,
        observed: disagreements / inBin.length,
      },
    ];
  });

  const jobCounts = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const row of jobRows) jobCounts[row.status] = row.n;
  const judgeRoutedRow = judgeRouted;

  return {
    campaignId,
    status: data.status,
    routing,
    judge: toJudgeSettingsView(config),
    items: { total, byRoute },
    budget: {
      maxHuman,
      used: budgetUsed,
      calibrationTarget:
        routing.mode === "hybrid" && maxHuman !== null ? Math.min(resolveBudget({ fraction: routing.calibrationFraction }, total), maxHuman) : 0,
      calibration: byRoute.calibration.items,
    },
    judgeJobs: { ...jobCounts, recentErrors: errorRows.map((r) => ({ itemId: r.itemId, error: redactUrlsInText(r.lastError ?? ""), at: r.at.toISOString() })) },
    judgeUsage: usageRows.map((r) => ({
      model: r.model,
      promptVersion: r.promptVersion,
      judgments: r.judgments,
      totalTokens: Math.round(r.tokens ?? 0),
      cost: r.priced > 0 ? r.cost : null,
      meanLatencyMs: r.latency === null ? null : Math.round(r.latency),
      orderInconsistent: r.inconsistent,
    })),
    model:
      latest && model
        ? {
            version: latest.version,
            createdAt: latest.createdAt.toISOString(),
            kind: model.kind,
            trainedOn: model.trainedOn,
            positiveRate: model.positiveRate,
            validation: model.validation ?? null,
            features:
              model.kind === "logistic"
                ? [...model.features]
                    .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
                    .slice(0, 8)
                    .map((f) => ({ feature: f.name, coefficient: f.coefficient, description: describeFeature(f.name) }))
                : [],
          }
        : null,
    history: versions.map((v) => {
      const params = v.params as unknown as DisagreementModel;
      return {
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        kind: params.kind,
        trainedOn: params.trainedOn,
        logisticAuc: params.validation?.logisticAuc ?? null,
        judgeUncertaintyAuc: params.validation?.judgeUncertaintyAuc ?? null,
      };
    }),
    agreement: {
      calibration: figures(labelled.filter((s) => s.calibration)),
      all: figures(labelled),
      predictedOnJudgeRouted: judgeRoutedRow?.mean === null || judgeRoutedRow?.mean === undefined ? null : 1 - judgeRoutedRow.mean,
      judgeRouted: judgeRoutedRow?.n ?? 0,
      reliability,
    },
    humanRoutedBecause: reasonRows
      .filter((r) => r.feature !== null)
      .map((r) => ({ feature: r.feature as string, items: r.items, description: describeFeature(r.feature as string) })),
  };
}
