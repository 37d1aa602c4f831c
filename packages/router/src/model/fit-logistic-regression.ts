export interface LogisticRegressionFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

export interface FitLogisticRegressionOptions {
  /** Rows of features, already scaled (standardise first: the penalty treats columns alike). */
  x: readonly (readonly number[])[];
  /** Targets, 0 or 1. */
  y: readonly number[];
  /** L2 penalty λ on the coefficients (not the intercept): loss = −log-likelihood + λ/2 ‖w‖². */
  l2: number;
  /** Optional per-row weights (default 1). */
  weights?: readonly number[];
  maxIterations?: number;
  tolerance?: number;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function penalisedLoss(x: readonly (readonly number[])[], y: readonly number[], w: readonly number[], params: number[], l2: number): number {
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const z = linear(params, x[i] as readonly number[]);
    loss += (w[i] ?? 1) * (softplus(z) - (y[i] as number) * z);
  }
  for (let j = 1; j < params.length; j++) loss += 0.5 * l2 * (params[j] as number) ** 2;
  return loss;
}

function linear(params: readonly number[], row: readonly number[]): number {
  let z = params[0] as number;
  for (let j = 0; j < row.length; j++) z += (params[j + 1] as number) * (row[j] as number);
  return z;
}

/** Solves A s = b for symmetric positive-definite A (Cholesky); A is overwritten. */
function solveSymmetric(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let j = 0; j < n; j++) {
    const rowJ = a[j] as number[];
    let diagonal = rowJ[j] as number;
    for (let k = 0; k < j; k++) diagonal -= (rowJ[k] as number) ** 2;
    if (diagonal <= 0) throw new Error("Hessian is not positive definite");
    const l = Math.sqrt(diagonal);
    rowJ[j] = l;
    for (let i = j + 1; i < n; i++) {
      const rowI = a[i] as number[];
      let s = rowI[j] as number;
      for (let k = 0; k < j; k++) s -= (rowI[k] as number) * (rowJ[k] as number);
      rowI[j] = s / l;
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const row = a[i] as number[];
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (row[k] as number) * (z[k] as number);
    z[i] = s / (row[i] as number);
  }
  const out = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < n; k++) s -= ((a[k] as number[])[i] as number) * (out[k] as number);
    out[i] = s / ((a[i] as number[])[i] as number);
  }
  return out;
}

/**
 * L2-regularised binary logistic regression fitted by Newton's method with a backtracking line
 * search. The loss is strictly convex for λ > 0, so the result is unique and independent of row
 * order up to rounding: the fit is deterministic, which routing reproducibility relies on.
 */
export function fitLogisticRegression(options: FitLogisticRegressionOptions): LogisticRegressionFit {
  const { x, y, l2, maxIterations = 50, tolerance = 1e-9 } = options;
  if (x.length !== y.length) throw new Error("x and y differ in length");
  if (x.length === 0) throw new Error("cannot fit a logistic regression on no rows");
  const weights = options.weights ?? x.map(() => 1);
  const d = (x[0] as readonly number[]).length;
  const p = d + 1;

  const totalWeight = weights.reduce((s, v) => s + v, 0);
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, y.reduce((s: number, v, i) => s + v * (weights[i] ?? 1), 0) / totalWeight));
  const params = new Array<number>(p).fill(0);
  params[0] = Math.log(rate / (1 - rate));

  let loss = penalisedLoss(x, y, weights, params, l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < x.length; i++) {
      const row = x[i] as readonly number[];
      const w = weights[i] ?? 1;
      const prob = sigmoid(linear(params, row));
      const residual = w * (prob - (y[i] as number));
      const curvature = w * prob * (1 - prob);
      gradient[0] = (gradient[0] as number) + residual;
      const h0 = hessian[0] as number[];
      h0[0] = (h0[0] as number) + curvature;
      for (let j = 0; j < d; j++) {
        const xj = row[j] as number;
        gradient[j + 1] = (gradient[j + 1] as number) + residual * xj;
        const hj = hessian[j + 1] as number[];
        hj[0] = (hj[0] as number) + curvature * xj;
        for (let k = 0; k <= j; k++) hj[k + 1] = (hj[k + 1] as number) + curvature * xj * (row[k] as number);
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j] = (gradient[j] as number) + l2 * (params[j] as number);
      const hj = hessian[j] as number[];
      hj[j] = (hj[j] as number) + l2;
    }
    // A tiny ridge on every diagonal entry keeps the factorisation stable when a class is
    // (nearly) separable or a column is constant.
    for (let j = 0; j < p; j++) (hessian[j] as number[])[j] = ((hessian[j] as number[])[j] as number) + 1e-9;
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) (hessian[j] as number[])[k] = (hessian[k] as number[])[j] as number;

    const step = solveSymmetric(hessian, gradient);
    let scale = 1;
    let candidate = params.map((v, j) => v - (step[j] as number));
    let candidateLoss = penalisedLoss(x, y, weights, candidate, l2);
    while (candidateLoss > loss && scale > 1e-8) {
      scale /= 2;
      candidate = params.map((v, j) => v - scale * (step[j] as number));
      candidateLoss = penalisedLoss(x, y, weights, candidate, l2);
    }
    if (candidateLoss > loss) {
      converged = true;
      break;
    }
    const maxChange = Math.max(...step.map((s) => Math.abs(s * scale)));
    for (let j = 0; j < p; j++) params[j] = candidate[j] as number;
    const improvement = loss - candidateLoss;
    loss = candidateLoss;
    if (maxChange < 1e-10 || improvement <= tolerance * Math.max(1, Math.abs(loss))) {
      converged = true;
      break;
    }
  }
  return { intercept: params[0] as number, coefficients: params.slice(1), iterations, converged };
}

export function predictLogistic(fit: Pick<LogisticRegressionFit, "intercept" | "coefficients">, row: readonly number[]): number {
  return sigmoid(linear([fit.intercept, ...fit.coefficients], row));
}
