import { describe, expect, it } from "vitest";
import { hash64, SeenIds } from "./seen-ids.ts";

describe("SeenIds", () => {
  it("names the first line of a repeated id and remembers array elements", () => {
    const seen = new SeenIds();
    expect(seen.firstSeen("a", { line: 1 })).toBeUndefined();
    expect(seen.firstSeen("b", { line: 2, element: 0 })).toBeUndefined();
    expect(seen.firstSeen("a", { line: 7 })).toEqual({ line: 1 });
    expect(seen.firstSeen("b", { line: 9 })).toEqual({ line: 2, element: 0 });
    expect(seen.size).toBe(2);
  });

  it("agrees with a Map of strings over 200,000 ids with repeats, through many resizes", () => {
    const seen = new SeenIds();
    const reference = new Map<string, number>();
    let x = 12345;
    for (let line = 1; line <= 200_000; line++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const id = `item-${x % 150_000}`;
      const expected = reference.get(id);
      const got = seen.firstSeen(id, { line });
      expect(got?.line).toBe(expected);
      if (expected === undefined) reference.set(id, line);
    }
    expect(seen.size).toBe(reference.size);
    // At most half full, 17 bytes a slot: bounded by 68 bytes per distinct id, no per-id objects.
    expect(seen.bytes).toBeLessThanOrEqual(reference.size * 68);
  });

  it("hashes ids that differ by one character, or only in length, apart", () => {
    const hashes = new Set<string>();
    for (const id of ["", "a", "b", "ab", "ba", "a\u0000", "item-1", "item-10", "item-01", "ítem-1"]) hashes.add(hash64(id).join(":"));
    expect(hashes.size).toBe(10);
  });
});
