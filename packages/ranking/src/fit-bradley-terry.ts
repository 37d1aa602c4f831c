import { compactBattles, indexBattles, type CompactBattles, type IndexedBattles, type PairwiseBattle } from "./bradley-terry-battles.ts";
import { fitLogisticBradleyTerry, hasFiniteMaximumLikelihood, type LogisticFit } from "./logistic-bradley-terry.ts";
import type { StyleFeature } from "./response-style.ts";

export interface BradleyTerryScale {
  /** Rating points per factor of `base` in the odds (Elo: 400 per factor of 10). */
  scale?: number;
  base?: number;
  /** Mean rating when no anchor is given. */
  initialRating?: number;
  /** Pin one model's rating (Chatbot Arena pins a reference model) instead of the mean. */
  anchor?: { model: string; rating: number };
}

export interface FitBradleyTerryOptions extends BradleyTerryScale {
  battles: readonly PairwiseBattle[];
  /**
   * L2 penalty on the coefficients (in rating/scale units). 0 gives the plain MLE, which does
   * not exist when some group of models never lost (or never won) against the rest; a small
   * value such as 0.1 keeps such data finite at the cost of shrinking ratings towards the mean.
   */
  l2?: number;
  /** Adjust for length and markdown differences (Chatbot Arena style control). Off by default. */
  styleControl?: boolean;
  maxIterations?: number;
}

export interface BradleyTerryFit {
  ratings: Map<string, number>;
  /**
   * With style control: the logit change per standard deviation of each normalised style
   * difference (positive = voters favour more of it); features that never vary are omitted.
   */
  styleCoefficients: Partial<Record<StyleFeature, number>> | null;
  iterations: number;
}

export class BradleyTerryFitError extends Error {
  override name = "BradleyTerryFitError";
}

/**
 * Maximum-likelihood Bradley–Terry ratings on the Elo scale, fitted as a logistic regression
 * without intercept (ALGORITHMS.md §1): P(a beats b) = 1 / (1 + base^((R_b − R_a)/scale)).
 * Unlike online Elo, the result does not depend on the order of the battles.
 */
export function fitBradleyTerry(options: FitBradleyTerryOptions): BradleyTerryFit {
  const indexed = indexBattles(options.battles, options.styleControl ?? false);
  if (options.anchor && !indexed.models.includes(options.anchor.model)) {
    throw new RangeError(`anchor model ${options.anchor.model} has no battles`);
  }
  const fit = fitIndexedBattles(indexed, compactBattles(indexed, null), options);
  if (!fit) {
    throw new BradleyTerryFitError("ratings are not finite: some group of models never lost (or never won) against the others; pass l2 > 0");
  }
  return {
    ratings: fit.ratings,
    styleCoefficients: indexed.covariates ? Object.fromEntries(indexed.features.map((feature, f) => [feature, fit.coefficients[fit.modelCount + f]!])) : null,
    iterations: fit.iterations,
  };
}

export interface IndexedFit {
  ratings: Map<string, number>;
  coefficients: Float64Array;
  modelCount: number;
  iterations: number;
}

/**
 * Fits one (possibly resampled) set of battles. Returns null when the MLE does not exist or the
 * anchor model is absent, which the bootstrap treats as a round to redraw.
 */
export function fitIndexedBattles(
  indexed: IndexedBattles,
  { data, presentModels }: CompactBattles,
  options: FitBradleyTerryOptions,
  warmStart?: (presentModels: readonly number[]) => Float64Array,
): IndexedFit | null {
  const { l2 = 0, scale = 400, base = 10, initialRating = 1000, anchor, maxIterations = 100 } = options;
  if (!(l2 >= 0)) throw new RangeError(`l2 must be ≥ 0, got ${l2}`);
  if (data.modelCount === 0) return { ratings: new Map(), coefficients: new Float64Array(), modelCount: 0, iterations: 0 };
  if (l2 === 0 && !hasFiniteMaximumLikelihood(data)) return null;

  const fit: LogisticFit = fitLogisticBradleyTerry(data, {
    l2,
    logBase: Math.log(base),
    maxIterations,
    tolerance: 1e-9,
    initial: warmStart?.(presentModels),
  });
  if (!fit.converged) return null;

  const names = presentModels.map((model) => indexed.models[model]!);
  let offset = initialRating;
  if (anchor) {
    const anchorIndex = names.indexOf(anchor.model);
    if (anchorIndex === -1) return null;
    offset = anchor.rating - scale * fit.coefficients[anchorIndex]!;
  }
  const ratings = new Map<string, number>();
  names.forEach((name, i) => ratings.set(name, offset + scale * fit.coefficients[i]!));
  return { ratings, coefficients: fit.coefficients, modelCount: data.modelCount, iterations: fit.iterations };
}
