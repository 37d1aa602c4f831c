import type { ExportJudgmentRow, ExportResponse } from "./types.ts";

/** Finds a response by its database id or its imported id. */
export function responseLookup(responses: readonly ExportResponse[]): (ref: string) => ExportResponse | undefined {
  const byRef = new Map<string, ExportResponse>();
  for (const response of responses) byRef.set(response.externalId, response);
  for (const response of responses) byRef.set(response.id, response);
  return (ref) => byRef.get(ref);
}

/** A reference turned into the imported id; unknown references are kept as they are. */
export function toExternalId(responses: readonly ExportResponse[]): (ref: string) => string {
  const find = responseLookup(responses);
  return (ref) => find(ref)?.externalId ?? ref;
}

/** One judgment's verdict on one pair of responses; `first` comes before `second` in the item. */
export interface PairOutcome {
  first: ExportResponse;
  second: ExportResponse;
  outcome: "first" | "second" | "tie" | "both_bad";
}

export interface Preference {
  chosen: ExportResponse;
  rejected: ExportResponse;
  /** The strengths (1–3) the judgments behind this preference gave, where they gave one. */
  strengths: number[];
}

/** The judgment's ranking as tiers of responses (best first); unknown ids are dropped. */
function rankingTiers(row: ExportJudgmentRow): ExportResponse[][] {
  const find = responseLookup(row.responses);
  return (row.ranking ?? [])
    .map((tier) => tier.map(find).filter((response): response is ExportResponse => response !== undefined))
    .filter((tier) => tier.length > 0);
}

/**
 * What a judgment says about pairs of responses. `winner`: the winner beats every other response;
 * `tie` and `both_bad`: every pair so. `ranking`: with `expandRankings` every pair (different
 * tiers → a preference, the same tier → a tie); without it only the best tier against the worst.
 */
export function judgmentPairOutcomes(row: ExportJudgmentRow, options: { expandRankings: boolean }): PairOutcome[] {
  const position = new Map(row.responses.map((response, index) => [response.id, index]));
  const pair = (x: ExportResponse, y: ExportResponse, xWins: boolean | "tie" | "both_bad"): PairOutcome => {
    const xFirst = position.get(x.id)! < position.get(y.id)!;
    const [first, second] = xFirst ? [x, y] : [y, x];
    if (xWins === "tie" || xWins === "both_bad") return { first, second, outcome: xWins };
    return { first, second, outcome: xWins === xFirst ? "first" : "second" };
  };
  const { responses } = row;
  switch (row.verdict) {
    case "winner": {
      const winner = row.winnerId ? responseLookup(responses)(row.winnerId) : undefined;
      if (!winner) return [];
      return responses.filter((other) => other.id !== winner.id).map((loser) => pair(winner, loser, true));
    }
    case "tie":
    case "both_bad": {
      const verdict = row.verdict;
      return responses.flatMap((x, i) => responses.slice(i + 1).map((y) => pair(x, y, verdict)));
    }
    case "ranking": {
      const tiers = rankingTiers(row);
      if (!options.expandRankings) {
        if (tiers.length < 2) return [];
        return tiers[0]!.flatMap((best) => tiers.at(-1)!.map((worst) => pair(best, worst, true)));
      }
      const outcomes: PairOutcome[] = [];
      tiers.forEach((tier, t) => {
        tier.forEach((x, i) => tier.slice(i + 1).forEach((y) => outcomes.push(pair(x, y, "tie"))));
        for (const worse of tiers.slice(t + 1)) for (const x of tier) for (const y of worse) outcomes.push(pair(x, y, true));
      });
      return outcomes;
    }
  }
}

const asPreference = ({ first, second, outcome }: PairOutcome, strengths: number[]): Preference | undefined =>
  outcome === "first" ? { chosen: first, rejected: second, strengths } : outcome === "second" ? { chosen: second, rejected: first, strengths } : undefined;

const strengthsOf = (row: ExportJudgmentRow): number[] => (typeof row.strength === "number" ? [row.strength] : []);

/** The preferences (ties and both_bad left out) of one judgment. */
export function judgmentPreferences(row: ExportJudgmentRow, options: { expandRankings: boolean }): Preference[] {
  return judgmentPairOutcomes(row, options).flatMap((outcome) => asPreference(outcome, strengthsOf(row)) ?? []);
}

/**
 * Preferences from all judgments of one item. `all`: every preference of every judgment.
 * `majority`: per pair, the outcome given most often, if strictly more often than any other and
 * it is a preference (a tie or both_bad majority, or a draw, leaves the pair out). `unanimous`:
 * per pair, only when every judgment that covers it gives the same preference.
 */
export function aggregatePreferences(
  judgments: readonly ExportJudgmentRow[],
  options: { aggregate: "majority" | "all" | "unanimous"; expandRankings: boolean },
): Preference[] {
  if (options.aggregate === "all") return judgments.flatMap((row) => judgmentPreferences(row, options));
  const tallies = new Map<
    string,
    { outcome: PairOutcome; counts: Record<PairOutcome["outcome"], number>; strengths: Record<PairOutcome["outcome"], number[]> }
  >();
  for (const row of judgments) {
    for (const outcome of judgmentPairOutcomes(row, options)) {
      const key = `${outcome.first.id}\u0000${outcome.second.id}`;
      let tally = tallies.get(key);
      if (!tally)
        tallies.set(
          key,
          (tally = { outcome, counts: { first: 0, second: 0, tie: 0, both_bad: 0 }, strengths: { first: [], second: [], tie: [], both_bad: [] } }),
        );
      tally.counts[outcome.outcome]++;
      tally.strengths[outcome.outcome].push(...strengthsOf(row));
    }
  }
  const preferences: Preference[] = [];
  for (const { outcome, counts, strengths } of tallies.values()) {
    const given = (Object.entries(counts) as [PairOutcome["outcome"], number][]).filter(([, count]) => count > 0).sort((x, y) => y[1] - x[1]);
    const [top, runnerUp] = given;
    if (!top) continue;
    if (options.aggregate === "unanimous" && runnerUp) continue;
    if (runnerUp && runnerUp[1] === top[1]) continue;
    const preference = asPreference({ ...outcome, outcome: top[0] }, strengths[top[0]]);
    if (preference) preferences.push(preference);
  }
  return preferences;
}

/**
 * A judgment as a ranking of imported ids, best first: a winner over the rest, a tie as one tier,
 * a ranking as given. Undefined for both_bad, which says nothing about order.
 */
export function judgmentRanking(row: ExportJudgmentRow): string[][] | undefined {
  const ids = row.responses.map((response) => response.externalId);
  switch (row.verdict) {
    case "winner": {
      const winner = row.winnerId ? responseLookup(row.responses)(row.winnerId) : undefined;
      if (!winner) return undefined;
      const rest = ids.filter((id) => id !== winner.externalId);
      return rest.length > 0 ? [[winner.externalId], rest] : [[winner.externalId]];
    }
    case "tie":
      return [ids];
    case "both_bad":
      return undefined;
    case "ranking": {
      const tiers = rankingTiers(row).map((tier) => tier.map((response) => response.externalId));
      return tiers.length > 0 ? tiers : undefined;
    }
  }
}

const canonicalRanking = (ranking: string[][]) => JSON.stringify(ranking.map((tier) => [...tier].sort()));

/**
 * Rankings from all judgments of one item. `all`: each judgment's ranking. `unanimous`: the
 * ranking when every judgment gives the same one. `majority`: a Borda consensus — each response
 * scores, per judgment, the responses ranked below it minus those above; equal totals tie.
 */
export function aggregateRankings(judgments: readonly ExportJudgmentRow[], aggregate: "majority" | "all" | "unanimous"): string[][][] {
  const rankings = judgments.map(judgmentRanking).filter((ranking): ranking is string[][] => ranking !== undefined);
  if (aggregate === "all" || rankings.length === 0) return rankings;
  if (aggregate === "unanimous") {
    const first = canonicalRanking(rankings[0]!);
    return rankings.every((ranking) => canonicalRanking(ranking) === first) ? [rankings[0]!] : [];
  }
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    const total = ranking.reduce((sum, tier) => sum + tier.length, 0);
    let above = 0;
    for (const tier of ranking) {
      const below = total - above - tier.length;
      for (const id of tier) scores.set(id, (scores.get(id) ?? 0) + below - above);
      above += tier.length;
    }
  }
  // Judgments of one item may have been shown different subsets of its responses (K-wise with k below the item's count).
  const order = [...new Set(judgments.flatMap((row) => row.responses.map((response) => response.externalId)))].filter((id) => scores.has(id));
  const distinct = [...new Set(order.map((id) => scores.get(id)!))].sort((x, y) => y - x);
  return [distinct.map((score) => order.filter((id) => scores.get(id) === score))];
}
