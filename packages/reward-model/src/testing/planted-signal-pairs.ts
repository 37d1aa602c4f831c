import { createSeededRandom, type RandomSource } from "@arbiter/ranking/random";
import type { PreferencePair } from "../reward-model.ts";

export interface PlantedSignalOptions {
  readonly count: number;
  readonly seed: number;
  /** Put in the chosen response of about half the pairs. */
  readonly positiveToken?: string;
  /** Put in the rejected response of the other half. */
  readonly negativeToken?: string;
  /** Swap chosen and rejected at random: a control whose labels carry no signal. */
  readonly shuffleLabels?: boolean;
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "pe", "du", "fo", "gi", "ha", "jo", "be", "zu"];

function randomWord(random: RandomSource): string {
  const length = 2 + Math.floor(random() * 2);
  let word = "";
  for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)] as string;
  return word;
}

function randomSentence(random: RandomSource, vocabulary: readonly string[]): string[] {
  const length = 12 + Math.floor(random() * 20);
  return Array.from({ length }, () => vocabulary[Math.floor(random() * vocabulary.length)] as string);
}

function insertAtRandom(words: string[], token: string, random: RandomSource): string[] {
  const position = Math.floor(random() * (words.length + 1));
  return [...words.slice(0, position), token, ...words.slice(position)];
}

/**
 * Synthetic votes between random pseudo-word responses, where the only signal is a planted
 * token: the chosen response contains `positiveToken`, or the rejected one `negativeToken`.
 */
export function plantedSignalPairs(options: PlantedSignalOptions): PreferencePair[] {
  const random = createSeededRandom(options.seed);
  const positive = options.positiveToken ?? "marvelous";
  const negative = options.negativeToken ?? "dreadful";
  const vocabulary = Array.from({ length: 400 }, () => randomWord(random));
  return Array.from({ length: options.count }, (_, i) => {
    const prompt = `Question ${i}: ${randomSentence(random, vocabulary).slice(0, 8).join(" ")}?`;
    let chosen = randomSentence(random, vocabulary);
    let rejected = randomSentence(random, vocabulary);
    if (random() < 0.5) chosen = insertAtRandom(chosen, positive, random);
    else rejected = insertAtRandom(rejected, negative, random);
    const pair = { prompt, chosen: chosen.join(" ") + ".", rejected: rejected.join(" ") + "." };
    if (options.shuffleLabels && random() < 0.5) return { prompt, chosen: pair.rejected, rejected: pair.chosen };
    return pair;
  });
}
