import type { HumanErrorModel, JudgeLabelMode, RealJudgeExperimentResult, Summary } from "./run-real-judge-routing-experiment.ts";

export interface RealJudgeRun {
  judge: string;
  humanError: HumanErrorModel;
  result: RealJudgeExperimentResult;
}

export interface RealJudgeReportContext {
  date: string;
  machine: string;
  load: string;
  command: string;
  dataDir: string;
  /** What the pairs are, e.g. "LLMBar Natural (100) + MT-Bench (200)". */
  data: string;
  hardItems: number;
  options: { calibrationFraction: number; humanFlipRate: number; repetitions: number; seed: number; rewardModel: boolean; judgeLabels: JudgeLabelMode };
  seconds: number;
}

const pct = (s: Summary) => `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;
const signed = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)}`;

// Student's t, 97.5 % quantile, for 1–30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5 % quantile of Student's t with `df` degrees of freedom (table to 30, Cornish–Fisher beyond: error < 1e-3). */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1] as number;
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  /** Repetitions the interval is over. */
  n: number;
}

/** Mean and 95 % t-interval of per-repetition values (null with fewer than two). */
export function meanInterval(values: readonly number[]): Interval | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentT975(n - 1) * sd) / Math.sqrt(n);
  return { mean, low: mean - half, high: mean + half, n };
}

/**
 * Mean over judges of (learned − random) and (learned − judge uncertainty) at one budget, with a
 * 95 % interval over repetitions: repetition r's value is the mean over the judges of their
 * repetition-r differences (the judges' repetitions are independent draws of the calibration
 * sample and the annotators). The items are fixed: the interval says nothing about other items.
 */
export function averageGains(
  runs: readonly RealJudgeRun[],
  budget: number,
): { minusRandom: number; minusUncertainty: number; minusRandomInterval: Interval | null; minusUncertaintyInterval: Interval | null } {
  const rows = runs.map((r) => r.result.budgets.find((b) => b.budget === budget)).filter((b) => b !== undefined);
  const mean = (pick: (b: (typeof rows)[number]) => number) => rows.reduce((s, b) => s + pick(b), 0) / rows.length;
  const perRepetition = (pick: (b: (typeof rows)[number]) => readonly number[]) => {
    const length = Math.min(...rows.map((b) => pick(b).length));
    return Array.from({ length }, (_, r) => rows.reduce((s, b) => s + (pick(b)[r] as number), 0) / rows.length);
  };
  return {
    minusRandom: mean((b) => b.learnedMinusRandom.mean),
    minusUncertainty: mean((b) => b.learnedMinusUncertainty.mean),
    minusRandomInterval: rows.length > 0 ? meanInterval(perRepetition((b) => b.differences.learnedMinusRandom)) : null,
    minusUncertaintyInterval: rows.length > 0 ? meanInterval(perRepetition((b) => b.differences.learnedMinusUncertainty)) : null,
  };
}

const interval = (i: Interval | null) => (i ? `[${signed(i.low)}, ${signed(i.high)}]` : "n/a");

function table(runs: readonly RealJudgeRun[]): string {
  const lines = [
    "| judge | first-order accuracy · order flips | budget | learned (shipped) | logistic only | judge uncertainty | random | learned − random | learned − uncertainty | oracle | all-judge | all-human |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { judge, result } of runs) {
    for (const b of result.budgets) {
      const ci = (values: readonly number[]) => interval(meanInterval(values));
      lines.push(
        `| ${judge} | ${(100 * result.judge.accuracy).toFixed(1)} % · ${(100 * result.judge.orderFlips).toFixed(1)} % | ${Math.round(b.budget * 100)} % (${b.humanItems}) | **${pct(b.accuracy.learned)}** | ${pct(b.accuracy["logistic-only"])} | ${pct(b.accuracy["judge-uncertainty"])} | ${pct(b.accuracy.random)} | ${signed(b.learnedMinusRandom.mean)} ± ${(100 * b.learnedMinusRandom.sd).toFixed(1)} ${ci(b.differences.learnedMinusRandom)} | ${signed(b.learnedMinusUncertainty.mean)} ± ${(100 * b.learnedMinusUncertainty.sd).toFixed(1)} ${ci(b.differences.learnedMinusUncertainty)} | ${pct(b.accuracy.oracle)} | ${pct(result.allJudge)} | ${pct(result.allHuman)} |`,
      );
    }
  }
  const budgets = runs[0]?.result.budgets.map((b) => b.budget) ?? [];
  for (const budget of budgets) {
    const g = averageGains(runs, budget);
    lines.push(
      `| **mean of ${runs.length} judges** | | ${Math.round(budget * 100)} % | | | | | **${signed(g.minusRandom)}** ${interval(g.minusRandomInterval)} | **${signed(g.minusUncertainty)}** ${interval(g.minusUncertaintyInterval)} | | | |`,
    );
  }
  return lines.join("\n");
}

function models(runs: readonly RealJudgeRun[]): string {
  const auc = (s: Summary | null) => (s ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : "n/a");
  return runs
    .map(
      ({ judge, result }) =>
        `- ${judge}: ${result.models.logistic} × logistic, ${result.models.judgeUncertainty} × judge-uncertainty fallback; out-of-fold AUC (doubt level first, as routed) logistic ${auc(result.models.doubtThenLogisticAuc)}, judge uncertainty ${auc(result.models.doubtThenUncertaintyAuc)}; scores alone: logistic ${auc(result.models.logisticAuc)}, judge uncertainty ${auc(result.models.judgeUncertaintyAuc)}; reward model ${result.rewardModelAccuracy ? `(trained on ${result.calibrationItems} calibration votes) held-out accuracy ${pct(result.rewardModelAccuracy)} %` : "off"}; estimated annotator error ${result.estimatedHumanError ? pct(result.estimatedHumanError) : "n/a"} %.`,
    )
    .join("\n");
}

/** The issue-16 target at a 25 % budget, and whether the 95 % interval against judge uncertainty excludes 0. */
export function targetVerdict(runs: readonly RealJudgeRun[]): string {
  const g = averageGains(runs, 0.25);
  const met = g.minusRandom >= 0.03 && g.minusUncertainty >= 0;
  const clear = g.minusUncertaintyInterval ? (g.minusUncertaintyInterval.low > 0 ? "excludes 0" : "includes 0") : "not computed";
  return `Target (learned ≥ random + 3 points and ≥ judge-uncertainty routing at a 25 % budget, mean of the ${runs.length} judges): **${met ? "met" : "not met"}** — learned − random ${signed(g.minusRandom)} points ${interval(g.minusRandomInterval)}, learned − judge uncertainty ${signed(g.minusUncertainty)} points ${interval(g.minusUncertaintyInterval)} (95 % interval over repetitions: ${clear}).`;
}

export function formatRealJudgeReport(runs: readonly RealJudgeRun[], context: RealJudgeReportContext): string {
  const first = runs[0]?.result;
  const section = (model: HumanErrorModel, title: string) => {
    const these = runs.filter((r) => r.humanError === model);
    return these.length === 0 ? "" : `## ${title}\n\n${targetVerdict(these)}\n\n${table(these)}\n\n${models(these)}\n\n`;
  };
  const labels =
    context.options.judgeLabels === "combined"
      ? "Arbiter's combined verdict: the same verdict in both orders is the label, a verdict that flips with the order is a **tie** (½ credit), as `@arbiter/judge` stores it"
      : "the judge's first-order verdict (output 1 shown first); a verdict that flips with the order keeps it (`consistent: false`)";
  return `# Routing scored against real LLM judges (LLMBar)

Date: ${context.date} · machine: ${context.machine} · load average (1, 5, 15 min) at the end: ${context.load} (shared box) · runtime: ${context.seconds.toFixed(1)} s
Command: \`${context.command}\`
Data: ${context.dataDir}/ — real verdicts of GPT-4, gpt-3.5-turbo and LLaMA-2-70B-chat in both presentation orders on ${context.data} = ${first?.items ?? 0} gold-labelled pairs.

Final-label accuracy against gold (%, mean ± sd over ${context.options.repetitions} repetitions; differences also with a 95 % t-interval over the repetitions in brackets) on the ${first?.evaluationItems ?? 0} items outside the
calibration sample; the budget is the share of those items sent to humans (one annotator each). The
${first?.calibrationItems ?? 0} calibration items (${Math.round(context.options.calibrationFraction * 100)} %, three annotators each) are labelled in every strategy and not scored.
Judge label: ${labels}. Campaign reward model: ${context.options.rewardModel ? "on" : "**off** (Arbiter's routing pass has none yet)"}.

**Read with care: the rule scored here was chosen after seeing this data.** Ranking by the judge's doubt level first and the learned score only within a level was tried after an earlier run on these same 300 pairs and three judges showed the learned score alone losing to judge uncertainty (−0.1 points at 25 %). No pair or judge here was held out from that choice; the intervals cover new draws of the calibration sample and the annotators, not new items.

${section("uniform", `Annotator error uniform (${context.options.humanFlipRate} on every item)`)}${section("hard", `Annotator error on the hard items (mean ${context.options.humanFlipRate}; 3× as high, capped at 0.45, on the ${context.hardItems} items that at least two of the three judges get wrong)`)}## Set-up

- **Judge verdict**: ${labels}. These judges state no confidence. A verdict that did not parse is
  \`winner: null\` (routed to humans first).
- **Features** (the \`core\` set: fewer than 100 calibration labels): both-order disagreement
  (\`judge_order_inconsistent\`), \`judge_tie\`, the signed verbosity-bias features \`judge_winner_longer\` and
  \`judge_winner_more_formatted\`, the campaign reward model's \`reward_margin\` and
  \`reward_judge_disagree\` (when on), \`length_diff_relative\`, \`rouge1_f\`.
- **Campaign reward model**: \`@arbiter/reward-model\`'s linear Bradley–Terry model (4,096 hashed
  slots + style features, L-BFGS, λ = 0.01), trained on the calibration items' majority votes only —
  the votes a campaign has when it routes. Calibration items are scored by 5-fold models that did
  not see them; the routed items by the model on all calibration votes.
- **Humans**: simulated annotators report gold, flipped with each item's error rate. The annotator
  error is estimated from the calibration items' annotator pairs (disagreement d = 2e(1 − e)), shown above
  beside the models; the router is trained on judge ≠ calibration majority, never on gold.
- **Strategies**: *learned (shipped)* = \`trainDisagreementModel\` + \`routeToHumanOrJudge\`, the
  functions the app's routing pass calls: items without a verdict first, then the judge's doubt
  level (order flip +1, tie +1), then the model's score within a level; the model falls back to
  judge uncertainty when that ranked the calibration items better out of fold in the same
  doubt-level-first order; *logistic only* = the same with the regression kept even then;
  *judge uncertainty* = the fallback model on the judge's own signals only (order flips, ties, no
  verdict; no reward model), whose ties within a level a seeded coin breaks;
  *random* = uniform subset of the same size, mean of 20 draws; *oracle* = humans exactly where the
  judge is wrong (an upper bound, needs gold).
- Seeds: base seed ${context.options.seed}; repetition r redraws the calibration sample and the annotators.
`;
}
