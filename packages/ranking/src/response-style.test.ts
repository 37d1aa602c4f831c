import { describe, expect, it } from "vitest";
import { measureResponseStyle } from "./response-style.ts";

describe("measureResponseStyle", () => {
  it("counts markdown headers, list items and bold spans", () => {
    const text = [
      "# Title",
      "Some **bold** and __also bold__ text.",
      "## Section",
      "- one",
      "* two",
      "1. three",
      "#hashtag is not a header",
      "not-a-list",
    ].join("\n");
    expect(measureResponseStyle(text)).toEqual({ length: text.length, headers: 2, lists: 3, bold: 2 });
  });

  it("is all zeros for plain text apart from its length", () => {
    expect(measureResponseStyle("plain")).toEqual({ length: 5, headers: 0, lists: 0, bold: 0 });
  });
});
