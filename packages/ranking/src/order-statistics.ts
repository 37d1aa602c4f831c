/**
 * Quantile with linear interpolation between order statistics (Hyndman–Fan type 7), the
 * default of numpy.percentile and R, so bootstrap bounds match what FastChat reports.
 * `sortedValues` must be sorted ascending; returns NaN for an empty array.
 */
export function quantileOfSorted(sortedValues: readonly number[], probability: number): number {
  const count = sortedValues.length;
  if (count === 0) return Number.NaN;
  const position = (count - 1) * Math.min(1, Math.max(0, probability));
  const lowerIndex = Math.floor(position);
  const upperIndex = Math.min(count - 1, lowerIndex + 1);
  const lower = sortedValues[lowerIndex] as number;
  const upper = sortedValues[upperIndex] as number;
  return lower + (upper - lower) * (position - lowerIndex);
}

export function median(values: readonly number[]): number {
  return quantileOfSorted(
    [...values].sort((x, y) => x - y),
    0.5,
  );
}
