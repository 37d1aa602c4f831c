import type { RouteDecision } from "@arbiter/db";
import {
  pickCalibrationSample,
  resolveBudget,
  routeToHumanOrJudge,
  seededUnit,
  type DisagreementModel,
  type FeatureContribution,
  type ItemFeatures,
} from "@arbiter/router";
import type { RoutingConfig } from "../campaign-config/campaign-config.ts";
import { isLocked, type RoutingRow } from "./routing-row.ts";

export type PlanRow = Pick<RoutingRow, "id" | "key" | "routing" | "humanCount" | "leased" | "item" | "features" | "judge" | "judgeFailed">;

export type RouteReason =
  /** Labelled by both humans and the judge; trains the router. */
  | "calibration"
  /** Ranked against the human budget by the router. */
  | "budget"
  /** Humans labelled it or hold a lease on it: it stays with humans. */
  | "locked"
  /** No judge verdict yet under the current settings. */
  | "awaiting_judge"
  /**
   * The judge failed on it for good, or answered without a verdict (`judge.winner === null`): no
   * judge label to fall back on, the strongest reason to ask a human — it goes to humans first.
   */
  | "judge_failed"
  /** The campaign routes everything one way (all_human / all_judge). */
  | "mode";

export interface PlannedRoute {
  routing: RouteDecision;
  /** Predicted value of a human label (the chance the judge disagrees with humans); null when not ranked. */
  score: number | null;
  /** 1 = the item most worth a human label in this pass. */
  rank: number | null;
  /** The judge's doubt level (order flip +1, tie +1): ranked on before the score; null when not ranked. */
  doubtLevel: number | null;
  topFeatures: FeatureContribution[];
  reason: RouteReason;
}

export interface RoutingPlan {
  routes: Map<string, PlannedRoute>;
  /** Items that may have human labels (calibration included). */
  maxHuman: number;
  calibrationTarget: number;
  /** Items that count against the budget after this plan: calibration, human-routed, or labelled/leased whatever their route. */
  humanUsed: number;
}

/** The routes that send an item to annotators and so spend the budget (the assignment engine serves them). */
export function spendsBudget(routing: RouteDecision): boolean {
  return routing === "human" || routing === "calibration";
}

/**
 * Decides every item's route for one pass — a pure function of the rows, the settings and the
 * model, so the same data and seed always give the same plan.
 *
 * hybrid: a calibration sample (calibrationFraction of the items, within the budget) goes to both
 * humans and the judge; items humans already labelled or hold stay with humans; the rest of the
 * budget goes to the items the judge doubted most (no verdict or a failed job first, then order
 * flips and ties — `routeToHumanOrJudge`), the model's predicted disagreement ordering items of
 * one doubt level; everything else to the judge. Items without a verdict yet wait. The items
 * that spend the budget never exceed `maxHuman` unless humans had labelled more before.
 */
export function planRouting(options: {
  rows: readonly PlanRow[];
  routing: RoutingConfig;
  model: DisagreementModel;
  judgeEnabled: boolean;
  explain?: number;
}): RoutingPlan {
  const { rows, routing, model, judgeEnabled } = options;
  const seed = routing.seed;
  const n = rows.length;
  const routes = new Map<string, PlannedRoute>();
  const set = (row: PlanRow, route: Partial<PlannedRoute> & Pick<PlannedRoute, "routing" | "reason">) =>
    routes.set(row.id, { score: null, rank: null, doubtLevel: null, topFeatures: [], ...route });

  if (routing.mode !== "hybrid") {
    for (const row of rows) {
      if (routing.mode === "all_human") set(row, { routing: "human", reason: "mode" });
      else if (isLocked(row)) set(row, { routing: row.routing === "pending" || row.routing === "calibration" ? "human" : row.routing, reason: "locked" });
      else set(row, { routing: "judge", reason: "mode" });
    }
    const humanUsed = rows.filter((row) => spendsBudget(routes.get(row.id)?.routing ?? row.routing) || isLocked(row)).length;
    return { routes, maxHuman: routing.mode === "all_human" ? n : 0, calibrationTarget: 0, humanUsed };
  }

  const maxHuman = resolveBudget(routing.humanBudget, n);
  const calibrationTarget = Math.min(resolveBudget({ fraction: routing.calibrationFraction }, n), maxHuman);
  const hash = (row: PlanRow, what: string) => seededUnit(seed, `${what}:${row.key}`);
  const byHash = (what: string) => (a: PlanRow, b: PlanRow) => hash(a, what) - hash(b, what) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

  const calibration = new Set(rows.filter((row) => row.routing === "calibration").map((row) => row.id));
  // Items humans hold outside the sample are fixed costs: the sample only gets what they leave.
  const lockedOutside = rows.filter((row) => !calibration.has(row.id) && isLocked(row)).length;
  const calibrationSize = Math.max(0, Math.min(calibrationTarget, maxHuman - lockedOutside));
  if (calibration.size > calibrationSize) {
    const removable = rows
      .filter((row) => calibration.has(row.id) && !isLocked(row))
      .sort(byHash("calibration"))
      .reverse();
    for (const row of removable) {
      if (calibration.size <= calibrationSize) break;
      calibration.delete(row.id);
    }
  }
  if (calibration.size < calibrationSize) {
    const pool = rows.filter((row) => !calibration.has(row.id) && !isLocked(row));
    const need = Math.min(calibrationSize - calibration.size, pool.length);
    if (need > 0) {
      const features = new Map<string, ItemFeatures>(pool.map((row) => [row.key, row.features]));
      const picked = new Set(pickCalibrationSample({ items: pool.map((row) => row.item), size: { count: need }, seed, features }).ids);
      for (const row of pool) if (picked.has(row.key)) calibration.add(row.id);
    }
  }

  let used = 0;
  const rest: PlanRow[] = [];
  for (const row of rows) {
    if (calibration.has(row.id)) {
      set(row, { routing: "calibration", reason: "calibration" });
      used++;
    } else if (isLocked(row)) {
      set(row, { routing: row.routing === "pending" || row.routing === "calibration" ? "human" : row.routing, reason: "locked" });
      used++;
    } else {
      rest.push(row);
    }
  }

  const ready = judgeEnabled ? rest.filter((row) => row.judge !== null || row.judgeFailed) : [];
  const readyIds = new Set(ready.map((row) => row.id));
  // Items still waiting for a verdict keep a human route they already had while the budget allows.
  const waiting = rest
    .filter((row) => !readyIds.has(row.id))
    .sort((a, b) => Number(b.routing === "human") - Number(a.routing === "human") || byHash("waiting")(a, b));
  for (const row of waiting) {
    if (row.routing === "human" && used < maxHuman) {
      set(row, { routing: "human", reason: "awaiting_judge" });
      used++;
    } else {
      set(row, { routing: row.routing === "judge" ? "judge" : "pending", reason: "awaiting_judge" });
    }
  }

  let available = Math.max(0, maxHuman - used);
  const hasVerdict = (row: PlanRow) => row.judge !== null && row.judge.winner !== null;
  for (const row of ready.filter((r) => !hasVerdict(r)).sort(byHash("judge-failed"))) {
    if (available > 0) {
      set(row, { routing: "human", score: 1, reason: "judge_failed" });
      available--;
      used++;
    } else {
      set(row, { routing: "pending", reason: "judge_failed" });
    }
  }

  const scored = ready.filter(hasVerdict);
  if (scored.length > 0) {
    const features = new Map<string, ItemFeatures>(scored.map((row) => [row.key, row.features]));
    const result = routeToHumanOrJudge({
      items: scored.map((row) => row.item),
      model,
      budget: { count: available },
      seed,
      features,
      explain: options.explain ?? 3,
    });
    scored.forEach((row, i) => {
      const decision = result.decisions[i];
      if (!decision) return;
      set(row, {
        routing: decision.route,
        score: decision.score,
        rank: decision.rank,
        doubtLevel: decision.doubtLevel,
        topFeatures: decision.topFeatures,
        reason: "budget",
      });
    });
    used += result.human;
  }
  return { routes, maxHuman, calibrationTarget, humanUsed: used };
}
