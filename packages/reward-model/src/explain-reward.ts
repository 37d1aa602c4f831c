import { denseFeatureNames } from "./featurizer-config.ts";
import { computeDenseFeatures, featurize, visitHashedFeatures, type RewardInput } from "./featurize.ts";
import type { RewardModel } from "./reward-model.ts";
import { sparseDot } from "./sparse-dot.ts";
import { tokenize } from "./tokenize.ts";

/** A stretch of the response (UTF-16 offsets, end exclusive) and its share of the reward. */
export interface AttributedSpan {
  readonly start: number;
  readonly end: number;
  readonly weight: number;
  /** The response text of the span, as written. */
  readonly text: string;
}

export interface DenseContribution {
  readonly name: string;
  readonly value: number;
  readonly contribution: number;
}

export interface RewardAttribution {
  readonly reward: number;
  /** Every token of the response, in order. */
  readonly tokens: readonly AttributedSpan[];
  /** The tokens that raise the reward most, strongest first. */
  readonly positive: readonly AttributedSpan[];
  /** The tokens that lower it most, strongest first. */
  readonly negative: readonly AttributedSpan[];
  /** Style and context features: part of the reward that belongs to no single token. */
  readonly dense: readonly DenseContribution[];
}

export interface ExplainRewardOptions {
  /** How many positive and negative spans to return (default 5). */
  readonly top?: number;
}

/**
 * Splits a linear reward over the response's tokens: each hashed n-gram occurrence adds
 * weight × value, shared equally by the tokens it was built from (a bigram gives half to
 * each word; a character n-gram all to its word). Token shares plus dense contributions sum
 * to the reward, up to float32 rounding of the feature values.
 */
export function explainReward(model: RewardModel, input: RewardInput, options: ExplainRewardOptions = {}): RewardAttribution {
  const top = options.top ?? 5;
  const { featurizer, weights } = model;
  const tokens = tokenize(input.response, featurizer.maxTokens);
  const shares = new Float64Array(tokens.length);
  visitHashedFeatures(featurizer, tokens, (index, value, first, end) => {
    const share = ((weights[index] as number) * value) / (end - first);
    for (let t = first; t < end; t++) shares[t] = (shares[t] as number) + share;
  });
  const names = denseFeatureNames(featurizer);
  const dense = computeDenseFeatures(featurizer, input, tokens).map((raw, k) => {
    const value = Math.fround(raw);
    return { name: names[k] as string, value, contribution: (weights[featurizer.dim + k] as number) * value };
  });
  const spans = tokens.map((token, t) => ({
    start: token.start,
    end: token.end,
    weight: shares[t] as number,
    text: input.response.slice(token.start, token.end),
  }));
  return {
    reward: sparseDot(weights, featurize(featurizer, input)),
    tokens: spans,
    positive: spans
      .filter((span) => span.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.start - b.start)
      .slice(0, top),
    negative: spans
      .filter((span) => span.weight < 0)
      .sort((a, b) => a.weight - b.weight || a.start - b.start)
      .slice(0, top),
    dense,
  };
}
