/** A lowercase word token and where it sits in the original text (UTF-16 offsets, end exclusive). */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

// Letters, marks, digits and underscores, with inner apostrophes kept ("don't", "it’s").
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*/gu;

/**
 * Splits text into lowercase word tokens. Offsets point into the text as given, not into its
 * lowercase form (lowercasing can change a string's length), so a token maps back to the
 * exact span a reader sees.
 */
export function tokenize(text: string, maxTokens = Number.POSITIVE_INFINITY): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    if (tokens.length >= maxTokens) break;
    const start = match.index;
    tokens.push({ text: match[0].toLowerCase().replace(/’/g, "'"), start, end: start + match[0].length });
  }
  return tokens;
}
