/**
 * Every feature the router computes for an item, in a fixed order. Values are raw and readable
 * (token counts, 0/1 flags, similarities in [0, 1]) so that they can be shown to users as they
 * are; `transform` says how the disagreement model rescales one before standardising it.
 * A value of null means "not known for this item" (no judge confidence, no reward model).
 */
export const FEATURE_DEFINITIONS = {
  prompt_tokens: { transform: "log1p", description: "Word tokens in the prompt (all turns of a conversation)." },
  shorter_response_tokens: { transform: "log1p", description: "Word tokens in the shortest response." },
  longer_response_tokens: { transform: "log1p", description: "Word tokens in the longest response." },
  length_diff_tokens: { transform: "log1p", description: "Longest minus shortest response, in word tokens." },
  length_diff_relative: { transform: "identity", description: "(longer − shorter) / (longer + shorter + 1), in [0, 1)." },
  rouge1_f: { transform: "identity", description: "ROUGE-1 F1 between the responses (mean over pairs when there are more than two)." },
  token_cosine: { transform: "identity", description: "Cosine similarity of the responses' word-count vectors (mean over pairs)." },
  has_code: { transform: "identity", description: "1 if the prompt or a response contains code." },
  has_math: { transform: "identity", description: "1 if the prompt or a response contains math (LaTeX, equations, arithmetic)." },
  has_list: { transform: "identity", description: "1 if the prompt or a response contains a bulleted or numbered list." },
  has_markdown: { transform: "identity", description: "1 if the prompt or a response uses markdown (headers, bold, tables, links, fences)." },
  format_mismatch: { transform: "identity", description: "How many of code / list / markdown some responses use and others do not (0–3)." },
  conversation_turns: { transform: "log1p", description: "User turns in the context (1 for a single prompt)." },
  safety_terms: { transform: "log1p", description: "Safety-related words (harm, weapons, drugs, abuse, …) in the prompt and responses." },
  refusal_count: { transform: "identity", description: "Responses that decline the request." },
  judge_confidence: { transform: "identity", description: "The judge's stated confidence in [0, 1]; null when not given." },
  judge_order_inconsistent: {
    transform: "identity",
    description: "1 if the judge changed its verdict when the order was swapped, 0 if not; null when not checked.",
  },
  judge_tie: { transform: "identity", description: "1 if the judge called a tie; null without a judge verdict." },
  judge_winner_longer: {
    transform: "identity",
    description:
      "Verbosity bias, signed: (tokens of the judge's winner − mean tokens of the other responses) / (their sum + 1), in (−1, 1); > 0 when the judge picked the longer response. Null without a winner or on a tie.",
  },
  judge_winner_more_formatted: {
    transform: "identity",
    description:
      "Formatting bias, signed: how many of list / markdown / code the judge's winner uses minus the mean over the other responses, in [−3, 3]. Null without a winner or on a tie.",
  },
  reward_margin: { transform: "identity", description: "Reward-model score of the best response minus the runner-up; null without reward scores." },
  reward_judge_disagree: {
    transform: "identity",
    description: "1 if the reward model's best response is not the judge's winner; null when either is missing or the judge tied.",
  },
} as const satisfies Record<string, { transform: FeatureTransform; description: string }>;

export type FeatureTransform = "identity" | "log1p";
export type FeatureName = keyof typeof FEATURE_DEFINITIONS;
export type ItemFeatures = Record<FeatureName, number | null>;

export const FEATURE_NAMES = Object.keys(FEATURE_DEFINITIONS) as FeatureName[];

/** Features whose meaning does not depend on the data set: used when calibration labels are few. */
export const CORE_FEATURE_NAMES: readonly FeatureName[] = [
  "judge_confidence",
  "judge_order_inconsistent",
  "judge_tie",
  "judge_winner_longer",
  "judge_winner_more_formatted",
  "reward_margin",
  "reward_judge_disagree",
  "length_diff_relative",
  "rouge1_f",
];

export function transformFeature(name: FeatureName, value: number): number {
  return FEATURE_DEFINITIONS[name].transform === "log1p" ? Math.log1p(Math.max(0, value)) : value;
}
