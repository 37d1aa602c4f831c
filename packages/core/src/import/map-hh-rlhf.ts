import { z } from "zod";
import { describeIssues, describeJsonType, ExternalIdInput, extraFields, isPlainObject } from "./build-item.ts";
import { parseHhTranscript, responseFromTurns, splitSharedPrefix } from "./conversation.ts";
import { mapPreferencePair } from "./map-preference-pair.ts";
import type { MapOptions, MapOutcome } from "./types.ts";

/** An Anthropic HH-RLHF row: two whole transcripts. */
export const HhRlhfItemInput = z.looseObject({ id: ExternalIdInput.optional(), chosen: z.string(), rejected: z.string() });

const HH_FIELDS = ["id", "chosen", "rejected"] as const;

/**
 * The turns both transcripts share become the conversation (`messages`); what follows in each
 * becomes its candidate: usually one assistant turn, several turns rendered as a conversation
 * when the transcripts part earlier.
 */
export function mapHhRlhfRecord(value: unknown, options: MapOptions): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = HhRlhfItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const { id, chosen, rejected } = parsed.data;
  const chosenTurns = parseHhTranscript(chosen);
  const rejectedTurns = parseHhTranscript(rejected);
  const errors = [
    ...(chosenTurns ? [] : ['chosen is not an HH-RLHF transcript (it should start with "\\n\\nHuman:")']),
    ...(rejectedTurns ? [] : ['rejected is not an HH-RLHF transcript (it should start with "\\n\\nHuman:")']),
  ];
  if (!chosenTurns || !rejectedTurns) return { errors };
  const { shared, tails } = splitSharedPrefix([chosenTurns, rejectedTurns]);
  if (shared.length === 0) return { errors: ["chosen and rejected share no turn, so there is no conversation to show"] };
  return mapPreferencePair(
    {
      id,
      messages: shared,
      chosen: responseFromTurns(tails[0]!),
      rejected: responseFromTurns(tails[1]!),
      metadata: extraFields(value, HH_FIELDS),
    },
    options,
  );
}
