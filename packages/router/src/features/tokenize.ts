// Han, Hiragana, Katakana and Hangul are written without spaces: one token per character keeps
// their lengths comparable with space-separated scripts.
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, "gu");

/** Lower-cased word tokens (letters and digits); punctuation and whitespace are dropped. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}
