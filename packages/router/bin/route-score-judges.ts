import { existsSync, writeFileSync } from "node:fs";
import { cpus, hostname, loadavg } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatRealJudgeReport, type RealJudgeRun } from "../src/experiment/format-real-judge-report.ts";
import { loadLlmBarJudgeVerdicts, type JudgedPair } from "../src/experiment/load-llmbar-judge-verdicts.ts";
import { runRealJudgeRoutingExperiment, type HumanErrorModel, type JudgeLabelMode } from "../src/experiment/run-real-judge-routing-experiment.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const SUBSETS = {
  natural: {
    title: "LLMBar Natural",
    files: { "GPT-4": "natural_GPT-4_Swap.json", "gpt-3.5-turbo": "natural_ChatGPT_Swap.json", "LLaMA-2-70B-chat": "natural_LLaMA2_Swap.json" },
  },
  "mt-bench": {
    title: "MT-Bench",
    files: {
      "GPT-4": "mt-bench_GPT-4_Vanilla_NoRules.json",
      "gpt-3.5-turbo": "mt-bench_ChatGPT_Vanilla_NoRules.json",
      "LLaMA-2-70B-chat": "mt-bench_LLaMA2_Vanilla_NoRules.json",
    },
  },
} as const;
type Subset = keyof typeof SUBSETS;
const JUDGE_NAMES = ["GPT-4", "gpt-3.5-turbo", "LLaMA-2-70B-chat"] as const;

function fail(message: string): never {
  process.stderr.write(`route:score:judges: ${message}\n`);
  process.exit(2);
}

function number(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) fail(`--${name} must be a number in [${min}, ${max}], got "${text}"`);
  return value;
}

const USAGE =
  "usage: npm run route:score:judges -- [--budgets 0.1,0.25,0.5] [--noise 0.1] [--calibration 0.3] [--repetitions 20] [--seed 0] [--subsets natural,mt-bench] [--human-error uniform,hard] [--judge-labels first-order|combined] [--no-reward-model] [--data-dir DIR] [--date YYYY-MM-DD] [--machine TEXT] [--out FILE] [--json FILE] [--no-write]";
const OPTIONS = {
  "data-dir": { type: "string", default: join(repoRoot, "../shared/data/llmbar-judges") },
  budgets: { type: "string", default: "0.1,0.25,0.5" },
  noise: { type: "string", default: "0.1" },
  calibration: { type: "string", default: "0.3" },
  repetitions: { type: "string", default: "20" },
  seed: { type: "string", default: "0" },
  subsets: { type: "string", default: "natural,mt-bench" },
  "human-error": { type: "string", default: "uniform,hard" },
  "judge-labels": { type: "string", default: "first-order" },
  "no-reward-model": { type: "boolean", default: false },
  json: { type: "string" },
  date: { type: "string", default: new Date().toISOString().slice(0, 10) },
  machine: { type: "string", default: `${cpus().length}-core ${hostname()}` },
  out: { type: "string", default: join(repoRoot, "packages/router/RESULTS-real-judges.md") },
  "no-write": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

let values;
try {
  values = parseArgs({ options: OPTIONS, strict: true }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
function list<T extends string>(name: string, text: string, allowed: readonly T[]): T[] {
  const parts = text.split(",").map((p) => p.trim());
  const bad = parts.filter((p) => !(allowed as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0) fail(`--${name} takes a comma-separated list of ${allowed.join(", ")}; got "${text}"`);
  return [...new Set(parts)] as T[];
}
const subsets = list("subsets", values.subsets, Object.keys(SUBSETS) as Subset[]);
const humanErrors = list<HumanErrorModel>("human-error", values["human-error"], ["uniform", "hard"]);
const judgeLabelList = list<JudgeLabelMode>("judge-labels", values["judge-labels"], ["first-order", "combined"]);
if (judgeLabelList.length !== 1) fail(`--judge-labels takes one of first-order, combined; got "${values["judge-labels"]}"`);
const judgeLabels = judgeLabelList[0] as JudgeLabelMode;
const JUDGES = JUDGE_NAMES.map((name) => ({ name, files: subsets.map((s) => SUBSETS[s].files[name]) }));
const dataDir = resolve(values["data-dir"]);
const missing = JUDGES.flatMap((j) => j.files).filter((f) => !existsSync(join(dataDir, f)));
if (missing.length > 0) {
  process.stdout.write(
    `route:score:judges: skipped — ${missing.join(", ")} not found in ${dataDir} (../shared/data/llmbar-judges from the project root). Pass --data-dir to point elsewhere.\n`,
  );
  process.exit(0);
}
const budgets = values.budgets.split(",").map((b) => number("budgets", b, 0, 1));
const options = {
  calibrationFraction: number("calibration", values.calibration, 0.05, 0.9),
  humanFlipRate: number("noise", values.noise, 0, 0.45),
  repetitions: Math.round(number("repetitions", values.repetitions, 1, 1000)),
  seed: Math.round(number("seed", values.seed, 0, Number.MAX_SAFE_INTEGER)),
  rewardModel: !values["no-reward-model"],
  judgeLabels,
};

const byJudge = new Map(JUDGES.map((j) => [j.name, j.files.flatMap((f) => loadLlmBarJudgeVerdicts(join(dataDir, f)))]));
// Hard items: those at least two of the three judges get wrong in the first order.
const ids = (byJudge.get(JUDGES[0]!.name) as JudgedPair[]).map((p, i) => ({ id: p.id.replace(/_[^_#]+_[^#]+#/, "#"), i }));
const wrongCount = ids.map(
  ({ i }) => JUDGES.filter((j) => (byJudge.get(j.name) as JudgedPair[])[i]!.verdict.shownInOrder !== (byJudge.get(j.name) as JudgedPair[])[i]!.label).length,
);
const hardIndex = new Set(wrongCount.flatMap((c, i) => (c >= 2 ? [i] : [])));

const started = performance.now();
const runs: RealJudgeRun[] = [];
for (const humanError of humanErrors) {
  for (const judge of JUDGES) {
    const pairs = byJudge.get(judge.name) as JudgedPair[];
    const hardItems = new Set(pairs.flatMap((p, i) => (hardIndex.has(i) ? [p.id] : [])));
    const result = runRealJudgeRoutingExperiment({ pairs, budgets, ...options, humanError, hardItems });
    runs.push({ judge: judge.name, humanError, result });
    const at = (b: (typeof result.budgets)[number]) =>
      `${Math.round(b.budget * 100)} %: learned ${(100 * b.accuracy.learned.mean).toFixed(1)}, uncertainty ${(100 * b.accuracy["judge-uncertainty"].mean).toFixed(1)}, random ${(100 * b.accuracy.random.mean).toFixed(1)}`;
    process.stdout.write(`${humanError} ${judge.name}: all-judge ${(100 * result.allJudge.mean).toFixed(1)} · ${result.budgets.map(at).join(" · ")}\n`);
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${runs.length} runs in ${seconds.toFixed(1)} s\n`);

if (!values["no-write"]) {
  const args = process.argv.slice(2).map((a) => (/^[\w.,:/=-]+$/.test(a) ? a : JSON.stringify(a)));
  const report = formatRealJudgeReport(runs, {
    date: values.date,
    machine: values.machine,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(", "),
    command: `npm run route:score:judges${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`,
    dataDir: relative(repoRoot, dataDir),
    data: subsets.map((s) => `${SUBSETS[s].title} (${loadLlmBarJudgeVerdicts(join(dataDir, SUBSETS[s].files["GPT-4"])).length})`).join(" + "),
    hardItems: hardIndex.size,
    options,
    seconds,
  });
  writeFileSync(values.out, report);
  process.stdout.write(`wrote ${relative(process.cwd(), values.out) || values.out}\n`);
}
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ options, budgets, subsets, runs }, null, 1)}\n`);
  process.stdout.write(`wrote ${values.json}\n`);
}
