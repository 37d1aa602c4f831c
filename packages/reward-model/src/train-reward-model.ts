import { featurize, type SparseFeatures } from "./featurize.ts";
import { resolveFeaturizerConfig, weightCount, type FeaturizerConfig } from "./featurizer-config.ts";
import { lbfgsSteps } from "./minimize-lbfgs.ts";
import type { RewardModel, TrainingMetrics } from "./reward-model.ts";
import { createSeededRandom, shuffleInPlace, type RandomSource } from "./seeded-random.ts";

/** One vote: `chosen` was preferred over `rejected` as an answer to `prompt`. */
export interface PreferencePair {
  readonly prompt?: string | undefined;
  readonly chosen: string;
  readonly rejected: string;
  /** Pairs sharing a group (e.g. expanded from one ranking) land on the same side of the split. */
  readonly group?: string | undefined;
}

export interface TrainRewardModelOptions {
  readonly pairs: readonly PreferencePair[];
  /** Hashed feature slots (power of two); overrides `featurizer.dim`. */
  readonly dim?: number;
  readonly featurizer?: Partial<FeaturizerConfig>;
  /** L-BFGS: maximum iterations (default 200). Adam: passes over the data (default 30). */
  readonly epochs?: number;
  /** Strength of the L2 penalty (l2 / 2)·‖w‖² added to the mean logistic loss. */
  readonly l2?: number;
  readonly seed?: number;
  /** Share of pairs (or of groups, when pairs have one) held out for evaluation, in [0, 1). */
  readonly holdOut?: number;
  readonly optimizer?: "lbfgs" | "adam";
  /** Adam only. */
  readonly learningRate?: number;
  /** Adam only. */
  readonly batchSize?: number;
}

export interface TrainRewardModelResult {
  readonly model: RewardModel;
  readonly metrics: TrainingMetrics;
}

export interface TrainRewardModelAsyncOptions {
  /** Longest stretch (ms) of training between two pauses that let other work on the thread run. */
  readonly sliceMs?: number;
  /**
   * Idle time (ms) after each slice. 0 (default) resumes as soon as queued work has run; a
   * server gives training background priority with a rest: a request whose awaits each land
   * behind a slice is slowed by a slice per await, and resting keeps the thread mostly free.
   */
  readonly restMs?: number;
}

export class RewardTrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RewardTrainingError";
  }
}

/** φ(chosen) − φ(rejected) for every pair, as CSR rows with float64 values. */
interface PairDifferences {
  readonly offsets: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float64Array;
}

function subtractSparse(a: SparseFeatures, b: SparseFeatures, indices: number[], values: number[]): void {
  let i = 0;
  let j = 0;
  while (i < a.indices.length || j < b.indices.length) {
    const ia = i < a.indices.length ? (a.indices[i] as number) : Number.POSITIVE_INFINITY;
    const ib = j < b.indices.length ? (b.indices[j] as number) : Number.POSITIVE_INFINITY;
    let index: number;
    let value: number;
    if (ia === ib) {
      index = ia;
      value = (a.values[i++] as number) - (b.values[j++] as number);
    } else if (ia < ib) {
      index = ia;
      value = a.values[i++] as number;
    } else {
      index = ib;
      value = -(b.values[j++] as number);
    }
    if (value !== 0) {
      indices.push(index);
      values.push(value);
    }
  }
}

/*
 * Training is written as generators that pause (yield) between bounded pieces of work, so that
 * `trainRewardModelAsync` can give the thread back to other work (a server's requests) between
 * them. Pausing changes nothing in the arithmetic: draining a generator in one go (as
 * `trainRewardModel` does) gives the same result, bit for bit. The generators only sequence the
 * work; the hot loops stay in plain functions, which V8 optimizes (see minimize-lbfgs.ts).
 */

/** Pairs featurized between two pauses: featurizing is the expensive part, ~0.1–0.4 ms a pair. */
const PAIRS_PER_STEP = 8;
/** Rows scored between two pauses when evaluating. */
const ROWS_PER_STEP = 512;

function* pairDifferences(config: FeaturizerConfig, pairs: readonly PreferencePair[]): Generator<void, PairDifferences, void> {
  const offsets = new Uint32Array(pairs.length + 1);
  // Gathered a step at a time and joined at the end: one growing array of a few hundred
  // thousand entries costs a long pause whenever it is copied to a bigger one.
  const indexParts: Uint32Array[] = [];
  const valueParts: Float64Array[] = [];
  let indices: number[] = [];
  let values: number[] = [];
  let total = 0;
  for (let row = 0; row < pairs.length; row++) {
    const pair = pairs[row] as PreferencePair;
    const chosen = featurize(config, { prompt: pair.prompt, response: pair.chosen });
    const rejected = featurize(config, { prompt: pair.prompt, response: pair.rejected });
    subtractSparse(chosen, rejected, indices, values);
    offsets[row + 1] = total + indices.length;
    if ((row + 1) % PAIRS_PER_STEP === 0 || row + 1 === pairs.length) {
      indexParts.push(Uint32Array.from(indices));
      valueParts.push(Float64Array.from(values));
      total += indices.length;
      indices = [];
      values = [];
      yield;
    }
  }
  return { offsets, indices: concatenate(new Uint32Array(total), indexParts), values: concatenate(new Float64Array(total), valueParts) };
}

function concatenate<T extends Uint32Array | Float64Array>(out: T, parts: readonly T[]): T {
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Margins w·(φ(chosen) − φ(rejected)) of rows [from, to) into `out`. */
function marginRows(weights: ArrayLike<number>, rows: PairDifferences, out: Float64Array, from: number, to: number): void {
  const { offsets, indices, values } = rows;
  for (let row = from; row < to; row++) {
    let sum = 0;
    for (let k = offsets[row] as number; k < (offsets[row + 1] as number); k++) {
      sum += (weights[indices[k] as number] as number) * (values[k] as number);
    }
    out[row] = sum;
  }
}

function* margins(weights: ArrayLike<number>, rows: PairDifferences, out: Float64Array): Generator<void, Float64Array, void> {
  const count = rows.offsets.length - 1;
  for (let from = 0; from < count; from += ROWS_PER_STEP) {
    marginRows(weights, rows, out, from, Math.min(from + ROWS_PER_STEP, count));
    if (from + ROWS_PER_STEP < count) yield;
  }
  return out;
}

/** log(1 + e^(−m)) without overflow. */
function logisticLoss(margin: number): number {
  return Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin)));
}

function* evaluate(weights: Float32Array, rows: PairDifferences): Generator<void, { accuracy: number; loss: number }, void> {
  const count = rows.offsets.length - 1;
  return summarizeMargins(yield* margins(weights, rows, new Float64Array(count)));
}

function summarizeMargins(m: Float64Array): { accuracy: number; loss: number } {
  const count = m.length;
  let correct = 0;
  let loss = 0;
  for (const margin of m) {
    correct += margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
    loss += logisticLoss(margin);
  }
  return { accuracy: correct / count, loss: loss / count };
}

/** Adds mean over `rows` of ∂loss/∂w into `gradient` (scaled by `scale`); returns the summed loss. */
function accumulateLossGradient(weights: Float64Array, rows: PairDifferences, selection: ArrayLike<number>, scale: number, gradient: Float64Array): number {
  const { offsets, indices, values } = rows;
  let loss = 0;
  for (let s = 0; s < selection.length; s++) {
    const row = selection[s] as number;
    const start = offsets[row] as number;
    const end = offsets[row + 1] as number;
    let margin = 0;
    for (let k = start; k < end; k++) margin += (weights[indices[k] as number] as number) * (values[k] as number);
    loss += logisticLoss(margin);
    // d/dm log(1 + e^(−m)) = −σ(−m)
    const coefficient = (-scale) / (1 + Math.exp(margin));
    for (let k = start; k < end; k++) {
      const index = indices[k] as number;
      gradient[index] = (gradient[index] as number) + coefficient * (values[k] as number);
    }
  }
  return loss;
}

/** Pauses where lbfgsSteps does: after every objective evaluation and every pass of the two-loop recursion. */
function* trainLbfgs(rows: PairDifferences, dimension: number, l2: number, maxIterations: number): Generator<void, { weights: Float64Array; iterations: number }, void> {
  const count = rows.offsets.length - 1;
  const all = Uint32Array.from({ length: count }, (_, i) => i);
  const weights = new Float64Array(dimension);
  const iterations = yield* lbfgsSteps(
    (w, gradient) => {
      let penalty = 0;
      for (let i = 0; i < w.length; i++) {
        const wi = w[i] as number;
        gradient[i] = l2 * wi;
        penalty += wi * wi;
      }
      return accumulateLossGradient(w, rows, all, 1 / count, gradient) / count + 0.5 * l2 * penalty;
    },
    weights,
    { maxIterations, gradientTolerance: 1e-7 },
  );
  return { weights, iterations };
}

/** Pauses after every batch. */
function* trainAdam(rows: PairDifferences, dimension: number, l2: number, epochs: number, learningRate: number, batchSize: number, random: RandomSource): Generator<void, Float64Array, void> {
  const count = rows.offsets.length - 1;
  const weights = new Float64Array(dimension);
  const gradient = new Float64Array(dimension);
  const firstMoment = new Float64Array(dimension);
  const secondMoment = new Float64Array(dimension);
  const order = Array.from({ length: count }, (_, i) => i);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < count; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      step++;
      adamBatch(rows, batch, l2, learningRate, step, weights, gradient, firstMoment, secondMoment);
      yield;
    }
  }
  return weights;
}

/** One Adam step (β1 0.9, β2 0.999) on the mean loss of `batch` plus the L2 penalty; `step` counts from 1. */
function adamBatch(
  rows: PairDifferences,
  batch: readonly number[],
  l2: number,
  learningRate: number,
  step: number,
  weights: Float64Array,
  gradient: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
): void {
  const dimension = weights.length;
  for (let i = 0; i < dimension; i++) gradient[i] = l2 * (weights[i] as number);
  accumulateLossGradient(weights, rows, batch, 1 / batch.length, gradient);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < dimension; i++) {
    const g = gradient[i] as number;
    const m = beta1 * (firstMoment[i] as number) + (1 - beta1) * g;
    const v = beta2 * (secondMoment[i] as number) + (1 - beta2) * g * g;
    firstMoment[i] = m;
    secondMoment[i] = v;
    weights[i] = (weights[i] as number) - (learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + 1e-8);
  }
}

/** Splits pair positions into train and held-out, by group where pairs carry one. */
function splitPairs(pairs: readonly PreferencePair[], holdOut: number, random: RandomSource): { train: number[]; heldOut: number[] } {
  if (holdOut === 0) return { train: pairs.map((_, i) => i), heldOut: [] };
  const groups = new Map<string, number[]>();
  pairs.forEach((pair, i) => {
    const key = pair.group === undefined ? `#${i}` : `g:${pair.group}`;
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  const shuffled = shuffleInPlace([...groups.values()], random);
  const target = Math.round(holdOut * pairs.length);
  const heldOut: number[] = [];
  const train: number[] = [];
  for (const members of shuffled) (heldOut.length < target ? heldOut : train).push(...members);
  heldOut.sort((a, b) => a - b);
  train.sort((a, b) => a - b);
  return { train, heldOut };
}

const now = (): number => globalThis.performance.now();

/**
 * Fits a linear Bradley–Terry reward model: P(chosen ≻ rejected) = σ(r(chosen) − r(rejected))
 * with r(x) = w·φ(x), minimizing the mean logistic loss plus (l2 / 2)·‖w‖². The same options
 * and seed give the same weights, bit for bit.
 *
 * Runs to the end without pausing; `trainRewardModelAsync` gives the same result while letting
 * other work on the thread run.
 */
export function trainRewardModel(options: TrainRewardModelOptions): TrainRewardModelResult {
  const steps = trainSteps(options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `trainRewardModel` that runs in slices of about `sliceMs` and lets the event loop run (I/O,
 * timers, other requests) between them. It pauses whenever more than `sliceMs` has passed since
 * the last pause — and already before a step that, judging by the one just run, would end
 * past it, so slices seldom run over. Same options, same result bit for bit;
 * `metrics.ms` is the wall-clock time from start to end, pauses included. Works in Node,
 * browsers and workers. Invalid options reject with RewardTrainingError, as `trainRewardModel`
 * throws it.
 */
export async function trainRewardModelAsync(options: TrainRewardModelOptions, { sliceMs = 8, restMs = 0 }: TrainRewardModelAsyncOptions = {}): Promise<TrainRewardModelResult> {
  if (!(sliceMs >= 0)) throw new RangeError(`sliceMs must be a number >= 0, got ${String(sliceMs)}`);
  if (!(restMs >= 0)) throw new RangeError(`restMs must be a number >= 0, got ${String(restMs)}`);
  const steps = trainSteps(options);
  let sliceStarted = now();
  let stepStarted = sliceStarted;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const stepEnded = now();
    if (stepEnded - sliceStarted + (stepEnded - stepStarted) > sliceMs) {
      await (restMs > 0 ? new Promise((resolve) => setTimeout(resolve, restMs)) : yieldToEventLoop());
      sliceStarted = now();
      stepStarted = sliceStarted;
    } else {
      stepStarted = stepEnded;
    }
  }
}

/**
 * Resolves after other queued work has had a turn: `setImmediate` in Node (after pending I/O),
 * a MessageChannel message in browsers and workers (a macrotask without setTimeout's clamping),
 * setTimeout as the last resort.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The whole training run, pausing between bounded pieces of work (see the note above). */
function* trainSteps(options: TrainRewardModelOptions): Generator<void, TrainRewardModelResult, void> {
  const started = now();
  const optimizer = options.optimizer ?? "lbfgs";
  const l2 = options.l2 ?? 1e-3;
  const holdOut = options.holdOut ?? 0;
  const seed = options.seed ?? 1;
  const epochs = options.epochs ?? (optimizer === "lbfgs" ? 200 : 30);
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new RewardTrainingError("l2 must be a finite number >= 0");
  if (!(holdOut >= 0 && holdOut < 1)) throw new RewardTrainingError("holdOut must be in [0, 1)");
  if (!Number.isInteger(epochs) || epochs < 1) throw new RewardTrainingError("epochs must be a positive integer");
  const featurizer = resolveFeaturizerConfig({ ...options.featurizer, ...(options.dim === undefined ? {} : { dim: options.dim }) });

  const random = createSeededRandom(seed);
  const split = splitPairs(options.pairs, holdOut, random);
  if (split.train.length === 0) throw new RewardTrainingError("no training pairs (all pairs held out, or none given)");
  const trainRows = yield* pairDifferences(featurizer, split.train.map((i) => options.pairs[i] as PreferencePair));
  const heldOutRows = yield* pairDifferences(featurizer, split.heldOut.map((i) => options.pairs[i] as PreferencePair));

  const dimension = weightCount(featurizer);
  let trained: { weights: Float64Array; iterations: number };
  if (optimizer === "lbfgs") {
    trained = yield* trainLbfgs(trainRows, dimension, l2, epochs);
  } else {
    const learningRate = options.learningRate ?? 0.05;
    const batchSize = options.batchSize ?? 32;
    if (!(learningRate > 0)) throw new RewardTrainingError("learningRate must be > 0");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RewardTrainingError("batchSize must be a positive integer");
    trained = { weights: yield* trainAdam(trainRows, dimension, l2, epochs, learningRate, batchSize, random), iterations: epochs };
  }

  // Metrics come from the float32 weights that are shipped, not the float64 ones trained.
  const weights = Float32Array.from(trained.weights);
  const train = yield* evaluate(weights, trainRows);
  const held = split.heldOut.length > 0 ? yield* evaluate(weights, heldOutRows) : null;
  const metrics: TrainingMetrics = {
    trainAccuracy: train.accuracy,
    heldOutAccuracy: held?.accuracy ?? null,
    pairs: split.train.length,
    heldOutPairs: split.heldOut.length,
    trainLoss: train.loss,
    heldOutLoss: held?.loss ?? null,
    optimizer,
    iterations: trained.iterations,
    ms: now() - started,
  };
  return { model: { featurizer, weights, metrics }, metrics };
}
