import type { RatingValue } from "./krippendorff-alpha.ts";

export type FleissKappaOptions =
  /** Subjects × categories: how many raters put each subject in each category. */
  | { counts: readonly (readonly number[])[] }
  /** Subjects × raters: each subject's labels, the same number of labels per subject. */
  | { ratings: readonly (readonly RatingValue[])[] };

/**
 * Fleiss' kappa (Fleiss 1971) for a fixed number of raters per subject; the raters need not
 * be the same people across subjects. For missing data or unequal rater counts use
 * Krippendorff's alpha instead.
 *
 * Returns `null` when kappa is undefined: no subjects, fewer than two raters per subject, or
 * every rating fell in one category (chance agreement is 1).
 */
export function fleissKappa(options: FleissKappaOptions): number | null {
  const counts = "counts" in options ? options.counts : countsFromRatings(options.ratings);
  const subjectCount = counts.length;
  if (subjectCount === 0) return null;
  const ratersPerSubject = sum(counts[0] ?? []);
  if (ratersPerSubject < 2) return null;
  const categoryCount = counts[0]?.length ?? 0;

  const categoryTotals = new Float64Array(categoryCount);
  let meanSubjectAgreement = 0;
  counts.forEach((row, subject) => {
    if (row.length !== categoryCount || sum(row) !== ratersPerSubject) {
      throw new RangeError(`subject ${subject} has ${sum(row)} ratings over ${row.length} categories; expected ${ratersPerSubject} over ${categoryCount}`);
    }
    let agreeingPairs = 0;
    row.forEach((count, category) => {
      categoryTotals[category]! += count;
      agreeingPairs += count * (count - 1);
    });
    meanSubjectAgreement += agreeingPairs / (ratersPerSubject * (ratersPerSubject - 1)) / subjectCount;
  });

  let chanceAgreement = 0;
  for (const total of categoryTotals) chanceAgreement += (total / (subjectCount * ratersPerSubject)) ** 2;
  if (chanceAgreement >= 1) return null;
  return (meanSubjectAgreement - chanceAgreement) / (1 - chanceAgreement);
}

function countsFromRatings(ratings: readonly (readonly RatingValue[])[]): number[][] {
  const categories = [...new Set(ratings.flat())];
  const indexOf = new Map<RatingValue, number>(categories.map((value, index) => [value, index]));
  return ratings.map((labels) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const label of labels) row[indexOf.get(label) as number]! += 1;
    return row;
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
