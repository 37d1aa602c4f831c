/** A chat turn, for items whose context is a conversation rather than a single prompt. */
export interface Message {
  role: string;
  content: string;
}

export interface CandidateResponse {
  id: string;
  content: string;
  model?: string;
}

/** "tie" or the id of one of the item's responses. */
export type PreferenceLabel = string;

export const TIE = "tie";

/**
 * An AI judge's verdict. `consistent` is whether the judge picked the same winner when the
 * pair was presented in both orders (§4 of ALGORITHMS.md); `confidence` is in [0, 1].
 * `winner: null` means the judge answered but gave no usable verdict (unparseable output):
 * the strongest reason to ask a human — such items are routed to humans before any other.
 */
export interface JudgeVerdict {
  winner: PreferenceLabel | null;
  confidence?: number;
  consistent?: boolean;
}

/** An item waiting for a preference label. Either `prompt` or `messages` carries the context. */
export interface RoutingItem {
  id: string;
  prompt?: string;
  messages?: Message[];
  responses: CandidateResponse[];
  judge?: JudgeVerdict;
  /** Reward-model score per response id, when a reward model has scored the item. */
  rewardScores?: Record<string, number>;
}

/** An item with both a judge verdict and human labels: what the disagreement model learns from. */
export interface CalibrationItem extends RoutingItem {
  judge: JudgeVerdict;
  human: PreferenceLabel[];
}

/**
 * A human budget. A bare number in [0, 1] is a fraction of the items, an integer above 1 is a
 * count; the object forms say which explicitly (`{ count: 1 }` is one item, `1` is all of them).
 */
export type Budget = number | { fraction: number } | { count: number };
