import { extractItemFeatures } from "../features/extract-item-features.ts";
import {
  CORE_FEATURE_NAMES,
  FEATURE_DEFINITIONS,
  FEATURE_NAMES,
  transformFeature,
  type FeatureName,
  type ItemFeatures,
} from "../features/feature-definitions.ts";
import { judgeDisagreesWithHumans } from "../labels/human-majority.ts";
import { createRng, shuffled } from "../random.ts";
import type { CalibrationItem } from "../types.ts";
import {
  designRow,
  doubtThenScore,
  judgeDoubtLevel,
  judgeUncertainty,
  type DisagreementModel,
  type ModelFeature,
  type ModelValidation,
} from "./disagreement-model.ts";
import { fitLogisticRegression, predictLogistic } from "./fit-logistic-regression.ts";
import { meanLogLoss, rocAuc } from "./metrics.ts";

export interface TrainDisagreementModelOptions {
  /** Items labelled by both the judge and humans. Items with no human label are ignored. */
  items: readonly CalibrationItem[];
  /** Below this many labelled items (or 3 of either class) the judge-uncertainty fallback is used. */
  minLabels?: number;
  /** From this many labelled items on, every feature is used; below it only CORE_FEATURE_NAMES. */
  allFeaturesFrom?: number;
  /** Candidate L2 penalties; the one with the lowest out-of-fold log-loss is kept. */
  l2Grid?: readonly number[];
  folds?: number;
  /** Seeds the fold assignment. */
  seed?: number | string;
  /**
   * Return the judge-uncertainty model when, in the order the router ranks by (the judge's doubt
   * level first, then the score), it ranked the calibration items better out of fold than the
   * fitted regression did (default true; false always returns the regression).
   */
  keepBetterRanker?: boolean;
}

interface LabelledRow {
  features: ItemFeatures;
  target: number;
}

const DEFAULT_L2_GRID = [0.1, 1, 3, 10, 30, 100];

function standardisation(rows: readonly LabelledRow[], names: readonly FeatureName[]): Omit<ModelFeature, "coefficient">[] {
  const kept: Omit<ModelFeature, "coefficient">[] = [];
  for (const name of names) {
    const values = rows
      .map((r) => r.features[name])
      .filter((v): v is number => v !== null)
      .map((v) => transformFeature(name, v));
    if (values.length < 2) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // A constant column carries no information about disagreement here.
    if (std < 1e-9) continue;
    kept.push({ name, transform: FEATURE_DEFINITIONS[name].transform, mean, std });
  }
  return kept;
}

function stratifiedFolds(targets: readonly number[], folds: number, seed: number | string): number[] {
  const rng = createRng(`folds:${seed}`);
  const assignment = new Array<number>(targets.length).fill(0);
  for (const cls of [0, 1]) {
    const members = shuffled(
      targets.flatMap((t, i) => (t === cls ? [i] : [])),
      rng,
    );
    members.forEach((rowIndex, k) => (assignment[rowIndex] = k % folds));
  }
  return assignment;
}

function fitOnRows(rows: readonly LabelledRow[], names: readonly FeatureName[], l2: number) {
  const scaling = standardisation(rows, names);
  const fit = fitLogisticRegression({ x: rows.map((r) => designRow(r.features, scaling)), y: rows.map((r) => r.target), l2 });
  return { scaling, fit };
}

/**
 * Learns, from calibration items, how likely the judge is to disagree with the human majority
 * on an item: that probability is the value of buying a human label for it. L2-regularised
 * logistic regression on standardised features; λ by stratified k-fold cross-validation. The
 * out-of-fold AUC is compared with that of the judge-uncertainty score alone, and the better
 * ranker is returned — both compared in the order the router ranks by (the judge's doubt level
 * first, then the score) — so a poor fit never routes worse than the judge's own doubt would.
 */
export function trainDisagreementModel(options: TrainDisagreementModelOptions): DisagreementModel {
  const { minLabels = 20, allFeaturesFrom = 100, l2Grid = DEFAULT_L2_GRID, seed = 0, keepBetterRanker = true } = options;
  const rows: LabelledRow[] = options.items
    // Items the judge gave no verdict on go to humans by rule, whatever the model says: they teach it nothing.
    .filter((item) => item.human.length > 0 && item.judge.winner !== null)
    .map((item) => ({ features: extractItemFeatures(item), target: judgeDisagreesWithHumans(item.judge, item.human) ? 1 : 0 }));
  const n = rows.length;
  const positives = rows.reduce((s, r) => s + r.target, 0);
  const positiveRate = n > 0 ? positives / n : null;
  const minority = Math.min(positives, n - positives);

  if (n < minLabels || minority < 3) {
    const reason =
      n < minLabels
        ? `${n} calibration labels (< ${minLabels})`
        : `only ${minority} item(s) in the rarer class (judge ${positives === minority ? "disagrees" : "agrees"})`;
    return { kind: "judge-uncertainty", trainedOn: n, positiveRate, reason };
  }

  const featureSet = n >= allFeaturesFrom ? "all" : "core";
  const names = featureSet === "all" ? FEATURE_NAMES : CORE_FEATURE_NAMES;
  const targets = rows.map((r) => r.target);
  const folds = Math.max(2, Math.min(options.folds ?? 5, minority));
  const assignment = stratifiedFolds(targets, folds, seed);

  let best: { l2: number; logLoss: number; predictions: number[] } | null = null;
  // Ascending, so that on equal loss the larger penalty (the simpler model) wins.
  for (const l2 of [...l2Grid].sort((a, b) => a - b)) {
    const predictions = new Array<number>(n).fill(0);
    for (let fold = 0; fold < folds; fold++) {
      const train = rows.filter((_, i) => assignment[i] !== fold);
      const { scaling, fit } = fitOnRows(train, names, l2);
      rows.forEach((row, i) => {
        if (assignment[i] === fold) predictions[i] = predictLogistic(fit, designRow(row.features, scaling));
      });
    }
    const logLoss = meanLogLoss(predictions, targets);
    if (!best || logLoss <= best.logLoss + 1e-12) best = { l2, logLoss, predictions };
  }
  if (!best) throw new Error("l2Grid must not be empty");

  const rate = positives / n;
  const uncertaintyScores = rows.map((r) => judgeUncertainty(r.features).score);
  const levels = rows.map((r) => judgeDoubtLevel(r.features));
  const validation: ModelValidation = {
    folds,
    logisticAuc: rocAuc(best.predictions, targets),
    logisticLogLoss: best.logLoss,
    judgeUncertaintyAuc: rocAuc(uncertaintyScores, targets),
    baselineLogLoss: meanLogLoss(
      targets.map(() => rate),
      targets,
    ),
    doubtThenLogisticAuc: rocAuc(
      best.predictions.map((p, i) => doubtThenScore(levels[i] as number, p)),
      targets,
    ),
    doubtThenUncertaintyAuc: rocAuc(
      uncertaintyScores.map((u, i) => doubtThenScore(levels[i] as number, u)),
      targets,
    ),
  };

  // Compared in the order the router ranks by: within a doubt level the regression replaces the
  // fallback's score (often a tie, broken by a seeded coin), so it is kept unless it ordered the
  // items of a level worse than that score did.
  if (keepBetterRanker && (validation.doubtThenUncertaintyAuc ?? 0) > (validation.doubtThenLogisticAuc ?? 0)) {
    return {
      kind: "judge-uncertainty",
      trainedOn: n,
      positiveRate,
      reason: `judge uncertainty ranked the calibration items better, doubt level first (AUC ${validation.doubtThenUncertaintyAuc?.toFixed(3)} vs ${validation.doubtThenLogisticAuc?.toFixed(3)} out of fold)`,
      validation,
    };
  }

  const { scaling, fit } = fitOnRows(rows, names, best.l2);
  return {
    kind: "logistic",
    featureSet,
    features: scaling.map((s, j) => ({ ...s, coefficient: fit.coefficients[j] as number })),
    intercept: fit.intercept,
    l2: best.l2,
    trainedOn: n,
    positiveRate: rate,
    validation,
  };
}
