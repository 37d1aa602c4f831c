export interface ResponseStyle {
  /** Response length, in whatever unit the caller chooses (tokens in Chatbot Arena). */
  length: number;
  headers: number;
  lists: number;
  bold: number;
}

export const STYLE_FEATURES = ["length", "headers", "lists", "bold"] as const satisfies readonly (keyof ResponseStyle)[];

export type StyleFeature = (typeof STYLE_FEATURES)[number];

/**
 * Counts the markdown style elements Chatbot Arena's style control adjusts for. Length is in
 * characters here (a tokenizer-free stand-in for tokens: the covariate is a normalised
 * difference, so the unit only has to be the same for both responses).
 */
export function measureResponseStyle(text: string): ResponseStyle {
  const lines = text.split(/\r?\n/);
  return {
    length: text.length,
    headers: lines.filter((line) => /^\s{0,3}#{1,6}\s+\S/.test(line)).length,
    lists: lines.filter((line) => /^\s*(?:[-*+]|\d+[.)])\s+\S/.test(line)).length,
    bold: (text.match(/\*\*[^*\n]+\*\*|__[^_\n]+__/g) ?? []).length,
  };
}
