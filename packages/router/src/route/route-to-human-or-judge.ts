import { extractItemFeatures } from "../features/extract-item-features.ts";
import type { ItemFeatures } from "../features/feature-definitions.ts";
import { predictDisagreement, type DisagreementModel, type FeatureContribution } from "../model/disagreement-model.ts";
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
  /** 1 = the item most worth a human label in this batch. */
  rank: number;
  /**
   * The features that pushed hardest towards this route: for "human", the largest positive
   * contributions ("why was this routed to a human"); for "judge", the most negative ones.
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

function explainRoute(contributions: readonly FeatureContribution[], route: Route, count: number): FeatureContribution[] {
  const sign = route === "human" ? 1 : -1;
  return contributions
    .filter((c) => sign * c.contribution > 0)
    .sort((a, b) => sign * (b.contribution - a.contribution) || a.feature.localeCompare(b.feature))
    .slice(0, count);
}

/**
 * Spends the human budget on the items with the highest predicted value of a human label; all
 * other items go to the judge. An item whose judge gave no verdict (`winner: null`) has no judge
 * label to fall back on: it is the strongest reason to ask a human and ranks ahead of every
 * scored item (score 1), whatever the model predicts. Never sends more than the budget to humans. Ties between equal
 * scores are broken by a hash of (seed, item id), so the result depends on neither input order
 * nor anything but the seed.
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
    return { index, id: item.id, prediction, noVerdict, score: noVerdict ? 1 : prediction.score, tieBreak: seededUnit(seed, item.id) };
  });
  const ranked = [...scored].sort(
    (a, b) => Number(b.noVerdict) - Number(a.noVerdict) || b.score - a.score || a.tieBreak - b.tieBreak || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const decisions = new Array<RoutingDecision>(items.length);
  ranked.forEach((entry, position) => {
    const route: Route = position < maxHuman ? "human" : "judge";
    decisions[entry.index] = {
      id: entry.id,
      route,
      score: entry.score,
      rank: position + 1,
      topFeatures: explainRoute(entry.prediction.contributions, route, explain),
      ...(entry.noVerdict ? { noVerdict: true as const } : {}),
    };
  });
  const human = Math.min(maxHuman, items.length);
  return { decisions, maxHuman, human, judge: items.length - human };
}
