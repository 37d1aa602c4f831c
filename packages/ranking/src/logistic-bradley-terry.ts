/**
 * Shared numerical core of fitBradleyTerry and computeBradleyTerryLeaderboard: the
 * Bradley–Terry likelihood written as a logistic regression without intercept (as FastChat's
 * elo_analysis.py does), maximised by Newton's method. Not part of the public API.
 */

export interface LogisticBattles {
  modelCount: number;
  /** Per observation: the two model indices, a's score (1 win, 0.5 tie, 0 loss) and a weight. */
  modelA: Int32Array;
  modelB: Int32Array;
  scoreA: Float64Array;
  weight: Float64Array;
  /** Row-major observations × covariateCount style covariates, or null. */
  covariates: Float64Array | null;
  covariateCount: number;
}

export interface LogisticFitSettings {
  l2: number;
  /** ln(base): the BT logit is ln(base)·(θa − θb), θ being rating / scale. */
  logBase: number;
  maxIterations: number;
  tolerance: number;
  /** Warm start (length modelCount + covariateCount); zeros when absent. */
  initial?: Float64Array;
}

export interface LogisticFit {
  /** θ for each model (mean 0), followed by the style coefficients. */
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

export function fitLogisticBradleyTerry(battles: LogisticBattles, settings: LogisticFitSettings): LogisticFit {
  const { modelCount, covariateCount } = battles;
  const dimension = modelCount + covariateCount;
  const theta = settings.initial ? Float64Array.from(settings.initial) : new Float64Array(dimension);
  centerModels(theta, modelCount);
  const gradient = new Float64Array(dimension);
  const hessian = new Float64Array(dimension * dimension);
  const candidate = new Float64Array(dimension);

  let objective = negativeLogPosterior(battles, settings, theta);
  for (let iteration = 1; iteration <= settings.maxIterations; iteration++) {
    accumulateDerivatives(battles, settings, theta, gradient, hessian);
    if (settings.l2 === 0) {
      // The likelihood is unchanged when every rating moves together, so the Hessian is
      // singular along (1,…,1, 0,…,0). Adding that direction's outer product makes it
      // invertible without changing the Newton step in the directions that matter.
      const shift = 1 / modelCount;
      for (let i = 0; i < modelCount; i++) for (let j = 0; j < modelCount; j++) hessian[i * dimension + j]! += shift;
    }
    const step = solveSymmetricPositiveDefinite(hessian, gradient, dimension);
    if (!step) return { coefficients: theta, iterations: iteration, converged: false };

    // Newton on a convex objective only needs damping far from the optimum (large rating gaps).
    let scale = 1;
    let improved = false;
    for (let halving = 0; halving < 40; halving++) {
      for (let i = 0; i < dimension; i++) candidate[i] = theta[i]! - scale * step[i]!;
      const value = negativeLogPosterior(battles, settings, candidate);
      if (value <= objective + 1e-12 * Math.abs(objective)) {
        objective = value;
        improved = true;
        break;
      }
      scale /= 2;
    }
    let largestStep = 0;
    for (let i = 0; i < dimension; i++) largestStep = Math.max(largestStep, Math.abs(scale * step[i]!));
    if (improved) theta.set(candidate);
    centerModels(theta, modelCount);
    if (largestStep < settings.tolerance || !improved) {
      return { coefficients: theta, iterations: iteration, converged: largestStep < settings.tolerance };
    }
  }
  return { coefficients: theta, iterations: settings.maxIterations, converged: false };
}

function linearPredictor(battles: LogisticBattles, logBase: number, theta: Float64Array, row: number): number {
  const { modelCount, covariateCount, covariates } = battles;
  let eta = logBase * (theta[battles.modelA[row]!]! - theta[battles.modelB[row]!]!);
  if (covariates) {
    for (let f = 0; f < covariateCount; f++) eta += theta[modelCount + f]! * covariates[row * covariateCount + f]!;
  }
  return eta;
}

function negativeLogPosterior(battles: LogisticBattles, settings: LogisticFitSettings, theta: Float64Array): number {
  let total = 0;
  for (let row = 0; row < battles.weight.length; row++) {
    const eta = linearPredictor(battles, settings.logBase, theta, row);
    const score = battles.scoreA[row]!;
    total += battles.weight[row]! * (score * softplus(-eta) + (1 - score) * softplus(eta));
  }
  let penalty = 0;
  for (const value of theta) penalty += value * value;
  return total + (settings.l2 / 2) * penalty;
}

/** Gradient and Hessian of the negative log posterior. */
function accumulateDerivatives(
  battles: LogisticBattles,
  settings: LogisticFitSettings,
  theta: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  const { modelCount, covariateCount, covariates } = battles;
  const dimension = modelCount + covariateCount;
  const logBase = settings.logBase;
  gradient.fill(0);
  hessian.fill(0);
  for (let row = 0; row < battles.weight.length; row++) {
    const a = battles.modelA[row]!;
    const b = battles.modelB[row]!;
    const eta = linearPredictor(battles, logBase, theta, row);
    const probability = 1 / (1 + Math.exp(-eta));
    const weight = battles.weight[row]!;
    const residual = weight * (probability - battles.scoreA[row]!);
    const curvature = weight * probability * (1 - probability);
    // ∂η/∂θ is +ln(base) at a, −ln(base) at b and the covariate values for style terms.
    gradient[a]! += residual * logBase;
    gradient[b]! -= residual * logBase;
    const modelCurvature = curvature * logBase * logBase;
    hessian[a * dimension + a]! += modelCurvature;
    hessian[b * dimension + b]! += modelCurvature;
    hessian[a * dimension + b]! -= modelCurvature;
    hessian[b * dimension + a]! -= modelCurvature;
    if (covariates) {
      for (let f = 0; f < covariateCount; f++) {
        const x = covariates[row * covariateCount + f]!;
        const column = modelCount + f;
        gradient[column]! += residual * x;
        const cross = curvature * logBase * x;
        hessian[a * dimension + column]! += cross;
        hessian[column * dimension + a]! += cross;
        hessian[b * dimension + column]! -= cross;
        hessian[column * dimension + b]! -= cross;
        for (let g = 0; g < covariateCount; g++) {
          hessian[column * dimension + modelCount + g]! += curvature * x * covariates[row * covariateCount + g]!;
        }
      }
    }
  }
  for (let i = 0; i < dimension; i++) {
    gradient[i]! += settings.l2 * theta[i]!;
    hessian[i * dimension + i]! += settings.l2;
  }
}

/** Cholesky solve of H x = g; null when H is not positive definite (e.g. disconnected data). */
function solveSymmetricPositiveDefinite(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array | null {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * n + k]! * lower[j * n + k]!;
      if (i === j) {
        if (!(sum > 1e-12 * Math.max(1, Math.abs(matrix[i * n + i]!)))) return null;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j]!;
      }
    }
  }
  const solution = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * n + k]! * solution[k]!;
    solution[i] = sum / lower[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = solution[i]!;
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i]! * solution[k]!;
    solution[i] = sum / lower[i * n + i]!;
  }
  return solution;
}

function centerModels(theta: Float64Array, modelCount: number): void {
  let mean = 0;
  for (let i = 0; i < modelCount; i++) mean += theta[i]! / modelCount;
  for (let i = 0; i < modelCount; i++) theta[i]! -= mean;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The maximum-likelihood estimate exists (is finite) only if, for every split of the models
 * into two groups, each group has won or tied at least once against the other (Zermelo 1929;
 * Ford 1957): the directed "scored against" graph must be strongly connected.
 */
export function hasFiniteMaximumLikelihood(battles: LogisticBattles): boolean {
  const { modelCount } = battles;
  if (modelCount <= 1) return true;
  const forward: number[][] = Array.from({ length: modelCount }, () => []);
  const backward: number[][] = Array.from({ length: modelCount }, () => []);
  for (let row = 0; row < battles.weight.length; row++) {
    if (!(battles.weight[row]! > 0)) continue;
    const a = battles.modelA[row]!;
    const b = battles.modelB[row]!;
    const score = battles.scoreA[row]!;
    // An edge x → y means x took points from y at least once.
    if (score > 0) {
      forward[a]!.push(b);
      backward[b]!.push(a);
    }
    if (score < 1) {
      forward[b]!.push(a);
      backward[a]!.push(b);
    }
  }
  return reachesAll(forward) && reachesAll(backward);
}

function reachesAll(adjacency: number[][]): boolean {
  const seen = new Uint8Array(adjacency.length);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of adjacency[node]!) {
      if (!seen[next]) {
        seen[next] = 1;
        count += 1;
        stack.push(next);
      }
    }
  }
  return count === adjacency.length;
}
