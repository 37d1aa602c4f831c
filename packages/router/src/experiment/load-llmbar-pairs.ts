import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import type { GoldPair } from "./pairwise-reward-judge.ts";

const LlmBarFile = z.array(z.object({ input: z.string(), output_1: z.string(), output_2: z.string(), label: z.union([z.literal(1), z.literal(2)]) }));

/** Reads an LLMBar dataset.json (input, output_1, output_2, label 1|2) as gold-labelled pairs. */
export function loadLlmBarPairs(path: string): GoldPair[] {
  const parsed = LlmBarFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: [${issue?.path.join(".")}] ${issue?.message}`);
  }
  const name = basename(path).replace(/\.json$/, "");
  return parsed.data.map((row, i) => ({
    id: `${name}#${i}`,
    prompt: row.input,
    output1: row.output_1,
    output2: row.output_2,
    label: row.label === 1 ? "1" : "2",
  }));
}
