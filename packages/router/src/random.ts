import { createSeededRandom, type RandomSource } from "@arbiter/ranking/random";

/**
 * Seeded, platform-independent randomness. Math.random is never used in this package so that
 * every routing decision can be reproduced from its seed. The generator and the shuffle are
 * the codebase's one implementation (`@arbiter/ranking/random`); seeds here may be strings.
 */
export { shuffled } from "@arbiter/ranking/random";

/** 32-bit FNV-1a hash of a string; stable across platforms and Node versions. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A number in [0, 1) fixed by (seed, key), whatever the order keys are asked in: used to break
 * score ties and to pick which items stay in a campaign's calibration sample. A keyed hash, not
 * a generator: campaigns' routing passes store decisions made with these values, so the mixing
 * (mulberry32's output step over the FNV-1a hash) must never change.
 */
export function seededUnit(seed: number | string, key: string): number {
  let t = (hashString(`${seed}\u0000${key}`) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A seeded generator for a number or string seed. */
export function createRng(seed: number | string): RandomSource {
  return createSeededRandom(hashString(String(seed)));
}
