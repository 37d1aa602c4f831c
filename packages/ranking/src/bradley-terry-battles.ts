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
  /** Each battle's unordered model pair, as an index into pairLow/pairHigh (pairLow < pairHigh). */
  pairOf: Int32Array;
  pairLow: Int32Array;
  pairHigh: Int32Array;
  /** Each battle's score for the pair's pairLow model. */
  scoreLow: Float64Array;
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
  const pairs = indexPairs(models.length, modelA, modelB, scoreA);
  if (!styleControl) return { models, modelA, modelB, scoreA, covariates: null, features: [], ...pairs };

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
  return { models, modelA, modelB, scoreA, covariates, features, ...pairs };
}

function indexPairs(modelCount: number, modelA: Int32Array, modelB: Int32Array, scoreA: Float64Array) {
  const pairIndex = new Map<number, number>();
  const pairLow: number[] = [];
  const pairHigh: number[] = [];
  const pairOf = new Int32Array(modelA.length);
  const scoreLow = new Float64Array(modelA.length);
  for (let row = 0; row < modelA.length; row++) {
    const low = Math.min(modelA[row]!, modelB[row]!);
    const high = Math.max(modelA[row]!, modelB[row]!);
    scoreLow[row] = low === modelA[row] ? scoreA[row]! : 1 - scoreA[row]!;
    const key = low * modelCount + high;
    let index = pairIndex.get(key);
    if (index === undefined) {
      index = pairLow.length;
      pairIndex.set(key, index);
      pairLow.push(low);
      pairHigh.push(high);
    }
    pairOf[row] = index;
  }
  return { pairOf, pairLow: Int32Array.from(pairLow), pairHigh: Int32Array.from(pairHigh), scoreLow };
}

export interface CompactBattles {
  data: LogisticBattles;
  /** data's model index → index into IndexedBattles.models. */
  presentModels: number[];
}

/**
 * Builds the regression input for battles weighted by `counts` (null: every battle once),
 * keeping only models that appear. Without style covariates, battles between the same two
 * models collapse into one weighted observation (see aggregatedPairBattles).
 */
export function compactBattles(indexed: IndexedBattles, counts: Float64Array | null): CompactBattles {
  const total = indexed.modelA.length;
  const weightOf = (row: number): number => (counts ? counts[row]! : 1);
  if (!indexed.covariates) {
    const pairPoints = new Float64Array(indexed.pairLow.length);
    const pairWeight = new Float64Array(indexed.pairLow.length);
    for (let row = 0; row < total; row++) {
      const multiplicity = weightOf(row);
      if (!(multiplicity > 0)) continue;
      const pair = indexed.pairOf[row]!;
      pairPoints[pair]! += multiplicity * indexed.scoreLow[row]!;
      pairWeight[pair]! += multiplicity;
    }
    return aggregatedPairBattles(indexed, pairPoints, pairWeight);
  }

  const { presentModels, compactIndex, include } = modelCompaction(indexed.models.length);
  const rows: number[] = [];
  for (let row = 0; row < total; row++) {
    if (!(weightOf(row) > 0)) continue;
    rows.push(row);
    include(indexed.modelA[row]!);
    include(indexed.modelB[row]!);
  }
  const covariateCount = indexed.features.length;
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

/**
 * One observation per model pair with weight > 0: the pair's mean score for pairLow, weighted
 * by the number of battles. Merging makes each Newton step cost O(pairs) instead of O(battles),
 * and lets the bootstrap resample straight into per-pair totals.
 */
export function aggregatedPairBattles(indexed: IndexedBattles, pairPoints: Float64Array, pairWeight: Float64Array): CompactBattles {
  const { presentModels, compactIndex, include } = modelCompaction(indexed.models.length);
  const pairs: number[] = [];
  for (let pair = 0; pair < pairWeight.length; pair++) {
    if (!(pairWeight[pair]! > 0)) continue;
    pairs.push(pair);
    include(indexed.pairLow[pair]!);
    include(indexed.pairHigh[pair]!);
  }
  return {
    presentModels,
    data: {
      modelCount: presentModels.length,
      modelA: Int32Array.from(pairs, (pair) => compactIndex[indexed.pairLow[pair]!]!),
      modelB: Int32Array.from(pairs, (pair) => compactIndex[indexed.pairHigh[pair]!]!),
      scoreA: Float64Array.from(pairs, (pair) => pairPoints[pair]! / pairWeight[pair]!),
      weight: Float64Array.from(pairs, (pair) => pairWeight[pair]!),
      covariates: null,
      covariateCount: 0,
    },
  };
}

/** Renumbers the models that occur, in order of first occurrence. */
function modelCompaction(modelCount: number) {
  const compactIndex = new Int32Array(modelCount).fill(-1);
  const presentModels: number[] = [];
  const include = (model: number): void => {
    if (compactIndex[model] === -1) {
      compactIndex[model] = presentModels.length;
      presentModels.push(model);
    }
  };
  return { presentModels, compactIndex, include };
}
