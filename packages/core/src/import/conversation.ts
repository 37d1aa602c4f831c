import type { ChatMessage } from "./types.ts";

const HH_TURN = /\n\n(Human|Assistant):/g;

/**
 * Splits an Anthropic HH-RLHF transcript ("\n\nHuman: …\n\nAssistant: …") into turns. Only a
 * marker after a blank line starts a turn, as in the source data, so "Human:" inside a reply stays
 * text. Turn contents are trimmed. Undefined when the text does not start with a Human turn.
 */
export function parseHhTranscript(transcript: string): ChatMessage[] | undefined {
  const text = transcript.startsWith("Human:") ? `\n\n${transcript}` : transcript;
  const markers = [...text.matchAll(HH_TURN)];
  const first = markers[0];
  if (first === undefined || first[1] !== "Human" || text.slice(0, first.index).trim() !== "") return undefined;
  return markers.map((marker, i) => {
    const start = marker.index + marker[0].length;
    const end = markers[i + 1]?.index ?? text.length;
    return { role: marker[1] === "Human" ? "user" : "assistant", content: text.slice(start, end).trim() };
  });
}

const sameTurn = (a: ChatMessage, b: ChatMessage) => a.role === b.role && a.content === b.content;

/**
 * The longest run of turns the conversations share, and what follows it in each. Every tail keeps
 * at least one turn (two identical transcripts share all but their last turn), so each candidate
 * has something to show.
 */
export function splitSharedPrefix(conversations: ChatMessage[][]): { shared: ChatMessage[]; tails: ChatMessage[][] } {
  const shortest = Math.min(...conversations.map((turns) => turns.length));
  let shared = 0;
  while (shared < shortest - 1 && conversations.every((turns) => sameTurn(turns[shared]!, conversations[0]![shared]!))) shared++;
  return { shared: conversations[0]!.slice(0, shared), tails: conversations.map((turns) => turns.slice(shared)) };
}

const ROLE_LABELS: Record<string, string> = { user: "User", assistant: "Assistant", system: "System", tool: "Tool" };

/** A conversation as readable text: "User: …\n\nAssistant: …". */
export function renderConversation(messages: readonly ChatMessage[]): string {
  return messages.map(({ role, content }) => `${ROLE_LABELS[role] ?? role.charAt(0).toUpperCase() + role.slice(1)}: ${content}`).join("\n\n");
}

/**
 * A candidate made of turns: one assistant turn is its text; several turns (a transcript that
 * diverged early) are rendered as a conversation and also kept whole in the response metadata.
 */
export function responseFromTurns(turns: ChatMessage[]): { content: string; metadata?: { messages: ChatMessage[] } } {
  const only = turns[0];
  if (turns.length === 1 && only !== undefined && only.role === "assistant") return { content: only.content };
  return { content: renderConversation(turns), metadata: { messages: turns } };
}
