import { hasCode, hasList, hasMarkdown, isRefusal } from "../features/detect-content.ts";
import { tokenize } from "../features/tokenize.ts";
import { fitLogisticRegression, sigmoid } from "../model/fit-logistic-regression.ts";
import { createRng, hashString, shuffled } from "../random.ts";
import type { JudgeVerdict } from "../types.ts";

export interface GoldPair {
  id: string;
  prompt: string;
  /** The two candidate outputs, as "1" and "2". */
  output1: string;
  output2: string;
  /** Which output is better ("1" or "2"). */
  label: "1" | "2";
}

export interface SimulatedJudgeOptions {
  pairs: readonly GoldPair[];
  folds?: number;
  /** Hash buckets for response unigrams and bigrams. */
  buckets?: number;
  l2?: number;
  /**
   * Share of items on which the judge flips when the order is swapped. LLM judges favour the
   * first position; we model that as a bias β added to the first-shown output's log-odds and set
   * β so that this share of items (the ones with the smallest margins) come out inconsistent.
   */
  inconsistentShare?: number;
  seed?: number | string;
}

export interface SimulatedVerdict extends JudgeVerdict {
  /** Log-odds that output "1" is better, from the model that never saw this item. */
  margin: number;
}

const STYLE_FEATURES = 8;

/**
 * The per-response half of the reward model: hashed unigram and bigram frequencies (the
 * "content" part, sublinear and length-normalised) plus style features — length, lines,
 * lists, markdown, code, refusals and how much of the prompt's vocabulary the response reuses.
 */
function responseVector(prompt: string, response: string, buckets: number): Float64Array {
  const vector = new Float64Array(buckets + STYLE_FEATURES);
  const tokens = tokenize(response);
  const grams = [...tokens, ...tokens.slice(1).map((t, i) => `${tokens[i]} ${t}`)];
  for (const gram of grams) {
    const bucket = hashString(gram) % buckets;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  let norm = 0;
  for (let j = 0; j < buckets; j++) {
    vector[j] = Math.log1p(vector[j] as number);
    norm += (vector[j] as number) ** 2;
  }
  if (norm > 0) for (let j = 0; j < buckets; j++) vector[j] = (vector[j] as number) / Math.sqrt(norm);

  const promptVocabulary = new Set(tokenize(prompt));
  const responseVocabulary = new Set(tokens);
  let reused = 0;
  for (const token of promptVocabulary) if (responseVocabulary.has(token)) reused++;
  const style = [
    Math.log1p(tokens.length),
    Math.log1p(response.split("\n").filter((l) => l.trim() !== "").length),
    hasList(response) ? 1 : 0,
    hasMarkdown(response) ? 1 : 0,
    hasCode(response) ? 1 : 0,
    isRefusal(response) ? 1 : 0,
    promptVocabulary.size === 0 ? 0 : reused / promptVocabulary.size,
    tokens.length === 0 ? 0 : responseVocabulary.size / tokens.length,
  ];
  style.forEach((v, k) => (vector[buckets + k] = v));
  return vector;
}

/**
 * A stand-in AI judge for offline experiments: a Bradley–Terry style pairwise reward model,
 * P(1 beats 2) = σ(w · (φ(1) − φ(2))), fitted by L2 logistic regression on gold-labelled pairs.
 * It is cross-fitted: the pairs are split into folds and each fold is judged by a model trained
 * on the other folds only, so the judge never scores an item it was trained on. Each item is
 * then "shown" in both orders with a first-position bias, which gives the verdict, a confidence
 * and whether the two orders agreed.
 */
export function simulatePairwiseJudge(options: SimulatedJudgeOptions): SimulatedVerdict[] {
  const { pairs, folds = 5, buckets = 256, l2 = 10, inconsistentShare = 0.25, seed = 0 } = options;
  const differences = pairs.map((p) => {
    const a = responseVector(p.prompt, p.output1, buckets);
    const b = responseVector(p.prompt, p.output2, buckets);
    return Array.from(a, (v, j) => v - (b[j] as number));
  });
  const order = shuffled(
    pairs.map((_, i) => i),
    createRng(`judge-folds:${seed}`),
  );
  const foldOf = new Array<number>(pairs.length).fill(0);
  order.forEach((pairIndex, k) => (foldOf[pairIndex] = k % folds));

  const margins = new Array<number>(pairs.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const train = pairs.flatMap((p, i) => (foldOf[i] === fold ? [] : [{ x: differences[i] as number[], y: p.label === "1" ? 1 : 0 }]));
    // Each training pair in both orientations: the model is antisymmetric, P(1 ≻ 2) = 1 − P(2 ≻ 1).
    const rows = train.flatMap(({ x, y }) => [
      { x, y },
      { x: x.map((v) => -v), y: 1 - y },
    ]);
    const width = rows[0]?.x.length ?? 0;
    const scale = Array.from({ length: width }, (_, j) => {
      const s = Math.sqrt(rows.reduce((sum, r) => sum + (r.x[j] as number) ** 2, 0) / rows.length);
      return s > 1e-12 ? s : 0;
    });
    const kept = scale.flatMap((s, j) => (s > 0 ? [j] : []));
    const project = (x: readonly number[]) => kept.map((j) => (x[j] as number) / (scale[j] as number));
    const fit = fitLogisticRegression({ x: rows.map((r) => project(r.x)), y: rows.map((r) => r.y), l2 });
    pairs.forEach((_, i) => {
      if (foldOf[i] !== fold) return;
      const z = project(differences[i] as number[]);
      margins[i] = z.reduce((sum, v, j) => sum + v * (fit.coefficients[j] as number), 0);
    });
  }

  const sortedAbs = margins.map(Math.abs).sort((a, b) => a - b);
  const bias = inconsistentShare <= 0 ? 0 : (sortedAbs[Math.min(sortedAbs.length - 1, Math.floor(inconsistentShare * sortedAbs.length))] ?? 0);

  return pairs.map((_, i) => {
    const margin = margins[i] as number;
    const firstOrderSaysOne = margin + bias > 0;
    const secondOrderSaysOne = margin - bias > 0;
    const pOne = (sigmoid(margin + bias) + sigmoid(margin - bias)) / 2;
    const winner = pOne === 0.5 ? "tie" : pOne > 0.5 ? "1" : "2";
    return { winner, confidence: Math.max(pOne, 1 - pOne), consistent: firstOrderSaysOne === secondOrderSaysOne, margin };
  });
}
