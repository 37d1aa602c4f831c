import { TIE, type RoutingItem } from "../types.ts";
import { countSafetyTerms, hasCode, hasList, hasMarkdown, hasMath, isRefusal } from "./detect-content.ts";
import type { ItemFeatures } from "./feature-definitions.ts";
import { rouge1F, tokenCosine } from "./lexical-similarity.ts";
import { tokenize } from "./tokenize.ts";

// Transcripts pasted as one string ("\n\nHuman: … \n\nAssistant: …", as in hh-rlhf) still count turns.
const TRANSCRIPT_USER_TURN = /(?:^|\n)\s*(?:Human|User):/g;

function contextOf(item: RoutingItem): { text: string; turns: number } {
  if (item.messages && item.messages.length > 0) {
    const userTurns = item.messages.filter((m) => m.role === "user").length;
    return { text: item.messages.map((m) => m.content).join("\n\n"), turns: Math.max(1, userTurns) };
  }
  const text = item.prompt ?? "";
  return { text, turns: Math.max(1, text.match(TRANSCRIPT_USER_TURN)?.length ?? 0) };
}

function meanOverPairs(tokens: readonly string[][], similarity: (a: string[], b: string[]) => number): number | null {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) {
      sum += similarity(tokens[i] as string[], tokens[j] as string[]);
      pairs++;
    }
  }
  return pairs === 0 ? null : sum / pairs;
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}

function rewardFeatures(item: RoutingItem): Pick<ItemFeatures, "reward_margin" | "reward_judge_disagree"> {
  const scored = item.responses
    .map((r) => ({ id: r.id, score: item.rewardScores?.[r.id] }))
    .filter((r): r is { id: string; score: number } => typeof r.score === "number" && Number.isFinite(r.score));
  if (scored.length < 2) return { reward_margin: null, reward_judge_disagree: null };
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  const best = sorted[0] as { id: string; score: number };
  const runnerUp = sorted[1] as { id: string; score: number };
  const winner = item.judge?.winner;
  let disagree: number | null = null;
  if (winner !== undefined && winner !== null && winner !== TIE) {
    const topIds = sorted.filter((r) => r.score === best.score).map((r) => r.id);
    disagree = flag(!topIds.includes(winner));
  }
  return { reward_margin: best.score - runnerUp.score, reward_judge_disagree: disagree };
}

/** The judge's winner against the other responses: signed length and formatting differences (verbosity bias). */
function judgeStyleBias(item: RoutingItem, lengths: readonly number[]): Pick<ItemFeatures, "judge_winner_longer" | "judge_winner_more_formatted"> {
  const winner = item.judge?.winner;
  const index = winner === undefined || winner === null || winner === TIE ? -1 : item.responses.findIndex((r) => r.id === winner);
  if (index < 0 || item.responses.length < 2) return { judge_winner_longer: null, judge_winner_more_formatted: null };
  const formatting = item.responses.map((r) => [hasCode, hasList, hasMarkdown].filter((detect) => detect(r.content)).length);
  const others = (values: readonly number[]) => values.filter((_, i) => i !== index).reduce((s, v) => s + v, 0) / (values.length - 1);
  const winnerLength = lengths[index] as number;
  const otherLength = others(lengths);
  return {
    judge_winner_longer: (winnerLength - otherLength) / (winnerLength + otherLength + 1),
    judge_winner_more_formatted: (formatting[index] as number) - others(formatting),
  };
}

/**
 * Computes every feature in FEATURE_DEFINITIONS for one item. Pure and deterministic: the same
 * item always gives the same numbers, whatever else is in the batch.
 */
export function extractItemFeatures(item: RoutingItem): ItemFeatures {
  const context = contextOf(item);
  const responseTexts = item.responses.map((r) => r.content);
  const responseTokens = responseTexts.map(tokenize);
  const lengths = responseTokens.map((t) => t.length);
  const shorter = lengths.length > 0 ? Math.min(...lengths) : 0;
  const longer = lengths.length > 0 ? Math.max(...lengths) : 0;
  const promptTokens = tokenize(context.text);
  const allTexts = [context.text, ...responseTexts];

  const formatMismatch = [hasCode, hasList, hasMarkdown].filter((detect) => {
    const present = responseTexts.map(detect);
    return present.some(Boolean) && !present.every(Boolean);
  }).length;

  const judge = item.judge;
  const confidence = judge?.confidence;

  return {
    prompt_tokens: promptTokens.length,
    shorter_response_tokens: shorter,
    longer_response_tokens: longer,
    length_diff_tokens: longer - shorter,
    length_diff_relative: (longer - shorter) / (longer + shorter + 1),
    rouge1_f: meanOverPairs(responseTokens, rouge1F),
    token_cosine: meanOverPairs(responseTokens, tokenCosine),
    has_code: flag(allTexts.some(hasCode)),
    has_math: flag(allTexts.some(hasMath)),
    has_list: flag(allTexts.some(hasList)),
    has_markdown: flag(allTexts.some(hasMarkdown)),
    format_mismatch: formatMismatch,
    conversation_turns: context.turns,
    safety_terms: [promptTokens, ...responseTokens].reduce((sum, tokens) => sum + countSafetyTerms(tokens), 0),
    refusal_count: responseTexts.filter(isRefusal).length,
    judge_confidence: typeof confidence === "number" && Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : null,
    judge_order_inconsistent: judge?.consistent === undefined ? null : flag(!judge.consistent),
    judge_tie: judge && judge.winner !== null ? flag(judge.winner === TIE) : null,
    ...judgeStyleBias(item, lengths),
    ...rewardFeatures(item),
  };
}
