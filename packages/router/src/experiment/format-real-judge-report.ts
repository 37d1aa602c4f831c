import type { HumanErrorModel, RealJudgeExperimentResult, Summary } from "./run-real-judge-routing-experiment.ts";

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
  hardItems: number;
  options: { calibrationFraction: number; humanFlipRate: number; repetitions: number; seed: number };
  seconds: number;
}

const pct = (s: Summary) => `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;
const signed = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)}`;

/** Mean over judges of (learned − random) and (learned − judge uncertainty) at one budget, in points. */
export function averageGains(
  runs: readonly RealJudgeRun[],
  budget: number,
): { minusRandom: number; minusUncertainty: number; stackedMinusRandom: number; stackedMinusUncertainty: number } {
  const rows = runs.map((r) => r.result.budgets.find((b) => b.budget === budget)).filter((b) => b !== undefined);
  const mean = (pick: (b: (typeof rows)[number]) => number) => rows.reduce((s, b) => s + pick(b), 0) / rows.length;
  return {
    minusRandom: mean((b) => b.learnedMinusRandom.mean),
    minusUncertainty: mean((b) => b.learnedMinusUncertainty.mean),
    stackedMinusRandom: mean((b) => b.stackedMinusRandom.mean),
    stackedMinusUncertainty: mean((b) => b.stackedMinusUncertainty.mean),
  };
}

function table(runs: readonly RealJudgeRun[]): string {
  const lines = [
    "| judge | first-order accuracy · order flips | budget | learned | logistic only | judge uncertainty | random | learned − random | learned − uncertainty | uncertainty → learned | its − uncertainty | oracle | all-judge | all-human |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { judge, result } of runs) {
    for (const b of result.budgets) {
      lines.push(
        `| ${judge} | ${(100 * result.judge.accuracy).toFixed(1)} % · ${(100 * result.judge.orderFlips).toFixed(1)} % | ${Math.round(b.budget * 100)} % (${b.humanItems}) | **${pct(b.accuracy.learned)}** | ${pct(b.accuracy["logistic-only"])} | ${pct(b.accuracy["judge-uncertainty"])} | ${pct(b.accuracy.random)} | ${signed(b.learnedMinusRandom.mean)} ± ${(100 * b.learnedMinusRandom.sd).toFixed(1)} | ${signed(b.learnedMinusUncertainty.mean)} ± ${(100 * b.learnedMinusUncertainty.sd).toFixed(1)} | ${pct(b.accuracy["uncertainty-then-learned"])} | ${signed(b.stackedMinusUncertainty.mean)} ± ${(100 * b.stackedMinusUncertainty.sd).toFixed(1)} | ${pct(b.accuracy.oracle)} | ${pct(result.allJudge)} | ${pct(result.allHuman)} |`,
      );
    }
  }
  const budgets = runs[0]?.result.budgets.map((b) => b.budget) ?? [];
  for (const budget of budgets) {
    const g = averageGains(runs, budget);
    lines.push(
      `| **mean of ${runs.length} judges** | | ${Math.round(budget * 100)} % | | | | | **${signed(g.minusRandom)}** | **${signed(g.minusUncertainty)}** | ${signed(g.stackedMinusRandom)} vs random | **${signed(g.stackedMinusUncertainty)}** | | | |`,
    );
  }
  return lines.join("\n");
}

function models(runs: readonly RealJudgeRun[]): string {
  const auc = (s: Summary | null) => (s ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : "n/a");
  return runs
    .map(
      ({ judge, result }) =>
        `- ${judge}: ${result.models.logistic} × logistic, ${result.models.judgeUncertainty} × judge-uncertainty fallback; out-of-fold AUC logistic ${auc(result.models.logisticAuc)}, judge uncertainty ${auc(result.models.judgeUncertaintyAuc)}; reward model (trained on ${result.calibrationItems} calibration votes) held-out accuracy ${result.rewardModelAccuracy ? pct(result.rewardModelAccuracy) : "n/a"} %; estimated annotator error ${result.estimatedHumanError ? pct(result.estimatedHumanError) : "n/a"} %.`,
    )
    .join("\n");
}

function verdict(runs: readonly RealJudgeRun[]): string {
  const g = averageGains(runs, 0.25);
  const met = g.minusRandom >= 0.03 && g.minusUncertainty >= 0;
  return `Target (learned ≥ random + 3 points and ≥ judge-uncertainty routing at a 25 % budget, mean of the three judges): **${met ? "met" : "not met"}** — learned − random ${signed(g.minusRandom)} points, learned − judge uncertainty ${signed(g.minusUncertainty)} points. The fixed rule *uncertainty → learned* (not the shipped router): ${signed(g.stackedMinusRandom)} vs random, ${signed(g.stackedMinusUncertainty)} vs judge uncertainty.`;
}

export function formatRealJudgeReport(runs: readonly RealJudgeRun[], context: RealJudgeReportContext): string {
  const first = runs[0]?.result;
  const section = (model: HumanErrorModel, title: string) => {
    const these = runs.filter((r) => r.humanError === model);
    return `## ${title}\n\n${verdict(these)}\n\n${table(these)}\n\n${models(these)}\n`;
  };
  return `# Routing scored against real LLM judges (LLMBar)

Date: ${context.date} · machine: ${context.machine} · load average (1, 5, 15 min) at the end: ${context.load} (shared box) · runtime: ${context.seconds.toFixed(1)} s
Command: \`${context.command}\`
Data: ${context.dataDir}/ — real verdicts of GPT-4, gpt-3.5-turbo and LLaMA-2-70B-chat in both presentation orders on LLMBar Natural (100) + MT-Bench (200) = ${first?.items ?? 0} gold-labelled pairs.

Final-label accuracy against gold (%, mean ± sd over ${context.options.repetitions} repetitions) on the ${first?.evaluationItems ?? 0} items outside the
calibration sample; the budget is the share of those items sent to humans (one annotator each). The
${first?.calibrationItems ?? 0} calibration items (${Math.round(context.options.calibrationFraction * 100)} %, three annotators each) are labelled in every strategy and not scored.

${section("uniform", `Annotator error uniform (${context.options.humanFlipRate} on every item)`)}
${section("hard", `Annotator error on the hard items (mean ${context.options.humanFlipRate}; 3× as high, capped at 0.45, on the ${context.hardItems} items that at least two of the three judges get wrong)`)}
## Set-up

- **Judge verdict**: the judge's first-order verdict (output 1 shown first) is its label; \`consistent\`
  = the verdict is the same with the order swapped. These judges state no confidence. A verdict that
  did not parse is \`winner: null\` (routed to humans first).
- **Features** (the \`core\` set: 90 calibration labels < 100): both-order disagreement
  (\`judge_order_inconsistent\`), the signed verbosity-bias features \`judge_winner_longer\` and
  \`judge_winner_more_formatted\`, the campaign reward model's \`reward_margin\` and
  \`reward_judge_disagree\`, \`length_diff_relative\`, \`rouge1_f\`.
- **Campaign reward model**: \`@arbiter/reward-model\`'s linear Bradley–Terry model (4,096 hashed
  slots + style features, L-BFGS, λ = 0.01), trained on the calibration items' majority votes only —
  the votes a campaign has when it routes. Calibration items are scored by 5-fold models that did
  not see them; the routed items by the model on all calibration votes.
- **Humans**: simulated annotators report gold, flipped with each item's error rate. The annotator
  error is estimated from the calibration items' annotator pairs (disagreement d = 2e(1 − e)), shown above
  beside the models; the router is trained on judge ≠ calibration majority, never on gold.
- **Strategies**: *learned* = \`trainDisagreementModel\` + \`routeToHumanOrJudge\` (keeps judge
  uncertainty when that ranked the calibration items better out of fold); *logistic only* = the
  regression even then; *judge uncertainty* = order flips (and no verdict) only, no reward model;
  *uncertainty → learned* = judge uncertainty first, the logistic-only score ordering the items of
  one uncertainty level (where judge uncertainty breaks ties by a seeded coin) — a fixed rule, not
  selected on the scored items, and not what \`routeToHumanOrJudge\` ships;
  *random* = uniform subset of the same size, mean of 20 draws; *oracle* = humans exactly where the
  judge is wrong (an upper bound, needs gold).
- Seeds: base seed ${context.options.seed}; repetition r redraws the calibration sample and the annotators.
`;
}
