/**
 * The ids an import has seen, to refuse a repeated one and name the line that had it first —
 * without one string and one object per item. A map of id strings cost ≈ 100 bytes an item
 * (≈ 100 MiB of live heap for a 1,000,000-item import); this open-addressing table keeps a 64-bit
 * hash of each id and where it was, 16 bytes a slot in typed arrays at most half full: 32 MiB at
 * 1,000,000 items, none of it per-item objects the garbage collector has to walk.
 *
 * Two different ids share a 64-bit hash with probability ≈ n² / 2⁶⁵ (3 · 10⁻⁸ for a million ids).
 * Such a pair would be reported as a duplicate naming both lines, so an import is never silently
 * wrong: at worst (once in tens of millions of million-item files) it is refused and the user
 * sees that the two lines differ. The database's unique index on (campaign, external id) stays the
 * backstop for what is written.
 */
export class SeenIds {
  private hashHigh = new Uint32Array(1024);
  private hashLow = new Uint32Array(1024);
  private lines = new Int32Array(1024);
  private elements = new Int32Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (what grows with the input). */
  get bytes(): number {
    return this.hashHigh.byteLength + this.hashLow.byteLength + this.lines.byteLength + this.elements.byteLength + this.used.byteLength;
  }

  /** Where the id was first seen, or records it at `at` and returns undefined. */
  firstSeen(id: string, at: { line: number; element?: number }): { line: number; element?: number } | undefined {
    const [high, low] = hash64(id);
    const slot = this.find(high, low);
    if (this.used[slot] === 1) {
      const element = this.elements[slot]!;
      return element < 0 ? { line: this.lines[slot]! } : { line: this.lines[slot]!, element };
    }
    this.used[slot] = 1;
    this.hashHigh[slot] = high;
    this.hashLow[slot] = low;
    this.lines[slot] = at.line;
    this.elements[slot] = at.element ?? -1;
    this.count++;
    if (this.count * 2 > this.used.length) this.grow();
    return undefined;
  }

  private find(high: number, low: number): number {
    const mask = this.used.length - 1;
    let slot = low & mask;
    while (this.used[slot] === 1 && (this.hashHigh[slot] !== high || this.hashLow[slot] !== low)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow() {
    const { hashHigh, hashLow, lines, elements, used } = this;
    const capacity = used.length * 2;
    this.hashHigh = new Uint32Array(capacity);
    this.hashLow = new Uint32Array(capacity);
    this.lines = new Int32Array(capacity);
    this.elements = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    for (let old = 0; old < used.length; old++) {
      if (used[old] !== 1) continue;
      const slot = this.find(hashHigh[old]!, hashLow[old]!);
      this.used[slot] = 1;
      this.hashHigh[slot] = hashHigh[old]!;
      this.hashLow[slot] = hashLow[old]!;
      this.lines[slot] = lines[old]!;
      this.elements[slot] = elements[old]!;
    }
  }
}

/** Two independent 32-bit FNV-1a-style hashes over the UTF-16 code units (different offset bases and a final mix). */
export function hash64(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix(a ^ text.length) >>> 0, fmix(b + Math.imul(text.length, 0x9e3779b1)) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
