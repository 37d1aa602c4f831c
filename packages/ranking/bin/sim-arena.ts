import { parseArgs } from "node:util";
import { simulateArenaConvergence } from "../src/simulate-arena-convergence.ts";

const HELP = `Usage: npm run sim:arena -- [--systems 50] [--k 4] [--noise 0.05] [--seed 1]
                          [--stay 5000] [--max 200000] [--model bradley-terry-full|plackett-luce]

Simulates K-Sort Arena's convergence experiment (arXiv 2408.14468) and prints
{"elo": N1, "arena": N2}: for each method, the first comparison count t at which
its estimated ranking equals the true ranking of --systems systems and stays exact
for --stay comparisons in a row (after comparisons t, t+1, ..., t+stay-1).

  elo    online Elo (K = 4, start 1000) on uniformly random pairs
  arena  Bayesian ratings (openskill, --model) with UCB matchmaking on K-wise
         comparisons of --k systems, ranked by mu - 3 sigma

One K-wise comparison counts as ONE comparison, as in the paper. Each pairwise
order inside a comparison is flipped with probability --noise; the shown ranking
orders systems by pairwise wins, so cyclic flips become ties. A method that has not
converged after --max comparisons is reported as null (did not converge). The run
is deterministic under --seed.`;

const { values } = parseArgs({
  options: {
    systems: { type: "string", default: "50" },
    k: { type: "string", default: "4" },
    noise: { type: "string", default: "0.05" },
    seed: { type: "string", default: "1" },
    stay: { type: "string", default: "5000" },
    max: { type: "string", default: "200000" },
    model: { type: "string", default: "bradley-terry-full" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(HELP);
} else {
  const model = values.model;
  if (model !== "bradley-terry-full" && model !== "plackett-luce") {
    console.error(`--model must be bradley-terry-full or plackett-luce, got ${model}`);
    process.exit(2);
  }
  const result = simulateArenaConvergence({
    systems: Number(values.systems),
    k: Number(values.k),
    noise: Number(values.noise),
    seed: Number(values.seed),
    stayExactFor: Number(values.stay),
    maxComparisons: Number(values.max),
    model,
  });
  console.log(JSON.stringify(result));
}
