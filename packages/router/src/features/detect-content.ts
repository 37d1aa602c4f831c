import { tokenize } from "./tokenize.ts";

const CODE_FENCE = /```|~~~/;
const CODE_LINE = [
  /^\s*(def|class|import|from \S+ import|function|const|let|var|public|private|return|#include|package|fn|func)\b.*[:({;=]/m,
  /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE TABLE)\b.+\b(FROM|INTO|SET|WHERE|VALUES)\b/im,
  /[;{]\s*$\n^\s{2,}\S/m,
  /=>\s*[{(]/,
  /^\s*<\/?[a-z][\w-]*(\s[^>]*)?>\s*$/m,
];

const LATEX = /\$[^$\n]+\$|\\(frac|sqrt|sum|int|cdot|times|leq|geq|alpha|beta|pi|theta)\b|\\\(|\\\[/;
const ARITHMETIC = /\d\s*[+\-*/×÷^=<>≤≥]\s*\(?\s*-?\d/;
const EQUATION = /\b[a-z]\s*(\^\s*\d+)?\s*[+\-*/=]\s*\d+\s*[a-z]?\b.*=/i;
const MATH_SYMBOLS = /[∑∫√∞≈≠π∂∆]/;

const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S/gm;

const MARKDOWN = [/^\s{0,3}#{1,6}\s+\S/m, /\*\*[^*\n]+\*\*|__[^_\n]+__/, /^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}/m, /\[[^\]\n]+\]\([^)\s]+\)/, CODE_FENCE];

export function hasCode(text: string): boolean {
  return CODE_FENCE.test(text) || CODE_LINE.some((pattern) => pattern.test(text));
}

export function hasMath(text: string): boolean {
  return LATEX.test(text) || ARITHMETIC.test(text) || EQUATION.test(text) || MATH_SYMBOLS.test(text);
}

/** At least two bulleted or numbered lines. */
export function hasList(text: string): boolean {
  return (text.match(LIST_ITEM)?.length ?? 0) >= 2;
}

/** Headers, bold, tables, links or code fences. */
export function hasMarkdown(text: string): boolean {
  return MARKDOWN.some((pattern) => pattern.test(text));
}

// Words that mark a request or an answer as touching harm, danger or abuse. Matched on whole
// tokens; the entries ending in "*" match any token with that prefix (weapon*, explosive*).
const SAFETY_VOCABULARY = [
  "abuse*",
  "assault*",
  "attack*",
  "bomb*",
  "bully*",
  "cocaine",
  "counterfeit*",
  "crime*",
  "criminal*",
  "danger*",
  "dead",
  "death*",
  "die",
  "drug*",
  "explosive*",
  "extremis*",
  "fentanyl",
  "fraud*",
  "gun*",
  "hack*",
  "harass*",
  "harm*",
  "hate",
  "hatred",
  "heroin",
  "illegal*",
  "injur*",
  "kidnap*",
  "kill*",
  "launder*",
  "malware",
  "meth",
  "murder*",
  "nazi*",
  "overdose*",
  "phishing",
  "poison*",
  "porn*",
  "racis*",
  "rape*",
  "ransomware",
  "scam*",
  "sexual*",
  "shoot*",
  "slur*",
  "smuggl*",
  "stab*",
  "steal*",
  "stole*",
  "suicid*",
  "terroris*",
  "threat*",
  "toxic*",
  "trafficking",
  "unsafe",
  "violen*",
  "weapon*",
];
const SAFETY_EXACT = new Set(SAFETY_VOCABULARY.filter((w) => !w.endsWith("*")));
const SAFETY_PREFIX = new RegExp(
  `^(?:${SAFETY_VOCABULARY.filter((w) => w.endsWith("*"))
    .map((w) => w.slice(0, -1))
    .join("|")})`,
);

export function isSafetyTerm(token: string): boolean {
  return SAFETY_EXACT.has(token) || SAFETY_PREFIX.test(token);
}

export function countSafetyTerms(textOrTokens: string | readonly string[]): number {
  const tokens = typeof textOrTokens === "string" ? tokenize(textOrTokens) : textOrTokens;
  return tokens.filter(isSafetyTerm).length;
}

const REFUSAL =
  /\b(i\s*(?:can(?:'|’)?t|cannot|won(?:'|’)?t|am unable to|'m unable to|’m unable to|am not able to)\s+(?:help|assist|provide|do|comply|fulfil+|support|share|create|write|answer|engage)|i(?:'|’)?m sorry,? but|as an ai(?: language model)?,? i)\b/i;

/** Whether a response declines the request ("I can't help with that", "As an AI, I…"). */
export function isRefusal(text: string): boolean {
  return REFUSAL.test(text);
}
