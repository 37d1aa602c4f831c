/**
 * The orders an item is shown in: `count` cyclic rotations spread evenly, so with
 * count = items.length every item takes every position once. Two items, two orders:
 * A/B then B/A.
 */
export function presentationOrders<T>(items: readonly T[], count: number): T[][] {
  const size = items.length;
  const rotations = Math.max(1, Math.min(count, size));
  return Array.from({ length: rotations }, (_, rotation) => {
    const shift = Math.round((rotation * size) / rotations);
    return items.map((_, position) => items[(position + shift) % size] as T);
  });
}

export interface RankedVerdict {
  /** Candidate ids, best first; inner lists are ties. */
  ranking: string[][];
  confidence: number;
}

export interface CombinedVerdict {
  ranking: string[][];
  confidence: number;
  /** null when the item was judged in one order only, so consistency is unknown. */
  orderConsistent: boolean | null;
}

/** Position of each id, ties sharing the mean of the places they span (fractional ranking). */
function fractionalRanks(ranking: string[][]): Map<string, number> {
  const ranks = new Map<string, number>();
  let place = 0;
  for (const group of ranking) {
    for (const id of group) ranks.set(id, place + (group.length - 1) / 2);
    place += group.length;
  }
  return ranks;
}

function rankOf(ranks: Map<string, number>, id: string): number {
  const rank = ranks.get(id);
  if (rank === undefined) throw new Error(`ranking leaves out candidate ${id}`);
  return rank;
}

/**
 * Combines the verdicts of one item judged in several orders (ALGORITHMS.md §4).
 * Every order agreeing → that ranking with the mean confidence. Otherwise the judge showed
 * position bias: pairwise → a tie; K-wise → the consensus by mean position (Borda, equal
 * means tied), because one disagreeing pair among K(K−1)/2 should not erase the rest. The
 * confidence is then the mean confidence times the share of candidate pairs ordered alike
 * in every order, which is 0 for an inconsistent pair, so it stays a strong routing signal.
 */
export function combineRankedVerdicts(options: {
  candidateIds: readonly string[];
  verdicts: readonly RankedVerdict[];
  tieWhenInconsistent: boolean;
}): CombinedVerdict {
  const { candidateIds, verdicts, tieWhenInconsistent } = options;
  if (verdicts.length === 0) throw new Error("no verdicts to combine");
  const meanConfidence = verdicts.reduce((sum, verdict) => sum + verdict.confidence, 0) / verdicts.length;
  const allRanks = verdicts.map((verdict) => fractionalRanks(verdict.ranking));

  let pairs = 0;
  let agreeingPairs = 0;
  candidateIds.forEach((first, index) => {
    for (const second of candidateIds.slice(index + 1)) {
      pairs++;
      const relations = allRanks.map((ranks) => Math.sign(rankOf(ranks, first) - rankOf(ranks, second)));
      if (relations.every((relation) => relation === relations[0])) agreeingPairs++;
    }
  });
  const agreement = pairs === 0 ? 1 : agreeingPairs / pairs;

  if (agreement === 1) {
    const first = verdicts[0]?.ranking ?? [];
    const ranking = first.map((group) => [...group].sort((a, b) => candidateIds.indexOf(a) - candidateIds.indexOf(b)));
    return { ranking, confidence: meanConfidence, orderConsistent: verdicts.length > 1 ? true : null };
  }

  if (tieWhenInconsistent) {
    return { ranking: [[...candidateIds]], confidence: 0, orderConsistent: false };
  }

  const meanRank = new Map(candidateIds.map((id) => [id, allRanks.reduce((sum, ranks) => sum + rankOf(ranks, id), 0) / allRanks.length]));
  const sorted = [...candidateIds].sort((a, b) => (meanRank.get(a) ?? 0) - (meanRank.get(b) ?? 0));
  const ranking: string[][] = [];
  let previous = Number.NaN;
  for (const id of sorted) {
    const rank = meanRank.get(id) ?? 0;
    const group = ranking[ranking.length - 1];
    if (group && Math.abs(rank - previous) < 1e-9) group.push(id);
    else ranking.push([id]);
    previous = rank;
  }
  return { ranking, confidence: meanConfidence * agreement, orderConsistent: false };
}

/** Mean score per candidate and attribute over the orders that rated it. */
export function meanAttributeScores(perCall: readonly Record<string, Record<string, number>>[]): Record<string, Record<string, number>> {
  const sums = new Map<string, Map<string, { total: number; count: number }>>();
  for (const scores of perCall) {
    for (const [candidateId, ratings] of Object.entries(scores)) {
      const byAttribute = sums.get(candidateId) ?? new Map<string, { total: number; count: number }>();
      sums.set(candidateId, byAttribute);
      for (const [attribute, value] of Object.entries(ratings)) {
        const sum = byAttribute.get(attribute) ?? { total: 0, count: 0 };
        sum.total += value;
        sum.count++;
        byAttribute.set(attribute, sum);
      }
    }
  }
  const means: Record<string, Record<string, number>> = {};
  for (const [candidateId, byAttribute] of sums) {
    means[candidateId] = Object.fromEntries([...byAttribute].map(([attribute, { total, count }]) => [attribute, total / count]));
  }
  return means;
}
