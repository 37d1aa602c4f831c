import { createHash } from "node:crypto";
import type { Prisma, RouteDecision } from "@arbiter/db";
import { judgeHumanAgreement, trainDisagreementModel, type CalibrationItem, type DisagreementModel } from "@arbiter/router";
import { RoutingConfig as RoutingConfigSchema, type CampaignConfig, type RoutingConfig } from "../campaign-config/campaign-config.ts";
import { campaignJudgeSettings } from "../llm-judge/campaign-judge-settings.ts";
import { enqueueJudgeJobs } from "../llm-judge/enqueue-judge-jobs.ts";
import { isLocked, loadRoutingState, type RoutingRow } from "./load-routing-state.ts";
import { planRouting, spendsBudget, type PlannedRoute, type RoutingPlan } from "./plan-routing.ts";
import { db, inPrismaTransaction } from "../store/transaction.ts";
import {
  findCampaignForRouting,
  findItemsTakenByHumans,
  findLatestRouterModel,
  insertRouterModelVersion,
  lockCampaignRouting,
  readFreshRoutingState,
  setItemRoutes,
  writeRoutingDecisions,
} from "../store/routing.ts";

export interface RoutingPassSummary {
  campaignId: string;
  skipped?: string;
  mode?: RoutingConfig["mode"];
  items?: number;
  routes?: Record<RouteDecision, number>;
  maxHuman?: number;
  humanUsed?: number;
  calibrationTarget?: number;
  modelVersion?: number | null;
  judgeJobsEnqueued?: number;
  changed?: number;
  warnings?: string[];
}

/** What `routing_features` holds for an item: its features and why it went where it went. */
export interface StoredRoutingFeatures {
  features: RoutingRow["features"];
  topFeatures: PlannedRoute["topFeatures"];
  rank: number | null;
  /** The judge's doubt level the item was ranked on first (absent on decisions stored before it existed). */
  doubtLevel?: number | null;
  reason: PlannedRoute["reason"];
  modelVersion: number | null;
}

/** Routes leaving a state in which annotators may be served the item. */
function leavesHumans(from: RouteDecision, to: RouteDecision): boolean {
  return (from !== "judge" && to === "judge") || (spendsBudget(from) && to === "pending");
}

function trainingItems(rows: readonly RoutingRow[]): CalibrationItem[] {
  return rows
    .filter((row) => row.routing === "calibration" && row.judge !== null && row.human.length > 0)
    .map((row) => ({ ...row.item, judge: row.judge as CalibrationItem["judge"], human: row.human }));
}

function trainingSignature(items: readonly CalibrationItem[], seed: number): string {
  const canonical = [...items]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((item) => [item.id, item.judge.winner, item.judge.confidence ?? null, item.judge.consistent ?? null, [...item.human].sort()]);
  return createHash("sha256")
    .update(JSON.stringify([seed, canonical]))
    .digest("hex")
    .slice(0, 32);
}

/**
 * One routing pass over a campaign (the `routing` job): enqueues judge jobs for items the
 * current judge has not judged, retrains the disagreement model when the calibration labels
 * changed (a new RouterModelVersion), and re-routes every item nobody has labelled or leased
 * under the human budget. Decisions are written under a per-campaign lock; an item that an
 * annotator leases while the pass runs is detected after its row is locked and kept with
 * humans, so the budget holds under concurrency.
 */
export async function runRoutingPass(options: { campaignId: string }): Promise<RoutingPassSummary> {
  const { campaignId } = options;
  const campaign = await findCampaignForRouting(campaignId);
  if (!campaign) return { campaignId, skipped: "the campaign no longer exists" };
  if (campaign.status !== "active") return { campaignId, skipped: `the campaign is ${campaign.status}` };
  const config = campaign.config as unknown as CampaignConfig;
  const routing = RoutingConfigSchema.parse(config.routing ?? {});
  const settings = campaignJudgeSettings(config);
  const warnings: string[] = [];
  if (routing.mode !== "all_human" && !settings)
    warnings.push(`${routing.mode} routing needs an enabled judge: nothing is judged${routing.mode === "hybrid" ? " or routed" : ""} until one is configured.`);

  const rows = await loadRoutingState({ campaignId, taskType: campaign.taskType, config, settings });
  let judgeJobsEnqueued = 0;
  if (settings && routing.mode !== "all_human") {
    judgeJobsEnqueued = await enqueueJudgeJobs(db(), {
      campaignId,
      itemIds: rows.filter((row) => !row.judge && !row.judgeFailed).map((row) => row.id),
      settings,
    });
  }

  let trained: { model: DisagreementModel; signature: string; training: CalibrationItem[] } | null = null;
  if (routing.mode === "hybrid") {
    const training = trainingItems(rows);
    trained = { model: trainDisagreementModel({ items: training, seed: routing.seed }), signature: trainingSignature(training, routing.seed), training };
  }

  return inPrismaTransaction(
    async (tx) => {
      await lockCampaignRouting(tx, campaignId);
      let modelVersion: number | null = null;
      if (trained) {
        const latest = await findLatestRouterModel(tx, campaignId);
        const latestSignature = (latest?.metrics as { signature?: unknown } | null)?.signature;
        if (latest && latestSignature === trained.signature) {
          modelVersion = latest.version;
        } else {
          modelVersion = (latest?.version ?? 0) + 1;
          const metrics = {
            signature: trained.signature,
            trainedOn: trained.model.trainedOn,
            positiveRate: trained.model.positiveRate,
            kind: trained.model.kind,
            validation: trained.model.validation ?? null,
            agreement: judgeHumanAgreement(trained.training),
            calibrationItems: rows.filter((row) => row.routing === "calibration").length,
          };
          await insertRouterModelVersion(tx, {
            campaignId,
            version: modelVersion,
            params: trained.model as unknown as Prisma.InputJsonValue,
            metrics: metrics as unknown as Prisma.InputJsonValue,
          });
        }
      }

      let current = rows;
      let plan: RoutingPlan | null = null;
      for (let attempt = 0; attempt < 5; attempt++) {
        const fresh = await readFreshRoutingState(tx, campaignId);
        current = current
          .filter((row) => fresh.has(row.id))
          .map((row) => {
            const state = fresh.get(row.id);
            return state ? { ...row, routing: state.routing, humanCount: state.humanCount, leased: state.leased } : row;
          });
        plan = planRouting({
          rows: current,
          routing,
          model: trained?.model ?? { kind: "judge-uncertainty", trainedOn: 0, positiveRate: null, reason: "not hybrid" },
          judgeEnabled: settings !== null,
        });
        const demoted = current.flatMap((row) => {
          const to = plan?.routes.get(row.id)?.routing ?? row.routing;
          return leavesHumans(row.routing, to) ? [{ id: row.id, routing: to, from: row.routing }] : [];
        });
        if (demoted.length === 0) break;
        // Taking the rows' locks waits for any lease being written on them; a fresh look then
        // sees it, and such items go back to humans before the budget is recounted.
        await setItemRoutes(tx, demoted);
        const raced = await findItemsTakenByHumans(
          tx,
          demoted.map((d) => d.id),
        );
        if (raced.length === 0) break;
        const racedIds = new Set(raced.map((r) => r.id));
        await setItemRoutes(
          tx,
          demoted.filter((d) => racedIds.has(d.id)).map((d) => ({ id: d.id, routing: d.from })),
        );
        plan = null;
      }
      if (!plan) throw new Error("routing did not settle: items kept being leased while routing ran; it will run again");

      const ids: string[] = [];
      const routes: string[] = [];
      const scores: Array<number | null> = [];
      const stored: string[] = [];
      const counts: Record<RouteDecision, number> = { pending: 0, human: 0, judge: 0, calibration: 0 };
      for (const row of current) {
        const route = plan.routes.get(row.id);
        if (!route) continue;
        counts[route.routing]++;
        const value: StoredRoutingFeatures = {
          features: row.features,
          topFeatures: route.topFeatures,
          rank: route.rank,
          doubtLevel: route.doubtLevel,
          reason: route.reason,
          modelVersion,
        };
        ids.push(row.id);
        routes.push(route.routing);
        scores.push(route.score);
        stored.push(JSON.stringify(value));
      }
      const changed = await writeRoutingDecisions(tx, { ids, routes, scores, features: stored });
      return {
        campaignId,
        mode: routing.mode,
        items: current.length,
        routes: counts,
        maxHuman: plan.maxHuman,
        humanUsed: current.filter((row) => spendsBudget(plan.routes.get(row.id)?.routing ?? row.routing) || isLocked(row)).length,
        calibrationTarget: plan.calibrationTarget,
        modelVersion,
        judgeJobsEnqueued,
        changed,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    },
    { timeout: 120_000 },
  );
}
