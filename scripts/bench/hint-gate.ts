import { loadavg } from "node:os";
import { resolve } from "node:path";
import { createSeededRandom, shuffleInPlace } from "@arbiter/ranking/random";
import { expectedCalibrationError, featurizeBatch, sparseDotBatch, trainRewardModel, wilsonInterval, type PreferencePair } from "@arbiter/reward-model";
import { datasetsIn, loadHhRlhf, loadLlmBar, type PreferenceDataset } from "@arbiter/reward-model/testing";
import { gateVerdict } from "@arbiter/core";
import { machineLine } from "../lib/figures.ts";
import { benchArgs } from "./args.ts";

/**
 * The hint gate and "Keep your choice?" on real votes: hh-rlhf and LLMBar from ../shared/data, a
 * campaign with 50 / 100 / 200 / 500 votes trained exactly as the server trains (20 % held out
 * by the same split, temperature on half of it, the ask threshold from all of it; L-BFGS, 2^16
 * slots, L2 1e-3), then scored on later pairs it never saw — the tasks its hints would be shown
 * on, and votes the ask threshold was not chosen on. Per size, over seeds:
 *   - how often the gate opens, and how often the version has a validated ask threshold;
 *   - on the later pairs, where "Keep your choice?" would fire (it fires on such a pair whenever
 *     the annotator picks the other response) and how often the model's pick is the data set's
 *     label there, pooled over seeds with a Wilson 95 % interval:
 *       old: raw σ(Δ) ≥ 0.8, no gate (the rule before issue 18);
 *       fixed: calibrated σ(Δ / T) ≥ 0.8 while the gate is open (the first gate);
 *       now: calibrated σ(Δ / T) ≥ the version's validated threshold, gate open (this rule);
 *   - ECE on the later pairs before and after temperature scaling;
 *   - where asking could be right often enough at all: the precision on the 5 / 10 / 20 % of later
 *     pairs the model is surest about (by |Δ|, which does not depend on the label), whatever the gate.
 *   npx tsx scripts/bench/hint-gate.ts [--seeds 10] [--data DIR] [--sizes 50,100,200,500]
 */
const args = benchArgs();
const seeds = Number(args.seeds ?? 10);
const dataDir = args.data ?? resolve(process.cwd(), "../shared/data");
const SIZES = (args.sizes ?? "50,100,200,500").split(",").map(Number);
const TOP_SHARES = [0.05, 0.1, 0.2];
const HOLD_OUT = 0.2;
const FIXED = 0.8;

interface Rule {
  asks: number;
  right: number;
}

interface Cell {
  runs: number;
  opened: number;
  armed: number;
  thresholds: number[];
  scored: number;
  old: Rule;
  fixed: Rule;
  now: Rule;
  eceBefore: number[];
  eceAfter: number[];
  heldOut: number[];
  accuracy: number[];
  /** Per TOP_SHARES: the surest later pairs of each seed, and how many the model got right. */
  top: Rule[];
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

/** "1.2 % of pairs · right 65.5 % (52–77 %, n = 30)", or that it never asked. */
function ruleCell(rule: Rule, scored: number): string {
  if (rule.asks === 0) return "0 % (never asks)";
  const [lo, hi] = wilsonInterval(rule.right, rule.asks);
  return `${pct(rule.asks / scored)} · right ${pct(rule.right / rule.asks)} (${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)} %, n = ${rule.asks})`;
}

function run(dataset: PreferenceDataset, evalCount: number): string {
  const rows: string[] = [];
  const topRows: string[] = [];
  for (const size of SIZES) {
    if (size + evalCount > dataset.pairs.length) {
      rows.push(`| ${size} | not enough pairs (${dataset.pairs.length} − ${evalCount} for scoring) | | | | | | | | |`);
      continue;
    }
    const cell: Cell = {
      runs: 0,
      opened: 0,
      armed: 0,
      thresholds: [],
      scored: 0,
      old: { asks: 0, right: 0 },
      fixed: { asks: 0, right: 0 },
      now: { asks: 0, right: 0 },
      eceBefore: [],
      eceAfter: [],
      heldOut: [],
      accuracy: [],
      top: TOP_SHARES.map(() => ({ asks: 0, right: 0 })),
    };
    for (let seed = 1; seed <= seeds; seed++) {
      const shuffled = shuffleInPlace([...dataset.pairs], createSeededRandom(7000 + seed));
      const later = shuffled.slice(0, evalCount);
      const votes = shuffled.slice(evalCount, evalCount + size);
      const { model, metrics } = trainRewardModel({ pairs: votes, dim: 1 << 16, l2: 1e-3, seed: 1, holdOut: HOLD_OUT });
      const verdict = gateVerdict(metrics);
      const t = verdict.temperature;
      const askAt = verdict.open && verdict.ask ? Math.max(FIXED, verdict.ask.threshold) : null;
      const m = margins(model, later);
      cell.runs++;
      cell.scored += m.length;
      if (verdict.open) cell.opened++;
      if (askAt !== null) {
        cell.armed++;
        cell.thresholds.push(askAt);
      }
      cell.heldOut.push(verdict.heldOutPairs);
      cell.accuracy.push(verdict.accuracy ?? Number.NaN);
      for (const margin of m) {
        const right = margin > 0 ? 1 : 0;
        const calibrated = sigmoid(Math.abs(margin) / t);
        const count = (rule: Rule, asks: boolean) => {
          if (!asks) return;
          rule.asks++;
          rule.right += right;
        };
        count(cell.old, sigmoid(Math.abs(margin)) >= FIXED);
        count(cell.fixed, verdict.open && calibrated >= FIXED);
        count(cell.now, askAt !== null && calibrated >= askAt);
      }
      const surest = [...m].sort((a, b) => Math.abs(b) - Math.abs(a));
      TOP_SHARES.forEach((share, i) => {
        const rule = cell.top[i] as Rule;
        for (const margin of surest.slice(0, Math.round(share * surest.length))) {
          rule.asks++;
          rule.right += margin > 0 ? 1 : 0;
        }
      });
      cell.eceBefore.push(expectedCalibrationError(m, 1));
      cell.eceAfter.push(expectedCalibrationError(m, t));
      console.error(
        `  ${dataset.name}: ${size} votes, seed ${seed}: gate ${verdict.open ? "open" : "shut"}, ask ${askAt === null ? `none (${verdict.open ? verdict.askReason : "gate shut"})` : `at ≥ ${pct(askAt)}`}`,
      );
    }
    topRows.push(`| ${size} | ${cell.top.map((rule) => ruleCell(rule, rule.asks).replace(/^100.0 % · right /, "")).join(" | ")} |`);
    const thresholds = cell.thresholds.length ? `${pct(Math.min(...cell.thresholds))}–${pct(Math.max(...cell.thresholds))}` : "—";
    rows.push(
      `| ${size} | ${mean(cell.heldOut).toFixed(0)} | ${pct(mean(cell.accuracy))} | ${cell.opened} / ${cell.runs} | ${cell.armed} / ${cell.runs} (${thresholds}) | ${ruleCell(cell.old, cell.scored)} | ${ruleCell(cell.fixed, cell.scored)} | ${ruleCell(cell.now, cell.scored)} | ${mean(cell.eceBefore).toFixed(3)} | ${mean(cell.eceAfter).toFixed(3)} |`,
    );
  }
  return [
    `### ${dataset.name}: ${dataset.pairs.length} pairs, ${evalCount} later pairs scored per seed, ${seeds} seeds`,
    "",
    "| votes | held-out pairs | held-out accuracy | gate opened | ask threshold validated (range) | old: raw σ ≥ 0.8, no gate · right | fixed: calibrated ≥ 0.8, gated · right | now: validated threshold, gated · right | ECE before | ECE after |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `Where asking could be right often enough at all — the model's pick on the later pairs it is surest about (top share by |Δ| per seed, pooled; no gate, no threshold):`,
    "",
    `| votes | ${TOP_SHARES.map((share) => `surest ${(100 * share).toFixed(0)} % · right`).join(" | ")} |`,
    `|---:|${TOP_SHARES.map(() => "---:").join("|")}|`,
    ...topRows,
  ].join("\n");
}

const found = datasetsIn(dataDir);
const started = performance.now();
const loadBefore = loadavg();
const sections: string[] = [];
if (found.hh) sections.push(run(loadHhRlhf(found.hh), 500));
else console.error(`hh-rlhf not found in ${dataDir}: skipped`);
if (found.llmbar) sections.push(run(loadLlmBar(found.llmbar), 100));
else console.error(`LLMBar not found in ${dataDir}: skipped`);
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
console.log(
  [
    `## Hint gate (scripts/bench/hint-gate.ts) — ${machineLine()}, ${new Date().toISOString().slice(11, 16)} UTC, load average ${fmtLoad(loadBefore)} at the start, ${fmtLoad(loadavg())} at the end, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n"),
);
