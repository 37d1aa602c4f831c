function countTokens(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/**
 * ROUGE-1 F1 between two token sequences: clipped unigram overlap, harmonic mean of precision
 * and recall. Symmetric; 1 for identical bags of words, 0 when nothing is shared or either is empty.
 */
export function rouge1F(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const countsB = countTokens(b);
  let overlap = 0;
  for (const [token, countA] of countTokens(a)) overlap += Math.min(countA, countsB.get(token) ?? 0);
  if (overlap === 0) return 0;
  const precision = overlap / a.length;
  const recall = overlap / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Cosine similarity of term-frequency vectors; 0 when either sequence is empty. */
export function tokenCosine(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const countsA = countTokens(a);
  const countsB = countTokens(b);
  let dot = 0;
  for (const [token, countA] of countsA) dot += countA * (countsB.get(token) ?? 0);
  const norm = (counts: Map<string, number>) => Math.sqrt([...counts.values()].reduce((s, c) => s + c * c, 0));
  return dot / (norm(countsA) * norm(countsB));
}
