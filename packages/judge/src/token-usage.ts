import type { JudgePricing } from "./judge-settings.ts";

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Chat completions that returned a reply, malformed ones included. */
  requests: number;
}

export const ZERO_USAGE: TokenUsage = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  requests: 0,
});

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    requests: a.requests + b.requests,
  };
}

/** Cost in the pricing's currency, or null when the settings carry no pricing. */
export function costOf(usage: TokenUsage, pricing: JudgePricing | undefined): number | null {
  if (!pricing) return null;
  const cost = (usage.promptTokens / 1000) * pricing.inputPer1kTokens + (usage.completionTokens / 1000) * pricing.outputPer1kTokens;
  // Round away float noise (0.1 + 0.2) without losing sub-cent precision.
  return Math.round(cost * 1e10) / 1e10;
}
