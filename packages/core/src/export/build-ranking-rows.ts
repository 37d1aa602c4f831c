import { aggregateRankings, judgmentRanking } from "./judgment-outcomes.ts";
import { groupByItem } from "./group-by-item.ts";
import { exportPrompt } from "./prompt-style.ts";
import type { ExportAggregate, ExportJudgmentRow, ExportResponse, ResolvedPromptStyle, RankingRow } from "./types.ts";

const rankingResponses = (responses: readonly ExportResponse[]) =>
  responses.map(({ externalId, content, model }) => ({ id: externalId, content, model: model ?? null }));

/**
 * `{prompt, responses, ranking}` rows: `responses` are `{id, content, model}` with imported ids,
 * `ranking` names those ids best first with ties in one inner list. A pairwise winner ranks
 * first over the rest, a tie is one tier, both_bad is left out. `aggregate` defaults to "all"
 * (one row per judgment); "majority" gives a Borda consensus per item, "unanimous" only
 * rankings every judgment agrees on.
 */
export async function* buildRankingRows(
  judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>,
  options: { aggregate?: ExportAggregate; promptStyle?: ResolvedPromptStyle } = {},
): AsyncGenerator<RankingRow> {
  const style = options.promptStyle ?? "text";
  const aggregate = options.aggregate ?? "all";
  for await (const group of groupByItem(judgments)) {
    const item = group[0]!;
    if (aggregate === "all") {
      // Each row lists the responses its judgment was shown (a K-wise task may show a subset).
      for (const row of group) {
        const ranking = judgmentRanking(row);
        if (ranking) yield { prompt: exportPrompt(item, style), responses: rankingResponses(row.responses), ranking };
      }
      continue;
    }
    const shown = new Map<string, ExportResponse>();
    for (const row of group) for (const response of row.responses) if (!shown.has(response.externalId)) shown.set(response.externalId, response);
    for (const ranking of aggregateRankings(group, aggregate)) {
      yield { prompt: exportPrompt(item, style), responses: rankingResponses([...shown.values()]), ranking };
    }
  }
}
