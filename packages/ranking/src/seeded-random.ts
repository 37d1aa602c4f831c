/** A uniform random number generator on [0, 1). */
export type RandomSource = () => number;

/*
 * The one seeded generator and shuffle of the codebase: statistics here, training in
 * @arbiter/reward-model (which runs in the browser too), routing in @arbiter/router and the
 * candidate order in @arbiter/core. This file imports nothing, so the browser bundles that reach
 * it through `@arbiter/ranking/random` carry only these few lines.
 */

/**
 * sfc32 seeded through splitmix32. Resampling, simulations and training must be reproducible
 * from a seed (a reported confidence interval has to be re-derivable), which Math.random is not.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const splitmix32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let counter = 1;
  return () => {
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, exclusiveMax). */
export function randomInteger(random: RandomSource, exclusiveMax: number): number {
  return Math.floor(random() * exclusiveMax);
}

/** Fisher–Yates, in place; returns `items`. */
export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i] as T;
    items[i] = items[j] as T;
    items[j] = swap;
  }
  return items;
}

/** A shuffled copy of `values` (Fisher–Yates). */
export function shuffled<T>(values: readonly T[], random: RandomSource): T[] {
  return shuffleInPlace([...values], random);
}
