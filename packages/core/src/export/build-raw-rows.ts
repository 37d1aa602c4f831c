import { toExternalId } from "./judgment-outcomes.ts";
import type { AttributeRating, ExportJudgmentRow, RawRow, RawSpan } from "./types.ts";

const text = (value: unknown): string => (typeof value === "string" ? value : String(value ?? ""));
const integer = (value: unknown): number => (typeof value === "number" ? Math.trunc(value) : Number.parseInt(String(value), 10) || 0);

/** `{responseId: {attribute: score}}` as one `{responseId, attribute, score}` per rating. */
function attributeRatings(attributes: Record<string, Record<string, number>>, external: (ref: string) => string): AttributeRating[] {
  return Object.entries(attributes).flatMap(([responseId, scores]) =>
    Object.entries(scores ?? {}).map(([attribute, score]) => ({ responseId: external(responseId), attribute, score: integer(score) })),
  );
}

/** A stored span (`candidateId` as submitted, or `responseId`) in the export's one shape. */
function rawSpan(span: Record<string, unknown>, external: (ref: string) => string): RawSpan {
  const ref = typeof span.responseId === "string" ? span.responseId : text(span.candidateId);
  return {
    responseId: external(ref),
    start: integer(span.start),
    end: integer(span.end),
    label: text(span.label),
    note: typeof span.note === "string" ? span.note : null,
  };
}

/** An ISO 8601 time from a Date or a string the database gave. */
function isoTime(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** One judgment as a `raw` row: every field, responses named by their imported ids. */
export function toRawRow(row: ExportJudgmentRow): RawRow {
  const external = toExternalId(row.responses);
  const attributes = row.attributes ? attributeRatings(row.attributes, external) : null;
  const spans = row.spans ? row.spans.map((span) => rawSpan(span, external)) : null;
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
    hintSource: row.hintSource ?? null,
    createdAt: isoTime(row.createdAt),
  };
}

/** `raw` rows: one per judgment, in the order given. */
export async function* buildRawRows(judgments: AsyncIterable<ExportJudgmentRow> | Iterable<ExportJudgmentRow>): AsyncGenerator<RawRow> {
  for await (const row of judgments) yield toRawRow(row);
}
