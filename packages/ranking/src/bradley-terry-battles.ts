import type { PairwiseWinner } from "./expand-ranking-to-pairs.ts";
import type { LogisticBattles } from "./logistic-bradley-terry.ts";
import { STYLE_FEATURES, type ResponseStyle, type StyleFeature } from "./response-style.ts";

export interface PairwiseBattle {
  modelA: string;
  modelB: string;
  winner: PairwiseWinner;
  /** Style of each side's response; required on every battle when style control is on. */
  styleA?: ResponseStyle;
  styleB?: ResponseStyle;
}

/** Battles with models replaced by indices; internal to the Bradley–Terry functions. */
export interface IndexedBattles {
  models: string[];
  modelA: Int32Array;
  modelB: Int32Array;
  scoreA: Float64Array;
  /** Z-scored style covariates (battles × features.length), or null without style control. */
  covariates: Float64Array | null;
  features: StyleFeature[];
}

export function indexBattles(battles: readonly PairwiseBattle[], styleControl: boolean): IndexedBattles {
  const models = [...new Set(battles.flatMap(({ modelA, modelB }) => [modelA, modelB]))].sort();
  const modelIndex = new Map(models.map((model, index) => [model, index]));
  const count = battles.length;
  const modelA = new Int32Array(count);
  const modelB = new Int32Array(count);
  const scoreA = new Float64Array(count);
  battles.forEach((battle, row) => {
    if (battle.modelA === battle.modelB) throw new RangeError(`battle ${row} pits ${battle.modelA} against itself`);
    modelA[row] = modelIndex.get(battle.modelA)!;
    modelB[row] = modelIndex.get(battle.modelB)!;
    // A tie is half a win for each side (ALGORITHMS.md §1).
    scoreA[row] = battle.winner === "a" ? 1 : battle.winner === "b" ? 0 : 0.5;
  });
  if (!styleControl) return { models, modelA, modelB, scoreA, covariates: null, features: [] };

  const raw = STYLE_FEATURES.map((feature) =>
    battles.map((battle, row) => {
      if (!battle.styleA || !battle.styleB) throw new RangeError(`battle ${row} has no styleA/styleB for style control`);
      const a = battle.styleA[feature];
      const b = battle.styleB[feature];
      return (a - b) / (a + b + 1);
    }),
  );
  // Z-scoring puts the coefficients on a common scale; a feature that never varies carries
  // no information and would make the system singular, so it is left out.
  const features: StyleFeature[] = [];
  const columns: number[][] = [];
  raw.forEach((values, f) => {
    const mean = values.reduce((total, value) => total + value, 0) / count;
    const deviation = Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / count);
    if (!(deviation > 1e-12)) return;
    features.push(STYLE_FEATURES[f]!);
    columns.push(values.map((value) => (value - mean) / deviation));
  });
  const covariates = new Float64Array(count * features.length);
  for (let row = 0; row < count; row++) {
    for (let f = 0; f < features.length; f++) covariates[row * features.length + f] = columns[f]![row]!;
  }
  return { models, modelA, modelB, scoreA, covariates, features };
}

export interface CompactBattles {
  data: LogisticBattles;
  /** data's model index → index into IndexedBattles.models. */
  presentModels: number[];
}

/**
 * Builds the regression input for battles weighted by `counts` (all 1 for the data itself, a
 * resample's multiplicities for a bootstrap round), keeping only models that appear. Without
 * style covariates, battles between the same two models are merged into one weighted
 * observation, which makes each Newton step cost O(pairs) instead of O(battles).
 */
export function compactBattles(indexed: IndexedBattles, counts: Float64Array | null): CompactBattles {
  const total = indexed.modelA.length;
  const compactIndex = new Int32Array(indexed.models.length).fill(-1);
  const presentModels: number[] = [];
  const include = (model: number): number => {
    if (compactIndex[model] === -1) {
      compactIndex[model] = presentModels.length;
      presentModels.push(model);
    }
    return compactIndex[model]!;
  };
  const weightOf = (row: number): number => (counts ? counts[row]! : 1);

  for (let row = 0; row < total; row++) {
    if (weightOf(row) > 0) {
      include(indexed.modelA[row]!);
      include(indexed.modelB[row]!);
    }
  }
  const covariateCount = indexed.features.length;

  if (indexed.covariates) {
    const rows: number[] = [];
    for (let row = 0; row < total; row++) if (weightOf(row) > 0) rows.push(row);
    const covariates = new Float64Array(rows.length * covariateCount);
    rows.forEach((row, i) => {
      covariates.set(indexed.covariates!.subarray(row * covariateCount, (row + 1) * covariateCount), i * covariateCount);
    });
    return {
      presentModels,
      data: {
        modelCount: presentModels.length,
        modelA: Int32Array.from(rows, (row) => compactIndex[indexed.modelA[row]!]!),
        modelB: Int32Array.from(rows, (row) => compactIndex[indexed.modelB[row]!]!),
        scoreA: Float64Array.from(rows, (row) => indexed.scoreA[row]!),
        weight: Float64Array.from(rows, weightOf),
        covariates,
        covariateCount,
      },
    };
  }

  const pairRow = new Map<number, number>();
  const modelA: number[] = [];
  const modelB: number[] = [];
  const pointsA: number[] = [];
  const weight: number[] = [];
  const modelCount = presentModels.length;
  for (let row = 0; row < total; row++) {
    const multiplicity = weightOf(row);
    if (!(multiplicity > 0)) continue;
    let a = compactIndex[indexed.modelA[row]!]!;
    let b = compactIndex[indexed.modelB[row]!]!;
    let score = indexed.scoreA[row]!;
    if (a > b) [a, b, score] = [b, a, 1 - score];
    const key = a * modelCount + b;
    let index = pairRow.get(key);
    if (index === undefined) {
      index = weight.length;
      pairRow.set(key, index);
      modelA.push(a);
      modelB.push(b);
      pointsA.push(0);
      weight.push(0);
    }
    pointsA[index]! += multiplicity * score;
    weight[index]! += multiplicity;
  }
  return {
    presentModels,
    data: {
      modelCount,
      modelA: Int32Array.from(modelA),
      modelB: Int32Array.from(modelB),
      scoreA: Float64Array.from(pointsA, (points, i) => points / weight[i]!),
      weight: Float64Array.from(weight),
      covariates: null,
      covariateCount: 0,
    },
  };
}
