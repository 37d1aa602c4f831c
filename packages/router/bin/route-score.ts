import { existsSync, writeFileSync } from "node:fs";
import { cpus, hostname } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatExperimentReport, formatResultsTable } from "../src/experiment/format-experiment-report.ts";
import { loadLlmBarPairs } from "../src/experiment/load-llmbar-pairs.ts";
import { runRoutingExperiment } from "../src/experiment/run-routing-experiment.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const FILES = ["llmbar_natural.json", "llmbar_processed_mt-bench.json"];

function fail(message: string): never {
  process.stderr.write(`route:score: ${message}\n`);
  process.exit(2);
}

function number(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) fail(`--${name} must be a number in [${min}, ${max}], got "${text}"`);
  return value;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = number(name, text, min, max);
  if (!Number.isInteger(value)) fail(`--${name} must be a whole number, got "${text}"`);
  return value;
}

const USAGE =
  "usage: npm run route:score -- [--budgets 0.1,0.25,0.5] [--noise 0.1] [--annotators 1] [--calibration 0.3] [--repetitions 20] [--random-routings 20] [--inconsistent 0.25] [--seed 0] [--data-dir DIR] [--date YYYY-MM-DD] [--machine TEXT] [--out FILE] [--no-write]";

const OPTIONS = {
  "data-dir": { type: "string", default: join(repoRoot, "../shared/data") },
  budgets: { type: "string", default: "0.1,0.25,0.5" },
  noise: { type: "string", default: "0.1" },
  annotators: { type: "string", default: "1" },
  calibration: { type: "string", default: "0.3" },
  repetitions: { type: "string", default: "20" },
  "random-routings": { type: "string", default: "20" },
  inconsistent: { type: "string", default: "0.25" },
  seed: { type: "string", default: "0" },
  date: { type: "string", default: new Date().toISOString().slice(0, 10) },
  machine: { type: "string", default: `${cpus().length}-core ${hostname()}` },
  out: { type: "string", default: join(repoRoot, "packages/router/RESULTS.md") },
  "no-write": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

function readArgs() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

const values = readArgs();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const dataDir = resolve(values["data-dir"]);
const missing = FILES.filter((f) => !existsSync(join(dataDir, f)));
if (missing.length > 0) {
  process.stdout.write(
    `route:score: skipped — ${missing.join(", ")} not found in ${dataDir} (the shared data folder, ../shared/data from the project root, is absent). Pass --data-dir to point elsewhere.\n`,
  );
  process.exit(0);
}

const options = {
  calibrationFraction: number("calibration", values.calibration, 0.05, 0.9),
  humanFlipRate: number("noise", values.noise, 0, 0.5),
  annotatorsPerItem: integer("annotators", values.annotators, 1, 15),
  repetitions: integer("repetitions", values.repetitions, 1, 1000),
  randomRoutings: integer("random-routings", values["random-routings"], 1, 1000),
  judgeInconsistentShare: number("inconsistent", values.inconsistent, 0, 0.95),
  seed: integer("seed", values.seed, 0, Number.MAX_SAFE_INTEGER),
};
const budgets = values.budgets.split(",").map((b) => number("budgets", b, 0, 1));
const sources = FILES.map((f) => join(dataDir, f));
const pairs = sources.flatMap(loadLlmBarPairs);

const started = performance.now();
const result = runRoutingExperiment({ pairs, budgets, ...options });
const seconds = (performance.now() - started) / 1000;

const table = formatResultsTable(result, options.randomRoutings);
process.stdout.write(
  `${table}\n\nall-judge ${(100 * result.allJudge.mean).toFixed(1)} %, all-human ${(100 * result.allHuman.mean).toFixed(1)} % on ${result.evaluationItems} items; ${result.repetitions} repetitions in ${seconds.toFixed(1)} s\n`,
);

if (!values["no-write"]) {
  const args = process.argv.slice(2).map((a) => (/^[\w.,:/=-]+$/.test(a) ? a : JSON.stringify(a)));
  const command = `npm run route:score${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`;
  const report = formatExperimentReport(result, {
    date: values.date,
    machine: values.machine,
    command,
    sources: sources.map((s) => relative(repoRoot, s)),
    options,
    seconds,
  });
  writeFileSync(values.out, report);
  process.stdout.write(`wrote ${relative(process.cwd(), values.out) || values.out}\n`);
}
