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
  const steps = lbfgsSteps(objective, x, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/*
 * The generators below only sequence the work; every loop over the n coordinates lives in a
 * plain function. V8 does not optimize a generator's loops while they run (no on-stack
 * replacement in resumable functions), so a loop over 2^16+ weights left in a generator body
 * runs interpreted, tens of ms at a time, until the generator has been entered often enough.
 * The helpers hold the former inline loops verbatim: the same floating-point operations, in the
 * same order.
 */

/** direction = −gradient. */
function negate(gradient: Float64Array, direction: Float64Array): void {
  const n = gradient.length;
  for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
}

/** direction −= a·v. */
function subtractScaled(direction: Float64Array, a: number, v: Float64Array): void {
  const n = direction.length;
  for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (v[i] as number);
}

/** direction *= gamma. */
function scale(direction: Float64Array, gamma: number): void {
  const n = direction.length;
  for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
}

/** direction += c·v. */
function addScaled(direction: Float64Array, c: number, v: Float64Array): void {
  const n = direction.length;
  for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + c * (v[i] as number);
}

/**
 * Two-loop recursion: writes −H·gradient into `direction` and returns the slope
 * gradient·direction, pausing after each pass over the coordinates (2·memory of them at most).
 * Forgets the curvature pairs (restarting from steepest descent) when that is not a descent
 * direction.
 */
function* searchDirection(
  gradient: Float64Array,
  s: Float64Array[],
  y: Float64Array[],
  rho: number[],
  alpha: Float64Array,
  direction: Float64Array,
): Generator<void, number, void> {
  negate(gradient, direction);
  for (let k = s.length - 1; k >= 0; k--) {
    const a = (rho[k] as number) * dot(s[k] as Float64Array, direction);
    alpha[k] = a;
    subtractScaled(direction, a, y[k] as Float64Array);
    yield;
  }
  if (s.length > 0) {
    const last = s.length - 1;
    const gamma = 1 / ((rho[last] as number) * dot(y[last] as Float64Array, y[last] as Float64Array));
    scale(direction, gamma);
  }
  for (let k = 0; k < s.length; k++) {
    const b = (rho[k] as number) * dot(y[k] as Float64Array, direction);
    const a = alpha[k] as number;
    addScaled(direction, a - b, s[k] as Float64Array);
    yield;
  }
  let slope = dot(gradient, direction);
  if (!(slope < 0)) {
    // Not a descent direction (curvature information went stale): restart from steepest descent.
    s.length = 0;
    y.length = 0;
    rho.length = 0;
    negate(gradient, direction);
    slope = dot(gradient, direction);
  }
  return slope;
}

/** nextX = x + step·direction. */
function moveAlong(x: Float64Array, step: number, direction: Float64Array, nextX: Float64Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) nextX[i] = (x[i] as number) + step * (direction[i] as number);
}

/** Remembers s = nextX − x and y = nextGradient − gradient (when the curvature sy is positive), dropping the oldest pair when full. */
function rememberCurvature(
  s: Float64Array[],
  y: Float64Array[],
  rho: number[],
  memory: number,
  x: Float64Array,
  nextX: Float64Array,
  gradient: Float64Array,
  nextGradient: Float64Array,
): void {
  const n = x.length;
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
}

/**
 * `minimizeLbfgs` as a generator: it pauses (yields) after every objective evaluation — the
 * initial one and each line-search attempt — and after each pass of the two-loop recursion, so
 * a caller can hand the thread to other work in between. Driving it to the end gives exactly what `minimizeLbfgs` gives, bit for bit; the
 * return value is the number of iterations run.
 */
export function* lbfgsSteps(objective: Objective, x: Float64Array, options: LbfgsOptions): Generator<void, number, void> {
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
  yield;
  let iteration = 0;

  while (iteration < options.maxIterations && maxAbs(gradient) > gradientTolerance) {
    iteration++;
    const slope = yield* searchDirection(gradient, s, y, rho, alpha, direction);

    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let nextValue = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 40; attempt++) {
      moveAlong(x, step, direction, nextX);
      nextValue = objective(nextX, nextGradient);
      yield;
      if (nextValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextValue <= value)) break;

    rememberCurvature(s, y, rho, memory, x, nextX, gradient, nextGradient);

    const improvement = value - nextValue;
    x.set(nextX);
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    if (improvement <= functionTolerance * Math.max(1, Math.abs(value))) break;
  }
  return iteration;
}
