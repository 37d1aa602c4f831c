import { parseArgs } from "node:util";
import {
  annotatorSecondsPerJudgment,
  defaultArenaMethods,
  pairwiseJudgmentsInRanking,
  simulateArenaCost,
  summarizeArenaRuns,
  type ConvergenceTolerance,
  type KWiseNoise,
  type MethodRun,
} from "../src/simulate-arena-convergence.ts";

const HELP = `Usage: npm run sim:arena -- [--systems 50] [--spread 12] [--k 4] [--seeds 5] [--first-seed 1]
                          [--tolerance kendall:0.005 | --tolerance top:10] [--stay 3000]
                          [--max 300000] [--check-every 60] [--noise plackett-luce|independent-pairs]
                          [--seconds-per-response 20] [--seconds-per-order 2] [--l2 0.01]

K-Sort Arena's convergence experiment (arXiv 2408.14468), counted fairly. Prints one JSON
line per method: {"method", "pairwiseJudgments", "annotatorSeconds", ...}, means over
--seeds seeds with their spread (sd, min, max) and the per-seed values.

World: --systems systems with true logit scores evenly spaced over --spread logits; every
pairwise order follows Bradley–Terry, P(i beats j) = sigmoid(s_i − s_j), so close systems
are confused more often. A K-wise ranking is a Plackett–Luce draw (--noise plackett-luce)
or K(K−1)/2 independent Bradley–Terry pairs shown as a Copeland ranking (independent-pairs).

Cost: one ranking of K responses counts K(K−1)/2 pairwise judgments (a pair counts 1, a
ranking of 4 counts 6). Annotator-seconds per judgment = K · --seconds-per-response +
K(K−1)/2 · --seconds-per-order (an assumption, not a measurement: reading dominates).

Stop rule: a method has converged at the first checkpoint (every --check-every pairwise
judgments) from which its ranking stays within --tolerance (normalised Kendall distance
≤ ε, or the exact top k in order) at every checkpoint for --stay more pairwise judgments.
pairwiseJudgments null = did not converge within --max pairwise judgments (for some seed).

Methods (the same matchmaking and K share one stream of judgments, so estimators see the same data):
  elo-random-pairs   online Elo (K-factor 4) on uniformly random pairs
  bt-random-pairs    batch Bradley–Terry (refit at each checkpoint) on the same random pairs
  bt-random-kK       batch Bradley–Terry on random groups of K (K-wise without matchmaking)
  bt-arena-kK        batch Bradley–Terry on the judgments the arena's matchmaking collected
  arena-kK           the arena: openskill (Bayesian) ratings, UCB matchmaking, ranked by mu − 3 sigma
  bt-arena-k2, arena-k2   the same with pairs (K = 2)`;

const { values } = parseArgs({
  options: {
    systems: { type: "string", default: "50" },
    spread: { type: "string", default: "12" },
    k: { type: "string", default: "4" },
    seeds: { type: "string", default: "5" },
    "first-seed": { type: "string", default: "1" },
    tolerance: { type: "string", default: "kendall:0.005" },
    stay: { type: "string", default: "3000" },
    max: { type: "string", default: "300000" },
    "check-every": { type: "string", default: "60" },
    noise: { type: "string", default: "plackett-luce" },
    "seconds-per-response": { type: "string", default: "20" },
    "seconds-per-order": { type: "string", default: "2" },
    l2: { type: "string", default: "0.01" },
    help: { type: "boolean", short: "h", default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function parseTolerance(text: string): ConvergenceTolerance {
  const [kind, value] = text.split(":");
  const number = Number(value);
  if (kind === "kendall" && number >= 0 && number < 1) return { kind: "kendall", maxDistance: number };
  if (kind === "top" && Number.isInteger(number) && number >= 1) return { kind: "top", k: number };
  return fail(`--tolerance must be kendall:<ε in [0,1)> or top:<k>, got ${text}`);
}

if (values.help) {
  console.log(HELP);
} else {
  const noise = values.noise as KWiseNoise;
  if (noise !== "plackett-luce" && noise !== "independent-pairs") fail(`--noise must be plackett-luce or independent-pairs, got ${values.noise}`);
  const k = Number(values.k);
  const cost = { secondsPerResponse: Number(values["seconds-per-response"]), secondsPerOrder: Number(values["seconds-per-order"]) };
  if (!(cost.secondsPerResponse >= 0 && cost.secondsPerOrder >= 0)) fail("seconds must be ≥ 0");
  const seeds = Number(values.seeds);
  const firstSeed = Number(values["first-seed"]);
  const settings = {
    systems: Number(values.systems),
    spread: Number(values.spread),
    tolerance: parseTolerance(values.tolerance),
    stayFor: Number(values.stay),
    maxPairwiseJudgments: Number(values.max),
    checkEvery: Number(values["check-every"]),
    methods: defaultArenaMethods(k),
    noise,
    cost,
    l2: Number(values.l2),
  };
  const runs: MethodRun[][] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) runs.push(simulateArenaCost({ ...settings, seed }));
  const stated = {
    secondsPerPair: annotatorSecondsPerJudgment(2, cost),
    [`secondsPerRankingOf${k}`]: annotatorSecondsPerJudgment(k, cost),
    pairwiseJudgmentsPerRanking: pairwiseJudgmentsInRanking(k),
  };
  for (const summary of summarizeArenaRuns(runs)) {
    console.log(JSON.stringify({ ...summary, tolerance: values.tolerance, systems: settings.systems, spread: settings.spread, noise, cost: stated }));
  }
}
