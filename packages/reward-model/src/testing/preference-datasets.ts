import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { splitAtLastAssistantTurn } from "../split-conversation.ts";
import type { PreferencePair } from "../reward-model.ts";

export interface PreferenceDataset {
  readonly name: string;
  readonly pairs: readonly PreferencePair[];
}

/** hh-rlhf: chosen vs rejected transcripts; the last assistant turn is the response. */
export function loadHhRlhf(file: string): PreferenceDataset {
  const lines = gunzipSync(readFileSync(file))
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const pairs: PreferencePair[] = [];
  for (const line of lines) {
    const record = JSON.parse(line) as { chosen: string; rejected: string };
    const chosen = splitAtLastAssistantTurn(record.chosen);
    const rejected = splitAtLastAssistantTurn(record.rejected);
    if (!chosen || !rejected) continue;
    pairs.push({ prompt: chosen.prompt, chosen: chosen.response, rejected: rejected.response });
  }
  return { name: "hh-rlhf harmless-base (test split)", pairs };
}

/** LLMBar: input, output_1, output_2, label (1 or 2 = the better output). */
export function loadLlmBar(files: readonly string[]): PreferenceDataset {
  const pairs: PreferencePair[] = [];
  for (const file of files) {
    const records = JSON.parse(readFileSync(file, "utf8")) as { input: string; output_1: string; output_2: string; label: number }[];
    for (const record of records) {
      const [chosen, rejected] = record.label === 1 ? [record.output_1, record.output_2] : [record.output_2, record.output_1];
      pairs.push({ prompt: record.input, chosen, rejected });
    }
  }
  return { name: "LLMBar (Natural + MT-Bench)", pairs };
}

export const HH_RLHF_FILE = "hh-rlhf_harmless-base_test.jsonl.gz";
export const LLMBAR_FILES = ["llmbar_natural.json", "llmbar_processed_mt-bench.json"];

export function datasetsIn(folder: string): { hh: string | null; llmbar: string[] | null } {
  const hh = join(folder, HH_RLHF_FILE);
  const llmbar = LLMBAR_FILES.map((file) => join(folder, file));
  return { hh: existsSync(hh) ? hh : null, llmbar: llmbar.every((file) => existsSync(file)) ? llmbar : null };
}
