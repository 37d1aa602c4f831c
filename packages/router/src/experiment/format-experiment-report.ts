import type { RoutingExperimentOptions, RoutingExperimentResult, Summary } from "./run-routing-experiment.ts";

export interface ReportContext {
  date: string;
  machine: string;
  command: string;
  sources: string[];
  options: Required<Omit<RoutingExperimentOptions, "pairs" | "budgets">>;
  seconds: number;
}

const pct = (s: Summary) => `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;
const signed = (s: Summary) => `${s.mean >= 0 ? "+" : ""}${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;

export function formatResultsTable(result: RoutingExperimentResult, randomRoutings: number): string {
  const header = [
    "| human budget | items to humans | learned routing | logistic only | judge uncertainty only | random (mean of " +
      randomRoutings +
      ") | learned − random (paired) | all-judge | all-human | oracle (upper bound) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const rows = result.budgets.map((b) =>
    [
      `${Math.round(b.budget * 100)} %`,
      `${b.humanItems} / ${result.evaluationItems}`,
      `**${pct(b.accuracy.learned)}**`,
      pct(b.accuracy["logistic-only"]),
      pct(b.accuracy["judge-uncertainty"]),
      pct(b.accuracy.random),
      signed(b.learnedMinusRandom),
      pct(result.allJudge),
      pct(result.allHuman),
      pct(b.accuracy.oracle),
    ].join(" | "),
  );
  return [...header, ...rows.map((r) => `| ${r} |`)].join("\n");
}

export function formatExperimentReport(result: RoutingExperimentResult, context: ReportContext): string {
  const { options } = context;
  const auc = (s: Summary | null) => (s ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : "n/a");
  return `# Routing experiment: learned vs random routing on LLMBar

Date: ${context.date} · machine: ${context.machine} · runtime: ${context.seconds.toFixed(1)} s
Command: \`${context.command}\`
Data: ${context.sources.join(", ")} — ${result.items} gold-labelled pairs.

Final-label accuracy against gold (%, mean ± sd over ${result.repetitions} repetitions) on the
${result.evaluationItems} items outside the calibration sample; the budget is the share of those
items sent to humans (the ${result.calibrationItems} calibration items are human-labelled in every
strategy and are not scored).

${formatResultsTable(result, options.randomRoutings)}

Disagreement model per repetition: ${result.models.logistic} × logistic regression (feature set: ${result.models.featureSets.join(", ") || "–"}), ${result.models.judgeUncertainty} × judge-uncertainty fallback.
Out-of-fold AUC for predicting judge–human disagreement on the calibration items: logistic ${auc(result.models.logisticAuc)}, judge uncertainty ${auc(result.models.judgeUncertaintyAuc)}.

## Set-up

- **AI judge (stand-in)**: a pairwise reward model, P(1 ≻ 2) = σ(w·(φ(1) − φ(2))), where φ is
  256 hashed unigram/bigram buckets (log counts, L2-normalised) plus style features (length,
  lines, list, markdown, code, refusal, prompt-vocabulary reuse, type/token ratio); L2 logistic
  regression, λ = 10, trained on gold labels with 5-fold cross-fitting so it never scores a pair it
  was trained on. Position bias: each pair is judged in both orders with a first-position bonus β
  set so that ${Math.round(options.judgeInconsistentShare * 100)} % of pairs flip between orders (\`consistent: false\`); confidence is
  the order-averaged probability of the winner.
- **Simulated humans**: ${options.annotatorsPerItem} annotator(s) per item reporting the gold label, flipped with probability
  ${options.humanFlipRate}. The majority of these labels is the human label.
- **Calibration**: a stratified sample (\`pickCalibrationSample\`) of ${Math.round(options.calibrationFraction * 100)} % of the items, labelled by
  judge and simulated humans, trains \`trainDisagreementModel\` on judge ≠ simulated-human
  majority. Gold labels are used only to train the stand-in judge (cross-fitted) and to score.
- **Strategies** at each budget: *learned* = \`routeToHumanOrJudge\` with the trained model — the
  judge's doubt level first (order flip +1, tie +1), the model's score within a level; the model
  keeps the judge-uncertainty score when that ranked the calibration items better out of fold in
  that order;
  *logistic only* = the regression even when it ranked worse; *judge uncertainty only* = the
  untrained fallback; *random* = a uniformly random subset of the same size, averaged over
  ${options.randomRoutings} draws; *all-judge* / *all-human* = budget 0 / 100 %; *oracle* = humans exactly
  where the judge is wrong (needs gold: an upper bound, not a method).
- Seeds: base seed ${options.seed}; repetition r redraws the human noise and the calibration sample.
`;
}
