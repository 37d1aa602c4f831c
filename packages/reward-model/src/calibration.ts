/**
 * Calibration of a pairwise reward model on held-out votes: temperature scaling, expected
 * calibration error, a 95 % interval for accuracy and the two length rules on the same pairs.
 *
 * A held-out pair is a margin m = r(chosen) − r(rejected); the model says "chosen wins" with
 * probability σ(m / T). The model's confidence in its own pick is σ(|m| / T), right when m > 0.
 * Temperature scaling changes the confidence, never the pick, so accuracy (and its interval)
 * may use every held-out pair, while the ECE after scaling is measured only on pairs the
 * temperature was not fitted on.
 */

/** The calibration summary stored with a trained version (inside `TrainingMetrics`). */
export interface CalibrationMetrics {
  /** Pairs the temperature was fitted on (part of the held-out split). */
  readonly calibrationPairs: number;
  /** The rest of the held-out split: where ECE is measured. */
  readonly measurePairs: number;
  /** σ(margin / temperature) is the calibrated probability; 1 when too few pairs to fit one. */
  readonly temperature: number;
  /** Expected calibration error (10 bins of the model's confidence) on the measure pairs, before and after scaling; null without measure pairs. */
  readonly eceBefore: number | null;
  readonly eceAfter: number | null;
  /** Accuracy on all held-out pairs (a tie counts one half), with its Wilson 95 % interval. */
  readonly accuracy: number;
  readonly accuracyCi: readonly [number, number];
  readonly heldOutPairs: number;
  /** "The longer answer wins" and "the shorter answer wins" on the same held-out pairs (equal lengths count one half). */
  readonly baselines: { readonly longer: number; readonly shorter: number };
  /**
   * When the model may ask "Keep your choice?" (selectAskThreshold): null when no confidence
   * level qualifies, with the reason in `askReason`. Absent in versions trained before it existed.
   */
  readonly ask?: AskEvidence | null;
  readonly askReason?: string | null;
}

/**
 * The held-out evidence behind "Keep your choice?": the model asks only when its calibrated
 * confidence in its pick is at least `threshold`, and on the held-out pairs where it was that
 * confident it was right `precision` of the time (Wilson 95 % interval `precisionCi`, whose lower
 * end is at least ASK_TARGET_PRECISION).
 */
export interface AskEvidence {
  /** Calibrated confidence σ(|Δ| / T) at or above which the model asks; never below ASK_MIN_CONFIDENCE. */
  readonly threshold: number;
  /** Held-out pairs at or above that confidence. */
  readonly heldOutPairs: number;
  /** Share of them where the model's pick is the vote. */
  readonly precision: number;
  readonly precisionCi: readonly [number, number];
}

/** "Keep your choice?" needs the lower end of the held-out precision's 95 % interval at or above this. */
export const ASK_TARGET_PRECISION = 0.85;
/** The model never asks below this calibrated confidence, whatever the evidence. */
export const ASK_MIN_CONFIDENCE = 0.8;
/** Fewer held-out pairs than this at a confidence level: it is not tested (for 85 %, 22 all right are the least that can pass anyway). */
export const ASK_MIN_PAIRS = 20;

/** Fewer calibration pairs than this: no temperature is fitted (T = 1). */
export const MIN_CALIBRATION_PAIRS = 10;
const T_MIN = 0.05;
const T_MAX = 100;
const ECE_BINS = 10;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function logisticLoss(margin: number): number {
  return Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin)));
}

/** Mean negative log-likelihood of "chosen wins" under σ(m / T). */
export function temperatureNll(margins: ArrayLike<number>, temperature: number): number {
  let sum = 0;
  for (let i = 0; i < margins.length; i++) sum += logisticLoss((margins[i] as number) / temperature);
  return sum / margins.length;
}

/**
 * The temperature minimizing the NLL of the margins (golden-section search on log T, which is
 * unimodal for this one-parameter family), within [0.05, 100]. 1 for fewer than
 * MIN_CALIBRATION_PAIRS margins or when every margin is 0.
 */
export function fitTemperature(margins: ArrayLike<number>): number {
  if (margins.length < MIN_CALIBRATION_PAIRS) return 1;
  let anyNonZero = false;
  for (let i = 0; i < margins.length; i++) if (margins[i] !== 0) anyNonZero = true;
  if (!anyNonZero) return 1;
  const f = (logT: number) => temperatureNll(margins, Math.exp(logT));
  let lo = Math.log(T_MIN);
  let hi = Math.log(T_MAX);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 80 && hi - lo > 1e-6; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Expected calibration error of the model's confidence in its own pick, σ(|m| / T) ∈ [0.5, 1),
 * over 10 equal-width bins of [0.5, 1]: Σ (n_bin / n)·|accuracy_bin − confidence_bin|. A margin
 * of 0 is a coin flip (confidence 0.5, right one half). NaN for no margins.
 */
export function expectedCalibrationError(margins: ArrayLike<number>, temperature = 1): number {
  const n = margins.length;
  if (n === 0) return Number.NaN;
  const count = new Float64Array(ECE_BINS);
  const confidence = new Float64Array(ECE_BINS);
  const correct = new Float64Array(ECE_BINS);
  for (let i = 0; i < n; i++) {
    const m = margins[i] as number;
    const p = sigmoid(Math.abs(m) / temperature);
    const bin = Math.min(ECE_BINS - 1, Math.max(0, Math.floor(((p - 0.5) / 0.5) * ECE_BINS)));
    count[bin] = (count[bin] as number) + 1;
    confidence[bin] = (confidence[bin] as number) + p;
    correct[bin] = (correct[bin] as number) + (m > 0 ? 1 : m === 0 ? 0.5 : 0);
  }
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    const k = count[b] as number;
    if (k > 0) ece += (k / n) * Math.abs((correct[b] as number) / k - (confidence[b] as number) / k);
  }
  return ece;
}

/** Wilson score interval (95 %) for `successes` of `n` (successes may be fractional: ties count one half). [0, 1] for n = 0. */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Accuracy of "the longer answer wins" and "the shorter answer wins" (characters; equal lengths count one half). NaN for no pairs. */
export function lengthBaselines(pairs: ReadonlyArray<{ readonly chosen: string; readonly rejected: string }>): { longer: number; shorter: number } {
  if (pairs.length === 0) return { longer: Number.NaN, shorter: Number.NaN };
  let longer = 0;
  let shorter = 0;
  for (const { chosen, rejected } of pairs) {
    if (chosen.length > rejected.length) longer += 1;
    else if (chosen.length < rejected.length) shorter += 1;
    else {
      longer += 0.5;
      shorter += 0.5;
    }
  }
  return { longer: longer / pairs.length, shorter: shorter / pairs.length };
}

/**
 * The calibration summary of one model from its held-out margins: `calibrate` (indices into
 * `margins`) fits the temperature, `measure` gets the ECE; accuracy, its interval and the length
 * baselines use all of `margins` / `pairs` (the same pairs, same order).
 */
export function summarizeCalibration(
  margins: ArrayLike<number>,
  pairs: ReadonlyArray<{ readonly chosen: string; readonly rejected: string }>,
  split: { calibrate: readonly number[]; measure: readonly number[] },
): CalibrationMetrics {
  const pick = (indices: readonly number[]) => Float64Array.from(indices, (i) => margins[i] as number);
  const calibrate = pick(split.calibrate);
  const measure = pick(split.measure);
  const temperature = fitTemperature(calibrate);
  let correct = 0;
  for (let i = 0; i < margins.length; i++) {
    const m = margins[i] as number;
    correct += m > 0 ? 1 : m === 0 ? 0.5 : 0;
  }
  const n = margins.length;
  const baselines = lengthBaselines(pairs);
  const { ask, reason: askReason } = selectAskThreshold(margins, temperature);
  return {
    calibrationPairs: calibrate.length,
    measurePairs: measure.length,
    temperature,
    eceBefore: measure.length > 0 ? expectedCalibrationError(measure, 1) : null,
    eceAfter: measure.length > 0 ? expectedCalibrationError(measure, temperature) : null,
    accuracy: n > 0 ? correct / n : Number.NaN,
    accuracyCi: wilsonInterval(correct, n),
    heldOutPairs: n,
    baselines,
    ask,
    askReason,
  };
}

const pctText = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * The ask threshold, by selective prediction on held-out margins with fixed-sequence testing.
 * The pairs are ordered by the model's confidence σ(|m| / T), highest first; each confidence level
 * c ≥ ASK_MIN_CONFIDENCE is a test of "on pairs at least this confident the model's pick is the
 * vote at least ASK_TARGET_PRECISION of the time", passed when the lower end of the Wilson 95 %
 * interval of that precision reaches the target. The levels are tested from the top down, starting
 * at the first level with enough pairs for an all-right record to pass (22 for 85 %), and testing
 * stops at the first level that fails: the threshold is the lowest level passed before that, or
 * null (with a reason) when the first test fails or there are too few confident pairs.
 *
 * Stopping at the first failure (rather than taking the lowest level that passes anywhere) is what
 * keeps the many looks honest: a wrong "yes" needs the first level whose precision is truly below
 * the target to pass its own test (Learn-then-Test's fixed sequence). The order (|m|) does not
 * depend on which response was voted for, so every held-out pair may be used, including those
 * the temperature was fitted on (the temperature moves the threshold's value, never which pairs
 * lie above it). The benchmark (scripts/bench/hint-gate.ts) measures the precision on later votes.
 */
export function selectAskThreshold(
  margins: ArrayLike<number>,
  temperature = 1,
  { target = ASK_TARGET_PRECISION, minConfidence = ASK_MIN_CONFIDENCE, minPairs = ASK_MIN_PAIRS } = {},
): { ask: AskEvidence | null; reason: string | null } {
  const t = temperature > 0 ? temperature : 1;
  // The first level tested: enough pairs that all of them right would pass.
  let firstTest = Math.max(1, minPairs);
  while (firstTest < 10_000 && wilsonInterval(firstTest, firstTest)[0] < target) firstTest++;
  const order = Array.from(margins, (m) => m as number).sort((a, b) => Math.abs(b) - Math.abs(a));
  let ask: AskEvidence | null = null;
  let failed: { confidence: number; n: number; precision: number; low: number } | null = null;
  let right = 0;
  let confident = 0;
  for (let k = 0; k < order.length; k++) {
    const m = order[k] as number;
    const confidence = sigmoid(Math.abs(m) / t);
    if (confidence < minConfidence) break;
    confident = k + 1;
    right += m > 0 ? 1 : 0;
    // Only where the next pair is less confident: pairs of equal confidence are asked about alike.
    const next = order[k + 1];
    if (next !== undefined && Math.abs(next) === Math.abs(m)) continue;
    const n = k + 1;
    if (n < firstTest) continue;
    const ci = wilsonInterval(right, n);
    if (ci[0] < target) {
      failed = { confidence, n, precision: right / n, low: ci[0] };
      break;
    }
    ask = { threshold: confidence, heldOutPairs: n, precision: right / n, precisionCi: ci };
  }
  if (ask) return { ask, reason: null };
  if (!failed) {
    return {
      ask: null,
      reason: `only ${confident} held-out pairs at ${pctText(minConfidence)} calibrated confidence or more (needs ${firstTest}), too few to show the model is right ${pctText(target)} of the times it would ask`,
    };
  }
  return {
    ask: null,
    reason: `the model is not right often enough when it is sure: at ≥ ${pctText(failed.confidence)} calibrated confidence it was right on ${pctText(failed.precision)} of ${failed.n} held-out pairs (interval lower end ${pctText(failed.low)} < ${pctText(target)})`,
  };
}

/** The calibrated probability that the response with reward `a` beats the one with reward `b`. */
export function calibratedProbability(a: number, b: number, temperature = 1): number {
  return sigmoid((a - b) / (temperature > 0 ? temperature : 1));
}
