export interface CategoricalLabel {
  item: string;
  annotator: string;
  label: string;
}

export interface DawidSkeneOptions {
  labels: readonly CategoricalLabel[];
  /** All possible labels; defaults to the labels seen. */
  classes?: readonly string[];
  maxIterations?: number;
  /** Stop when no posterior moves by more than this. */
  tolerance?: number;
  /**
   * Pseudo-count added to every confusion-matrix cell. Without it an annotator who never used
   * a label gets probability 0 for it, and one contrary vote can zero out an item's posterior.
   */
  smoothing?: number;
  /** SQUAREM acceleration (default true); false runs plain EM — the same fixed point, slower. */
  accelerate?: boolean;
}

export interface DawidSkeneAnnotator {
  annotator: string;
  /** Probability this annotator's label equals the latent truth: Σ_k prior_k · π_kk. */
  accuracy: number;
  /** confusion[trueClass][givenLabel] = P(annotator says givenLabel | truth is trueClass). */
  confusion: Record<string, Record<string, number>>;
  labelCount: number;
}

export interface DawidSkeneItem {
  item: string;
  /** Most probable latent label (ties go to the class listed first). */
  label: string;
  posterior: Record<string, number>;
}

export interface DawidSkeneResult {
  classes: string[];
  classPriors: Record<string, number>;
  annotators: DawidSkeneAnnotator[];
  items: DawidSkeneItem[];
  /** EM steps taken (an accelerated cycle counts its two or three). */
  iterations: number;
  /** Whether no posterior moved by more than `tolerance` at the end; false means the cap was hit — report it. */
  converged: boolean;
}

/**
 * Dawid & Skene (1979) latent-truth model: each annotator has a confusion matrix, each item a
 * latent true label; EM alternates posteriors over true labels (E) with priors and confusion
 * matrices (M). Initialised from the soft majority vote, and every loop runs in sorted id
 * order, so the result is deterministic.
 */
export function fitDawidSkene(options: DawidSkeneOptions): DawidSkeneResult {
  const { labels, maxIterations = 500, tolerance = 1e-6, smoothing = 0.01, accelerate = true } = options;
  const classes = options.classes ? [...options.classes] : [...new Set(labels.map(({ label }) => label))].sort();
  const items = [...new Set(labels.map(({ item }) => item))].sort();
  const annotators = [...new Set(labels.map(({ annotator }) => annotator))].sort();
  const classCount = classes.length;
  const classIndex = new Map(classes.map((value, index) => [value, index]));
  const itemIndex = new Map(items.map((value, index) => [value, index]));
  const annotatorIndex = new Map(annotators.map((value, index) => [value, index]));

  // Sorted so that floating-point sums, and therefore the result, do not depend on input order.
  const observations = labels
    .map(({ item, annotator, label }) => {
      const labelIndex = classIndex.get(label);
      if (labelIndex === undefined) throw new RangeError(`label ${label} is not in classes`);
      return { item: itemIndex.get(item)!, annotator: annotatorIndex.get(annotator)!, label: labelIndex };
    })
    .sort((x, y) => x.item - y.item || x.annotator - y.annotator || x.label - y.label);

  const posterior = new Float64Array(items.length * classCount);
  for (const { item, label } of observations) posterior[item * classCount + label]! += 1;
  for (let i = 0; i < items.length; i++) normalize(posterior, i * classCount, classCount);

  const priors = new Float64Array(classCount);
  const confusion = new Float64Array(annotators.length * classCount * classCount);
  const logPosterior = new Float64Array(items.length * classCount);

  /**
   * One EM iteration from `from`: M-step (priors, smoothed confusion matrices) then E-step, the
   * new posteriors written to `to`. Returns the objective EM climbs — the log-likelihood of the
   * labels plus the smoothing's log prior on the confusion matrices (MAP-EM).
   */
  const emStep = (from: Float64Array, to: Float64Array): number => {
    priors.fill(0);
    for (let i = 0; i < items.length; i++) {
      for (let k = 0; k < classCount; k++) priors[k]! += from[i * classCount + k]! / items.length;
    }
    confusion.fill(smoothing);
    for (const { item, annotator, label } of observations) {
      for (let k = 0; k < classCount; k++) {
        confusion[(annotator * classCount + k) * classCount + label]! += from[item * classCount + k]!;
      }
    }
    for (let j = 0; j < annotators.length; j++) {
      for (let k = 0; k < classCount; k++) normalize(confusion, (j * classCount + k) * classCount, classCount);
    }
    for (let i = 0; i < items.length; i++) {
      for (let k = 0; k < classCount; k++) logPosterior[i * classCount + k] = Math.log(Math.max(priors[k]!, 1e-300));
    }
    for (const { item, annotator, label } of observations) {
      for (let k = 0; k < classCount; k++) {
        logPosterior[item * classCount + k]! += Math.log(confusion[(annotator * classCount + k) * classCount + label]!);
      }
    }
    let objective = 0;
    for (const cell of confusion) objective += smoothing * Math.log(cell);
    for (let i = 0; i < items.length; i++) {
      const offset = i * classCount;
      let maxLog = -Infinity;
      for (let k = 0; k < classCount; k++) maxLog = Math.max(maxLog, logPosterior[offset + k]!);
      let total = 0;
      for (let k = 0; k < classCount; k++) total += Math.exp(logPosterior[offset + k]! - maxLog);
      objective += maxLog + Math.log(total);
      for (let k = 0; k < classCount; k++) to[offset + k] = Math.exp(logPosterior[offset + k]! - maxLog) / total;
    }
    return objective;
  };
  const largestDifference = (a: Float64Array, b: Float64Array) => {
    let largest = 0;
    for (let x = 0; x < a.length; x++) largest = Math.max(largest, Math.abs(a[x]! - b[x]!));
    return largest;
  };

  // Plain EM converges linearly and, with two labels per item, very slowly (thousands of
  // iterations on ordinary data). SQUAREM (Varadhan & Roland 2008, scheme S3) extrapolates two EM
  // steps along the squared-iteration direction, then takes one stabilising EM step; a cycle whose
  // objective falls below plain EM's second step is replaced by that step, so the objective never
  // decreases and the fixed point (hence the answer) is plain EM's. Counted in EM steps.
  const once = new Float64Array(posterior.length);
  const twice = new Float64Array(posterior.length);
  const jumped = new Float64Array(posterior.length);
  const settled = new Float64Array(posterior.length);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    emStep(posterior, once);
    iterations += 1;
    if (!accelerate || iterations >= maxIterations) {
      converged = largestDifference(once, posterior) < tolerance;
      posterior.set(once);
      continue;
    }
    const objectiveTwice = emStep(once, twice);
    iterations += 1;
    let rr = 0;
    let vv = 0;
    for (let x = 0; x < posterior.length; x++) {
      const r = once[x]! - posterior[x]!;
      const v = twice[x]! - 2 * once[x]! + posterior[x]!;
      rr += r * r;
      vv += v * v;
    }
    // α ≤ −1; α = −1 is exactly the second EM step.
    const alpha = vv > 0 ? Math.min(-1, -Math.sqrt(rr / vv)) : -1;
    for (let x = 0; x < posterior.length; x++) {
      const r = once[x]! - posterior[x]!;
      const v = twice[x]! - 2 * once[x]! + posterior[x]!;
      jumped[x] = Math.max(0, posterior[x]! - 2 * alpha * r + alpha * alpha * v);
    }
    for (let i = 0; i < items.length; i++) normalize(jumped, i * classCount, classCount);
    let next = twice;
    if (alpha < -1 && iterations < maxIterations) {
      const objectiveSettled = emStep(jumped, settled);
      iterations += 1;
      if (objectiveSettled >= objectiveTwice) next = settled;
    }
    // Converged: the last EM step moved no posterior by more than the tolerance.
    converged = largestDifference(next, next === twice ? once : jumped) < tolerance;
    posterior.set(next);
  }
  // Priors and confusion matrices from the final posteriors (the M-step; its E-step output is unused).
  emStep(posterior, once);

  const labelCounts = new Array<number>(annotators.length).fill(0);
  for (const { annotator } of observations) labelCounts[annotator]! += 1;
  return {
    classes,
    classPriors: Object.fromEntries(classes.map((value, k) => [value, priors[k]!])),
    annotators: annotators.map((annotator, j) => {
      const cell = (k: number, l: number) => confusion[(j * classCount + k) * classCount + l]!;
      let accuracy = 0;
      for (let k = 0; k < classCount; k++) accuracy += priors[k]! * cell(k, k);
      return {
        annotator,
        accuracy,
        confusion: Object.fromEntries(classes.map((truth, k) => [truth, Object.fromEntries(classes.map((given, l) => [given, cell(k, l)]))])),
        labelCount: labelCounts[j]!,
      };
    }),
    items: items.map((item, i) => {
      let best = 0;
      for (let k = 1; k < classCount; k++) if (posterior[i * classCount + k]! > posterior[i * classCount + best]!) best = k;
      return {
        item,
        label: classes[best]!,
        posterior: Object.fromEntries(classes.map((value, k) => [value, posterior[i * classCount + k]!])),
      };
    }),
    iterations,
    converged,
  };
}

function normalize(values: Float64Array, offset: number, length: number): void {
  let total = 0;
  for (let k = 0; k < length; k++) total += values[offset + k]!;
  if (total === 0) {
    for (let k = 0; k < length; k++) values[offset + k] = 1 / length;
    return;
  }
  for (let k = 0; k < length; k++) values[offset + k]! /= total;
}
