/** Writes the gradient at `x` into `gradient` and returns the objective. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  readonly maxIterations: number;
  /** Pairs of correction vectors kept. */
  readonly memory?: number;
  /** Stop when the largest gradient component falls below this. */
  readonly gradientTolerance?: number;
  /** Stop when an iteration improves the objective by less than this (relative). */
  readonly functionTolerance?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] as number));
  return max;
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, minimizing in place from `x`.
 * Deterministic: no randomness, a fixed order of floating-point operations.
 * Returns the number of iterations run.
 */
export function minimizeLbfgs(objective: Objective, x: Float64Array, options: LbfgsOptions): number {
  const n = x.length;
  const memory = options.memory ?? 10;
  const gradientTolerance = options.gradientTolerance ?? 1e-6;
  const functionTolerance = options.functionTolerance ?? 1e-9;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let gradient = new Float64Array(n);
  let nextGradient = new Float64Array(n);
  const nextX = new Float64Array(n);
  const direction = new Float64Array(n);
  let value = objective(x, gradient);
  let iteration = 0;

  while (iteration < options.maxIterations && maxAbs(gradient) > gradientTolerance) {
    iteration++;
    // Two-loop recursion: direction = -H·gradient.
    for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
    for (let k = s.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(s[k] as Float64Array, direction);
      alpha[k] = a;
      const yk = y[k] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (yk[i] as number);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = 1 / ((rho[last] as number) * dot(y[last] as Float64Array, y[last] as Float64Array));
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const b = (rho[k] as number) * dot(y[k] as Float64Array, direction);
      const sk = s[k] as Float64Array;
      const a = alpha[k] as number;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + (a - b) * (sk[i] as number);
    }
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
      slope = dot(gradient, direction);
    }

    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let nextValue = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 40; attempt++) {
      for (let i = 0; i < n; i++) nextX[i] = (x[i] as number) + step * (direction[i] as number);
      nextValue = objective(nextX, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue <= value)) break;

    const sk = s.length === memory ? (s.shift() as Float64Array) : new Float64Array(n);
    const yk = y.length === memory ? (y.shift() as Float64Array) : new Float64Array(n);
    if (rho.length === memory) rho.shift();
    for (let i = 0; i < n; i++) {
      sk[i] = (nextX[i] as number) - (x[i] as number);
      yk[i] = (nextGradient[i] as number) - (gradient[i] as number);
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }

    const improvement = value - nextValue;
    x.set(nextX);
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    if (improvement <= functionTolerance * Math.max(1, Math.abs(value))) break;
  }
  return iteration;
}
