import { featurize, type SparseFeatures } from "../featurize.ts";
import type { FeaturizerConfig } from "../featurizer-config.ts";
import type { PreferencePair } from "../reward-model.ts";

/** φ(chosen) − φ(rejected) for every pair, as CSR rows with float64 values. */
export interface PairDifferences {
  readonly offsets: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float64Array;
}

/** Pairs featurized between two pauses: featurizing is the expensive part, ~0.1–0.4 ms a pair. */
const PAIRS_PER_STEP = 8;

/** Featurizes the pairs, pausing (yield) every few pairs; see train-reward-model.ts on pausing. */
export function* pairDifferences(config: FeaturizerConfig, pairs: readonly PreferencePair[]): Generator<void, PairDifferences, void> {
  const offsets = new Uint32Array(pairs.length + 1);
  // Gathered a step at a time and joined at the end: one growing array of a few hundred
  // thousand entries costs a long pause whenever it is copied to a bigger one.
  const indexParts: Uint32Array[] = [];
  const valueParts: Float64Array[] = [];
  let indices: number[] = [];
  let values: number[] = [];
  let total = 0;
  for (let row = 0; row < pairs.length; row++) {
    const pair = pairs[row] as PreferencePair;
    const chosen = featurize(config, { prompt: pair.prompt, response: pair.chosen });
    const rejected = featurize(config, { prompt: pair.prompt, response: pair.rejected });
    subtractSparse(chosen, rejected, indices, values);
    offsets[row + 1] = total + indices.length;
    if ((row + 1) % PAIRS_PER_STEP === 0 || row + 1 === pairs.length) {
      indexParts.push(Uint32Array.from(indices));
      valueParts.push(Float64Array.from(values));
      total += indices.length;
      indices = [];
      values = [];
      yield;
    }
  }
  return { offsets, indices: concatenate(new Uint32Array(total), indexParts), values: concatenate(new Float64Array(total), valueParts) };
}

function subtractSparse(a: SparseFeatures, b: SparseFeatures, indices: number[], values: number[]): void {
  let i = 0;
  let j = 0;
  while (i < a.indices.length || j < b.indices.length) {
    const ia = i < a.indices.length ? (a.indices[i] as number) : Number.POSITIVE_INFINITY;
    const ib = j < b.indices.length ? (b.indices[j] as number) : Number.POSITIVE_INFINITY;
    let index: number;
    let value: number;
    if (ia === ib) {
      index = ia;
      value = (a.values[i++] as number) - (b.values[j++] as number);
    } else if (ia < ib) {
      index = ia;
      value = a.values[i++] as number;
    } else {
      index = ib;
      value = -(b.values[j++] as number);
    }
    if (value !== 0) {
      indices.push(index);
      values.push(value);
    }
  }
}

function concatenate<T extends Uint32Array | Float64Array>(out: T, parts: readonly T[]): T {
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
