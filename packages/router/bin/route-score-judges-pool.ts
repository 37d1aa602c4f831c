/**
 * Pools `route:score:judges --json FILE` outputs of several seeds (same options otherwise): per
 * judge and budget, learned − random and learned − judge uncertainty over all repetitions of all
 * seeds with a 95 % t-interval, the mean of the judges per repetition likewise, and each seed's
 * own mean. The items are the same in every seed: the intervals cover the calibration draws and
 * the annotators, not new items.
 *
 * usage: npx tsx packages/router/bin/route-score-judges-pool.ts seed0.json seed1.json …
 */
import { readFileSync } from "node:fs";
import { meanInterval, type RealJudgeRun } from "../src/experiment/format-real-judge-report.ts";

interface Output {
  options: { seed: number; repetitions: number; rewardModel: boolean; judgeLabels: string };
  budgets: number[];
  subsets: string[];
  runs: RealJudgeRun[];
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: route-score-judges-pool.ts FILE.json …\n");
  process.exit(2);
}
const outputs = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as Output);
const signed = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(1)}`;
const interval = (values: number[]) => {
  const i = meanInterval(values);
  return i ? `${signed(i.mean)} [${signed(i.low)}, ${signed(i.high)}]` : "n/a";
};
const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
type Key = "learnedMinusRandom" | "learnedMinusUncertainty";

for (const humanError of ["uniform", "hard"] as const) {
  const bySeed = outputs.map((o) => o.runs.filter((r) => r.humanError === humanError));
  if (bySeed.some((runs) => runs.length === 0)) continue;
  const o = outputs[0] as Output;
  process.stdout.write(
    `\n## ${humanError} annotator error · seeds ${outputs.map((x) => x.options.seed).join(", ")} × ${o.options.repetitions} repetitions · reward model ${o.options.rewardModel ? "on" : "off"} · judge labels ${o.options.judgeLabels} · ${o.subsets.join(" + ")}\n\n`,
  );
  process.stdout.write("| judge | budget | learned − random | learned − uncertainty | per seed (− uncertainty) |\n|---|---:|---:|---:|---|\n");
  for (const budget of o.budgets) {
    const differences = (runs: RealJudgeRun[], judge: string, key: Key) =>
      runs.find((r) => r.judge === judge)?.result.budgets.find((b) => b.budget === budget)?.differences[key] ?? [];
    const judges = (bySeed[0] as RealJudgeRun[]).map((r) => r.judge);
    for (const judge of judges) {
      const pooled = (key: Key) => bySeed.flatMap((runs) => differences(runs, judge, key));
      const perSeed = bySeed.map((runs) => signed(mean(differences(runs, judge, "learnedMinusUncertainty"))));
      process.stdout.write(
        `| ${judge} | ${Math.round(budget * 100)} % | ${interval(pooled("learnedMinusRandom"))} | ${interval(pooled("learnedMinusUncertainty"))} | ${perSeed.join(" · ")} |\n`,
      );
    }
    // Repetition r of a seed: the mean over the judges of their repetition-r differences.
    const perRepetition = (runs: RealJudgeRun[], key: Key) => {
      const columns = judges.map((judge) => differences(runs, judge, key));
      return (columns[0] ?? []).map((_, r) => mean(columns.map((c) => c[r] as number)));
    };
    const pooled = (key: Key) => bySeed.flatMap((runs) => perRepetition(runs, key));
    const perSeed = bySeed.map((runs) => signed(mean(perRepetition(runs, "learnedMinusUncertainty"))));
    process.stdout.write(
      `| **mean of ${judges.length} judges** | ${Math.round(budget * 100)} % | **${interval(pooled("learnedMinusRandom"))}** | **${interval(pooled("learnedMinusUncertainty"))}** | ${perSeed.join(" · ")} |\n`,
    );
  }
  const models = bySeed.map((runs) => runs.map((r) => `${r.judge} ${r.result.models.logistic}/${r.result.repetitions}`).join(", "));
  process.stdout.write(`\nRepetitions that kept the regression (the rest fell back to judge uncertainty), per seed: ${models.join("; ")}.\n`);
}
