import { TIE, type JudgeVerdict, type PreferenceLabel } from "../types.ts";

/**
 * The label with strictly the most human votes. When the top labels are level (one vote each
 * way) the humans did not settle the item and the majority is "tie".
 */
export function humanMajority(labels: readonly PreferenceLabel[]): PreferenceLabel {
  if (labels.length === 0) throw new Error("humanMajority needs at least one label");
  const votes = new Map<PreferenceLabel, number>();
  for (const label of labels) votes.set(label, (votes.get(label) ?? 0) + 1);
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top) return TIE;
  return second && second[1] === top[1] ? TIE : top[0];
}

/**
 * The training target of the disagreement model: 1 if the judge's winner is not the human
 * majority. A judge with no verdict (`winner: null`) never agrees.
 */
export function judgeDisagreesWithHumans(judge: JudgeVerdict, humanLabels: readonly PreferenceLabel[]): boolean {
  return judge.winner === null || judge.winner !== humanMajority(humanLabels);
}
