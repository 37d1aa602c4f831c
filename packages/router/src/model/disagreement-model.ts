import { transformFeature, type FeatureName, type FeatureTransform, type ItemFeatures } from "../features/feature-definitions.ts";
import { predictLogistic } from "./fit-logistic-regression.ts";

export interface ModelFeature {
  name: FeatureName;
  transform: FeatureTransform;
  /** Mean and standard deviation of the transformed value over the calibration items. */
  mean: number;
  std: number;
  coefficient: number;
}

/** Logistic regression on standardised features; its score is P(judge disagrees with humans). */
export interface LogisticDisagreementModel {
  kind: "logistic";
  featureSet: "core" | "all";
  features: ModelFeature[];
  intercept: number;
  l2: number;
  trainedOn: number;
  positiveRate: number;
  validation: ModelValidation;
}

/**
 * No learning: the score is the judge's own uncertainty — low confidence, an order flip, a tie,
 * a reward model that disagrees — averaged over the signals the item has. Used when there are
 * too few calibration labels, or when it ranked the calibration items better than the fit did.
 */
export interface JudgeUncertaintyModel {
  kind: "judge-uncertainty";
  trainedOn: number;
  positiveRate: number | null;
  reason: string;
  validation?: ModelValidation;
}

export type DisagreementModel = LogisticDisagreementModel | JudgeUncertaintyModel;

/** Out-of-fold results on the calibration items (AUC of ranking disagreements first). */
export interface ModelValidation {
  folds: number;
  /** The regression's score alone. */
  logisticAuc: number | null;
  logisticLogLoss: number | null;
  /** The judge-uncertainty score alone. */
  judgeUncertaintyAuc: number | null;
  baselineLogLoss: number;
  /**
   * The order `routeToHumanOrJudge` routes by — the judge's doubt level first, then the score —
   * with the regression's score, and with the judge-uncertainty score. The fallback is kept when
   * the second is higher. Absent on models trained before the doubt level ranked first.
   */
  doubtThenLogisticAuc?: number | null;
  doubtThenUncertaintyAuc?: number | null;
}

export interface FeatureContribution {
  feature: FeatureName;
  value: number | null;
  /** Push towards a human label, in the model's units (log-odds for the logistic model). */
  contribution: number;
}

export interface DisagreementPrediction {
  score: number;
  contributions: FeatureContribution[];
}

const UNCERTAINTY_SIGNALS: readonly { feature: FeatureName; uncertainty: (value: number) => number }[] = [
  { feature: "judge_confidence", uncertainty: (v) => 1 - v },
  { feature: "judge_order_inconsistent", uncertainty: (v) => v },
  { feature: "judge_tie", uncertainty: (v) => v },
  { feature: "reward_judge_disagree", uncertainty: (v) => v },
];

/**
 * The judge's own, discrete doubt about its verdict: 1 for a verdict that changed when the order
 * of the responses was swapped (`consistent: false`), 1 for a tie — 0, 1 or 2. Arbiter's judge
 * runs every pairwise item in both orders and calls an order flip a tie, so a flip is level 2
 * there. The router ranks by this level first and by the model's score only within one level
 * (ALGORITHMS.md §4). A judge with no verdict is ranked ahead of every level by its own rule.
 */
export function judgeDoubtLevel(features: Pick<ItemFeatures, "judge_order_inconsistent" | "judge_tie">): number {
  return (features.judge_order_inconsistent === 1 ? 1 : 0) + (features.judge_tie === 1 ? 1 : 0);
}

/**
 * One number that sorts like (doubt level, score) for a score in [0, 1]: what the router's
 * order is validated with (an AUC needs one score per item).
 */
export function doubtThenScore(level: number, score: number): number {
  return 2 * level + Math.min(1, Math.max(0, score));
}

/** The judge-uncertainty score alone (the fallback model), with each signal's share of it. */
export function judgeUncertainty(features: ItemFeatures, prior: number | null = null): DisagreementPrediction {
  const known = UNCERTAINTY_SIGNALS.flatMap(({ feature, uncertainty }) => {
    const value = features[feature];
    return value === null ? [] : [{ feature, value, u: uncertainty(value) }];
  });
  if (known.length === 0) return { score: prior ?? 0.5, contributions: [] };
  const score = known.reduce((s, k) => s + k.u, 0) / known.length;
  return {
    score,
    contributions: known.map((k) => ({ feature: k.feature, value: k.value, contribution: (k.u - 0.5) / known.length })),
  };
}

/** Standardised, imputed design row for the model's features: missing values sit at the mean (0). */
export function designRow(features: ItemFeatures, modelFeatures: readonly Pick<ModelFeature, "name" | "mean" | "std">[]): number[] {
  return modelFeatures.map(({ name, mean, std }) => {
    const value = features[name];
    return value === null ? 0 : (transformFeature(name, value) - mean) / std;
  });
}

/** Scores one item: the predicted chance that the judge's label disagrees with the human majority. */
export function predictDisagreement(model: DisagreementModel, features: ItemFeatures): DisagreementPrediction {
  if (model.kind === "judge-uncertainty") return judgeUncertainty(features, model.positiveRate);
  const row = designRow(features, model.features);
  const score = predictLogistic({ intercept: model.intercept, coefficients: model.features.map((f) => f.coefficient) }, row);
  const contributions = model.features.map((f, j) => ({ feature: f.name, value: features[f.name], contribution: f.coefficient * (row[j] as number) }));
  return { score, contributions };
}
