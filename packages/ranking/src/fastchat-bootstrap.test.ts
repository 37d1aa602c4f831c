import { describe, expect, it } from "vitest";
import type { PairwiseBattle } from "./bradley-terry-battles.ts";
import { computeBradleyTerryLeaderboard } from "./compute-bradley-terry-leaderboard.ts";
import { createSeededRandom, randomInteger, type RandomSource } from "./seeded-random.ts";

/*
 * Independent check of `ci=fastchat` (issue 16): a second, deliberately plain implementation of
 * FastChat's `get_bootstrap_result(battles, compute_mle_elo, num_round)` followed by
 * `bootstrap_df.quantile(0.025 / 0.975)` (lm-sys/FastChat fastchat/serve/monitor/elo_analysis.py).
 * It shares nothing with the library but the resampled battle indices (the same seeded draws
 * stand in for pandas' `battles.sample(frac=1.0, replace=True)`): its own win tables, its own
 * design matrix, its own logistic-regression solver and its own percentiles.
 */

type FastChatWinner = "model_a" | "model_b" | "tie";

/** FastChat's compute_mle_elo, transcribed: weighted logistic regression without intercept. */
function referenceComputeMleElo(
  battles: readonly { model_a: string; model_b: string; winner: FastChatWinner }[],
  anchor?: { model: string; rating: number },
): Map<string, number> {
  const SCALE = 400;
  const BASE = 10;
  const INIT_RATING = 1000;
  // ptbl_win = ptbl_a_win * 2 + ptbl_b_win.T * 2 + (ptbl_tie + ptbl_tie.T)
  const models = [...new Set(battles.flatMap((b) => [b.model_a, b.model_b]))];
  const index = new Map(models.map((m, i) => [m, i]));
  const p = models.length;
  const win = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const b of battles) {
    const a = index.get(b.model_a)!;
    const c = index.get(b.model_b)!;
    if (b.winner === "model_a") win[a]![c]! += 2;
    else if (b.winner === "model_b") win[c]![a]! += 2;
    else {
      win[a]![c]! += 1;
      win[c]![a]! += 1;
    }
  }
  // Rows: for every ordered pair (m_a, m_b), Y = 1 with weight win[a][b] and Y = 0 with weight win[b][a].
  const rows: { a: number; b: number; y: number; w: number }[] = [];
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      if (a === b) continue;
      rows.push({ a, b, y: 1, w: win[a]![b]! });
      rows.push({ a, b, y: 0, w: win[b]![a]! });
    }
  }
  // Newton's method on the log-likelihood in p − 1 free coefficients (the last one held at 0:
  // the likelihood only sees differences), then centred, which is where scikit-learn's
  // L-BFGS started from zero ends up (its gradient always sums to zero over the models).
  const lnBase = Math.log(BASE);
  const coef = new Array<number>(p).fill(0);
  for (let iteration = 0; iteration < 200; iteration++) {
    const gradient = new Array<number>(p - 1).fill(0);
    const hessian = Array.from({ length: p - 1 }, () => new Array<number>(p - 1).fill(0));
    for (const { a, b, y, w } of rows) {
      if (w === 0) continue;
      const x = new Array<number>(p).fill(0);
      x[a] = lnBase;
      x[b] = -lnBase;
      const eta = x.reduce((total, xi, i) => total + xi * coef[i]!, 0);
      const mu = 1 / (1 + Math.exp(-eta));
      for (let i = 0; i < p - 1; i++) {
        gradient[i]! += w * (y - mu) * x[i]!;
        for (let j = 0; j < p - 1; j++) hessian[i]![j]! += w * mu * (1 - mu) * x[i]! * x[j]!;
      }
    }
    const step = solveByGaussianElimination(hessian, gradient);
    let largest = 0;
    for (let i = 0; i < p - 1; i++) {
      coef[i]! += step[i]!;
      largest = Math.max(largest, Math.abs(step[i]!));
    }
    if (largest < 1e-13) break;
  }
  const mean = coef.reduce((total, c) => total + c, 0) / p;
  const elo = coef.map((c) => SCALE * (c - mean) + INIT_RATING);
  if (anchor) {
    const shift = anchor.rating - elo[index.get(anchor.model)!]!;
    for (let i = 0; i < p; i++) elo[i]! += shift;
  }
  return new Map(models.map((m, i) => [m, elo[i]!]));
}

function solveByGaussianElimination(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}

/** pandas' DataFrame.quantile default (linear interpolation, numpy's "linear" method). */
function pandasQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.ceil(h);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** get_bootstrap_result + quantile, with the resample drawn from the same seeded generator. */
function referenceBootstrap(battles: readonly PairwiseBattle[], rounds: number, seed: number, anchor?: { model: string; rating: number }) {
  const fastchat = battles.map((b) => ({
    model_a: b.modelA,
    model_b: b.modelB,
    winner: (b.winner === "a" ? "model_a" : b.winner === "b" ? "model_b" : "tie") as FastChatWinner,
  }));
  const random: RandomSource = createSeededRandom(seed);
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const resample = Array.from({ length: fastchat.length }, () => fastchat[randomInteger(random, fastchat.length)]!);
    for (const [model, rating] of referenceComputeMleElo(resample, anchor)) samples.set(model, [...(samples.get(model) ?? []), rating]);
  }
  return {
    point: referenceComputeMleElo(fastchat, anchor),
    intervals: new Map([...samples].map(([model, values]) => [model, { low: pandasQuantile(values, 0.025), high: pandasQuantile(values, 0.975) }])),
  };
}

function simulateBattles(strengths: Record<string, number>, count: number, seed: number, tieShare: number): PairwiseBattle[] {
  const random = createSeededRandom(seed);
  const models = Object.keys(strengths);
  return Array.from({ length: count }, () => {
    const a = randomInteger(random, models.length);
    const b = (a + 1 + randomInteger(random, models.length - 1)) % models.length;
    const pA = 1 / (1 + 10 ** ((strengths[models[b]!]! - strengths[models[a]!]!) / 400));
    const draw = random();
    return { modelA: models[a]!, modelB: models[b]!, winner: draw < tieShare ? "tie" : draw < tieShare + (1 - tieShare) * pA ? "a" : "b" };
  });
}

describe("ci=fastchat against an independent FastChat bootstrap", () => {
  // Dense enough that every resample has a finite MLE, so the library never redraws a round
  // and both sides see exactly the same resamples.
  const battles = simulateBattles({ gpt: 1250, claude: 1220, llama: 1080, mistral: 1050, phi: 930 }, 1200, 21, 0.15);
  const rounds = 120;

  it("gives the same ratings and the same 95 % intervals from the same resamples", () => {
    const seed = 5;
    const reference = referenceBootstrap(battles, rounds, seed);
    const board = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: rounds, seed, interval: "fastchat" });
    expect(board).toHaveLength(5);
    for (const entry of board) {
      const interval = reference.intervals.get(entry.model)!;
      expect(Math.abs(entry.rating - reference.point.get(entry.model)!)).toBeLessThan(1e-6);
      expect(Math.abs(entry.ciLow - interval.low)).toBeLessThan(1e-6);
      expect(Math.abs(entry.ciHigh - interval.high)).toBeLessThan(1e-6);
    }
    // Not a vacuous match: the intervals have real width, and `aligned` gives others.
    for (const entry of board) expect(entry.ciHigh - entry.ciLow).toBeGreaterThan(20);
    const aligned = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: rounds, seed, interval: "aligned" });
    const differs = aligned.some((entry) => Math.abs(entry.ciLow - reference.intervals.get(entry.model)!.low) > 0.01);
    expect(differs).toBe(true);
  });

  it("matches with an anchored model too (FastChat pins mixtral-8x7b-instruct-v0.1 at 1114)", () => {
    const anchor = { model: "mistral", rating: 1114 };
    const reference = referenceBootstrap(battles, rounds, 9, anchor);
    const board = computeBradleyTerryLeaderboard({ battles, bootstrapRounds: rounds, seed: 9, anchor });
    for (const entry of board) {
      const interval = reference.intervals.get(entry.model)!;
      expect(Math.abs(entry.rating - reference.point.get(entry.model)!)).toBeLessThan(1e-6);
      expect(Math.abs(entry.ciLow - interval.low)).toBeLessThan(1e-6);
      expect(Math.abs(entry.ciHigh - interval.high)).toBeLessThan(1e-6);
    }
  });
});
