export interface BinomialTestOptions {
  successes: number;
  trials: number;
  /** Success probability under the null hypothesis. */
  probability?: number;
}

/**
 * Exact two-sided binomial test p-value, defined as in R's binom.test: the total probability of
 * all outcomes no more likely than the observed one. Probabilities are computed in log space
 * so thousands of trials do not underflow. Returns NaN when there are no trials.
 */
export function binomialTestPValue(options: BinomialTestOptions): number {
  const { successes, trials, probability = 0.5 } = options;
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`need integers 0 ≤ successes ≤ trials, got ${successes} of ${trials}`);
  }
  if (trials === 0) return Number.NaN;
  if (probability <= 0 || probability >= 1) {
    const certain = probability <= 0 ? 0 : trials;
    return successes === certain ? 1 : 0;
  }
  const logMass = logBinomialMasses(trials, probability);
  const observed = logMass[successes]!;
  // The relative tolerance mirrors R, so outcomes equally likely up to rounding both count.
  const threshold = observed + Math.log1p(1e-7);
  let pValue = 0;
  for (const value of logMass) if (value <= threshold) pValue += Math.exp(value);
  return Math.min(1, pValue);
}

function logBinomialMasses(trials: number, probability: number): Float64Array {
  const masses = new Float64Array(trials + 1);
  const logP = Math.log(probability);
  const logQ = Math.log1p(-probability);
  let logChoose = 0;
  for (let k = 0; k <= trials; k++) {
    if (k > 0) logChoose += Math.log(trials - k + 1) - Math.log(k);
    masses[k] = logChoose + k * logP + (trials - k) * logQ;
  }
  return masses;
}
