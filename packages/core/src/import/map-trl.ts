import { z } from "zod";
import { ChatMessagesInput, describeIssues, describeJsonType, ExternalIdInput, extraFields, isPlainObject } from "./build-item.ts";
import { responseFromTurns, splitSharedPrefix } from "./conversation.ts";
import { mapPreferencePair } from "./map-preference-pair.ts";
import type { ChatMessage, MapOptions, MapOutcome } from "./types.ts";

/** Text, or a conversation as `[{role, content}]`. */
export const TextOrMessages = z.union([z.string(), ChatMessagesInput], { error: "expected text or a list of {role, content} messages" });

/** A TRL preference row: explicit prompt, or (conversational only) an implicit one shared by chosen and rejected. */
export const TrlItemInput = z.looseObject({
  id: ExternalIdInput.optional(),
  prompt: TextOrMessages.nullish(),
  chosen: TextOrMessages,
  rejected: TextOrMessages,
});

const TRL_FIELDS = ["id", "prompt", "chosen", "rejected"] as const;

function candidate(value: string | ChatMessage[], name: string): { content: string; metadata?: Record<string, unknown> } | string {
  if (typeof value === "string") return { content: value };
  if (value.length === 0) return `${name} is an empty message list`;
  return responseFromTurns(value);
}

export function mapTrlRecord(value: unknown, options: MapOptions): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = TrlItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const { id, prompt, chosen, rejected } = parsed.data;
  const metadata = extraFields(value, TRL_FIELDS);

  if (prompt === undefined || prompt === null) {
    if (typeof chosen === "string" || typeof rejected === "string") {
      return { errors: ["prompt is required when chosen and rejected are text (whole transcripts as text are format=hh-rlhf)"] };
    }
    if (chosen.length === 0 || rejected.length === 0) return { errors: ["chosen and rejected must not be empty message lists"] };
    const { shared, tails } = splitSharedPrefix([chosen, rejected]);
    return mapPreferencePair({ id, messages: shared, chosen: responseFromTurns(tails[0]!), rejected: responseFromTurns(tails[1]!), metadata }, options);
  }
  const chosenCandidate = candidate(chosen, "chosen");
  const rejectedCandidate = candidate(rejected, "rejected");
  const errors = [chosenCandidate, rejectedCandidate].filter((c): c is string => typeof c === "string");
  if (errors.length > 0 || typeof chosenCandidate === "string" || typeof rejectedCandidate === "string") return { errors };
  return mapPreferencePair(
    {
      id,
      ...(typeof prompt === "string" ? { prompt } : { messages: prompt }),
      chosen: chosenCandidate,
      rejected: rejectedCandidate,
      metadata,
    },
    options,
  );
}
