import { loadavg } from "node:os";
import { resolve } from "node:path";
import { createSeededRandom, shuffleInPlace } from "@arbiter/ranking/random";
import { expectedCalibrationError, featurizeBatch, sparseDotBatch, trainRewardModel, type PreferencePair } from "@arbiter/reward-model";
import { datasetsIn, loadHhRlhf, loadLlmBar, type PreferenceDataset } from "@arbiter/reward-model/testing";
import { gateVerdict } from "@arbiter/core";
import { machineLine } from "../lib/figures.ts";
import { benchArgs } from "./args.ts";

/**
 * The hint gate on real votes: hh-rlhf and LLMBar from ../shared/data, a campaign with 50 / 100
 * / 200 / 500 votes trained exactly as the server trains (20 % held out by the same split,
 * L-BFGS, 2^16 slots, L2 1e-3), then scored on later pairs it never saw (the tasks the hints
 * would be shown on). Per size, over seeds:
 *   - how often the gate opens;
 *   - "strong view" pairs: the model's probability for its pick ≥ 0.8 — where "Keep your
 *     choice?" fires whenever the annotator picks the other response — today (raw σ(Δ), no gate)
 *     and now (calibrated σ(Δ / T), only while the gate is open), and how often the model's pick
 *     is the data set's label on those pairs;
 *   - ECE on the later pairs before and after temperature scaling.
 * The baseline (today's rule) is measured in the same run on the same models and pairs.
 *   npx tsx scripts/bench/hint-gate.ts [--seeds 5] [--data DIR]
 */
const args = benchArgs();
const seeds = Number(args.seeds ?? 5);
const dataDir = args.data ?? resolve(process.cwd(), "../shared/data");
const SIZES = [50, 100, 200, 500];
const HOLD_OUT = 0.2;
const STRONG = 0.8;

interface Cell {
  opened: number;
  runs: number;
  todayStrong: number;
  todayRight: number;
  nowStrong: number;
  nowRight: number;
  scored: number;
  eceBefore: number[];
  eceAfter: number[];
  heldOut: number[];
  accuracy: number[];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : "—");
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

function margins(model: ReturnType<typeof trainRewardModel>["model"], pairs: readonly PreferencePair[]): Float64Array {
  const inputs = pairs.flatMap((p) => [
    { prompt: p.prompt, response: p.chosen },
    { prompt: p.prompt, response: p.rejected },
  ]);
  const rewards = sparseDotBatch(model.weights, featurizeBatch(model.featurizer, inputs), new Float64Array(inputs.length));
  return Float64Array.from(pairs, (_, i) => (rewards[2 * i] as number) - (rewards[2 * i + 1] as number));
}

function run(dataset: PreferenceDataset, evalCount: number): string {
  const rows: string[] = [];
  for (const size of SIZES) {
    if (size + evalCount > dataset.pairs.length) {
      rows.push(`| ${size} | not enough pairs (${dataset.pairs.length} − ${evalCount} for scoring) | | | | | | |`);
      continue;
    }
    const cell: Cell = {
      opened: 0,
      runs: 0,
      todayStrong: 0,
      todayRight: 0,
      nowStrong: 0,
      nowRight: 0,
      scored: 0,
      eceBefore: [],
      eceAfter: [],
      heldOut: [],
      accuracy: [],
    };
    for (let seed = 1; seed <= seeds; seed++) {
      const shuffled = shuffleInPlace([...dataset.pairs], createSeededRandom(7000 + seed));
      const later = shuffled.slice(0, evalCount);
      const votes = shuffled.slice(evalCount, evalCount + size);
      const { model, metrics } = trainRewardModel({ pairs: votes, dim: 1 << 16, l2: 1e-3, seed: 1, holdOut: HOLD_OUT });
      const verdict = gateVerdict(metrics);
      const t = verdict.temperature;
      const m = margins(model, later);
      cell.runs++;
      cell.scored += m.length;
      if (verdict.open) cell.opened++;
      cell.heldOut.push(verdict.heldOutPairs);
      cell.accuracy.push(verdict.accuracy ?? Number.NaN);
      for (const margin of m) {
        const right = margin > 0;
        if (sigmoid(Math.abs(margin)) >= STRONG) {
          cell.todayStrong++;
          if (right) cell.todayRight++;
        }
        if (verdict.open && sigmoid(Math.abs(margin) / t) >= STRONG) {
          cell.nowStrong++;
          if (right) cell.nowRight++;
        }
      }
      cell.eceBefore.push(expectedCalibrationError(m, 1));
      cell.eceAfter.push(expectedCalibrationError(m, t));
    }
    rows.push(
      `| ${size} | ${mean(cell.heldOut).toFixed(0)} | ${pct(mean(cell.accuracy))} | ${cell.opened} / ${cell.runs} | ${pct(cell.todayStrong / cell.scored)} · right ${pct(cell.todayRight / cell.todayStrong)} | ${pct(cell.nowStrong / cell.scored)} · right ${cell.nowStrong ? pct(cell.nowRight / cell.nowStrong) : "— (never)"} | ${mean(cell.eceBefore).toFixed(3)} | ${mean(cell.eceAfter).toFixed(3)} |`,
    );
    console.error(`  ${dataset.name}: ${size} votes done`);
  }
  return [
    `### ${dataset.name}: ${dataset.pairs.length} pairs, ${evalCount} later pairs scored per seed, ${seeds} seeds`,
    "",
    "| votes | held-out pairs | held-out accuracy | gate opened | strong view today (raw σ, no gate) · model right | strong view now (calibrated, gated) · model right | ECE before | ECE after |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

const found = datasetsIn(dataDir);
const started = performance.now();
const sections: string[] = [];
if (found.hh) sections.push(run(loadHhRlhf(found.hh), 500));
else console.error(`hh-rlhf not found in ${dataDir}: skipped`);
if (found.llmbar) sections.push(run(loadLlmBar(found.llmbar), 100));
else console.error(`LLMBar not found in ${dataDir}: skipped`);
console.log(
  [
    `## Hint gate (scripts/bench/hint-gate.ts) — ${machineLine()}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" / ")} at the end, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n"),
);
