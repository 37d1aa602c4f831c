import { aggregatePreferences } from "./judgment-outcomes.ts";
import { groupByItem } from "./group-by-item.ts";
import { exportAnswer, exportPrompt } from "./prompt-style.ts";
import type { ExportAggregate, ExportJudgmentRow, PromptStyle, TrlRow } from "./types.ts";

export interface PreferenceExportOptions {
  /** Default "majority". */
  aggregate?: ExportAggregate;
  /** Turn each K-wise ranking into every pair it orders; by default only best tier × worst tier. */
  expandRankings?: boolean;
  /** Default "auto". */
  promptStyle?: PromptStyle;
}

/**
 * `{prompt, chosen, rejected}` rows for TRL's preference trainers: the item's judgments
 * aggregated per pair of responses (see `aggregatePreferences`); ties and both_bad are left out.
 */
export async function* buildTrlRows(
  judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>,
  options: PreferenceExportOptions = {},
): AsyncGenerator<TrlRow> {
  const aggregate = options.aggregate ?? "majority";
  const expandRankings = options.expandRankings ?? false;
  const style = options.promptStyle ?? "auto";
  for await (const group of groupByItem(judgments)) {
    const item = group[0]!;
    for (const { chosen, rejected } of aggregatePreferences(group, { aggregate, expandRankings })) {
      yield {
        prompt: exportPrompt(item, style),
        chosen: exportAnswer(item, chosen.content, style),
        rejected: exportAnswer(item, rejected.content, style),
      };
    }
  }
}
