import { buildItem } from "./build-item.ts";
import { contentDigest } from "./item-ids.ts";
import type { ChatMessage, MapOptions, MapOutcome } from "./types.ts";

export interface PreferencePair {
  id?: string;
  prompt?: string;
  messages?: ChatMessage[];
  chosen: { content: string; metadata?: Record<string, unknown> };
  rejected: { content: string; metadata?: Record<string, unknown> };
  metadata?: Record<string, unknown>;
}

/**
 * An item from a source that already prefers one of two answers (trl, hh-rlhf). The preference is
 * kept in each response's metadata as `sourcePreference: "chosen" | "rejected"`, and becomes
 * `gold.winner` only when asked. Which of the two is `a` follows a bit of the content hash, so the
 * chosen answer is `a` in about half the items and a response id never gives the preference away.
 */
export function mapPreferencePair(pair: PreferencePair, options: MapOptions): MapOutcome {
  const digest = contentDigest({
    prompt: pair.prompt,
    messages: pair.messages,
    responses: [{ content: pair.chosen.content }, { content: pair.rejected.content }],
  });
  const chosenFirst = (parseInt(digest.slice(-1), 16) & 1) === 0;
  const chosenId = chosenFirst ? "a" : "b";
  const chosen = { id: chosenId, content: pair.chosen.content, metadata: { ...pair.chosen.metadata, sourcePreference: "chosen" } };
  const rejected = {
    id: chosenFirst ? "b" : "a",
    content: pair.rejected.content,
    metadata: { ...pair.rejected.metadata, sourcePreference: "rejected" },
  };
  return buildItem({
    id: pair.id,
    prompt: pair.prompt,
    messages: pair.messages,
    metadata: pair.metadata,
    responses: chosenFirst ? [chosen, rejected] : [rejected, chosen],
    gold: options.labelsAsGold ? { winner: chosenId } : undefined,
    digest,
  });
}
