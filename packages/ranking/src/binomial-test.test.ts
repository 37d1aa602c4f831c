import { describe, expect, it } from "vitest";
import { binomialTestPValue } from "./binomial-test.ts";

describe("binomialTestPValue", () => {
  // Values from R: binom.test(x, n)$p.value.
  it.each([
    [7, 10, 0.34375],
    [9, 10, 0.021484375],
    [5, 10, 1],
    [60, 100, 0.05688793],
    [0, 20, 1.907349e-6],
  ])("matches R's binom.test for %i of %i", (successes, trials, expected) => {
    expect(binomialTestPValue({ successes, trials })).toBeCloseTo(expected, 7);
  });

  it("sums the outcomes no more likely than the observed one for an asymmetric null", () => {
    const trials = 12;
    const probability = 0.3;
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    const mass = (k: number) => choose(trials, k) * probability ** k * (1 - probability) ** (trials - k);
    for (const successes of [0, 3, 6, 12]) {
      let expected = 0;
      for (let k = 0; k <= trials; k++) if (mass(k) <= mass(successes) * (1 + 1e-7)) expected += mass(k);
      expect(binomialTestPValue({ successes, trials, probability })).toBeCloseTo(expected, 12);
    }
  });

  it("stays finite for thousands of trials", () => {
    const pValue = binomialTestPValue({ successes: 5300, trials: 10000 });
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThan(1e-8);
  });

  it("is NaN without trials and rejects impossible counts", () => {
    expect(binomialTestPValue({ successes: 0, trials: 0 })).toBeNaN();
    expect(() => binomialTestPValue({ successes: 3, trials: 2 })).toThrow(RangeError);
  });
});
