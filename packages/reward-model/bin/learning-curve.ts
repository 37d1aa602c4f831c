/**
 * Held-out accuracy of the reward model against the number of training votes, on real data:
 * hh-rlhf (harmless-base test split) and LLMBar. Reads ../shared/data from the repository root
 * (or --data DIR) and skips, saying so, what is not there. Prints the report; writes it to a
 * file only when asked (--out FILE, or --write for RESULTS.md beside this package).
 *
 *   npx tsx packages/reward-model/bin/learning-curve.ts [--data DIR] [--seeds 3] [--out FILE | --write] [--help]
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { featurizeBatch } from "../src/featurize.ts";
import { pairwiseAccuracy } from "../src/pairwise-accuracy.ts";
import { scoreReference, sparseDotBatch } from "../src/sparse-dot.ts";
import { WasmSparseDot } from "../src/wasm-sparse-dot.ts";
import { createSeededRandom, shuffleInPlace } from "@arbiter/ranking/random";
import type { PreferencePair } from "../src/reward-model.ts";
import { trainRewardModel } from "../src/train-reward-model.ts";
import { datasetsIn, loadHhRlhf, loadLlmBar, type PreferenceDataset } from "../src/testing/preference-datasets.ts";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(packageDir, "../..");
const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: resolve(repoRoot, "../shared/data") },
    seeds: { type: "string", default: "3" },
    out: { type: "string" },
    write: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
const USAGE = `Usage: npx tsx packages/reward-model/bin/learning-curve.ts [options]

Held-out accuracy of the reward model against the number of training votes on hh-rlhf and
LLMBar, with both length baselines ("longer wins", "shorter wins") on the same held-out pairs.

  --data DIR    folder with the data sets (default: ../shared/data from the repository root)
  --seeds N     seeds (random splits) per data set (default: 3)
  --out FILE    also write the report to FILE
  --write       also write the report to ${join(packageDir, "RESULTS.md")}
  -h, --help    this text
`;
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const outFile = args.out ?? (args.write ? join(packageDir, "RESULTS.md") : null);
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => i + 1);
const SIZES = [50, 100, 200, 500, 1000];
const DIM = 1 << 16;
const L2 = 1e-3;
const REPORT_DATE = new Date().toISOString().slice(0, 10);
const MACHINE = "2-core node-svc";

interface CurvePoint {
  readonly size: number | "all";
  readonly trainPairs: number;
  readonly heldOut: number[];
  readonly train: number[];
  readonly ms: number[];
  readonly cpuMs: number[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const pct = (x: number): string => (100 * x).toFixed(1);
const longerWins = (pairs: readonly PreferencePair[]): number =>
  mean(pairs.map((p) => (p.chosen.length > p.rejected.length ? 1 : p.chosen.length === p.rejected.length ? 0.5 : 0)));

const shorterWins = (pairs: readonly PreferencePair[]): number =>
  mean(pairs.map((p) => (p.chosen.length < p.rejected.length ? 1 : p.chosen.length === p.rejected.length ? 0.5 : 0)));

/** One seeded split per seed: a fixed held-out set, nested training subsets of growing size. */
function learningCurve(
  dataset: PreferenceDataset,
  heldOutShare: number,
): { points: CurvePoint[]; heldOutPairs: number; baseline: number[]; shorterBaseline: number[] } {
  const points = new Map<number | "all", CurvePoint>();
  const baseline: number[] = [];
  const shorterBaseline: number[] = [];
  let heldOutPairs = 0;
  for (const seed of seeds) {
    const shuffled = shuffleInPlace([...dataset.pairs], createSeededRandom(1000 + seed));
    const heldOutCount = Math.round(heldOutShare * shuffled.length);
    const heldOut = shuffled.slice(0, heldOutCount);
    const pool = shuffled.slice(heldOutCount);
    heldOutPairs = heldOut.length;
    baseline.push(longerWins(heldOut));
    shorterBaseline.push(shorterWins(heldOut));
    const sizes: (number | "all")[] = [...SIZES.filter((size) => size < pool.length), "all"];
    for (const size of sizes) {
      const train = size === "all" ? pool : pool.slice(0, size);
      const cpuBefore = process.cpuUsage();
      const { model, metrics } = trainRewardModel({ pairs: train, dim: DIM, l2: L2, seed });
      const cpu = process.cpuUsage(cpuBefore);
      const point = points.get(size) ?? { size, trainPairs: train.length, heldOut: [], train: [], ms: [], cpuMs: [] };
      point.cpuMs.push((cpu.user + cpu.system) / 1000);
      point.heldOut.push(pairwiseAccuracy(model, heldOut));
      point.train.push(metrics.trainAccuracy);
      point.ms.push(metrics.ms);
      points.set(size, point);
      process.stdout.write(
        `  ${dataset.name}: seed ${seed}, ${train.length} votes → held-out ${pct(point.heldOut.at(-1) as number)}% (${metrics.ms.toFixed(0)} ms)\n`,
      );
    }
  }
  return { points: [...points.values()], heldOutPairs, baseline, shorterBaseline };
}

function curveTable(points: readonly CurvePoint[]): string {
  const rows = points.map(
    (p) =>
      `| ${p.size === "all" ? `all (${p.trainPairs})` : p.trainPairs} | ${pct(mean(p.heldOut))} ± ${pct(sd(p.heldOut))} | ${pct(mean(p.train))} | ${mean(p.ms).toFixed(0)} | ${mean(p.cpuMs).toFixed(0)} |`,
  );
  return [
    "| training votes | held-out accuracy % (mean ± sd) | train accuracy % | training wall ms | training CPU ms |",
    "|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function timeIt<T>(repeat: number, run: () => T): { result: T; ms: number } {
  let result = run();
  const started = performance.now();
  for (let i = 0; i < repeat; i++) result = run();
  return { result, ms: (performance.now() - started) / repeat };
}

async function scoringSpeed(dataset: PreferenceDataset): Promise<string> {
  const { model } = trainRewardModel({ pairs: dataset.pairs.slice(0, 500), dim: DIM, l2: L2, seed: 1 });
  const inputs = dataset.pairs.slice(0, 1000).flatMap((p) => [
    { prompt: p.prompt, response: p.chosen },
    { prompt: p.prompt, response: p.rejected },
  ]);
  const reference = timeIt(3, () => scoreReference(model, inputs));
  const batch = timeIt(3, () => featurizeBatch(model.featurizer, inputs));
  const js = timeIt(20, () => sparseDotBatch(model.weights, batch.result, new Float64Array(inputs.length)));
  const wasmDot = await WasmSparseDot.create(model.weights);
  const wasm = timeIt(20, () => wasmDot.score(batch.result));
  const maxDiff = (rewards: ArrayLike<number>): string =>
    Math.max(...Array.from(rewards, (r, i) => Math.abs(r - (reference.result[i] as number)))).toExponential(1);
  const perSecond = (ms: number): string => ((inputs.length / ms) * 1000).toFixed(0);
  const nonZeros = batch.result.indices.length;
  return [
    `${inputs.length} responses, ${nonZeros} non-zero features in all (${(nonZeros / inputs.length).toFixed(0)} per response).`,
    "",
    "| step | ms for all | responses/s | max abs diff vs reference |",
    "|---|---:|---:|---:|",
    `| reference: featurize + dot, one response at a time | ${reference.ms.toFixed(0)} | ${perSecond(reference.ms)} | 0 |`,
    `| featurize into one CSR batch (shared by js, wasm, webgpu) | ${batch.ms.toFixed(0)} | ${perSecond(batch.ms)} | |`,
    `| js: sparse dot products of the batch | ${js.ms.toFixed(2)} | ${perSecond(js.ms)} | ${maxDiff(js.result)} |`,
    `| wasm: sparse dot products of the batch (copy in included) | ${wasm.ms.toFixed(2)} | ${perSecond(wasm.ms)} | ${maxDiff(wasm.result)} |`,
    "",
    "Featurization is nearly all of the cost; the dot products are a rounding error next to it, on any backend.",
  ].join("\n");
}

async function main(): Promise<void> {
  const found = datasetsIn(args.data);
  const sections: string[] = [];
  const skipped: string[] = [];
  const totalStarted = performance.now();
  let hh: PreferenceDataset | null = null;
  let llmbar: PreferenceDataset | null = null;

  if (found.hh) hh = loadHhRlhf(found.hh);
  else skipped.push(`hh-rlhf: ${join(args.data, "hh-rlhf_harmless-base_test.jsonl.gz")} not found — skipped.`);
  if (found.llmbar) llmbar = loadLlmBar(found.llmbar);
  else skipped.push(`LLMBar: llmbar_natural.json / llmbar_processed_mt-bench.json not found in ${args.data} — skipped.`);
  for (const line of skipped) console.log(line);
  if (!hh && !llmbar) {
    console.log("No data sets found: nothing to measure. Pass --data DIR to point at the shared data folder.");
    return;
  }

  for (const [dataset, share, note] of [
    [hh, 0.2, "chosen vs rejected; the last assistant turn is the response, the conversation before it the prompt"],
    [llmbar, 0.3, "Natural (100) + MT-Bench (200) pairs; `label` picks the chosen output; `input` is the prompt"],
  ] as const) {
    if (!dataset) continue;
    console.log(`${dataset.name}: ${dataset.pairs.length} pairs`);
    const { points, heldOutPairs, baseline, shorterBaseline } = learningCurve(dataset, share);
    sections.push(
      [
        `## ${dataset.name}`,
        "",
        `${dataset.pairs.length} pairs (${note}). For each of ${seeds.length} seeds: a random ${heldOutPairs}-pair held-out set, and nested training subsets of the remaining pairs.`,
        "",
        curveTable(points),
        "",
        `Baselines on the same held-out sets: "the longer response wins" ${pct(mean(baseline))}%, "the shorter response wins" ${pct(mean(shorterBaseline))}%.`,
      ].join("\n"),
    );
  }

  if (hh && llmbar) {
    const { model } = trainRewardModel({ pairs: hh.pairs, dim: DIM, l2: L2, seed: 1 });
    sections.push(
      `## Across data sets\n\nTrained on all ${hh.pairs.length} hh-rlhf pairs, scored on all ${llmbar.pairs.length} LLMBar pairs: ${pct(pairwiseAccuracy(model, llmbar.pairs))}% (harmlessness votes say little about instruction following).`,
    );
  }
  const speedData = hh ?? llmbar;
  if (speedData) sections.push(`## Scoring speed (Node, CPU backends)\n\n${speedData.name}, a model trained on 500 pairs. ${await scoringSpeed(speedData)}`);

  const report = [
    "# Reward model: learning curves",
    "",
    `Date: ${REPORT_DATE}. Machine: ${MACHINE} (${os.cpus().length} cores, Node ${process.versions.node}; the cores are shared with other work, so times are indicative).`,
    `Produced by \`npx tsx packages/reward-model/bin/learning-curve.ts\` in ${((performance.now() - totalStarted) / 1000).toFixed(0)} s.`,
    "",
    `Model: linear Bradley–Terry head over hashed word 1–2-grams and character 3–5-grams (2^16 slots, signed hashing) plus 15 style and 4 prompt-overlap features; L-BFGS, L2 = ${L2}. Accuracy = share of held-out pairs where the chosen response scores higher. Chance is 50%.`,
    ...(skipped.length > 0 ? ["", ...skipped.map((line) => `- ${line}`)] : []),
    "",
    sections.join("\n\n"),
    "",
  ].join("\n");
  if (outFile) {
    writeFileSync(outFile, report);
    console.log(`\nWrote ${outFile}`);
  } else {
    console.log(`\n${report}`);
    console.log("(not written to a file: pass --out FILE or --write)");
  }
}

await main();
