import { fitLogisticBradleyTerry, type LogisticBattles } from "./logistic-bradley-terry.ts";
import { updateOnlineElo } from "./online-elo.ts";
import { conservativeSkill, createSkillBelief, rateKWiseRanking, type KWiseRatingModel, type SkillBelief } from "./rate-kwise-ranking.ts";
import { createSeededRandom, shuffleInPlace, type RandomSource } from "./seeded-random.ts";
import { selectKWiseMatch } from "./select-kwise-match.ts";

/*
 * The arena convergence experiment (K-Sort Arena, arXiv 2408.14468; ALGORITHMS.md §2), counted
 * fairly (issue 16):
 * - cost is counted in PAIRWISE JUDGMENTS: a ranking of K responses yields K(K−1)/2 pairwise
 *   orders, so it counts K(K−1)/2, not 1; annotator-seconds come from a stated cost model;
 * - the world is Bradley–Terry: P(i beats j) = σ(s_i − s_j) on the true scores, so close
 *   systems are confused more often than distant ones (no skill-independent flips);
 * - a method has converged once its ranking is within a tolerance (normalised Kendall distance
 *   ≤ ε, or the exact top k) and stays within it for a window, rather than exactly right for all
 *   systems (which online Elo with a fixed step never reaches);
 * - batch Bradley–Terry is run on the very judgments the arena's matchmaking collected, so the
 *   effect of matchmaking is separated from that of the Bayesian (openskill) updates, and
 *   random K-wise groups separate the effect of K-wise rankings.
 */

/** Judgments a method collects. `k` responses per unit; `k = 2` is a pairwise vote. */
export type Matchmaking = "random" | "arena";
/** How a method turns the judgments into a ranking. */
export type RankingEstimator = "online-elo" | "batch-bt" | "openskill";

export interface ArenaMethod {
  /** Stable name used in the JSON output, e.g. `arena-k4` or `bt-random-pairs`. */
  name: string;
  matchmaking: Matchmaking;
  k: number;
  estimator: RankingEstimator;
}

/** Methods of `npm run sim:arena` for arena size `k` (K = 2 variants are added when k > 2). */
export function defaultArenaMethods(k: number): ArenaMethod[] {
  const methods: ArenaMethod[] = [
    { name: "elo-random-pairs", matchmaking: "random", k: 2, estimator: "online-elo" },
    { name: "bt-random-pairs", matchmaking: "random", k: 2, estimator: "batch-bt" },
  ];
  if (k > 2) methods.push({ name: `bt-random-k${k}`, matchmaking: "random", k, estimator: "batch-bt" });
  methods.push({ name: `bt-arena-k${k}`, matchmaking: "arena", k, estimator: "batch-bt" });
  methods.push({ name: `arena-k${k}`, matchmaking: "arena", k, estimator: "openskill" });
  if (k > 2) {
    methods.push({ name: "bt-arena-k2", matchmaking: "arena", k: 2, estimator: "batch-bt" });
    methods.push({ name: "arena-k2", matchmaking: "arena", k: 2, estimator: "openskill" });
  }
  return methods;
}

/** Normalised Kendall distance ≤ `maxDistance`, or the best `k` systems exactly, in order. */
export type ConvergenceTolerance = { kind: "kendall"; maxDistance: number } | { kind: "top"; k: number };

/**
 * What a judgment costs an annotator: `secondsPerResponse` for each response shown (reading)
 * plus `secondsPerOrder` for each pairwise order decided. A pair costs 2·r + o, a ranking of K
 * costs K·r + K(K−1)/2·o. An assumption (flags of sim:arena), not a measurement.
 */
export interface AnnotatorCost {
  secondsPerResponse: number;
  secondsPerOrder: number;
}

export const DEFAULT_ANNOTATOR_COST: AnnotatorCost = { secondsPerResponse: 20, secondsPerOrder: 2 };

/** Pairwise orders in one ranking of `k` responses: k(k−1)/2 (a pair gives 1, a ranking of 4 gives 6). */
export function pairwiseJudgmentsInRanking(k: number): number {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  return (k * (k - 1)) / 2;
}

/** Annotator-seconds for one judgment of `k` responses under `cost`. */
export function annotatorSecondsPerJudgment(k: number, cost: AnnotatorCost = DEFAULT_ANNOTATOR_COST): number {
  return k * cost.secondsPerResponse + pairwiseJudgmentsInRanking(k) * cost.secondsPerOrder;
}

/** Bradley–Terry probability that a system with true logit score `si` beats one with `sj`. */
export function bradleyTerryWinProbability(si: number, sj: number): number {
  return 1 / (1 + Math.exp(sj - si));
}

/**
 * True logit scores of `systems` systems, evenly spaced from +spread/2 (index 0, the best) to
 * −spread/2, so neighbours are spread/(systems − 1) logits apart.
 */
export function evenlySpacedScores(systems: number, spread: number): Float64Array {
  return Float64Array.from({ length: systems }, (_, i) => spread / 2 - (spread * i) / (systems - 1));
}

/**
 * How an annotator orders K responses in a Bradley–Terry world.
 * `plackett-luce`: best-first draws with probability ∝ e^{s} among those left (for K = 2 exactly
 * Bradley–Terry). `independent-pairs`: each pair ordered independently with σ(s_i − s_j), shown
 * as a Copeland ranking (pairwise wins), so cycles surface as ties.
 */
export type KWiseNoise = "plackett-luce" | "independent-pairs";

/** One noisy ranking of the systems in `match` (indices into `scores`), best first, with ties. */
export function sampleNoisyRanking(match: readonly number[], scores: Float64Array, noise: KWiseNoise, random: RandomSource): number[][] {
  if (noise === "plackett-luce") {
    const left = [...match];
    const ranking: number[][] = [];
    while (left.length > 1) {
      const weights = left.map((system) => Math.exp(scores[system]!));
      let draw = random() * weights.reduce((total, weight) => total + weight, 0);
      let chosen = left.length - 1;
      for (let i = 0; i < left.length; i++) {
        draw -= weights[i]!;
        if (draw < 0) {
          chosen = i;
          break;
        }
      }
      ranking.push([left[chosen]!]);
      left.splice(chosen, 1);
    }
    ranking.push([left[0]!]);
    return ranking;
  }
  const sorted = [...match].sort((x, y) => x - y);
  const wins = new Map(sorted.map((system) => [system, 0]));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [x, y] = [sorted[i]!, sorted[j]!];
      const winner = random() < bradleyTerryWinProbability(scores[x]!, scores[y]!) ? x : y;
      wins.set(winner, wins.get(winner)! + 1);
    }
  }
  const levels = [...new Set(wins.values())].sort((x, y) => y - x);
  return levels.map((level) => sorted.filter((system) => wins.get(system) === level));
}

/**
 * Normalised Kendall distance between an estimate and the true order (index 0 best): the share
 * of the n(n−1)/2 pairs the estimate does not put strictly in the true order (a tie counts as
 * wrong, so an estimate that has learned nothing is at distance 1).
 */
export function kendallDistanceToTruth(estimate: ArrayLike<number>): number {
  const n = estimate.length;
  let wrong = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!(estimate[i]! > estimate[j]!)) wrong += 1;
  return wrong / ((n * (n - 1)) / 2);
}

/** Whether an estimate (higher = better, index 0 truly best) meets the tolerance. */
export function meetsTolerance(estimate: ArrayLike<number>, tolerance: ConvergenceTolerance): boolean {
  if (tolerance.kind === "kendall") return kendallDistanceToTruth(estimate) <= tolerance.maxDistance;
  // The true top k, in order: each of them strictly above every truly worse system.
  const n = estimate.length;
  const suffixMax = new Float64Array(n + 1).fill(-Infinity);
  for (let i = n - 1; i >= 0; i--) suffixMax[i] = Math.max(estimate[i]!, suffixMax[i + 1]!);
  for (let i = 0; i < Math.min(tolerance.k, n); i++) if (!(estimate[i]! > suffixMax[i + 1]!)) return false;
  return true;
}

/**
 * The stop rule, fed one checkpoint at a time (cumulative pairwise judgments, whether the
 * tolerance holds there): converged at the first checkpoint t from which the tolerance held at
 * every checkpoint up to t + stayFor. Returns t once known, else null.
 */
export class StopRule {
  private runStart: number | null = null;
  converged: number | null = null;
  constructor(private readonly stayFor: number) {
    if (!(stayFor >= 0)) throw new RangeError(`stayFor must be ≥ 0, got ${stayFor}`);
  }
  observe(pairwiseJudgments: number, withinTolerance: boolean): number | null {
    if (this.converged !== null) return this.converged;
    if (!withinTolerance) {
      this.runStart = null;
      return null;
    }
    this.runStart ??= pairwiseJudgments;
    if (pairwiseJudgments - this.runStart >= this.stayFor) this.converged = this.runStart;
    return this.converged;
  }
}

export interface SimulateArenaCostOptions {
  /** Number of simulated systems (true scores evenly spaced; see evenlySpacedScores). */
  systems: number;
  /** Logit gap between the best and the worst true score. */
  spread: number;
  seed: number;
  tolerance: ConvergenceTolerance;
  /** The tolerance must hold at every checkpoint for this many further pairwise judgments. */
  stayFor: number;
  /** Give up (null) after this many pairwise judgments. */
  maxPairwiseJudgments: number;
  /** Check every method's ranking whenever this many more pairwise judgments have come in. */
  checkEvery: number;
  methods: readonly ArenaMethod[];
  noise?: KWiseNoise;
  cost?: AnnotatorCost;
  /** L2 penalty (logit units) of the batch Bradley–Terry fits, which keeps early, separable data finite. */
  l2?: number;
  model?: KWiseRatingModel;
}

export interface MethodRun {
  method: string;
  k: number;
  matchmaking: Matchmaking;
  estimator: RankingEstimator;
  /** Pairwise judgments until converged (null: not within maxPairwiseJudgments). */
  pairwiseJudgments: number | null;
  /** Judgments shown (pairs or K-wise rankings) until converged. */
  judgments: number | null;
  annotatorSeconds: number | null;
}

/**
 * Runs every method once under one seed. Methods that collect the same judgments (same
 * matchmaking and K) share one stream, so their estimators see identical data.
 */
export function simulateArenaCost(options: SimulateArenaCostOptions): MethodRun[] {
  const { systems, spread, seed, methods, checkEvery } = options;
  if (!Number.isInteger(systems) || systems < 2) throw new RangeError(`systems must be an integer ≥ 2, got ${systems}`);
  if (!(spread > 0)) throw new RangeError(`spread must be > 0, got ${spread}`);
  if (!(checkEvery >= 1)) throw new RangeError(`checkEvery must be ≥ 1, got ${checkEvery}`);
  if (options.tolerance.kind === "kendall" && !(options.tolerance.maxDistance >= 0 && options.tolerance.maxDistance < 1)) {
    throw new RangeError(`the Kendall tolerance must be in [0, 1), got ${options.tolerance.maxDistance}`);
  }
  if (options.tolerance.kind === "top" && !(Number.isInteger(options.tolerance.k) && options.tolerance.k >= 1 && options.tolerance.k <= systems)) {
    throw new RangeError(`top-k needs k in [1, ${systems}], got ${options.tolerance.k}`);
  }
  for (const method of methods) {
    if (!Number.isInteger(method.k) || method.k < 2 || method.k > systems) throw new RangeError(`k must be an integer in [2, ${systems}], got ${method.k}`);
    if (method.estimator === "online-elo" && method.k !== 2) throw new RangeError("online Elo takes pairs (k = 2)");
  }
  const scores = evenlySpacedScores(systems, spread);
  const cost = options.cost ?? DEFAULT_ANNOTATOR_COST;
  const streams = new Map<string, ArenaMethod[]>();
  for (const method of methods) {
    const key = `${method.matchmaking}:${method.k}`;
    streams.set(key, [...(streams.get(key) ?? []), method]);
  }
  const results = new Map<string, MethodRun>();
  for (const [key, members] of streams) {
    const [matchmaking, k] = [members[0]!.matchmaking, members[0]!.k];
    // Each stream has its own generator, derived from the seed and the stream's kind only, so
    // adding a method does not change another's draws.
    const streamSeed = (Math.imul(seed, 0x9e3779b1) ^ hashString(key)) >>> 0;
    const perJudgment = pairwiseJudgmentsInRanking(k);
    const converged = runStream({ scores, matchmaking, k, estimators: members.map((m) => m.estimator), options, random: createSeededRandom(streamSeed) });
    members.forEach((method, m) => {
      const pairwise = converged[m]!;
      const judgments = pairwise === null ? null : pairwise / perJudgment;
      results.set(method.name, {
        method: method.name,
        k,
        matchmaking,
        estimator: method.estimator,
        pairwiseJudgments: pairwise,
        judgments,
        annotatorSeconds: judgments === null ? null : judgments * annotatorSecondsPerJudgment(k, cost),
      });
    });
  }
  return methods.map((method) => results.get(method.name)!);
}

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

interface StreamSettings {
  scores: Float64Array;
  matchmaking: Matchmaking;
  k: number;
  estimators: readonly RankingEstimator[];
  options: SimulateArenaCostOptions;
  random: RandomSource;
}

/** Collects judgments of one kind and returns, per estimator, the pairwise judgments until converged. */
function runStream({ scores, matchmaking, k, estimators, options, random }: StreamSettings): (number | null)[] {
  const n = scores.length;
  const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(6, "0")}`);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const noise = options.noise ?? "plackett-luce";
  const perJudgment = pairwiseJudgmentsInRanking(k);

  // The arena's own state drives its matchmaking, whatever estimators read the judgments.
  const beliefs = new Map<string, SkillBelief>(ids.map((id) => [id, createSkillBelief()]));
  const comparisons = new Array<number>(n).fill(0);
  const pairCounts = new Float64Array(n * n);
  let total = 0;
  const arenaState = matchmaking === "arena" || estimators.includes("openskill");

  const elo = new Map(ids.map((id) => [id, 1000]));
  // Pairwise totals for batch Bradley–Terry: points[i·n + j] = points i scored against j.
  const points = new Float64Array(n * n);
  let btTheta: Float64Array | undefined;

  const indices = Array.from({ length: n }, (_, i) => i);
  const pickMatch = (): number[] => {
    if (matchmaking === "random") return shuffleInPlace(indices, random).slice(0, k);
    return selectKWiseMatch({
      systems: ids.map((id, i) => ({ id, belief: beliefs.get(id)!, comparisons: comparisons[i]! })),
      timesCompared: (a, b) => pairCounts[indexOf.get(a)! * n + indexOf.get(b)!]!,
      totalComparisons: total,
      k,
    }).map((id) => indexOf.get(id)!);
  };

  const estimate = (estimator: RankingEstimator): Float64Array => {
    if (estimator === "online-elo") return Float64Array.from(ids, (id) => elo.get(id)!);
    if (estimator === "openskill") return Float64Array.from(ids, (id) => conservativeSkill(beliefs.get(id)!));
    btTheta = fitBatchBradleyTerry(points, n, options.l2 ?? 0.01, btTheta);
    return btTheta;
  };

  const rules = estimators.map(() => new StopRule(options.stayFor));
  let pairwise = 0;
  let nextCheck = options.checkEvery;
  while (pairwise < options.maxPairwiseJudgments && rules.some((rule) => rule.converged === null)) {
    const match = pickMatch();
    const ranking = sampleNoisyRanking(match, scores, noise, random);
    const level = new Map(ranking.flatMap((group, place) => group.map((system) => [system, place] as const)));
    for (let i = 0; i < match.length; i++) {
      for (let j = i + 1; j < match.length; j++) {
        const [x, y] = [match[i]!, match[j]!];
        const scoreX = level.get(x)! < level.get(y)! ? 1 : level.get(x)! > level.get(y)! ? 0 : 0.5;
        points[x * n + y]! += scoreX;
        points[y * n + x]! += 1 - scoreX;
        if (estimators.includes("online-elo")) {
          updateOnlineElo(elo, { modelA: ids[x]!, modelB: ids[y]!, winner: scoreX === 1 ? "a" : scoreX === 0 ? "b" : "tie" }, { k: 4 });
        }
      }
    }
    if (arenaState) {
      const named = ranking.map((group) => group.map((system) => ids[system]!));
      for (const [id, belief] of rateKWiseRanking({ beliefs, ranking: named, model: options.model })) beliefs.set(id, belief);
      for (const i of match) {
        comparisons[i]! += 1;
        for (const j of match) if (i !== j) pairCounts[i * n + j]! += 1;
      }
      total += 1;
    }
    pairwise += perJudgment;
    if (pairwise >= nextCheck) {
      while (nextCheck <= pairwise) nextCheck += options.checkEvery;
      estimators.forEach((estimator, e) => {
        if (rules[e]!.converged === null) rules[e]!.observe(pairwise, meetsTolerance(estimate(estimator), options.tolerance));
      });
    }
  }
  return rules.map((rule) => rule.converged);
}

/**
 * Batch Bradley–Terry MLE (with a small L2 penalty) on all pairwise totals so far, warm-started
 * from the previous fit; returns the logit scores (mean 0).
 */
export function fitBatchBradleyTerry(points: Float64Array, n: number, l2: number, initial?: Float64Array): Float64Array {
  const modelA: number[] = [];
  const modelB: number[] = [];
  const scoreA: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const games = points[i * n + j]! + points[j * n + i]!;
      if (!(games > 0)) continue;
      modelA.push(i);
      modelB.push(j);
      scoreA.push(points[i * n + j]! / games);
      weight.push(games);
    }
  }
  const battles: LogisticBattles = {
    modelCount: n,
    modelA: Int32Array.from(modelA),
    modelB: Int32Array.from(modelB),
    scoreA: Float64Array.from(scoreA),
    weight: Float64Array.from(weight),
    covariates: null,
    covariateCount: 0,
  };
  return fitLogisticBradleyTerry(battles, { l2, logBase: 1, maxIterations: 100, tolerance: 1e-7, initial }).coefficients;
}

export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface ArenaSummary {
  method: string;
  /** Mean over seeds; null when some seed did not converge within the cap. */
  pairwiseJudgments: number | null;
  annotatorSeconds: number | null;
  judgments: number | null;
  k: number;
  matchmaking: Matchmaking;
  estimator: RankingEstimator;
  seeds: number;
  converged: number;
  /** Spread over the converged seeds (sample sd), or null if none converged. */
  pairwiseJudgmentsSpread: Spread | null;
  perSeed: (number | null)[];
}

function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((total, value) => total + (value - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

/** One summary per method over several seeds' runs (each run lists the same methods in the same order). */
export function summarizeArenaRuns(runs: readonly (readonly MethodRun[])[]): ArenaSummary[] {
  if (runs.length === 0) return [];
  return runs[0]!.map((first, m) => {
    const perMethod = runs.map((run) => run[m]!);
    if (perMethod.some((run) => run.method !== first.method)) throw new RangeError("runs list different methods");
    const done = perMethod.filter((run) => run.pairwiseJudgments !== null);
    const all = done.length === perMethod.length;
    const mean = (pick: (run: MethodRun) => number) => (all ? done.reduce((total, run) => total + pick(run), 0) / done.length : null);
    return {
      method: first.method,
      pairwiseJudgments: mean((run) => run.pairwiseJudgments!),
      annotatorSeconds: mean((run) => run.annotatorSeconds!),
      judgments: mean((run) => run.judgments!),
      k: first.k,
      matchmaking: first.matchmaking,
      estimator: first.estimator,
      seeds: perMethod.length,
      converged: done.length,
      pairwiseJudgmentsSpread: spreadOf(done.map((run) => run.pairwiseJudgments!)),
      perSeed: perMethod.map((run) => run.pairwiseJudgments),
    };
  });
}
