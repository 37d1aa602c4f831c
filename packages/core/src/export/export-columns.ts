import type { ExportFormat, PromptStyle } from "./types.ts";

/**
 * A column of an export file. `json` columns hold nested values (message lists, rankings,
 * attributes); Parquet stores them as UTF-8 text with the JSON logical type, which readers such
 * as hyparquet, DuckDB and Arrow recognise, so no nested Parquet schema is needed.
 */
export interface ExportColumn {
  name: string;
  kind: "string" | "json" | "int" | "double" | "timestamp";
  description: string;
}

/**
 * The columns of each export format. Prompt and answer columns are `string` only when the
 * prompt style is `text`; otherwise they may hold message lists, so they are `json` (a plain
 * prompt is then the JSON string `"…"`).
 */
export function exportColumns(format: ExportFormat, options: { promptStyle?: PromptStyle } = {}): ExportColumn[] {
  const textKind = options.promptStyle === "text" ? "string" : "json";
  const prompt: ExportColumn = { name: "prompt", kind: textKind, description: "The prompt, or the conversation so far as [{role, content}]" };
  const answer = (name: string, which: string): ExportColumn => ({
    name,
    kind: textKind,
    description: `The ${which} response (as [{role: "assistant", content}] when the prompt is a message list)`,
  });
  switch (format) {
    case "trl":
      return [prompt, answer("chosen", "preferred"), answer("rejected", "dispreferred")];
    case "rationales":
      return [
        prompt,
        answer("chosen", "preferred"),
        answer("rejected", "dispreferred"),
        { name: "rationale", kind: "string", description: "The judge's or annotator's explanation of the choice" },
      ];
    case "rankings":
      return [
        prompt,
        { name: "responses", kind: "json", description: "The candidates: [{id, content, model}]" },
        { name: "ranking", kind: "json", description: "Response ids best first; ids in one inner list are tied" },
      ];
    case "raw":
      return [
        { name: "id", kind: "string", description: "The judgment's id (as returned when it was submitted)" },
        { name: "itemId", kind: "string", description: "The item's imported id" },
        { name: "source", kind: "string", description: "human, judge or reward_model" },
        { name: "annotator", kind: "string", description: "Pseudonymous annotator id (HMAC of the user id with a per-campaign secret)" },
        { name: "judgeModel", kind: "string", description: "The model that judged, for judge judgments" },
        { name: "candidateIds", kind: "json", description: "The item's response ids" },
        { name: "candidateModels", kind: "json", description: "The model of each response, where known" },
        { name: "verdict", kind: "string", description: "winner, tie, both_bad or ranking" },
        { name: "winnerId", kind: "string", description: "The chosen response's id, for verdict winner" },
        { name: "ranking", kind: "json", description: "Response ids best first, ties in one inner list, for verdict ranking" },
        { name: "strength", kind: "int", description: "How strong the preference is (1–3)" },
        { name: "confidence", kind: "double", description: "Confidence (0–1), when given" },
        { name: "rationale", kind: "string", description: "Free-text explanation" },
        { name: "attributes", kind: "json", description: "{responseId: {attribute: score}}" },
        { name: "spans", kind: "json", description: "[{responseId, start, end, label}] highlighted passages" },
        { name: "timeMs", kind: "int", description: "Time spent on the task, in milliseconds" },
        {
          name: "hintCondition",
          kind: "string",
          description:
            "Reward-model hint arm: hint (the task carried the model's view), control (withheld: the no-hint arm), none (no view to show); null when not recorded",
        },
        { name: "createdAt", kind: "timestamp", description: "When the judgment was made (UTC)" },
      ];
  }
}
