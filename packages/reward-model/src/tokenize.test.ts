import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize.ts";

describe("tokenize", () => {
  it("lowercases words and keeps offsets into the original text", () => {
    const text = "Hello, World! It's 2026 — don’t PANIC_now.";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(["hello", "world", "it's", "2026", "don't", "panic_now"]);
    for (const token of tokens) {
      expect(text.slice(token.start, token.end).toLowerCase().replace("’", "'")).toBe(token.text);
    }
    expect(tokens[1]).toEqual({ text: "world", start: 7, end: 12 });
  });

  it("handles accents, non-Latin scripts and lowercasing that changes length", () => {
    const text = "Ünïcödé İstanbul Ελληνικά";
    const tokens = tokenize(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(["Ünïcödé", "İstanbul", "Ελληνικά"]);
    expect(tokens[2]?.text).toBe("ελληνικά");
    // "İ".toLowerCase() is two code units: the token text grows, the span does not.
    expect(tokens[1]?.text.length).toBe(9);
    expect(tokens[1]!.end - tokens[1]!.start).toBe(8);
  });

  it("stops at maxTokens and returns nothing for text without words", () => {
    expect(tokenize("one two three four", 2).map((t) => t.text)).toEqual(["one", "two"]);
    expect(tokenize("  ... !!! ")).toEqual([]);
  });

  it("gives the same tokens on repeated calls (no regex state leaks)", () => {
    tokenize("a b c d e f", 2);
    expect(tokenize("x y").map((t) => t.text)).toEqual(["x", "y"]);
  });
});
