import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import type { GoldPair } from "./pairwise-reward-judge.ts";
import { parsePythonLiteral } from "./parse-python-literal.ts";

/** A real judge's verdicts on one pair, in the pair's own order ("1" / "2"); null = no usable verdict. */
export interface BothOrderVerdict {
  /** Output 1 shown first (LLMBar's `swap = False`). */
  shownInOrder: "1" | "2" | null;
  /** Output 2 shown first (`swap = True`), already mapped back to the pair's order by LLMBar. */
  shownSwapped: "1" | "2" | null;
}

export interface JudgedPair extends GoldPair {
  verdict: BothOrderVerdict;
}

const Winner = z.unknown().transform((w): "1" | "2" | null => (w === "1" || w === 1 ? "1" : w === "2" || w === 2 ? "2" : null));
const Side = z.object({ winner: Winner }).loose();
const Round = z.object({ "swap = False": Side, "swap = True": Side }).loose();
const Row = z.object({
  input: z.string(),
  output_1: z.string(),
  output_2: z.string(),
  label: z.union([z.literal(1), z.literal(2)]),
  results: z.union([z.string(), z.array(z.unknown())]),
});

/**
 * Reads one of LLMBar's evaluator result files (../shared/data/llmbar-judges/): the LLMBar fields
 * plus `results`, a list of rounds of `{ "swap = False": { winner }, "swap = True": { winner } }`
 * (a JSON list, or a Python-literal string in some files). The first round is the judge's own
 * verdict in both orders; later rounds (LLMBar's "Swap" strategy adds a debate) are ignored. A
 * winner that is neither 1 nor 2 (the judge's answer did not parse) is null.
 */
export function loadLlmBarJudgeVerdicts(path: string): JudgedPair[] {
  const rows = z.array(Row).safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!rows.success) {
    const issue = rows.error.issues[0];
    throw new Error(`${path}: [${issue?.path.join(".")}] ${issue?.message}`);
  }
  const name = basename(path).replace(/\.json$/, "");
  return rows.data.map((row, i) => {
    const results = typeof row.results === "string" ? parsePythonLiteral(row.results) : row.results;
    const first = z.array(Round).min(1).safeParse(results);
    if (!first.success) throw new Error(`${path}: row ${i}: results: ${first.error.issues[0]?.message}`);
    const round = first.data[0] as z.infer<typeof Round>;
    return {
      id: `${name}#${i}`,
      prompt: row.input,
      output1: row.output_1,
      output2: row.output_2,
      label: row.label === 1 ? "1" : "2",
      verdict: { shownInOrder: round["swap = False"].winner, shownSwapped: round["swap = True"].winner },
    };
  });
}
