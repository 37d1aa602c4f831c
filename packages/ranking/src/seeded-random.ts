/** A uniform random number generator on [0, 1). */
export type RandomSource = () => number;

/**
 * sfc32 seeded through splitmix32. Resampling and simulations must be reproducible from a
 * seed (a reported confidence interval has to be re-derivable), which Math.random is not.
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
