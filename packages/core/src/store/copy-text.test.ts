import { describe, expect, it } from "vitest";
import { copyText } from "./items.ts";

describe("copyText: one value in COPY's text format", () => {
  it("writes null as \\N and plain text as it is", () => {
    expect(copyText(null)).toBe("\\N");
    expect(copyText(undefined)).toBe("\\N");
    expect(copyText("plain text, ünïcode 漢字 😀")).toBe("plain text, ünïcode 漢字 😀");
    expect(copyText("")).toBe("");
  });

  it("escapes backslash, tab, newline and carriage return, and nothing else", () => {
    expect(copyText("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    // The two characters backslash + N are text, not null.
    expect(copyText("\\N")).toBe("\\\\N");
    expect(copyText('{"k":"x\\ny"}')).toBe('{"k":"x\\\\ny"}');
  });
});
