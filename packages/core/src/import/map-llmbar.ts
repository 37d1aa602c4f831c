import { z } from "zod";
import { buildItem, describeIssues, describeJsonType, ExternalIdInput, extraFields, isPlainObject } from "./build-item.ts";
import type { MapOutcome } from "./types.ts";

/** An LLMBar row: `label` 1 or 2 names the better output. */
export const LlmbarItemInput = z.looseObject({
  id: ExternalIdInput.optional(),
  input: z.string(),
  output_1: z.string(),
  output_2: z.string(),
  label: z.union([z.literal(1), z.literal(2)], { error: "label must be 1 or 2 (the better output)" }).nullish(),
});

const LLMBAR_FIELDS = ["id", "input", "output_1", "output_2", "label"] as const;

/** `input` is the prompt, `output_1` and `output_2` are responses `a` and `b`, `label` the gold winner. */
export function mapLlmbarRecord(value: unknown): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = LlmbarItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const { id, input, output_1, output_2, label } = parsed.data;
  return buildItem({
    id,
    prompt: input,
    responses: [{ content: output_1 }, { content: output_2 }],
    gold: label === 1 ? { winner: "a" } : label === 2 ? { winner: "b" } : undefined,
    metadata: extraFields(value, LLMBAR_FIELDS),
  });
}
