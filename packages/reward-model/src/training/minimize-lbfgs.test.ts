import { describe, expect, it } from "vitest";
import { lbfgsSteps, minimizeLbfgs, type Objective } from "./minimize-lbfgs.ts";

/** Extended Rosenbrock in `n` dimensions (n even), counting evaluations. */
function rosenbrock(): { objective: Objective; evaluations: () => number } {
  let evaluations = 0;
  const objective: Objective = (x, gradient) => {
    evaluations++;
    let value = 0;
    gradient.fill(0);
    for (let i = 0; i < x.length; i += 2) {
      const a = x[i] as number;
      const b = x[i + 1] as number;
      const t1 = 1 - a;
      const t2 = 10 * (b - a * a);
      value += t1 * t1 + t2 * t2;
      gradient[i] = -2 * t1 - 40 * a * t2;
      gradient[i + 1] = 20 * t2;
    }
    return value;
  };
  return { objective, evaluations: () => evaluations };
}

const start = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));

describe("minimizeLbfgs", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const x = start(8);
    const iterations = minimizeLbfgs(rosenbrock().objective, x, { maxIterations: 500, gradientTolerance: 1e-9, functionTolerance: 0 });
    expect(iterations).toBeGreaterThan(5);
    expect(iterations).toBeLessThan(500);
    for (const xi of x) expect(xi).toBeCloseTo(1, 5);
  });
});

describe("lbfgsSteps", () => {
  it("ends where minimizeLbfgs ends, bit for bit, pausing after every objective evaluation", () => {
    const options = { maxIterations: 60, memory: 4 };
    const expected = start(10);
    const expectedIterations = minimizeLbfgs(rosenbrock().objective, expected, options);

    const counted = rosenbrock();
    const x = start(10);
    const steps = lbfgsSteps(counted.objective, x, options);
    let pauses = 0;
    let evaluationsBefore = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      // At most one evaluation between two pauses: the objective never runs twice in one go.
      expect(counted.evaluations() - evaluationsBefore).toBeLessThanOrEqual(1);
      evaluationsBefore = counted.evaluations();
      step = steps.next();
    }
    expect(counted.evaluations() - evaluationsBefore).toBe(0);
    expect(step.value).toBe(expectedIterations);
    expect(Buffer.from(x.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(pauses).toBeGreaterThanOrEqual(counted.evaluations());
    expect(counted.evaluations()).toBeGreaterThan(expectedIterations);
  });
});
