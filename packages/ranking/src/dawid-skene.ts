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
  iterations: number;
  converged: boolean;
}

/**
 * Dawid & Skene (1979) latent-truth model: each annotator has a confusion matrix, each item a
 * latent true label; EM alternates posteriors over true labels (E) with priors and confusion
 * matrices (M). Initialised from the soft majority vote, and every loop runs in sorted id
 * order, so the result is deterministic.
 */
export function fitDawidSkene(options: DawidSkeneOptions): DawidSkeneResult {
  const { labels, maxIterations = 200, tolerance = 1e-6, smoothing = 0.01 } = options;
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
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations += 1;

    priors.fill(0);
    for (let i = 0; i < items.length; i++) {
      for (let k = 0; k < classCount; k++) priors[k]! += posterior[i * classCount + k]! / items.length;
    }
    confusion.fill(smoothing);
    for (const { item, annotator, label } of observations) {
      for (let k = 0; k < classCount; k++) {
        confusion[(annotator * classCount + k) * classCount + label]! += posterior[item * classCount + k]!;
      }
    }
    for (let j = 0; j < annotators.length; j++) {
      for (let k = 0; k < classCount; k++) normalize(confusion, (j * classCount + k) * classCount, classCount);
    }

    const logPosterior = new Float64Array(items.length * classCount);
    for (let i = 0; i < items.length; i++) {
      for (let k = 0; k < classCount; k++) logPosterior[i * classCount + k] = Math.log(Math.max(priors[k]!, 1e-300));
    }
    for (const { item, annotator, label } of observations) {
      for (let k = 0; k < classCount; k++) {
        logPosterior[item * classCount + k]! += Math.log(confusion[(annotator * classCount + k) * classCount + label]!);
      }
    }
    let largestChange = 0;
    for (let i = 0; i < items.length; i++) {
      const offset = i * classCount;
      let maxLog = -Infinity;
      for (let k = 0; k < classCount; k++) maxLog = Math.max(maxLog, logPosterior[offset + k]!);
      let total = 0;
      for (let k = 0; k < classCount; k++) total += Math.exp(logPosterior[offset + k]! - maxLog);
      for (let k = 0; k < classCount; k++) {
        const updated = Math.exp(logPosterior[offset + k]! - maxLog) / total;
        largestChange = Math.max(largestChange, Math.abs(updated - posterior[offset + k]!));
        posterior[offset + k] = updated;
      }
    }
    converged = largestChange < tolerance;
  }

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
