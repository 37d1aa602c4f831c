import { z } from "zod";
import { buildItem, ChatMessagesInput, describeIssues, describeJsonType, ExternalIdInput, isPlainObject, MediaRefInput, MetadataInput } from "./build-item.ts";
import type { MapOutcome } from "./types.ts";

/** A candidate in a native line. Its content must be text (it may be empty). */
export const NativeResponseInput = z
  .object({
    id: ExternalIdInput.optional(),
    content: z.string(),
    model: z.string().trim().min(1).nullish(),
    metadata: MetadataInput.nullish(),
  })
  .strict();

/** One line of the native format (API.md, Items). Unknown fields are errors: extra data goes under `metadata`. */
export const NativeItemInput = z
  .object({
    id: ExternalIdInput.optional(),
    prompt: z.string().nullish(),
    messages: ChatMessagesInput.nullish(),
    media: z.array(MediaRefInput).nullish(),
    responses: z.array(NativeResponseInput),
    gold: z.unknown().optional(),
    metadata: MetadataInput.nullish(),
  })
  .strict();

export function mapNativeRecord(value: unknown): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = NativeItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  return buildItem(parsed.data);
}
