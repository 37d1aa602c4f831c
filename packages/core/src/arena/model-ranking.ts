/**
 * A K-wise verdict as a ranking of models, best first, with ties: a ranking maps tier by tier;
 * a single pick (best-only mode) puts the winner over the rest of what was shown; `tie` is one
 * tier. `both_bad` says nothing about order (null). Responses without a model are left out, and
 * a model named twice keeps its best place. Null when fewer than two models remain.
 */
export function verdictToModelRanking(options: {
  verdict: "winner" | "tie" | "both_bad" | "ranking";
  winnerId: string | null;
  ranking: string[][] | null;
  shown: readonly string[];
  modelOf: (responseId: string) => string | null | undefined;
}): string[][] | null {
  const { verdict, shown, modelOf } = options;
  let tiers: string[][];
  if (verdict === "ranking") tiers = options.ranking ?? [];
  else if (verdict === "winner" && options.winnerId) tiers = [[options.winnerId], shown.filter((id) => id !== options.winnerId)];
  else if (verdict === "tie") tiers = [[...shown]];
  else return null;
  const seen = new Set<string>();
  const models: string[][] = [];
  for (const tier of tiers) {
    const group: string[] = [];
    for (const id of tier) {
      const model = modelOf(id);
      if (!model || seen.has(model)) continue;
      seen.add(model);
      group.push(model);
    }
    if (group.length > 0) models.push(group);
  }
  return seen.size >= 2 ? models : null;
}
