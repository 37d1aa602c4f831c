// Han, Hiragana, Katakana and Hangul are written without spaces: one token per character keeps
// their lengths comparable with space-separated scripts.
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
const HAS_CJK = new RegExp(`[${CJK}]`, "u");
const TOKEN_WITH_CJK = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, "gu");
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cased word tokens (letters and digits); punctuation and whitespace are dropped. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  // The per-character look-ahead costs about half again; most text has no CJK at all.
  return lower.match(HAS_CJK.test(lower) ? TOKEN_WITH_CJK : TOKEN) ?? [];
}
