import { describe, expect, it } from "vitest";
import { createRng } from "../random.ts";
import type { RoutingItem } from "../types.ts";
import { pickCalibrationSample } from "./pick-calibration-sample.ts";

function items(n: number, seed: number): RoutingItem[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `i${i}`,
    prompt: "p",
    responses: [
      { id: "a", content: "word ".repeat(1 + Math.floor(rng() * 50)) },
      { id: "b", content: "term ".repeat(1 + Math.floor(rng() * 50)) },
    ],
    judge: { winner: "a", confidence: Math.round(rng() * 10) / 10, consistent: rng() < 0.8 },
  }));
}

describe("pickCalibrationSample", () => {
  it("picks exactly the requested size", () => {
    const pool = items(200, 1);
    expect(pickCalibrationSample({ items: pool, size: 0.2 }).ids).toHaveLength(40);
    expect(pickCalibrationSample({ items: pool, size: { count: 33 } }).ids).toHaveLength(33);
    expect(pickCalibrationSample({ items: pool, size: 0 }).ids).toHaveLength(0);
  });

  it("allocates proportionally to each stratum", () => {
    const pool = items(300, 2);
    const { strata } = pickCalibrationSample({ items: pool, size: 0.1, seed: 3 });
    for (const { available, picked } of Object.values(strata)) expect(Math.abs(picked - available * 0.1)).toBeLessThan(1);
    expect(Object.keys(strata).length).toBeGreaterThan(3);
  });

  it("honours a custom stratum function", () => {
    const pool = items(100, 4);
    const sample = pickCalibrationSample({ items: pool, size: 10, stratumOf: (_f, item) => (Number(item.id.slice(1)) < 50 ? "low" : "high") });
    expect(sample.strata).toEqual({ high: { available: 50, picked: 5 }, low: { available: 50, picked: 5 } });
    expect(sample.ids.filter((id) => Number(id.slice(1)) < 50)).toHaveLength(5);
  });

  it("is deterministic for a seed, varies with it, and ignores input order", () => {
    const pool = items(120, 5);
    const a = pickCalibrationSample({ items: pool, size: 0.25, seed: 9 });
    expect(pickCalibrationSample({ items: pool, size: 0.25, seed: 9 })).toEqual(a);
    expect(new Set(pickCalibrationSample({ items: [...pool].reverse(), size: 0.25, seed: 9 }).ids)).toEqual(new Set(a.ids));
    expect(pickCalibrationSample({ items: pool, size: 0.25, seed: 10 }).ids).not.toEqual(a.ids);
  });
});
