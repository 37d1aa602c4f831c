import { describe, expect, it } from "vitest";
import { createRng } from "../random.ts";
import { fitLogisticRegression, predictLogistic, sigmoid } from "./fit-logistic-regression.ts";

function simulate(n: number, trueWeights: number[], intercept: number, seed: number) {
  const rng = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const x = Array.from({ length: n }, () => trueWeights.map(() => gaussian()));
  const y = x.map((row) => (rng() < sigmoid(intercept + row.reduce((s, v, j) => s + v * (trueWeights[j] as number), 0)) ? 1 : 0));
  return { x, y };
}

describe("fitLogisticRegression", () => {
  it("recovers the generating coefficients with a weak penalty", () => {
    const { x, y } = simulate(4000, [1.5, -1, 0], -0.5, 1);
    const fit = fitLogisticRegression({ x, y, l2: 1e-3 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-0.5, 0);
    expect(fit.coefficients[0]).toBeCloseTo(1.5, 0);
    expect(fit.coefficients[1]).toBeCloseTo(-1, 0);
    expect(Math.abs(fit.coefficients[2] as number)).toBeLessThan(0.15);
  });

  it("reaches the penalised optimum: the gradient vanishes", () => {
    const { x, y } = simulate(200, [2, 1], 0.3, 2);
    const l2 = 5;
    const fit = fitLogisticRegression({ x, y, l2 });
    const gradient = [0, 0, 0];
    x.forEach((row, i) => {
      const residual = predictLogistic(fit, row) - (y[i] as number);
      gradient[0] = (gradient[0] as number) + residual;
      row.forEach((v, j) => (gradient[j + 1] = (gradient[j + 1] as number) + residual * v));
    });
    fit.coefficients.forEach((w, j) => (gradient[j + 1] = (gradient[j + 1] as number) + l2 * w));
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it("shrinks coefficients as the penalty grows and stays finite on separable data", () => {
    const x = [[-2], [-1], [1], [2]];
    const y = [0, 0, 1, 1];
    const weak = fitLogisticRegression({ x, y, l2: 0.01 });
    const strong = fitLogisticRegression({ x, y, l2: 100 });
    expect(Number.isFinite(weak.coefficients[0])).toBe(true);
    expect(weak.coefficients[0]).toBeGreaterThan(strong.coefficients[0] as number);
    expect(strong.coefficients[0]).toBeGreaterThan(0);
  });
});
