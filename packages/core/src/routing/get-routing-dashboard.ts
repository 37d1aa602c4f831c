import { getPrisma, type RouteDecision } from "@arbiter/db";
import { redactUrlsInText } from "@arbiter/outbound";
import { FEATURE_DEFINITIONS, judgeHumanAgreement, predictDisagreement, resolveBudget, type CalibrationItem, type DisagreementModel, type FeatureName, type ItemFeatures, type JudgeHumanAgreement, type ModelValidation } from "@arbiter/router";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { RoutingConfig as RoutingConfigSchema, type CampaignConfig, type RoutingConfig } from "../campaigns/campaign-config.ts";
import { campaignJudgeSettings } from "../llm-judge/campaign-judge-settings.ts";
import { JUDGE_QUEUE } from "../llm-judge/judge-job-handler.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "../llm-judge/judge-settings-view.ts";
import { preferenceLabel } from "./load-routing-state.ts";
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
  judgeUsage: Array<{ model: string | null; promptVersion: string | null; judgments: number; totalTokens: number; cost: number | null; meanLatencyMs: number | null; orderInconsistent: number }>;
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
  return (FEATURE_DEFINITIONS as Record<string, { description: string } | undefined>)[name]?.description ?? (name === "judge_failed" ? "The judge failed on this item." : name);
}

/**
 * The routing dashboard of a campaign (admins and researchers): budget used, items by route,
 * judge jobs, tokens and cost, the current disagreement model and its history, predicted vs
 * observed judge–human agreement, and the features that drive routing.
 */
export async function getRoutingDashboard(options: { actor: Actor | null; campaignId: string }): Promise<RoutingDashboard> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const config = campaign.config as unknown as CampaignConfig;
  const routing = RoutingConfigSchema.parse(config.routing ?? {});
  const settings = campaignJudgeSettings(config);
  const prisma = getPrisma();
  const campaignId = campaign.id;

  const [routeRows, usedRows, jobRows, errorRows, usageRows, versions, humanJudgments, judgeJudgments, reasonRows, judgeRouted] = await Promise.all([
    prisma.$queryRaw<Array<{ routing: RouteDecision; items: number; human: number; judge: number }>>`
      SELECT routing, count(*)::int AS items, count(*) FILTER (WHERE human_count > 0)::int AS human, count(*) FILTER (WHERE judge_count > 0)::int AS judge
      FROM items WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold GROUP BY routing`,
    prisma.$queryRaw<Array<{ used: number }>>`
      SELECT count(*)::int AS used FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
        AND (i.routing IN ('human', 'calibration') OR i.human_count > 0
             OR EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()))`,
    prisma.$queryRaw<Array<{ status: "queued" | "running" | "done" | "failed"; n: number }>>`
      SELECT status, count(*)::int AS n FROM jobs WHERE queue = ${JUDGE_QUEUE} AND payload->>'campaignId' = ${campaignId} GROUP BY status`,
    prisma.$queryRaw<Array<{ item_id: string | null; last_error: string | null; at: Date }>>`
      SELECT payload->>'itemId' AS item_id, last_error, coalesce(finished_at, run_at) AS at FROM jobs
      WHERE queue = ${JUDGE_QUEUE} AND payload->>'campaignId' = ${campaignId} AND last_error IS NOT NULL AND status IN ('failed', 'queued')
      ORDER BY coalesce(finished_at, run_at) DESC LIMIT 5`,
    prisma.$queryRaw<Array<{ model: string | null; prompt_version: string | null; judgments: number; tokens: number | null; cost: number | null; priced: number; latency: number | null; inconsistent: number }>>`
      SELECT judge_model AS model, prompt_version, count(*)::int AS judgments,
             sum((meta->'usage'->>'totalTokens')::float8)::float8 AS tokens,
             sum((meta->>'cost')::float8)::float8 AS cost, count(meta->>'cost')::int AS priced,
             avg((meta->>'latencyMs')::float8)::float8 AS latency,
             count(*) FILTER (WHERE meta->>'orderConsistent' = 'false')::int AS inconsistent
      FROM judgments WHERE campaign_id = ${campaignId}::uuid AND source = 'judge'
      GROUP BY judge_model, prompt_version ORDER BY max(created_at) DESC`,
    prisma.routerModelVersion.findMany({ where: { campaignId }, orderBy: { version: "desc" }, take: 20 }),
    prisma.judgment.findMany({ where: { campaignId, source: "human", isGold: false }, select: { itemId: true, verdict: true, winnerId: true, ranking: true } }),
    settings
      ? prisma.judgment.findMany({ where: { campaignId, source: "judge", judgeModel: settings.model, promptVersion: settings.promptVersion }, select: { itemId: true, verdict: true, winnerId: true, ranking: true, confidence: true } })
      : Promise.resolve([]),
    prisma.$queryRaw<Array<{ feature: string | null; items: number }>>`
      SELECT routing_features->'topFeatures'->0->>'feature' AS feature, count(*)::int AS items
      FROM items WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold AND routing = 'human' AND routing_features IS NOT NULL
        AND (routing_features->>'reason' = 'budget' OR routing_features->>'reason' = 'judge_failed')
      GROUP BY 1 ORDER BY 2 DESC`,
    prisma.$queryRaw<Array<{ n: number; mean: number | null }>>`
      SELECT count(*)::int AS n, avg(routing_score)::float8 AS mean FROM items
      WHERE campaign_id = ${campaignId}::uuid AND NOT is_gold AND routing = 'judge' AND routing_score IS NOT NULL`,
  ]);

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
  const bothIds = both.map((j) => j.itemId);
  const [bothItems, bothResponses] = bothIds.length === 0
    ? [[], []]
    : await Promise.all([
        prisma.item.findMany({ where: { id: { in: bothIds } }, select: { id: true, routing: true, routingFeatures: true } }),
        prisma.response.findMany({ where: { itemId: { in: bothIds } }, select: { id: true, itemId: true, position: true }, orderBy: { position: "asc" } }),
      ]);
  const itemInfo = new Map(bothItems.map((i) => [i.id, i]));
  const responsesByItem = new Map<string, Array<{ id: string; content: string }>>();
  for (const r of bothResponses) responsesByItem.set(r.itemId, [...(responsesByItem.get(r.itemId) ?? []), { id: r.id, content: "" }]);
  const labelled = both.map((j) => {
    const info = itemInfo.get(j.itemId);
    const features = (info?.routingFeatures as StoredRoutingFeatures | null)?.features ?? null;
    const calibrationItem: CalibrationItem = { id: j.itemId, prompt: "", responses: responsesByItem.get(j.itemId) ?? [], judge: { winner: preferenceLabel(j), confidence: j.confidence ?? undefined }, human: humanByItem.get(j.itemId) ?? [] };
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
    return [{ from, to: Math.min(1, to), items: inBin.length, predicted: inBin.reduce((a, s) => a + (s.predicted as number), 0) / inBin.length, observed: disagreements / inBin.length }];
  });

  const jobCounts = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const row of jobRows) jobCounts[row.status] = row.n;
  const judgeRoutedRow = judgeRouted[0];

  return {
    campaignId,
    status: campaign.status,
    routing,
    judge: toJudgeSettingsView(config),
    items: { total, byRoute },
    budget: {
      maxHuman,
      used: usedRows[0]?.used ?? 0,
      calibrationTarget: routing.mode === "hybrid" && maxHuman !== null ? Math.min(resolveBudget({ fraction: routing.calibrationFraction }, total), maxHuman) : 0,
      calibration: byRoute.calibration.items,
    },
    judgeJobs: { ...jobCounts, recentErrors: errorRows.map((r) => ({ itemId: r.item_id, error: redactUrlsInText(r.last_error ?? ""), at: r.at.toISOString() })) },
    judgeUsage: usageRows.map((r) => ({ model: r.model, promptVersion: r.prompt_version, judgments: r.judgments, totalTokens: Math.round(r.tokens ?? 0), cost: r.priced > 0 ? r.cost : null, meanLatencyMs: r.latency === null ? null : Math.round(r.latency), orderInconsistent: r.inconsistent })),
    model: latest && model
      ? {
          version: latest.version,
          createdAt: latest.createdAt.toISOString(),
          kind: model.kind,
          trainedOn: model.trainedOn,
          positiveRate: model.positiveRate,
          validation: model.validation ?? null,
          features: model.kind === "logistic"
            ? [...model.features].sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient)).slice(0, 8).map((f) => ({ feature: f.name, coefficient: f.coefficient, description: describeFeature(f.name) }))
            : [],
        }
      : null,
    history: versions.map((v) => {
      const params = v.params as unknown as DisagreementModel;
      return { version: v.version, createdAt: v.createdAt.toISOString(), kind: params.kind, trainedOn: params.trainedOn, logisticAuc: params.validation?.logisticAuc ?? null, judgeUncertaintyAuc: params.validation?.judgeUncertaintyAuc ?? null };
    }),
    agreement: {
      calibration: figures(labelled.filter((s) => s.calibration)),
      all: figures(labelled),
      predictedOnJudgeRouted: judgeRoutedRow?.mean === null || judgeRoutedRow?.mean === undefined ? null : 1 - judgeRoutedRow.mean,
      judgeRouted: judgeRoutedRow?.n ?? 0,
      reliability,
    },
    humanRoutedBecause: reasonRows.filter((r) => r.feature !== null).map((r) => ({ feature: r.feature as string, items: r.items, description: describeFeature(r.feature as string) })),
  };
}
