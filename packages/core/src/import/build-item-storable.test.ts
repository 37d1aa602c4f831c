import { describe, expect, it } from "vitest";
import { buildItem, MAX_METADATA_DEPTH } from "./build-item.ts";
import type { MapOutcome } from "./types.ts";

const base = {
  prompt: "p",
  responses: [
    { id: "a", content: "x" },
    { id: "b", content: "y" },
  ],
};

const errorsOf = (outcome: MapOutcome): string[] => ("errors" in outcome ? outcome.errors : []);
const itemOf = (outcome: MapOutcome) => ("item" in outcome ? outcome.item : undefined);

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe("buildItem: what PostgreSQL cannot store is a line error, not a failed insert", () => {
  it("refuses a NUL character in any text, naming the field", () => {
    expect(errorsOf(buildItem({ ...base, prompt: "a\u0000b" }))).toEqual(["prompt contains a NUL character (\\u0000), which cannot be stored"]);
    expect(
      errorsOf(
        buildItem({
          ...base,
          responses: [
            { id: "a", content: "x\u0000" },
            { id: "b", content: "y" },
          ],
        }),
      )[0],
    ).toMatch(/^responses\[0\]\.content contains a NUL/);
    expect(errorsOf(buildItem({ ...base, metadata: { note: { deep: ["ok", "\u0000"] } } }))[0]).toMatch(/^metadata\.note\.deep\[1\] contains a NUL/);
    expect(errorsOf(buildItem({ ...base, metadata: { "k\u0000": 1 } }))[0]).toMatch(/^metadata has a key with a NUL/);
    expect(errorsOf(buildItem({ ...base, id: "x\u0000" }))[0]).toMatch(/^id contains a NUL/);
  });

  it("refuses metadata nested deeper than the limit and keeps metadata just under it", () => {
    expect(errorsOf(buildItem({ ...base, metadata: nested(5000) }))[0]).toMatch(new RegExp(`nested more than ${MAX_METADATA_DEPTH} levels deep`));
    expect(itemOf(buildItem({ ...base, metadata: nested(MAX_METADATA_DEPTH - 3) }))?.metadata).toEqual(nested(MAX_METADATA_DEPTH - 3));
  });

  it("replaces unpaired surrogates with U+FFFD everywhere and keeps paired ones", () => {
    const outcome = buildItem({
      ...base,
      prompt: "a\ud800b \u{1F600}",
      messages: undefined,
      metadata: { "k\udc00": "v\ud800" },
      responses: [
        { id: "a", content: "x\udfff" },
        { id: "b", content: "y" },
      ],
    });
    expect(itemOf(outcome)?.prompt).toBe("a\ufffdb \u{1F600}");
    expect(itemOf(outcome)?.metadata).toEqual({ "k\ufffd": "v\ufffd" });
    expect(itemOf(outcome)?.responses[0]?.content).toBe("x\ufffd");
  });
});
