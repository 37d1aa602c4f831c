import { createSeededRandom } from "@arbiter/ranking/random";
import { resolveFeaturizerConfig, weightCount, type FeaturizerConfig } from "./featurizer-config.ts";
import type { PreferencePair, RewardModel, TrainingMetrics } from "./reward-model.ts";
import { summarizeCalibration } from "./calibration.ts";
import { evaluatePairs, marginsOf, summarizeMargins } from "./training/evaluate-pairs.ts";
import { pairDifferences } from "./training/pair-differences.ts";
import { runInSlices, runToEnd } from "./training/run-in-slices.ts";
import { splitPairs } from "./training/split-pairs.ts";
import { trainAdam } from "./training/train-adam.ts";
import { trainLbfgs } from "./training/train-lbfgs.ts";

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

/*
 * Training is written as generators that pause (yield) between bounded pieces of work, so that
 * `trainRewardModelAsync` can give the thread back to other work (a server's requests) between
 * them. Pausing changes nothing in the arithmetic: draining a generator in one go (as
 * `trainRewardModel` does) gives the same result, bit for bit. The generators only sequence the
 * work; the hot loops stay in plain functions, which V8 optimizes (see training/minimize-lbfgs.ts).
 * The pieces live in training/: featurized pair differences, the loss, L-BFGS, Adam, the split.
 */

/** Share of the held-out split kept for measuring calibration (the rest fits the temperature). */
const CALIBRATION_MEASURE_SHARE = 0.5;

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
  return runToEnd(trainSteps(options));
}

/**
 * `trainRewardModel` that runs in slices of about `sliceMs` and lets the event loop run (I/O,
 * timers, other requests) between them (training/run-in-slices.ts). Same options, same result
 * bit for bit; `metrics.ms` is the wall-clock time from start to end, pauses included. Works in
 * Node, browsers and workers. Invalid options reject with RewardTrainingError, as
 * `trainRewardModel` throws it.
 */
export async function trainRewardModelAsync(
  options: TrainRewardModelOptions,
  { sliceMs = 8, restMs = 0 }: TrainRewardModelAsyncOptions = {},
): Promise<TrainRewardModelResult> {
  if (!(sliceMs >= 0)) throw new RangeError(`sliceMs must be a number >= 0, got ${String(sliceMs)}`);
  if (!(restMs >= 0)) throw new RangeError(`restMs must be a number >= 0, got ${String(restMs)}`);
  return runInSlices(trainSteps(options), { sliceMs, restMs });
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
  const trainRows = yield* pairDifferences(
    featurizer,
    split.train.map((i) => options.pairs[i] as PreferencePair),
  );
  const heldOutRows = yield* pairDifferences(
    featurizer,
    split.heldOut.map((i) => options.pairs[i] as PreferencePair),
  );

  const dimension = weightCount(featurizer);
  let trained: { weights: Float64Array; iterations: number };
  if (optimizer === "lbfgs") {
    trained = yield* trainLbfgs(trainRows, dimension, l2, epochs);
  } else {
    const learningRate = options.learningRate ?? 0.05;
    const batchSize = options.batchSize ?? 32;
    if (!(learningRate > 0)) throw new RewardTrainingError("learningRate must be > 0");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RewardTrainingError("batchSize must be a positive integer");
    trained = { weights: yield* trainAdam(trainRows, dimension, { l2, epochs, learningRate, batchSize }, random), iterations: epochs };
  }

  // Metrics come from the float32 weights that are shipped, not the float64 ones trained.
  const weights = Float32Array.from(trained.weights);
  const train = yield* evaluatePairs(weights, trainRows);
  const heldOutMargins = split.heldOut.length > 0 ? yield* marginsOf(weights, heldOutRows) : null;
  const held = heldOutMargins ? summarizeMargins(heldOutMargins) : null;
  // Temperature scaling on part of the held-out split (by group), ECE measured on the rest.
  let calibration: TrainingMetrics["calibration"];
  if (heldOutMargins) {
    const heldOutPairs = split.heldOut.map((i) => options.pairs[i] as PreferencePair);
    const parts = splitPairs(heldOutPairs, CALIBRATION_MEASURE_SHARE, random);
    calibration = summarizeCalibration(heldOutMargins, heldOutPairs, { calibrate: parts.train, measure: parts.heldOut });
  }
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
    ...(calibration ? { calibration } : {}),
  };
  return { model: { featurizer, weights, metrics }, metrics };
}
