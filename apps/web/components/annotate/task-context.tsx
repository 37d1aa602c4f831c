"use client";
import { useState } from "react";
import { Conversation, Markdown, MediaList, type ChatMessage } from "./content";

/**
 * Where a conversation's latest user turn starts: everything before it is earlier context, shown
 * collapsed ("Show 4 earlier turns") so the turn being answered and the responses fit on screen.
 */
export function splitConversation(messages: readonly ChatMessage[]): { earlier: ChatMessage[]; latest: ChatMessage[] } {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === "user") {
      last = i;
      break;
    }
  }
  // No user turn (or only one message): nothing to fold away.
  if (last <= 0) return { earlier: [], latest: [...messages] };
  return { earlier: messages.slice(0, last), latest: messages.slice(last) };
}

/** The task's prompt: a text prompt, or a conversation with its earlier turns collapsed; then media. */
export function TaskContext({ prompt, messages, media }: { prompt?: string | null; messages?: ChatMessage[] | null; media: unknown }) {
  const [expanded, setExpanded] = useState(false);
  const split = messages ? splitConversation(messages) : null;
  const hidden = split?.earlier.length ?? 0;
  return (
    <section className="context" aria-label="Prompt" data-expanded={expanded ? "true" : "false"}>
      {split ? (
        <>
          {hidden > 0 && (
            <button type="button" className="link-button earlier-turns" aria-expanded={expanded} onClick={() => setExpanded((v) => !v)}>
              {expanded ? `Hide ${hidden} earlier turn${hidden > 1 ? "s" : ""}` : `Show ${hidden} earlier turn${hidden > 1 ? "s" : ""}`}
            </button>
          )}
          <Conversation messages={expanded ? [...split.earlier, ...split.latest] : split.latest} />
        </>
      ) : prompt ? (
        <Markdown text={prompt} />
      ) : null}
      <MediaList media={media} />
    </section>
  );
}
