import { scoreReference, trainRewardModel, type PreferencePair, type RewardModel } from "@arbiter/reward-model";
import { extractItemFeatures } from "../features/extract-item-features.ts";
import type { ItemFeatures } from "../features/feature-definitions.ts";
import { humanMajority } from "../labels/human-majority.ts";
import type { DisagreementModel } from "../model/disagreement-model.ts";
import { trainDisagreementModel } from "../model/train-disagreement-model.ts";
import { pickCalibrationSample } from "../route/pick-calibration-sample.ts";
import { resolveBudget } from "../route/resolve-budget.ts";
import { routeToHumanOrJudge } from "../route/route-to-human-or-judge.ts";
import { createRng, shuffled } from "../random.ts";
import { TIE, type CalibrationItem, type RoutingItem } from "../types.ts";
import { estimateHumanErrorRate } from "./human-error.ts";
import type { JudgedPair } from "./load-llmbar-judge-verdicts.ts";

export type HumanErrorModel = "uniform" | "hard";

/**
 * The judge's label for an item. "first-order": the verdict with output 1 shown first; an order
 * flip keeps that verdict (`consistent: false`). "combined": what Arbiter's judge stores
 * (`@arbiter/judge` combineRankedVerdicts) — a pairwise verdict that flips with the order is a tie.
 */
export type JudgeLabelMode = "first-order" | "combined";

export interface RealJudgeExperimentOptions {
  /** One judge's verdicts (both orders) on gold-labelled pairs. */
  pairs: readonly JudgedPair[];
  /** How both-order verdicts become the judge's label (default "first-order"). */
  judgeLabels?: JudgeLabelMode;
  budgets: readonly number[];
  calibrationFraction?: number;
  /** Mean chance that one simulated annotator picks the worse response (default 0.1). */
  humanFlipRate?: number;
  /**
   * "uniform": every item has the same annotator error. "hard": items in `hardItems` get
   * `hardFactor` times the error of the others (capped at 0.45), with the same mean, so human
   * mistakes fall on the items real judges find hard too.
   */
  humanError?: HumanErrorModel;
  hardItems?: ReadonlySet<string>;
  hardFactor?: number;
  /** Annotators per calibration item (≥ 2 lets the human error be estimated; default 3). */
  calibrationAnnotators?: number;
  /** Annotators per item routed to humans at evaluation (default 1). */
  routedAnnotators?: number;
  /** Train the campaign reward model on the calibration votes and give the router its margin (default true). */
  rewardModel?: boolean;
  repetitions?: number;
  randomRoutings?: number;
  seed?: number;
}

export interface Summary {
  mean: number;
  sd: number;
}

/**
 * `learned`: what the product ships — `trainDisagreementModel` + `routeToHumanOrJudge` (judge
 * doubt level first, the model's score within a level); `logistic-only`: the same with the
 * regression kept even where the fallback validated better; `judge-uncertainty`: the fallback
 * model on the judge's signals alone (no reward model).
 */
export type RealJudgeStrategy = "learned" | "logistic-only" | "judge-uncertainty" | "random" | "oracle";

export interface RealJudgeExperimentResult {
  items: number;
  calibrationItems: number;
  evaluationItems: number;
  repetitions: number;
  /** First-order verdict right against gold; share flipping between orders; share with no verdict; credit of the label used (ties ½). */
  judge: { accuracy: number; orderFlips: number; noVerdict: number; labelCredit: number };
  judgeLabels: JudgeLabelMode;
  allJudge: Summary;
  allHuman: Summary;
  /** Annotator error estimated from the calibration items' annotator pairs (truth: the simulated rate). */
  estimatedHumanError: Summary | null;
  /** Held-out pairwise accuracy of the campaign reward model trained on the calibration votes (cross-fitted). */
  rewardModelAccuracy: Summary | null;
  budgets: {
    budget: number;
    humanItems: number;
    accuracy: Record<RealJudgeStrategy, Summary>;
    learnedMinusRandom: Summary;
    learnedMinusUncertainty: Summary;
    /** Per repetition, in repetition order (for intervals over repetitions and judges). */
    differences: { learnedMinusRandom: number[]; learnedMinusUncertainty: number[] };
  }[];
  models: {
    logistic: number;
    judgeUncertainty: number;
    logisticAuc: Summary | null;
    judgeUncertaintyAuc: Summary | null;
    doubtThenLogisticAuc: Summary | null;
    doubtThenUncertaintyAuc: Summary | null;
  };
}

export function summarise(values: readonly number[]): Summary {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Credit of one final label against gold: 1 right, 0 wrong, ½ for a tie or no label (a coin flip). */
function credit(label: string | null, gold: string): number {
  return label === null || label === TIE ? 0.5 : label === gold ? 1 : 0;
}

/**
 * The routing item a real judge's both-order verdicts give. "first-order": winner = the verdict
 * with output 1 first, consistent = the same in both orders. "combined" (Arbiter's judge): a flip
 * is a tie, and a verdict that did not parse in either order is no verdict.
 */
export function judgedPairToItem(pair: JudgedPair, mode: JudgeLabelMode = "first-order"): RoutingItem {
  const { shownInOrder, shownSwapped } = pair.verdict;
  const base = {
    id: pair.id,
    prompt: pair.prompt,
    responses: [
      { id: "1", content: pair.output1 },
      { id: "2", content: pair.output2 },
    ],
  };
  // No confidence: these judges answer "Output (a)" or "(b)" and nothing else.
  if (mode === "combined") {
    if (shownInOrder === null || shownSwapped === null) return { ...base, judge: { winner: null } };
    return { ...base, judge: shownInOrder === shownSwapped ? { winner: shownInOrder, consistent: true } : { winner: TIE, consistent: false } };
  }
  return { ...base, judge: shownInOrder === null ? { winner: null } : { winner: shownInOrder, consistent: shownSwapped === shownInOrder } };
}

/** Per-item annotator error: uniform, or concentrated on the hard items with the same mean. */
export function humanErrorRates(ids: readonly string[], mean: number, model: HumanErrorModel, hard: ReadonlySet<string>, factor: number): number[] {
  if (model === "uniform" || hard.size === 0) return ids.map(() => mean);
  const share = ids.filter((id) => hard.has(id)).length / ids.length;
  // mean = share·f·e + (1 − share)·e, with f·e capped at 0.45.
  let easy = mean / (share * factor + (1 - share));
  let hardRate = Math.min(0.45, factor * easy);
  if (hardRate === 0.45) easy = Math.max(0, (mean - share * hardRate) / (1 - share));
  if (share === 1) hardRate = mean;
  return ids.map((id) => (hard.has(id) ? hardRate : easy));
}

function votesOf(items: readonly RoutingItem[], human: ReadonlyMap<string, string>): PreferencePair[] {
  return items.flatMap((item) => {
    const label = human.get(item.id);
    if (label !== "1" && label !== "2") return [];
    const chosen = item.responses.find((r) => r.id === label)?.content ?? "";
    const rejected = item.responses.find((r) => r.id !== label)?.content ?? "";
    return [{ prompt: item.prompt, chosen, rejected }];
  });
}

const REWARD_OPTIONS = { dim: 1 << 12, l2: 1e-2, epochs: 100 } as const;

function rewardScoresOf(model: RewardModel, item: RoutingItem): Record<string, number> {
  const scores = scoreReference(
    model,
    item.responses.map((r) => ({ prompt: item.prompt, response: r.content })),
  );
  return Object.fromEntries(item.responses.map((r, i) => [r.id, scores[i] as number]));
}

/**
 * Routing scored against a real LLM judge. Each repetition draws a stratified calibration sample,
 * labels it with `calibrationAnnotators` simulated annotators (gold flipped at each item's error
 * rate), estimates the annotator error from their pairwise disagreement, trains the campaign
 * reward model on the calibration majority votes (cross-fitted on the calibration items, so no
 * margin the router learns from was fitted on that item), trains the disagreement model on
 * judge ≠ majority, and routes the other items at each budget with the product's own
 * `routeToHumanOrJudge` (no copy of its ranking here). Final labels — one annotator's where
 * routed to humans, the judge's label (`judgeLabels`) elsewhere — are scored against gold.
 */
export function runRealJudgeRoutingExperiment(options: RealJudgeExperimentOptions): RealJudgeExperimentResult {
  const {
    pairs,
    budgets,
    judgeLabels = "first-order",
    calibrationFraction = 0.3,
    humanFlipRate = 0.1,
    humanError = "uniform",
    hardItems = new Set<string>(),
    hardFactor = 3,
    calibrationAnnotators = 3,
    routedAnnotators = 1,
    rewardModel = true,
    repetitions = 20,
    randomRoutings = 20,
    seed = 0,
  } = options;
  const items = pairs.map((pair) => judgedPairToItem(pair, judgeLabels));
  const goldOf = new Map(pairs.map((p) => [p.id, p.label as string]));
  const judgeLabel = new Map(items.map((item) => [item.id, item.judge?.winner ?? null]));
  const judgeFeatures = new Map(items.map((item) => [item.id, extractItemFeatures(item)]));
  const errorRate = new Map(
    humanErrorRates(
      items.map((i) => i.id),
      humanFlipRate,
      humanError,
      hardItems,
      hardFactor,
    ).map((e, i) => [(items[i] as RoutingItem).id, e]),
  );
  const judge = {
    accuracy: pairs.filter((p) => p.verdict.shownInOrder === p.label).length / pairs.length,
    orderFlips: pairs.filter((p) => p.verdict.shownInOrder !== null && p.verdict.shownInOrder !== p.verdict.shownSwapped).length / pairs.length,
    noVerdict: items.filter((item) => item.judge?.winner === null).length / pairs.length,
    labelCredit: items.reduce((sum, item) => sum + credit(item.judge?.winner ?? null, goldOf.get(item.id) as string), 0) / pairs.length,
  };

  const per = {
    allJudge: [] as number[],
    allHuman: [] as number[],
    humanError: [] as number[],
    rewardAccuracy: [] as number[],
    byBudget: budgets.map(() => ({ learned: [], "logistic-only": [], "judge-uncertainty": [], random: [], oracle: [] }) as Record<RealJudgeStrategy, number[]>),
    models: [] as DisagreementModel[],
  };
  let calibrationCount = 0;

  for (let rep = 0; rep < repetitions; rep++) {
    const repSeed = `${seed}:${rep}`;
    const rng = createRng(`humans:${repSeed}`);
    const annotate = (item: RoutingItem, count: number) => {
      const gold = goldOf.get(item.id) as string;
      const e = errorRate.get(item.id) as number;
      return Array.from({ length: count }, () => (rng() < e ? (gold === "1" ? "2" : "1") : gold));
    };
    const calibrationIds = new Set(pickCalibrationSample({ items, features: judgeFeatures, size: { fraction: calibrationFraction }, seed: repSeed }).ids);
    calibrationCount = calibrationIds.size;
    const calibrationItems = items.filter((item) => calibrationIds.has(item.id));
    const evaluation = items.filter((item) => !calibrationIds.has(item.id));
    const calibrationLabels = new Map(calibrationItems.map((item) => [item.id, annotate(item, calibrationAnnotators)]));
    const routedLabel = new Map(evaluation.map((item) => [item.id, humanMajority(annotate(item, routedAnnotators))]));
    const estimate = estimateHumanErrorRate([...calibrationLabels.values()]);
    if (estimate) per.humanError.push(estimate.rate);

    // The campaign reward model: trained on the calibration votes only. Calibration items are
    // scored by models that did not see them (5 folds); evaluation items by the model on all votes.
    const withReward = new Map<string, RoutingItem>();
    if (rewardModel) {
      const majority = new Map([...calibrationLabels].map(([id, labels]) => [id, humanMajority(labels)]));
      const folds = 5;
      const order = shuffled(calibrationItems, createRng(`reward-folds:${repSeed}`));
      let right = 0;
      let scored = 0;
      for (let fold = 0; fold < folds; fold++) {
        const held = order.filter((_, i) => i % folds === fold);
        const { model } = trainRewardModel({
          pairs: votesOf(
            order.filter((_, i) => i % folds !== fold),
            majority,
          ),
          seed: rep,
          ...REWARD_OPTIONS,
        });
        for (const item of held) {
          const rewardScores = rewardScoresOf(model, item);
          withReward.set(item.id, { ...item, rewardScores });
          const gold = goldOf.get(item.id) as string;
          const other = gold === "1" ? "2" : "1";
          right += (rewardScores[gold] as number) > (rewardScores[other] as number) ? 1 : rewardScores[gold] === rewardScores[other] ? 0.5 : 0;
          scored++;
        }
      }
      per.rewardAccuracy.push(right / scored);
      const { model } = trainRewardModel({ pairs: votesOf(calibrationItems, majority), seed: rep, ...REWARD_OPTIONS });
      for (const item of evaluation) withReward.set(item.id, { ...item, rewardScores: rewardScoresOf(model, item) });
    }
    const learnedItem = (item: RoutingItem) => withReward.get(item.id) ?? item;
    const learnedFeatures = new Map<string, ItemFeatures>(
      items.map((item) => [item.id, rewardModel ? extractItemFeatures(learnedItem(item)) : (judgeFeatures.get(item.id) as ItemFeatures)]),
    );

    const calibration: CalibrationItem[] = calibrationItems.flatMap((item) =>
      item.judge ? [{ ...learnedItem(item), judge: item.judge, human: calibrationLabels.get(item.id) as string[] }] : [],
    );
    const accuracyWith = (humanRouted: ReadonlySet<string>) =>
      evaluation.reduce((sum, item) => {
        const label = humanRouted.has(item.id) ? (routedLabel.get(item.id) as string) : (judgeLabel.get(item.id) ?? null);
        return sum + credit(label, goldOf.get(item.id) as string);
      }, 0) / evaluation.length;
    per.allJudge.push(accuracyWith(new Set()));
    per.allHuman.push(accuracyWith(new Set(evaluation.map((i) => i.id))));

    const model = trainDisagreementModel({ items: calibration, seed: repSeed });
    per.models.push(model);
    const logisticOnly = trainDisagreementModel({ items: calibration, seed: repSeed, keepBetterRanker: false });
    const uncertaintyModel: DisagreementModel = { kind: "judge-uncertainty", trainedOn: 0, positiveRate: null, reason: "baseline" };
    const judgeWrong = evaluation.filter((item) => credit(judgeLabel.get(item.id) ?? null, goldOf.get(item.id) as string) < 1);

    budgets.forEach((budget, b) => {
      // The judge-uncertainty baseline sees only what the judge said (no reward model).
      const routed = (m: DisagreementModel, features: ReadonlyMap<string, ItemFeatures>, routedItems: readonly RoutingItem[]) =>
        new Set(
          routeToHumanOrJudge({ items: routedItems, features, model: m, budget: { fraction: budget }, seed: repSeed, explain: 0 })
            .decisions.filter((d) => d.route === "human")
            .map((d) => d.id),
        );
      const evaluationLearned = evaluation.map(learnedItem);
      const k = resolveBudget({ fraction: budget }, evaluation.length);
      const slot = per.byBudget[b] as Record<RealJudgeStrategy, number[]>;
      slot.learned.push(accuracyWith(routed(model, learnedFeatures, evaluationLearned)));
      slot["logistic-only"].push(accuracyWith(routed(logisticOnly, learnedFeatures, evaluationLearned)));
      slot["judge-uncertainty"].push(accuracyWith(routed(uncertaintyModel, judgeFeatures, evaluation)));
      let randomSum = 0;
      for (let r = 0; r < randomRoutings; r++) {
        const pick = shuffled(
          evaluation.map((i) => i.id),
          createRng(`random:${repSeed}:${budget}:${r}`),
        ).slice(0, k);
        randomSum += accuracyWith(new Set(pick));
      }
      slot.random.push(randomSum / randomRoutings);
      slot.oracle.push(
        accuracyWith(
          new Set(
            shuffled(
              judgeWrong.map((i) => i.id),
              createRng(`oracle:${repSeed}`),
            ).slice(0, k),
          ),
        ),
      );
    });
  }

  const validation = (pick: (m: DisagreementModel) => number | null | undefined) => {
    const values = per.models.map(pick).filter((v): v is number => typeof v === "number");
    return values.length > 0 ? summarise(values) : null;
  };
  return {
    items: items.length,
    calibrationItems: calibrationCount,
    evaluationItems: items.length - calibrationCount,
    repetitions,
    judge,
    judgeLabels,
    allJudge: summarise(per.allJudge),
    allHuman: summarise(per.allHuman),
    estimatedHumanError: per.humanError.length > 0 ? summarise(per.humanError) : null,
    rewardModelAccuracy: per.rewardAccuracy.length > 0 ? summarise(per.rewardAccuracy) : null,
    budgets: budgets.map((budget, b) => {
      const slot = per.byBudget[b] as Record<RealJudgeStrategy, number[]>;
      const minusRandom = slot.learned.map((v, r) => v - (slot.random[r] as number));
      const minusUncertainty = slot.learned.map((v, r) => v - (slot["judge-uncertainty"][r] as number));
      return {
        budget,
        humanItems: resolveBudget({ fraction: budget }, items.length - calibrationCount),
        accuracy: {
          learned: summarise(slot.learned),
          "logistic-only": summarise(slot["logistic-only"]),
          "judge-uncertainty": summarise(slot["judge-uncertainty"]),
          random: summarise(slot.random),
          oracle: summarise(slot.oracle),
        },
        learnedMinusRandom: summarise(minusRandom),
        learnedMinusUncertainty: summarise(minusUncertainty),
        differences: { learnedMinusRandom: minusRandom, learnedMinusUncertainty: minusUncertainty },
      };
    }),
    models: {
      logistic: per.models.filter((m) => m.kind === "logistic").length,
      judgeUncertainty: per.models.filter((m) => m.kind !== "logistic").length,
      logisticAuc: validation((m) => m.validation?.logisticAuc),
      judgeUncertaintyAuc: validation((m) => m.validation?.judgeUncertaintyAuc),
      doubtThenLogisticAuc: validation((m) => m.validation?.doubtThenLogisticAuc),
      doubtThenUncertaintyAuc: validation((m) => m.validation?.doubtThenUncertaintyAuc),
    },
  };
}
