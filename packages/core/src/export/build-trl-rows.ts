import { aggregatePreferences } from "./judgment-outcomes.ts";
import { groupByItem } from "./group-by-item.ts";
import { exportAnswer, exportPrompt } from "./prompt-style.ts";
import type { ExportAggregate, ExportJudgmentRow, ResolvedPromptStyle, TrlRow } from "./types.ts";

export interface PreferenceExportOptions {
  /** Default "majority". */
  aggregate?: ExportAggregate;
  /** Turn each K-wise ranking into every pair it orders; by default only best tier × worst tier. */
  expandRankings?: boolean;
  /** One style for every row (see `resolvePromptStyle`); default "text". */
  promptStyle?: ResolvedPromptStyle;
  /** Add TRL's `margin` column: the mean strength the agreeing judgments gave, 0 where none gave one. */
  margin?: boolean;
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

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
  const style = options.promptStyle ?? "text";
  for await (const group of groupByItem(judgments)) {
    const item = group[0]!;
    for (const { chosen, rejected, strengths } of aggregatePreferences(group, { aggregate, expandRankings })) {
      yield {
        prompt: exportPrompt(item, style),
        chosen: exportAnswer(chosen.content, style),
        rejected: exportAnswer(rejected.content, style),
        ...(options.margin ? { margin: mean(strengths) } : {}),
      };
    }
  }
}
