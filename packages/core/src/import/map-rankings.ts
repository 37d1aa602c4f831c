import { z } from "zod";
import { buildItem, describeIssues, describeJsonType, ExternalIdInput, extraFields, isPlainObject } from "./build-item.ts";
import { TextOrMessages } from "./map-trl.ts";
import type { MapOutcome } from "./types.ts";

/** A candidate of a rankings row, as the `rankings` export writes it: `{id, content, model}`. */
export const RankingResponseInput = z.object({ id: ExternalIdInput, content: z.string(), model: z.string().trim().min(1).nullish() }).strict();

/** A row of the `rankings` export: a prompt, its candidates and a ranking of their ids (best first, ties in one inner list). */
export const RankingsItemInput = z.looseObject({
  id: ExternalIdInput.optional(),
  prompt: TextOrMessages,
  responses: z.array(RankingResponseInput),
  ranking: z.array(z.array(ExternalIdInput).min(1, "a tier must name at least one response")).min(1, "must rank the responses"),
});

const RANKINGS_FIELDS = ["id", "prompt", "responses", "ranking"] as const;

/**
 * A rankings row as an item: a text prompt is `prompt`, a message list `messages` (the export
 * puts the prompt last in it); the responses keep their ids and models; the ranking is the
 * row's label (gold `{ranking}`, checked against the response ids). Other fields become metadata.
 */
export function mapRankingsRecord(value: unknown): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = RankingsItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const { id, prompt, responses, ranking } = parsed.data;
  return buildItem({
    id,
    ...(typeof prompt === "string" ? { prompt } : { messages: prompt }),
    responses,
    gold: { ranking },
    metadata: extraFields(value, RANKINGS_FIELDS),
  });
}
