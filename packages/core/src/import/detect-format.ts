import { isPlainObject } from "./build-item.ts";
import type { ItemFormat } from "./types.ts";

/**
 * The format of a JSON record, judged by its fields: `responses` and `ranking` → rankings;
 * `responses` → native; `generations` and
 * `ranking` → imagereward; `output_1` and `output_2` → llmbar; `chosen` and `rejected` → trl
 * when there is a `prompt` or they are message lists, else hh-rlhf. Undefined when none fits.
 */
export function detectJsonFormat(record: unknown): Exclude<ItemFormat, "csv"> | undefined {
  if (!isPlainObject(record)) return undefined;
  const has = (key: string) => key in record;
  if (has("responses")) return has("ranking") ? "rankings" : "native";
  if (has("generations") && has("ranking")) return "imagereward";
  if (has("output_1") && has("output_2")) return "llmbar";
  if (has("chosen") && has("rejected")) {
    return has("prompt") || Array.isArray(record.chosen) ? "trl" : "hh-rlhf";
  }
  return undefined;
}
