import { shuffleInPlace, type RandomSource } from "@arbiter/ranking/random";
import type { PreferencePair } from "../reward-model.ts";

/**
 * Splits pair positions into train and held-out (about `holdOut` of the pairs), by group where
 * pairs carry one, so pairs from one ranking never land on both sides.
 */
export function splitPairs(pairs: readonly PreferencePair[], holdOut: number, random: RandomSource): { train: number[]; heldOut: number[] } {
  if (holdOut === 0) return { train: pairs.map((_, i) => i), heldOut: [] };
  const groups = new Map<string, number[]>();
  pairs.forEach((pair, i) => {
    const key = pair.group === undefined ? `#${i}` : `g:${pair.group}`;
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  const shuffled = shuffleInPlace([...groups.values()], random);
  const target = Math.round(holdOut * pairs.length);
  const heldOut: number[] = [];
  const train: number[] = [];
  for (const members of shuffled) (heldOut.length < target ? heldOut : train).push(...members);
  heldOut.sort((a, b) => a - b);
  train.sort((a, b) => a - b);
  return { train, heldOut };
}
