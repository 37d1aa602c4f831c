import { judgmentPreferences } from "./judgment-outcomes.ts";
import { exportAnswer, exportPrompt } from "./prompt-style.ts";
import type { ExportJudgmentRow, ResolvedPromptStyle, RationaleRow } from "./types.ts";

/**
 * `{prompt, chosen, rejected, rationale}` rows: one per judgment that has a rationale and a
 * preference (a rationale explains one person's choice, so these are never aggregated). A K-wise
 * judgment gives best × worst pairs, or every pair with `expandRankings`. Ties and both_bad are left out.
 */
export async function* buildRationaleRows(
  judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>,
  options: { expandRankings?: boolean; promptStyle?: ResolvedPromptStyle } = {},
): AsyncGenerator<RationaleRow> {
  const style = options.promptStyle ?? "text";
  for await (const row of judgments) {
    const rationale = row.rationale?.trim();
    if (!rationale) continue;
    for (const { chosen, rejected } of judgmentPreferences(row, { expandRankings: options.expandRankings ?? false })) {
      yield {
        prompt: exportPrompt(row, style),
        chosen: exportAnswer(chosen.content, style),
        rejected: exportAnswer(rejected.content, style),
        rationale: row.rationale!,
      };
    }
  }
}
