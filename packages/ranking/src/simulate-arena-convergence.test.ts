import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createSeededRandom } from "./seeded-random.ts";
import {
  annotatorSecondsPerJudgment,
  bradleyTerryWinProbability,
  defaultArenaMethods,
  evenlySpacedScores,
  kendallDistanceToTruth,
  meetsTolerance,
  pairwiseJudgmentsInRanking,
  sampleNoisyRanking,
  simulateArenaCost,
  StopRule,
  summarizeArenaRuns,
  type KWiseNoise,
  type SimulateArenaCostOptions,
} from "./simulate-arena-convergence.ts";

describe("counting pairwise judgments", () => {
  it("counts a ranking of K as K(K−1)/2 pairwise judgments: a pair 1, a ranking of 4 six", () => {
    expect(pairwiseJudgmentsInRanking(2)).toBe(1);
    expect(pairwiseJudgmentsInRanking(3)).toBe(3);
    expect(pairwiseJudgmentsInRanking(4)).toBe(6);
    expect(pairwiseJudgmentsInRanking(8)).toBe(28);
    expect(() => pairwiseJudgmentsInRanking(1)).toThrow(RangeError);
  });

  it("prices a judgment by the responses read and the orders decided", () => {
    const cost = { secondsPerResponse: 20, secondsPerOrder: 2 };
    expect(annotatorSecondsPerJudgment(2, cost)).toBe(42);
    expect(annotatorSecondsPerJudgment(4, cost)).toBe(4 * 20 + 6 * 2);
  });
});

describe("the Bradley–Terry world", () => {
  const scores = Float64Array.from([1.5, 1.3, -2]);
  const frequency = (noise: KWiseNoise, match: number[], event: (ranking: number[][]) => boolean, draws = 20000) => {
    const random = createSeededRandom(3);
    let hits = 0;
    for (let draw = 0; draw < draws; draw++) if (event(sampleNoisyRanking(match, scores, noise, random))) hits += 1;
    return hits / draws;
  };
  // 4.5 standard errors of a proportion from 20,000 draws.
  const close = (observed: number, expected: number) =>
    expect(Math.abs(observed - expected)).toBeLessThan(4.5 * Math.sqrt((expected * (1 - expected)) / 20000));

  it("orders a pair with P(i beats j) = σ(s_i − s_j): close systems are confused more than distant ones", () => {
    for (const noise of ["plackett-luce", "independent-pairs"] as const) {
      const nearWin = frequency(noise, [1, 0], (ranking) => ranking[0]![0] === 0);
      const farWin = frequency(noise, [2, 0], (ranking) => ranking[0]![0] === 0);
      close(nearWin, 1 / (1 + Math.exp(-0.2)));
      close(farWin, 1 / (1 + Math.exp(-3.5)));
    }
    expect(bradleyTerryWinProbability(0.3, 0.3)).toBe(0.5);
    expect(bradleyTerryWinProbability(2, 0)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });

  it("draws a K-wise ranking best first with P(first = i) ∝ e^{s_i} (Plackett–Luce)", () => {
    const total = Math.exp(1.5) + Math.exp(1.3) + Math.exp(-2);
    close(
      frequency("plackett-luce", [0, 1, 2], (ranking) => ranking[0]![0] === 1),
      Math.exp(1.3) / total,
    );
    // Independent pairs surface a cycle as a three-way tie: P = p01·p12·p20 + p10·p21·p02.
    const p = (i: number, j: number) => bradleyTerryWinProbability(scores[i]!, scores[j]!);
    close(
      frequency("independent-pairs", [0, 1, 2], (ranking) => ranking.length === 1),
      p(0, 1) * p(1, 2) * p(2, 0) + p(1, 0) * p(2, 1) * p(0, 2),
    );
  });

  it("spaces the true scores evenly, best first", () => {
    expect([...evenlySpacedScores(5, 8)]).toEqual([4, 2, 0, -2, -4]);
  });
});

describe("the tolerance stop rule", () => {
  it("measures the normalised Kendall distance to the true order (ties count as wrong)", () => {
    expect(kendallDistanceToTruth([5, 4, 3, 2, 1])).toBe(0);
    expect(kendallDistanceToTruth([1, 2, 3, 4, 5])).toBe(1);
    expect(kendallDistanceToTruth([5, 3, 4, 2, 1])).toBe(1 / 10);
    expect(kendallDistanceToTruth([0, 0, 0, 0])).toBe(1);
  });

  it("accepts a Kendall distance up to ε, or the exact top k in order", () => {
    expect(meetsTolerance([5, 3, 4, 2, 1], { kind: "kendall", maxDistance: 0.1 })).toBe(true);
    expect(meetsTolerance([5, 3, 4, 2, 1], { kind: "kendall", maxDistance: 0.09 })).toBe(false);
    expect(meetsTolerance([5, 4, 1, 3, 2], { kind: "top", k: 2 })).toBe(true);
    expect(meetsTolerance([5, 4, 1, 3, 2], { kind: "top", k: 3 })).toBe(false);
    expect(meetsTolerance([5, 3, 4, 2, 1], { kind: "top", k: 1 })).toBe(true);
    expect(meetsTolerance([4, 5, 3, 2, 1], { kind: "top", k: 1 })).toBe(false);
    expect(meetsTolerance([5, 5, 3, 2, 1], { kind: "top", k: 1 })).toBe(false);
  });

  it("converges at the first checkpoint from which the tolerance holds for the whole window", () => {
    const rule = new StopRule(100);
    const seen = [
      [60, true],
      [120, false],
      [180, true],
      [240, true],
    ] as const;
    for (const [count, ok] of seen) expect(rule.observe(count, ok)).toBeNull();
    // 180 + 100 is reached at 300: converged at 180, and it stays so.
    expect(rule.observe(300, true)).toBe(180);
    expect(rule.observe(360, false)).toBe(180);
    expect(new StopRule(0).observe(60, true)).toBe(60);
  });
});

describe("simulateArenaCost", () => {
  const small: SimulateArenaCostOptions = {
    systems: 16,
    spread: 12,
    seed: 1,
    tolerance: { kind: "kendall", maxDistance: 0.02 },
    stayFor: 600,
    maxPairwiseJudgments: 60_000,
    checkEvery: 60,
    methods: defaultArenaMethods(4),
  };
  const runs = simulateArenaCost(small);
  const byName = Object.fromEntries(runs.map((run) => [run.method, run]));

  it("runs the baselines, the arena and its pairwise and random variants", () => {
    expect(runs.map((run) => run.method)).toEqual([
      "elo-random-pairs",
      "bt-random-pairs",
      "bt-random-k4",
      "bt-arena-k4",
      "arena-k4",
      "bt-arena-k2",
      "arena-k2",
    ]);
    for (const run of runs) expect(run.pairwiseJudgments).not.toBeNull();
  });

  it("counts six pairwise judgments and one ranking's seconds per 4-way ranking", () => {
    const arena = byName["arena-k4"]!;
    expect(arena.pairwiseJudgments! % 6).toBe(0);
    expect(arena.judgments).toBe(arena.pairwiseJudgments! / 6);
    expect(arena.annotatorSeconds).toBe(arena.judgments! * (4 * 20 + 6 * 2));
    const pairs = byName["bt-random-pairs"]!;
    expect(pairs.judgments).toBe(pairs.pairwiseJudgments);
    expect(pairs.annotatorSeconds).toBe(pairs.judgments! * 42);
  });

  it("with the same judgments, batch Bradley–Terry and the arena's matchmaking beat random pairs and online Elo", () => {
    expect(byName["bt-arena-k2"]!.pairwiseJudgments!).toBeLessThan(byName["bt-random-pairs"]!.pairwiseJudgments!);
    expect(byName["bt-random-pairs"]!.pairwiseJudgments!).toBeLessThan(byName["elo-random-pairs"]!.pairwiseJudgments!);
  });

  it("is deterministic under a seed, and reports null past the cap", () => {
    const pairsOnly = { ...small, methods: defaultArenaMethods(2) };
    const first = simulateArenaCost(pairsOnly);
    expect(simulateArenaCost(pairsOnly)).toEqual(first);
    expect(simulateArenaCost({ ...pairsOnly, seed: 2 })).not.toEqual(first);
    for (const run of simulateArenaCost({ ...pairsOnly, maxPairwiseJudgments: 120 })) {
      expect(run).toMatchObject({ pairwiseJudgments: null, judgments: null, annotatorSeconds: null });
    }
  });

  it("summarises seeds with their spread, null when a seed did not converge", () => {
    const a = [{ ...byName["arena-k4"]!, pairwiseJudgments: 600, judgments: 100, annotatorSeconds: 9200 }];
    const b = [{ ...byName["arena-k4"]!, pairwiseJudgments: 1200, judgments: 200, annotatorSeconds: 18400 }];
    const [summary] = summarizeArenaRuns([a, b]);
    expect(summary).toMatchObject({ method: "arena-k4", pairwiseJudgments: 900, annotatorSeconds: 13800, converged: 2, perSeed: [600, 1200] });
    expect(summary!.pairwiseJudgmentsSpread).toMatchObject({ min: 600, max: 1200 });
    expect(summary!.pairwiseJudgmentsSpread!.sd).toBeCloseTo(Math.sqrt(2 * 300 ** 2), 9);
    const failed = [{ ...a[0]!, pairwiseJudgments: null, judgments: null, annotatorSeconds: null }];
    expect(summarizeArenaRuns([a, failed])[0]).toMatchObject({ pairwiseJudgments: null, annotatorSeconds: null, converged: 1 });
  });

  it("validates its inputs", () => {
    expect(() => simulateArenaCost({ ...small, systems: 1 })).toThrow(RangeError);
    expect(() => simulateArenaCost({ ...small, tolerance: { kind: "kendall", maxDistance: 1 } })).toThrow(RangeError);
    expect(() => simulateArenaCost({ ...small, tolerance: { kind: "top", k: 17 } })).toThrow(RangeError);
    expect(() => simulateArenaCost({ ...small, methods: [{ name: "x", matchmaking: "random", k: 4, estimator: "online-elo" }] })).toThrow(RangeError);
  });
});

describe("npm run sim:arena (spawned)", () => {
  it("prints one JSON line per method with pairwiseJudgments and annotatorSeconds", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const bin = resolve(here, "../bin/sim-arena.ts");
    const args = ["--systems", "12", "--spread", "12", "--seeds", "2", "--stay", "300", "--max", "30000", "--tolerance", "top:3"];
    const result = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { cwd: resolve(here, "../../.."), encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.method)).toEqual(defaultArenaMethods(4).map((method) => method.name));
    for (const line of lines) {
      expect(line).toHaveProperty("pairwiseJudgments");
      expect(line).toHaveProperty("annotatorSeconds");
      expect(line).toMatchObject({ seeds: 2, tolerance: "top:3", cost: { secondsPerPair: 42, secondsPerRankingOf4: 92, pairwiseJudgmentsPerRanking: 6 } });
      expect((line.perSeed as unknown[]).length).toBe(2);
      if (line.pairwiseJudgments !== null) expect(line.pairwiseJudgments).toBeGreaterThan(0);
    }
  });
});
