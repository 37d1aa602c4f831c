import type { ChatMessage } from "../import/types.ts";

export type { ChatMessage };

/** A candidate as the export sees it: `id` is the database id, `externalId` the imported one. */
export interface ExportResponse {
  id: string;
  externalId: string;
  content: string;
  model?: string | null;
}

/**
 * One judgment joined with its item and the item's responses: what the database layer hands the
 * export, one row per judgment, rows of the same item next to each other (ORDER BY item).
 * `winnerId`, `ranking`, the keys of `attributes` and the `responseId`/`candidateId` of `spans`
 * may name responses by `id` or by `externalId`; the export writes external ids.
 * Never put e-mails or names here: annotators appear only as `pseudonymizeAnnotator` ids.
 */
export interface ExportJudgmentRow {
  id: string;
  itemExternalId: string;
  prompt?: string | null;
  messages?: ChatMessage[] | null;
  responses: ExportResponse[];
  source: "human" | "judge" | "reward_model";
  annotatorPseudonym?: string | null;
  judgeModel?: string | null;
  verdict: "winner" | "tie" | "both_bad" | "ranking";
  winnerId?: string | null;
  /** Best first; inner lists are ties. */
  ranking?: string[][] | null;
  strength?: number | null;
  confidence?: number | null;
  rationale?: string | null;
  /** `{responseId: {attribute: score}}` */
  attributes?: Record<string, Record<string, number>> | null;
  /** `[{responseId, start, end, label}]` */
  spans?: Record<string, unknown>[] | null;
  timeMs?: number | null;
  /** The reward-model hint arm the judgment was made in ("hint", "control", "none"). */
  hintCondition?: string | null;
  /** What the hint showed under that arm: "reward-model" (the model's view) or "judge" (the LLM judge's verdict). */
  hintSource?: string | null;
  createdAt: Date | string;
}

export const EXPORT_FORMATS = ["trl", "rankings", "rationales", "raw"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * How several judgments of one item become rows. `majority`: the outcome most judgments gave,
 * strictly more often than any other; `unanimous`: only where every judgment agrees; `all`: one
 * row per judgment (no aggregation).
 */
export type ExportAggregate = "majority" | "all" | "unanimous";

/**
 * How prompts and answers are written. `auto`: a prompt string for single-turn items and a
 * message list for multi-turn ones (the answers then as `[{role: "assistant", content}]`, TRL's
 * conversational form); `text`: always strings (a conversation rendered "User: …\n\nAssistant: …");
 * `messages`: always message lists.
 */
export type PromptStyle = "auto" | "text" | "messages";

/**
 * The style every row of one export is written in: `auto` is resolved once per export (any
 * multi-turn item → `messages` for all rows), so a column never mixes strings and lists.
 */
export type ResolvedPromptStyle = Exclude<PromptStyle, "auto">;

/** A prompt or an answer: text, or a conversation. */
export type TextOrMessages = string | ChatMessage[];

export interface TrlRow {
  prompt: TextOrMessages;
  chosen: TextOrMessages;
  rejected: TextOrMessages;
  /** TRL's optional reward margin, only when asked for (campaigns with a strength scale). */
  margin?: number;
}

export interface RankingResponse {
  id: string;
  content: string;
  model: string | null;
}

export interface RankingRow {
  prompt: TextOrMessages;
  responses: RankingResponse[];
  /** Response ids, best first; inner lists are ties. */
  ranking: string[][];
}

export interface RationaleRow {
  prompt: TextOrMessages;
  chosen: TextOrMessages;
  rejected: TextOrMessages;
  rationale: string;
}

/** One judgment, every field, responses by their imported ids; `createdAt` as ISO 8601. */
export interface RawRow {
  id: string;
  itemId: string;
  source: string;
  annotator: string | null;
  judgeModel: string | null;
  candidateIds: string[];
  candidateModels: (string | null)[];
  verdict: string;
  winnerId: string | null;
  ranking: string[][] | null;
  strength: number | null;
  confidence: number | null;
  rationale: string | null;
  /** One entry per rating, so the column has one shape whatever the ids and attributes are. */
  attributes: AttributeRating[] | null;
  spans: RawSpan[] | null;
  timeMs: number | null;
  hintCondition: string | null;
  hintSource: string | null;
  createdAt: string;
}

export interface AttributeRating {
  responseId: string;
  attribute: string;
  score: number;
}

export interface RawSpan {
  responseId: string;
  start: number;
  end: number;
  label: string;
  note: string | null;
}

export type ExportRow = TrlRow | RankingRow | RationaleRow | RawRow;
