import { describeType, DOUBLE, INT32, listOf, MESSAGES, STRING, structOf, TIMESTAMP, type ColumnType } from "./column-types.ts";
import type { ExportFormat, ResolvedPromptStyle } from "./types.ts";

/**
 * A column of an export file: one type for every row (see `ColumnType`), `nullable` when a row
 * may hold null there. `kind` is the type's short name for people (dataset cards).
 */
export interface ExportColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  kind: string;
  description: string;
}

const column = (name: string, type: ColumnType, description: string, nullable = false): ExportColumn => ({
  name,
  type,
  nullable,
  kind: describeType(type),
  description,
});

/** `{responseId, attribute, score}` per rating: a fixed shape, whatever the response ids and attributes are. */
export const ATTRIBUTE_RATING = structOf({ name: "responseId", type: STRING }, { name: "attribute", type: STRING }, { name: "score", type: INT32 });
export const SPAN = structOf(
  { name: "responseId", type: STRING },
  { name: "start", type: INT32 },
  { name: "end", type: INT32 },
  { name: "label", type: STRING },
  { name: "note", type: STRING, nullable: true },
);
export const RANKING_RESPONSE = structOf({ name: "id", type: STRING }, { name: "content", type: STRING }, { name: "model", type: STRING, nullable: true });

/**
 * The columns of each export format. Prompt and answer columns are strings under the `text`
 * prompt style and `[{role, content}]` lists under `messages` (an export resolves `auto` to one of
 * the two for all its rows). `margin` (trl only) is TRL's optional reward-margin column.
 */
export function exportColumns(format: ExportFormat, options: { promptStyle: ResolvedPromptStyle; margin?: boolean }): ExportColumn[] {
  const textType = options.promptStyle === "text" ? STRING : MESSAGES;
  const prompt = column(
    "prompt",
    textType,
    options.promptStyle === "text" ? "The prompt (a conversation rendered as text)" : "The conversation so far as [{role, content}], the prompt last",
  );
  const answer = (name: string, which: string) =>
    column(name, textType, options.promptStyle === "text" ? `The ${which} response` : `The ${which} response as [{role: "assistant", content}]`);
  switch (format) {
    case "trl":
      return [
        prompt,
        answer("chosen", "preferred"),
        answer("rejected", "dispreferred"),
        ...(options.margin
          ? [column("margin", DOUBLE, "How much chosen is preferred: the mean strength (1–3) the agreeing judgments gave, 0 where none gave one")]
          : []),
      ];
    case "rationales":
      return [
        prompt,
        answer("chosen", "preferred"),
        answer("rejected", "dispreferred"),
        column("rationale", STRING, "The judge's or annotator's explanation of the choice"),
      ];
    case "rankings":
      return [
        prompt,
        column("responses", listOf(RANKING_RESPONSE), "The candidates: [{id, content, model}]"),
        column("ranking", listOf(listOf(STRING)), "Response ids best first; ids in one inner list are tied"),
      ];
    case "raw":
      return [
        column("id", STRING, "The judgment's id (as returned when it was submitted)"),
        column("itemId", STRING, "The item's imported id"),
        column("source", STRING, "human, judge or reward_model"),
        column("annotator", STRING, "Pseudonymous annotator id (HMAC of the user id with a per-campaign secret)", true),
        column("judgeModel", STRING, "The model that judged, for judge judgments", true),
        column("candidateIds", listOf(STRING), "The item's response ids"),
        column("candidateModels", listOf(STRING, { nullableItems: true }), "The model of each response, where known"),
        column("verdict", STRING, "winner, tie, both_bad or ranking"),
        column("winnerId", STRING, "The chosen response's id, for verdict winner", true),
        column("ranking", listOf(listOf(STRING)), "Response ids best first, ties in one inner list, for verdict ranking", true),
        column("strength", INT32, "How strong the preference is (1–3)", true),
        column("confidence", DOUBLE, "Confidence (0–1), when given", true),
        column("rationale", STRING, "Free-text explanation", true),
        column("attributes", listOf(ATTRIBUTE_RATING), "Per-response attribute ratings: [{responseId, attribute, score}]", true),
        column("spans", listOf(SPAN), "Highlighted passages: [{responseId, start, end, label, note}]", true),
        column("timeMs", INT32, "Time spent on the task, in milliseconds", true),
        column(
          "hintCondition",
          STRING,
          "Hint arm: hint (the task carried the hint), control (withheld: the no-hint arm), none (nothing validated to show); null when not recorded",
          true,
        ),
        column(
          "hintSource",
          STRING,
          "What the hint was, for the arm above: reward-model (the reward model's view) or judge (the LLM judge's stored verdict); null when not recorded",
          true,
        ),
        column("createdAt", TIMESTAMP, "When the judgment was made (UTC; ISO 8601 text in JSON Lines)"),
      ];
  }
}
