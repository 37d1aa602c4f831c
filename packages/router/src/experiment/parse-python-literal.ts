/**
 * Parses the Python literals LLMBar's evaluation scripts saved with `str(...)`: dicts, lists,
 * tuples, single- or double-quoted strings (with backslash escapes), numbers, True / False /
 * None. Enough for `results` fields that are a Python repr instead of JSON; anything else throws
 * with the offset of the problem.
 */
export function parsePythonLiteral(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`python literal: ${what} at offset ${at}`);
  };
  const skip = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", b: "\b", f: "\f", v: "\v", a: "\x07" };
  const string = (): string => {
    const quote = text[at++] as string;
    let out = "";
    while (at < text.length && text[at] !== quote) {
      const c = text[at++] as string;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[at++] as string;
      if (e === "x" || e === "u" || e === "U") {
        const width = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = text.slice(at, at + width);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) fail(`bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(hex, 16));
        at += width;
      } else if (e === "\n") {
        // a line continuation inside a string
      } else out += ESCAPES[e] ?? `\\${e}`;
    }
    if (text[at] !== quote) fail("unterminated string");
    at++;
    return out;
  };
  const sequence = (close: string): unknown[] => {
    at++;
    const items: unknown[] = [];
    for (;;) {
      skip();
      if (text[at] === close) break;
      items.push(value());
      skip();
      if (text[at] === ",") at++;
      else if (text[at] !== close) fail(`expected "," or "${close}"`);
    }
    at++;
    return items;
  };
  const dict = (): Record<string, unknown> => {
    at++;
    const out: Record<string, unknown> = {};
    for (;;) {
      skip();
      if (text[at] === "}") break;
      const key = value();
      skip();
      if (text[at] !== ":") fail('expected ":"');
      at++;
      out[String(key)] = value();
      skip();
      if (text[at] === ",") at++;
      else if (text[at] !== "}") fail('expected "," or "}"');
    }
    at++;
    return out;
  };
  const value = (): unknown => {
    skip();
    const c = text[at];
    if (c === "'" || c === '"') {
      // Adjacent literals concatenate, as in Python.
      let s = string();
      for (skip(); text[at] === "'" || text[at] === '"'; skip()) s += string();
      return s;
    }
    if (c === "[") return sequence("]");
    if (c === "(") return sequence(")");
    if (c === "{") return dict();
    for (const [word, v] of [
      ["True", true],
      ["False", false],
      ["None", null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return v;
      }
    }
    const number = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(at, at + 40));
    if (number) {
      at += number[0].length;
      return Number(number[0]);
    }
    return fail("unexpected character");
  };
  const result = value();
  skip();
  if (at !== text.length) fail("trailing text");
  return result;
}
