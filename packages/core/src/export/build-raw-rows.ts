import { toExternalId } from "./judgment-outcomes.ts";
import type { ExportJudgmentRow, RawRow } from "./types.ts";

const SPAN_RESPONSE_KEYS = ["responseId", "candidateId"] as const;

/** An ISO 8601 time from a Date or a string the database gave. */
function isoTime(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** One judgment as a `raw` row: every field, responses named by their imported ids. */
export function toRawRow(row: ExportJudgmentRow): RawRow {
  const external = toExternalId(row.responses);
  const attributes = row.attributes ? Object.fromEntries(Object.entries(row.attributes).map(([responseId, scores]) => [external(responseId), scores])) : null;
  const spans = row.spans
    ? row.spans.map((span) => {
        const copy = { ...span };
        for (const key of SPAN_RESPONSE_KEYS) if (typeof copy[key] === "string") copy[key] = external(copy[key]);
        return copy;
      })
    : null;
  return {
    id: row.id,
    itemId: row.itemExternalId,
    source: row.source,
    annotator: row.annotatorPseudonym ?? null,
    judgeModel: row.judgeModel ?? null,
    candidateIds: row.responses.map((response) => response.externalId),
    candidateModels: row.responses.map((response) => response.model ?? null),
    verdict: row.verdict,
    winnerId: row.winnerId ? external(row.winnerId) : null,
    ranking: row.ranking ? row.ranking.map((tier) => tier.map(external)) : null,
    strength: row.strength ?? null,
    confidence: row.confidence ?? null,
    rationale: row.rationale ?? null,
    attributes,
    spans,
    timeMs: row.timeMs ?? null,
    hintCondition: row.hintCondition ?? null,
    createdAt: isoTime(row.createdAt),
  };
}

/** `raw` rows: one per judgment, in the order given. */
export async function* buildRawRows(judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>): AsyncGenerator<RawRow> {
  for await (const row of judgments) yield toRawRow(row);
}
