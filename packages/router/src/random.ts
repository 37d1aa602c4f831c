/**
 * Seeded, platform-independent randomness. Math.random is never used in this package so that
 * every routing decision can be reproduced from its seed.
 */

/** 32-bit FNV-1a hash of a string; stable across platforms and Node versions. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A number in [0, 1) fixed by (seed, key): used to break score ties independently of input order. */
export function seededUnit(seed: number | string, key: string): number {
  return mulberry32(hashString(`${seed}\u0000${key}`))();
}

/** mulberry32: a small, fast generator with a 32-bit state, good enough for sampling and shuffling. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number | string): () => number {
  return mulberry32(hashString(String(seed)));
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(values: readonly T[], rng: () => number): T[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
