import { binomialTestPValue, findSpeedOutliers, fitDawidSkene, leaveOneOutMajorityAgreement, type CategoricalLabel } from "@arbiter/ranking";
import { judgmentUnits } from "./judgment-units.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

/** When a figure earns an admin's attention. Flags inform; only the gold threshold can pause someone. */
export const reliabilityRules = {
  /** Gold accuracy below this (or below the campaign's goldPauseThreshold, when set) … */
  goldAccuracyBelow: 0.7,
  /** … once the annotator has this many gold judgments (or the campaign's goldPauseMinJudgments). */
  goldMinJudgments: 5,
  /** First-shown choice significantly off its expected share (two-sided exact binomial). */
  positionBiasPValueBelow: 0.01,
  /** Agreement with the others' majority below this, over at least `minUnits` units. */
  leaveOneOutBelow: 0.5,
  /** Dawid–Skene accuracy below this, over at least `minUnits` labels. */
  dawidSkeneBelow: 0.6,
  minUnits: 10,
  /** Speed outliers need this many annotators with timed work (modified z-score over their medians, |z| > 3.5). */
  speedMinAnnotators: 3,
} as const;

export type ReliabilityFlag = "gold_accuracy_low" | "position_bias" | "fast" | "slow" | "low_agreement" | "low_latent_accuracy" | "paused";

export interface AnnotatorFigures {
  userId: string;
  judgments: number;
  goldJudgments: number;
  goldCorrect: number;
  goldAccuracy: number | null;
  /** Agreement with the majority of the other annotators on the same units (ties in that majority earn 1/m). */
  leaveOneOutAgreement: number | null;
  leaveOneOutUnits: number;
  /** Dawid–Skene estimate of the probability that this annotator's label is the true one. */
  dawidSkeneAccuracy: number | null;
  positionBias: {
    /** Decisive choices (one response picked, or one response alone on top of a ranking). */
    decisive: number;
    /** Share of decisive choices that went to the response shown first. */
    firstShare: number | null;
    /** 1/K: the share to expect without bias (display order is shuffled per task). */
    expectedShare: number | null;
    pValue: number | null;
  };
  medianTimeMs: number | null;
  speedOutlier: "fast" | "slow" | null;
  /** Modified z-score of log median time across annotators. */
  speedZ: number | null;
  flags: ReliabilityFlag[];
}

export interface MeasureAnnotatorsOptions {
  items: ReadonlyMap<string, QualityItem>;
  /** Human judgments; others are ignored. */
  judgments: readonly QualityJudgment[];
  /** Members to report even without judgments, with their membership status. */
  members: ReadonlyMap<string, { status: "active" | "paused" }>;
  goldPauseThreshold: number | null;
  goldPauseMinJudgments: number;
}

/** Per-annotator reliability (ALGORITHMS.md §6): gold, leave-one-out, Dawid–Skene, position bias, speed. */
export function measureAnnotators(options: MeasureAnnotatorsOptions): AnnotatorFigures[] {
  const human = options.judgments.filter((j) => j.source === "human" && j.userId !== null);
  const userIds = [...new Set([...options.members.keys(), ...human.map((j) => j.userId!)])].sort();

  const labels: CategoricalLabel[] = [];
  for (const judgment of human) {
    const item = options.items.get(judgment.itemId);
    if (!item) continue;
    for (const unit of judgmentUnits(judgment, item)) labels.push({ item: unit.unit, annotator: judgment.userId!, label: unit.positional });
  }
  const leaveOneOut = new Map(leaveOneOutMajorityAgreement({ labels }).map((entry) => [entry.annotator, entry]));
  const latent = dawidSkeneAccuracies(labels);

  const byUser = new Map<string, QualityJudgment[]>(userIds.map((id) => [id, []]));
  for (const judgment of human) byUser.get(judgment.userId!)!.push(judgment);

  const figures = userIds.map((userId): AnnotatorFigures => {
    const own = byUser.get(userId)!;
    const gold = own.filter((j) => j.isGold && j.goldCorrect !== null);
    const goldCorrect = gold.filter((j) => j.goldCorrect).length;
    const loo = leaveOneOut.get(userId);
    const times = own.map((j) => j.timeMs).filter((t): t is number => t !== null && t > 0);
    return {
      userId,
      judgments: own.length,
      goldJudgments: gold.length,
      goldCorrect,
      goldAccuracy: gold.length > 0 ? goldCorrect / gold.length : null,
      leaveOneOutAgreement: loo?.agreement ?? null,
      leaveOneOutUnits: loo?.comparedItems ?? 0,
      dawidSkeneAccuracy: latent.get(userId)?.accuracy ?? null,
      positionBias: positionBias(own),
      medianTimeMs: times.length > 0 ? median(times) : null,
      speedOutlier: null,
      speedZ: null,
      flags: [],
    };
  });

  const timed = figures.filter((f) => f.medianTimeMs !== null);
  if (timed.length >= reliabilityRules.speedMinAnnotators) {
    const scores = new Map(findSpeedOutliers({ durations: timed.map((f) => ({ id: f.userId, seconds: f.medianTimeMs! / 1000 })) }).map((s) => [s.id, s]));
    for (const f of timed) {
      f.speedOutlier = scores.get(f.userId)?.outlier ?? null;
      f.speedZ = scores.get(f.userId)?.robustZ ?? null;
    }
  }

  const goldThreshold = options.goldPauseThreshold ?? reliabilityRules.goldAccuracyBelow;
  for (const f of figures) {
    const latentLabels = latent.get(f.userId)?.labels ?? 0;
    if (f.goldAccuracy !== null && f.goldJudgments >= options.goldPauseMinJudgments && f.goldAccuracy < goldThreshold) f.flags.push("gold_accuracy_low");
    if (f.positionBias.pValue !== null && f.positionBias.pValue < reliabilityRules.positionBiasPValueBelow) f.flags.push("position_bias");
    if (f.speedOutlier) f.flags.push(f.speedOutlier);
    if (f.leaveOneOutAgreement !== null && f.leaveOneOutUnits >= reliabilityRules.minUnits && f.leaveOneOutAgreement < reliabilityRules.leaveOneOutBelow)
      f.flags.push("low_agreement");
    if (f.dawidSkeneAccuracy !== null && latentLabels >= reliabilityRules.minUnits && f.dawidSkeneAccuracy < reliabilityRules.dawidSkeneBelow)
      f.flags.push("low_latent_accuracy");
    if (options.members.get(f.userId)?.status === "paused") f.flags.push("paused");
  }
  return figures;
}

function dawidSkeneAccuracies(labels: readonly CategoricalLabel[]): Map<string, { accuracy: number; labels: number }> {
  // The latent-truth model needs overlap: units with one label tell it nothing about anyone.
  const perUnit = new Map<string, number>();
  for (const label of labels) perUnit.set(label.item, (perUnit.get(label.item) ?? 0) + 1);
  const overlapping = labels.filter((label) => perUnit.get(label.item)! >= 2);
  if (new Set(overlapping.map((l) => l.annotator)).size < 2) return new Map();
  const fit = fitDawidSkene({ labels: overlapping });
  // An EM that stopped at its cap has not found the model's estimate: show no figure rather than an unvalidated one.
  if (!fit.converged) return new Map();
  return new Map(fit.annotators.map((a) => [a.annotator, { accuracy: a.accuracy, labels: a.labelCount }]));
}

/**
 * How often the response shown first was chosen (pairwise winner, pick-the-best, or alone on
 * top of a ranking), against 1/K. Ties, both_bad and tied tops are not decisive.
 */
function positionBias(judgments: readonly QualityJudgment[]): AnnotatorFigures["positionBias"] {
  let decisive = 0;
  let first = 0;
  let expected = 0;
  for (const judgment of judgments) {
    const shown = judgment.presentedOrder;
    if (shown.length < 2) continue;
    const top =
      judgment.verdict === "winner"
        ? judgment.winnerId
        : judgment.verdict === "ranking" && judgment.ranking?.[0]?.length === 1
          ? (judgment.ranking[0][0] ?? null)
          : null;
    if (!top || !shown.includes(top)) continue;
    decisive += 1;
    expected += 1 / shown.length;
    if (shown[0] === top) first += 1;
  }
  if (decisive === 0) return { decisive, firstShare: null, expectedShare: null, pValue: null };
  const expectedShare = expected / decisive;
  return {
    decisive,
    firstShare: first / decisive,
    expectedShare,
    pValue: binomialTestPValue({ successes: first, trials: decisive, probability: expectedShare }),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
