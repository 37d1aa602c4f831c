import { describe, expect, it } from "vitest";
import { crc32, fmix32, fnv1a, fnv1aUpdate } from "./hash.ts";

/** Textbook byte-wise FNV-1a, to check the code-unit version against. */
function fnv1aBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "utf16le"));

describe("fnv1a", () => {
  it("matches the published FNV-1a vectors at byte level", () => {
    expect(fnv1aBytes(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv1aBytes(new TextEncoder().encode("a"))).toBe(0xe40c292c);
    expect(fnv1aBytes(new TextEncoder().encode("foobar"))).toBe(0xbf9cf968);
  });

  it("hashes the UTF-16LE bytes of a string, astral characters included", () => {
    for (const text of ["", "a", "hello world", "naïve café", "日本語", "emoji 🙂 here"]) {
      expect(fnv1a(text)).toBe(fnv1aBytes(utf16le(text)));
    }
  });

  it("continues a hash over a substring as if the strings were joined", () => {
    const joined = fnv1a("prefix:body");
    expect(fnv1aUpdate(fnv1a("prefix:"), "xxbodyyy", 2, 6)).toBe(joined);
  });

  it("mixes with murmur3's finalizer (known values)", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});

describe("crc32", () => {
  it("gives the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });
});
