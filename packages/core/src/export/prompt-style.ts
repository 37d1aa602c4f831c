import { renderConversation } from "../import/conversation.ts";
import type { ChatMessage, ExportJudgmentRow, PromptStyle, TextOrMessages } from "./types.ts";

/** The item's whole context as turns: its messages, then its prompt as a user turn. */
function contextTurns(row: Pick<ExportJudgmentRow, "prompt" | "messages">): ChatMessage[] {
  const turns = [...(row.messages ?? [])];
  if (row.prompt) turns.push({ role: "user", content: row.prompt });
  return turns;
}

const isMultiTurn = (row: Pick<ExportJudgmentRow, "messages">) => (row.messages?.length ?? 0) > 0;

/** Whether the rows for this item use message lists (see `PromptStyle`). */
export function usesMessages(row: Pick<ExportJudgmentRow, "messages">, style: PromptStyle): boolean {
  return style === "messages" || (style === "auto" && isMultiTurn(row));
}

/** The prompt as the style asks: text, or the conversation with the prompt as its last user turn. */
export function exportPrompt(row: Pick<ExportJudgmentRow, "prompt" | "messages">, style: PromptStyle): TextOrMessages {
  if (usesMessages(row, style)) return contextTurns(row);
  if (!isMultiTurn(row)) return row.prompt ?? "";
  return renderConversation(contextTurns(row));
}

/** An answer: its text, or `[{role: "assistant", content}]` when the prompt is a message list. */
export function exportAnswer(row: Pick<ExportJudgmentRow, "messages">, content: string, style: PromptStyle): TextOrMessages {
  return usesMessages(row, style) ? [{ role: "assistant", content }] : content;
}
