import { renderConversation } from "../import/conversation.ts";
import type { ChatMessage, ExportJudgmentRow, PromptStyle, ResolvedPromptStyle, TextOrMessages } from "./types.ts";

/** The item's whole context as turns: its messages, then its prompt as a user turn. */
function contextTurns(row: Pick<ExportJudgmentRow, "prompt" | "messages">): ChatMessage[] {
  const turns = [...(row.messages ?? [])];
  if (row.prompt) turns.push({ role: "user", content: row.prompt });
  return turns;
}

export const isMultiTurn = (row: Pick<ExportJudgmentRow, "messages">) => (row.messages?.length ?? 0) > 0;

/**
 * The one style of a whole export: `auto` becomes `messages` when any item the export may
 * include is multi-turn, else `text` — decided before the first row, never per row.
 */
export function resolvePromptStyle(style: PromptStyle, anyMultiTurn: boolean): ResolvedPromptStyle {
  if (style !== "auto") return style;
  return anyMultiTurn ? "messages" : "text";
}

const usesMessages = (style: ResolvedPromptStyle) => style === "messages";

/** The prompt as the style asks: text, or the conversation with the prompt as its last user turn. */
export function exportPrompt(row: Pick<ExportJudgmentRow, "prompt" | "messages">, style: ResolvedPromptStyle): TextOrMessages {
  if (usesMessages(style)) return contextTurns(row);
  if (!isMultiTurn(row)) return row.prompt ?? "";
  return renderConversation(contextTurns(row));
}

/** An answer: its text, or `[{role: "assistant", content}]` when the prompt is a message list. */
export function exportAnswer(content: string, style: ResolvedPromptStyle): TextOrMessages {
  return usesMessages(style) ? [{ role: "assistant", content }] : content;
}
