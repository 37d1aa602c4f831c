/**
 * Human error estimated from items with at least two annotators: the share d of annotator pairs
 * (within an item) that disagree. If each annotator independently picks the worse of two
 * responses with probability e, a pair disagrees with probability 2e(1 − e); solving for e gives
 * e = (1 − √(1 − 2d)) / 2 (d ≥ ½ means the annotators are no better than coins: e = ½).
 * Returns null when no item has two annotators.
 */
export function estimateHumanErrorRate(labelsPerItem: readonly (readonly string[])[]): { rate: number; pairs: number; items: number } | null {
  let pairs = 0;
  let disagreeing = 0;
  let items = 0;
  for (const labels of labelsPerItem) {
    if (labels.length < 2) continue;
    items++;
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        pairs++;
        if (labels[i] !== labels[j]) disagreeing++;
      }
    }
  }
  if (pairs === 0) return null;
  const d = disagreeing / pairs;
  return { rate: d >= 0.5 ? 0.5 : (1 - Math.sqrt(1 - 2 * d)) / 2, pairs, items };
}
