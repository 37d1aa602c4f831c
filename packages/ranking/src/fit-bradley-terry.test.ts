import { describe, expect, it } from "vitest";
import type { PairwiseBattle } from "./bradley-terry-battles.ts";
import { BradleyTerryFitError, fitBradleyTerry } from "./fit-bradley-terry.ts";
import { createSeededRandom, randomInteger } from "./seeded-random.ts";

/** Battles among models with known Elo-scale strengths; `tieShare` of them end in a tie. */
function simulateBattles(strengths: Record<string, number>, count: number, seed: number, tieShare = 0.1): PairwiseBattle[] {
  const random = createSeededRandom(seed);
  const models = Object.keys(strengths);
  return Array.from({ length: count }, () => {
    const a = randomInteger(random, models.length);
    const b = (a + 1 + randomInteger(random, models.length - 1)) % models.length;
    const modelA = models[a]!;
    const modelB = models[b]!;
    const pA = 1 / (1 + 10 ** ((strengths[modelB]! - strengths[modelA]!) / 400));
    const draw = random();
    const winner = draw < tieShare ? "tie" : draw < tieShare + (1 - tieShare) * pA ? "a" : "b";
    return { modelA, modelB, winner };
  });
}

/**
 * Independent reference: Zermelo's fixed point / Hunter's (2004) MM iterations
 * π_i ← W_i / Σ_j n_ij / (π_i + π_j), ties counted as half a win for each side, converted to
 * the Elo scale with mean 1000.
 */
function referenceByMinorizationMaximization(battles: readonly PairwiseBattle[]): Map<string, number> {
  const models = [...new Set(battles.flatMap(({ modelA, modelB }) => [modelA, modelB]))];
  const wins = new Map(models.map((model) => [model, 0]));
  const games = new Map<string, number>();
  const key = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);
  for (const { modelA, modelB, winner } of battles) {
    const scoreA = winner === "a" ? 1 : winner === "b" ? 0 : 0.5;
    wins.set(modelA, wins.get(modelA)! + scoreA);
    wins.set(modelB, wins.get(modelB)! + 1 - scoreA);
    games.set(key(modelA, modelB), (games.get(key(modelA, modelB)) ?? 0) + 1);
  }
  let strength = new Map(models.map((model) => [model, 1]));
  for (let iteration = 0; iteration < 20000; iteration++) {
    const next = new Map<string, number>();
    for (const i of models) {
      let denominator = 0;
      for (const j of models) {
        if (i !== j) denominator += (games.get(key(i, j)) ?? 0) / (strength.get(i)! + strength.get(j)!);
      }
      next.set(i, wins.get(i)! / denominator);
    }
    const logMean = models.reduce((total, model) => total + Math.log(next.get(model)!), 0) / models.length;
    for (const model of models) next.set(model, next.get(model)! / Math.exp(logMean));
    const change = Math.max(...models.map((model) => Math.abs(next.get(model)! - strength.get(model)!)));
    strength = next;
    if (change < 1e-13) break;
  }
  return new Map(models.map((model) => [model, 1000 + 400 * Math.log10(strength.get(model)!)]));
}

describe("fitBradleyTerry", () => {
  it("agrees with an independent MM fit within a rating point", () => {
    const battles = simulateBattles({ gpt: 1200, claude: 1180, llama: 1050, mistral: 1000, phi: 900, tiny: 800 }, 3000, 1);
    const { ratings } = fitBradleyTerry({ battles });
    const reference = referenceByMinorizationMaximization(battles);
    for (const [model, rating] of reference) expect(Math.abs(ratings.get(model)! - rating)).toBeLessThan(1);
  });

  it("recovers the planted strengths", () => {
    // Mean 1000 and no ties, so the fit should land on the strengths themselves (standard
    // error about 4 points with ~10,000 battles per model).
    const strengths = { gpt: 1200, claude: 1100, llama: 900, phi: 800 };
    const { ratings } = fitBradleyTerry({ battles: simulateBattles(strengths, 20000, 2, 0) });
    for (const [model, strength] of Object.entries(strengths)) expect(Math.abs(ratings.get(model)! - strength)).toBeLessThan(15);
  });

  it("puts 3 wins in 4 at 400·log10(3) Elo points, with the mean at 1000", () => {
    const battles: PairwiseBattle[] = [
      { modelA: "x", modelB: "y", winner: "a" },
      { modelA: "y", modelB: "x", winner: "b" },
      { modelA: "x", modelB: "y", winner: "a" },
      { modelA: "x", modelB: "y", winner: "b" },
    ];
    const { ratings } = fitBradleyTerry({ battles });
    expect(ratings.get("x")! - ratings.get("y")!).toBeCloseTo(400 * Math.log10(3), 6);
    expect((ratings.get("x")! + ratings.get("y")!) / 2).toBeCloseTo(1000, 6);
  });

  it("counts a tie as half a win for each side", () => {
    const battles: PairwiseBattle[] = [
      { modelA: "x", modelB: "y", winner: "a" },
      { modelA: "x", modelB: "y", winner: "tie" },
      { modelA: "x", modelB: "y", winner: "tie" },
      { modelA: "x", modelB: "y", winner: "b" },
      { modelA: "x", modelB: "y", winner: "tie" },
      { modelA: "x", modelB: "y", winner: "a" },
    ];
    // x scores 2 + 1.5 = 3.5 of 6, so the odds are 3.5 / 2.5.
    const { ratings } = fitBradleyTerry({ battles });
    expect(ratings.get("x")! - ratings.get("y")!).toBeCloseTo(400 * Math.log10(3.5 / 2.5), 6);
  });

  it("pins the anchor model without changing rating differences", () => {
    const battles = simulateBattles({ a: 1100, b: 1000, c: 900 }, 2000, 3);
    const free = fitBradleyTerry({ battles }).ratings;
    const anchored = fitBradleyTerry({ battles, anchor: { model: "b", rating: 1114 } }).ratings;
    expect(anchored.get("b")).toBeCloseTo(1114, 8);
    expect(anchored.get("a")! - anchored.get("c")!).toBeCloseTo(free.get("a")! - free.get("c")!, 8);
    expect(() => fitBradleyTerry({ battles, anchor: { model: "nobody", rating: 1000 } })).toThrow(RangeError);
  });

  it("refuses separable data without L2 and fits it with L2", () => {
    const battles: PairwiseBattle[] = [
      { modelA: "strong", modelB: "mid", winner: "a" },
      { modelA: "strong", modelB: "weak", winner: "a" },
      { modelA: "mid", modelB: "weak", winner: "a" },
      { modelA: "weak", modelB: "mid", winner: "a" },
    ];
    expect(() => fitBradleyTerry({ battles })).toThrow(BradleyTerryFitError);
    const { ratings } = fitBradleyTerry({ battles, l2: 0.5 });
    expect(ratings.get("strong")!).toBeGreaterThan(ratings.get("mid")!);
    expect(Number.isFinite(ratings.get("strong")!)).toBe(true);
  });

  it("separates style from quality with style control", () => {
    // Three equally good models; voters prefer the longer answer, and "verbose" writes longer.
    const random = createSeededRandom(4);
    const lengths: Record<string, number> = { verbose: 900, normal: 400, terse: 150 };
    const models = Object.keys(lengths);
    const battles: PairwiseBattle[] = Array.from({ length: 4000 }, () => {
      const a = randomInteger(random, 3);
      const b = (a + 1 + randomInteger(random, 2)) % 3;
      const styleA = { length: lengths[models[a]!]! * (0.5 + random()), headers: randomInteger(random, 3), lists: 0, bold: 0 };
      const styleB = { length: lengths[models[b]!]! * (0.5 + random()), headers: randomInteger(random, 3), lists: 0, bold: 0 };
      const lengthEffect = 2 * ((styleA.length - styleB.length) / (styleA.length + styleB.length + 1));
      const winner = random() < 1 / (1 + Math.exp(-lengthEffect)) ? "a" : "b";
      return { modelA: models[a]!, modelB: models[b]!, winner, styleA, styleB };
    });

    const naive = fitBradleyTerry({ battles }).ratings;
    expect(naive.get("verbose")! - naive.get("terse")!).toBeGreaterThan(100);

    const controlled = fitBradleyTerry({ battles, styleControl: true });
    expect(Math.abs(controlled.ratings.get("verbose")! - controlled.ratings.get("terse")!)).toBeLessThan(30);
    expect(controlled.styleCoefficients!.length!).toBeGreaterThan(0.3);
    expect(Math.abs(controlled.styleCoefficients!.headers!)).toBeLessThan(0.1);
    // Lists and bold never vary here, so they carry no coefficient.
    expect(controlled.styleCoefficients).not.toHaveProperty("lists");
  });

  it("requires style for every battle when style control is on", () => {
    expect(() => fitBradleyTerry({ battles: [{ modelA: "x", modelB: "y", winner: "a" }], styleControl: true })).toThrow(RangeError);
  });
});
