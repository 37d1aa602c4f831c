import { aggregateRankings } from "./judgment-outcomes.ts";
import { groupByItem } from "./group-by-item.ts";
import { exportPrompt } from "./prompt-style.ts";
import type { ExportAggregate, ExportJudgmentRow, PromptStyle, RankingRow } from "./types.ts";

/**
 * `{prompt, responses, ranking}` rows: `responses` are `{id, content, model}` with imported ids,
 * `ranking` names those ids best first with ties in one inner list. A pairwise winner ranks
 * first over the rest, a tie is one tier, both_bad is left out. `aggregate` defaults to "all"
 * (one row per judgment); "majority" gives a Borda consensus per item, "unanimous" only
 * rankings every judgment agrees on.
 */
export async function* buildRankingRows(
  judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>,
  options: { aggregate?: ExportAggregate; promptStyle?: PromptStyle } = {},
): AsyncGenerator<RankingRow> {
  const style = options.promptStyle ?? "auto";
  for await (const group of groupByItem(judgments)) {
    const item = group[0]!;
    const responses = item.responses.map(({ externalId, content, model }) => ({ id: externalId, content, model: model ?? null }));
    for (const ranking of aggregateRankings(group, options.aggregate ?? "all")) {
      yield { prompt: exportPrompt(item, style), responses, ranking };
    }
  }
}
