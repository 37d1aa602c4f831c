import { extractItemFeatures } from "../features/extract-item-features.ts";
import { humanMajority } from "../labels/human-majority.ts";
import type { DisagreementModel, ModelValidation } from "../model/disagreement-model.ts";
import { trainDisagreementModel } from "../model/train-disagreement-model.ts";
import { pickCalibrationSample } from "../route/pick-calibration-sample.ts";
import { resolveBudget } from "../route/resolve-budget.ts";
import { routeToHumanOrJudge } from "../route/route-to-human-or-judge.ts";
import { createRng, shuffled } from "../random.ts";
import { TIE, type CalibrationItem, type RoutingItem } from "../types.ts";
import { simulatePairwiseJudge, type GoldPair } from "./pairwise-reward-judge.ts";
import { simulateHumanLabels } from "./simulate-human-labels.ts";

export interface RoutingExperimentOptions {
  pairs: readonly GoldPair[];
  budgets: readonly number[];
  /** Share of items labelled by both humans and the judge to train the router (default 0.3). */
  calibrationFraction?: number;
  /** Chance that a simulated human picks the worse response (default 0.1). */
  humanFlipRate?: number;
  annotatorsPerItem?: number;
  /** Independent repetitions (fresh human noise and calibration split each time). */
  repetitions?: number;
  /** Random routings averaged per budget and repetition. */
  randomRoutings?: number;
  judgeInconsistentShare?: number;
  seed?: number;
}

export type StrategyName = "learned" | "logistic-only" | "judge-uncertainty" | "random" | "oracle";

export interface Summary {
  mean: number;
  sd: number;
}

export interface RoutingExperimentResult {
  items: number;
  calibrationItems: number;
  evaluationItems: number;
  repetitions: number;
  allJudge: Summary;
  allHuman: Summary;
  budgets: {
    budget: number;
    humanItems: number;
    accuracy: Record<StrategyName, Summary>;
    /** learned − random within each repetition: the paired gain of routing. */
    learnedMinusRandom: Summary;
  }[];
  models: {
    logistic: number;
    judgeUncertainty: number;
    /** Out-of-fold AUC of the fitted regression and of judge uncertainty on the calibration items. */
    logisticAuc: Summary | null;
    judgeUncertaintyAuc: Summary | null;
    featureSets: string[];
  };
}

function summarise(values: readonly number[]): Summary {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Credit of one final label against gold: 1 right, 0 wrong, ½ for a tie (a coin flip). */
function credit(label: string, gold: string): number {
  return label === TIE ? 0.5 : label === gold ? 1 : 0;
}

/**
 * The offline routing experiment. A cross-fitted reward model plays the AI judge; simulated
 * annotators (gold flipped at a given rate) play the humans. Each repetition draws a stratified
 * calibration sample (human + judge labels), trains the router on it — on the simulated human
 * labels, never on gold — and routes the remaining items at each budget. Final labels (human
 * where routed to humans, judge elsewhere) are scored against gold on the non-calibration items.
 */
export function runRoutingExperiment(options: RoutingExperimentOptions): RoutingExperimentResult {
  const {
    pairs,
    budgets,
    calibrationFraction = 0.3,
    humanFlipRate = 0.1,
    annotatorsPerItem = 1,
    repetitions = 20,
    randomRoutings = 20,
    judgeInconsistentShare = 0.25,
    seed = 0,
  } = options;
  const verdicts = simulatePairwiseJudge({ pairs, inconsistentShare: judgeInconsistentShare, seed });
  const gold = pairs.map((p) => p.label);
  const items: RoutingItem[] = pairs.map((p, i) => {
    const verdict = verdicts[i] as (typeof verdicts)[number];
    return {
      id: p.id,
      prompt: p.prompt,
      responses: [
        { id: "1", content: p.output1 },
        { id: "2", content: p.output2 },
      ],
      judge: { winner: verdict.winner, confidence: verdict.confidence, consistent: verdict.consistent },
    };
  });
  const features = new Map(items.map((item) => [item.id, extractItemFeatures(item)]));
  const judgeLabel = new Map(items.map((item) => [item.id, item.judge?.winner ?? TIE]));
  const goldOf = new Map(pairs.map((p) => [p.id, p.label as string]));

  const perRepetition = {
    allJudge: [] as number[],
    allHuman: [] as number[],
    byBudget: budgets.map(() => ({
      learned: [] as number[],
      "logistic-only": [] as number[],
      "judge-uncertainty": [] as number[],
      random: [] as number[],
      oracle: [] as number[],
    })),
    models: [] as DisagreementModel[],
  };
  let calibrationCount = 0;

  for (let rep = 0; rep < repetitions; rep++) {
    const repSeed = `${seed}:${rep}`;
    const humanLabels = simulateHumanLabels({
      gold,
      other: gold.map((g) => (g === "1" ? "2" : "1")),
      flipRate: humanFlipRate,
      annotatorsPerItem,
      seed: repSeed,
    });
    const humanOf = new Map(items.map((item, i) => [item.id, humanMajority(humanLabels[i] as string[])]));
    const calibrationIds = new Set(pickCalibrationSample({ items, features, size: { fraction: calibrationFraction }, seed: repSeed }).ids);
    calibrationCount = calibrationIds.size;
    const calibration: CalibrationItem[] = items.flatMap((item, i) =>
      calibrationIds.has(item.id) && item.judge ? [{ ...item, judge: item.judge, human: humanLabels[i] as string[] }] : [],
    );
    const evaluation = items.filter((item) => !calibrationIds.has(item.id));
    const accuracyWith = (humanRouted: ReadonlySet<string>) =>
      evaluation.reduce((sum, item) => {
        const label = humanRouted.has(item.id) ? (humanOf.get(item.id) as string) : (judgeLabel.get(item.id) as string);
        return sum + credit(label, goldOf.get(item.id) as string);
      }, 0) / evaluation.length;

    perRepetition.allJudge.push(accuracyWith(new Set()));
    perRepetition.allHuman.push(accuracyWith(new Set(evaluation.map((i) => i.id))));

    const model = trainDisagreementModel({ items: calibration, seed: repSeed });
    perRepetition.models.push(model);
    const logisticOnly = trainDisagreementModel({ items: calibration, seed: repSeed, keepBetterRanker: false });
    const uncertaintyModel: DisagreementModel = { kind: "judge-uncertainty", trainedOn: 0, positiveRate: null, reason: "baseline" };
    // The oracle knows where the judge is wrong: an upper bound for any router, never a method.
    const judgeWrong = evaluation.filter((item) => credit(judgeLabel.get(item.id) as string, goldOf.get(item.id) as string) < 1);

    budgets.forEach((budget, b) => {
      const routed = (m: DisagreementModel) =>
        new Set(
          routeToHumanOrJudge({ items: evaluation, features, model: m, budget: { fraction: budget }, seed: repSeed, explain: 0 })
            .decisions.filter((d) => d.route === "human")
            .map((d) => d.id),
        );
      const k = resolveBudget({ fraction: budget }, evaluation.length);
      const slot = perRepetition.byBudget[b] as Record<StrategyName, number[]>;
      slot.learned.push(accuracyWith(routed(model)));
      slot["logistic-only"].push(accuracyWith(routed(logisticOnly)));
      slot["judge-uncertainty"].push(accuracyWith(routed(uncertaintyModel)));
      let randomSum = 0;
      for (let r = 0; r < randomRoutings; r++) {
        const pick = shuffled(
          evaluation.map((i) => i.id),
          createRng(`random:${repSeed}:${budget}:${r}`),
        ).slice(0, k);
        randomSum += accuracyWith(new Set(pick));
      }
      slot.random.push(randomSum / randomRoutings);
      const oracle = shuffled(
        judgeWrong.map((i) => i.id),
        createRng(`oracle:${repSeed}`),
      ).slice(0, k);
      slot.oracle.push(accuracyWith(new Set(oracle)));
    });
  }

  const logistic = perRepetition.models.filter((m) => m.kind === "logistic");
  const validationAuc = (pick: (v: ModelValidation) => number | null) => {
    const values = perRepetition.models.flatMap((m) => (m.validation ? [pick(m.validation)] : [])).filter((v): v is number => v !== null);
    return values.length > 0 ? summarise(values) : null;
  };
  return {
    items: items.length,
    calibrationItems: calibrationCount,
    evaluationItems: items.length - calibrationCount,
    repetitions,
    allJudge: summarise(perRepetition.allJudge),
    allHuman: summarise(perRepetition.allHuman),
    budgets: budgets.map((budget, b) => {
      const slot = perRepetition.byBudget[b] as Record<StrategyName, number[]>;
      return {
        budget,
        humanItems: resolveBudget({ fraction: budget }, items.length - calibrationCount),
        learnedMinusRandom: summarise(slot.learned.map((v, r) => v - (slot.random[r] as number))),
        accuracy: {
          learned: summarise(slot.learned),
          "logistic-only": summarise(slot["logistic-only"]),
          "judge-uncertainty": summarise(slot["judge-uncertainty"]),
          random: summarise(slot.random),
          oracle: summarise(slot.oracle),
        },
      };
    }),
    models: {
      logistic: logistic.length,
      judgeUncertainty: perRepetition.models.length - logistic.length,
      logisticAuc: validationAuc((v) => v.logisticAuc),
      judgeUncertaintyAuc: validationAuc((v) => v.judgeUncertaintyAuc),
      featureSets: [...new Set(logistic.map((m) => (m.kind === "logistic" ? m.featureSet : "")))],
    },
  };
}
