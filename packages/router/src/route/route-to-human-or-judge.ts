import { extractItemFeatures } from "../features/extract-item-features.ts";
import type { ItemFeatures } from "../features/feature-definitions.ts";
import { judgeDoubtLevel, predictDisagreement, type DisagreementModel, type FeatureContribution } from "../model/disagreement-model.ts";
import { seededUnit } from "../random.ts";
import type { Budget, RoutingItem } from "../types.ts";
import { resolveBudget } from "./resolve-budget.ts";

export type Route = "human" | "judge";

export interface RoutingDecision {
  id: string;
  route: Route;
  /** Predicted value of a human label (the chance the judge disagrees with humans); 1 when the judge gave no verdict. */
  score: number;
  /** The judge gave no verdict (`judge.winner === null`): routed to humans ahead of every scored item. */
  noVerdict?: true;
  /**
   * The judge's own doubt about its verdict (`judgeDoubtLevel`): +1 for an order flip, +1 for a
   * tie. Items rank by this first; `score` orders items of one level. 0 without a verdict.
   */
  doubtLevel: number;
  /** 1 = the item most worth a human label in this batch. */
  rank: number;
  /**
   * Why this route: for "human", the judge's doubt signals that raised its level
   * (`judge_order_inconsistent`, `judge_tie`) first — they ranked it, whatever their weight in
   * the model — then the largest positive contributions; for "judge", the most negative ones.
   */
  topFeatures: FeatureContribution[];
}

export interface RouteToHumanOrJudgeOptions {
  items: readonly RoutingItem[];
  model: DisagreementModel;
  budget: Budget;
  /** Decides ties between equal scores; the same seed always gives the same decisions. */
  seed?: number | string;
  /** How many contributing features each decision carries (default 3). */
  explain?: number;
  /** Precomputed features by item id, if the caller already has them. */
  features?: ReadonlyMap<string, ItemFeatures>;
}

export interface RoutingResult {
  /** One decision per item, in input order. */
  decisions: RoutingDecision[];
  maxHuman: number;
  human: number;
  judge: number;
}

const DOUBT_FEATURES = ["judge_order_inconsistent", "judge_tie"] as const;

/**
 * Why an item went where it went. For "human": the judge's doubt signals first when they raised
 * its level (they ranked it, whatever their weight in the model: the model's contribution when it
 * has the feature, else 0), then the largest positive contributions; for "judge", the most
 * negative ones.
 */
function explainRoute(
  contributions: readonly FeatureContribution[],
  route: Route,
  count: number,
  features: ItemFeatures,
  doubtLevel: number,
): FeatureContribution[] {
  const sign = route === "human" ? 1 : -1;
  const doubt =
    route === "human" && doubtLevel > 0
      ? DOUBT_FEATURES.filter((name) => features[name] === 1).map(
          (name) => contributions.find((c) => c.feature === name) ?? { feature: name, value: features[name], contribution: 0 },
        )
      : [];
  const rest = contributions
    .filter((c) => sign * c.contribution > 0 && !doubt.some((d) => d.feature === c.feature))
    .sort((a, b) => sign * (b.contribution - a.contribution) || a.feature.localeCompare(b.feature));
  return [...doubt, ...rest].slice(0, count);
}

/**
 * Spends the human budget on the items most worth a human label; all other items go to the judge.
 * The order, best first:
 *
 * 1. items whose judge gave no verdict (`winner: null`): no judge label to fall back on, the
 *    strongest reason to ask a human (score 1), whatever the model predicts;
 * 2. the judge's own doubt level (`judgeDoubtLevel`: it changed its verdict when the order was
 *    swapped, it called a tie) — the signal that, on real GPT-4 / gpt-3.5 / LLaMA-2 verdicts,
 *    no learned model beat on its own (packages/router/RESULTS-real-judges.md);
 * 3. within one doubt level, the model's score (the predicted chance that the judge disagrees
 *    with humans): the learned model decides where the judge's doubt cannot;
 * 4. a hash of (seed, item id) for equal scores, so the result depends on neither input order
 *    nor anything but the seed.
 *
 * Never sends more than the budget to humans.
 */
export function routeToHumanOrJudge(options: RouteToHumanOrJudgeOptions): RoutingResult {
  const { items, model, budget, seed = 0, explain = 3 } = options;
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new Error(`duplicate item id "${item.id}"`);
    ids.add(item.id);
  }
  const maxHuman = resolveBudget(budget, items.length);
  const scored = items.map((item, index) => {
    const features = options.features?.get(item.id) ?? extractItemFeatures(item);
    const prediction = predictDisagreement(model, features);
    const noVerdict = item.judge !== undefined && item.judge.winner === null;
    const doubtLevel = noVerdict ? 0 : judgeDoubtLevel(features);
    return { index, id: item.id, features, prediction, noVerdict, doubtLevel, score: noVerdict ? 1 : prediction.score, tieBreak: seededUnit(seed, item.id) };
  });
  const ranked = [...scored].sort(
    (a, b) =>
      Number(b.noVerdict) - Number(a.noVerdict) ||
      b.doubtLevel - a.doubtLevel ||
      b.score - a.score ||
      a.tieBreak - b.tieBreak ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const decisions = new Array<RoutingDecision>(items.length);
  ranked.forEach((entry, position) => {
    const route: Route = position < maxHuman ? "human" : "judge";
    decisions[entry.index] = {
      id: entry.id,
      route,
      score: entry.score,
      doubtLevel: entry.doubtLevel,
      rank: position + 1,
      topFeatures: explainRoute(entry.prediction.contributions, route, explain, entry.features, entry.doubtLevel),
      ...(entry.noVerdict ? { noVerdict: true as const } : {}),
    };
  });
  const human = Math.min(maxHuman, items.length);
  return { decisions, maxHuman, human, judge: items.length - human };
}
