import { CONTEXT_FEATURE_NAMES, STYLE_FEATURE_NAMES, type FeaturizerConfig } from "./featurizer-config.ts";
import { fmix32, fnv1a, fnv1aUpdate } from "./hash.ts";
import { tokenize, type Token } from "./tokenize.ts";

/** What a reward is computed for: a response, optionally with the prompt it answers. */
export interface RewardInput {
  readonly prompt?: string | undefined;
  readonly response: string;
}

/** Sparse feature vector: ascending, distinct indices into the weight vector. */
export interface SparseFeatures {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/** Many sparse vectors in compressed-sparse-row form: row r is [offsets[r], offsets[r + 1]). */
export interface SparseBatch {
  readonly offsets: Uint32Array;
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/**
 * Called once per occurrence of a hashed n-gram with its slot, its signed, scaled value, and
 * the tokens [firstToken, endToken) it was built from.
 */
export type FeatureOccurrenceVisitor = (index: number, value: number, firstToken: number, endToken: number) => void;

const SEPARATOR = "\u001f";
const WORD_PREFIX = [fnv1a("w1" + SEPARATOR), fnv1a("w2" + SEPARATOR), fnv1a("w3" + SEPARATOR)];
const CHAR_PREFIX = fnv1a("c" + SEPARATOR);
/** Character n-grams come from the first this-many code units of a token (URLs, hashes…). */
const MAX_CHARS_PER_TOKEN = 32;

function wordOccurrences(tokenCount: number, maxN: number): number {
  let total = 0;
  for (let n = 1; n <= maxN; n++) total += Math.max(0, tokenCount - n + 1);
  return total;
}

function paddedToken(token: Token): string {
  return "<" + (token.text.length > MAX_CHARS_PER_TOKEN ? token.text.slice(0, MAX_CHARS_PER_TOKEN) : token.text) + ">";
}

/**
 * Walks every hashed word and character n-gram of the tokens. Each block (words, characters)
 * is scaled by 1/sqrt(its number of occurrences), so long texts do not dominate by size alone.
 * Both featurization and attribution go through here: they cannot disagree.
 */
export function visitHashedFeatures(config: FeaturizerConfig, tokens: readonly Token[], visit: FeatureOccurrenceVisitor): void {
  const mask = config.dim - 1;
  const signed = config.signedHashing;
  const emit = (hash: number, scale: number, first: number, end: number): void => {
    const mixed = fmix32(hash);
    visit(mixed & mask, signed && mixed >>> 31 === 1 ? -scale : scale, first, end);
  };

  const words = wordOccurrences(tokens.length, config.wordNgrams);
  if (words > 0) {
    const scale = 1 / Math.sqrt(words);
    for (let n = 1; n <= config.wordNgrams; n++) {
      const prefix = WORD_PREFIX[n - 1] as number;
      for (let i = 0; i + n <= tokens.length; i++) {
        let hash = fnv1aUpdate(prefix, (tokens[i] as Token).text);
        for (let k = 1; k < n; k++) hash = fnv1aUpdate(fnv1aUpdate(hash, SEPARATOR), (tokens[i + k] as Token).text);
        emit(hash, scale, i, i + n);
      }
    }
  }

  const chars = config.charNgrams;
  if (chars === null || tokens.length === 0) return;
  const padded = tokens.map(paddedToken);
  let charCount = 0;
  for (const text of padded) {
    for (let n = chars.min; n <= chars.max; n++) charCount += Math.max(0, text.length - n + 1);
  }
  if (charCount === 0) return;
  const scale = 1 / Math.sqrt(charCount);
  for (let t = 0; t < padded.length; t++) {
    const text = padded[t] as string;
    for (let n = chars.min; n <= chars.max; n++) {
      for (let s = 0; s + n <= text.length; s++) emit(fnv1aUpdate(CHAR_PREFIX, text, s, s + n), scale, t, t + 1);
    }
  }
}

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

function countLines(lines: readonly string[], pattern: RegExp): number {
  let count = 0;
  for (const line of lines) if (pattern.test(line)) count++;
  return count;
}

function styleFeatures(response: string, tokens: readonly Token[]): number[] {
  const lines = response.split("\n");
  const fences = countLines(lines, /^\s{0,3}(?:```|~~~)/);
  const letters = countMatches(response, /\p{L}/gu);
  const chars = response.length;
  let tokenLength = 0;
  for (const token of tokens) tokenLength += token.end - token.start;
  const values: Record<(typeof STYLE_FEATURE_NAMES)[number], number> = {
    log_chars: Math.log1p(chars) / 8,
    log_words: Math.log1p(tokens.length) / 8,
    log_lines: Math.log1p(lines.filter((line) => line.trim() !== "").length) / 4,
    bullet_items: Math.log1p(countLines(lines, /^\s*[-*+•]\s+\S/u)) / 2,
    numbered_items: Math.log1p(countLines(lines, /^\s*\d{1,3}[.)]\s+\S/)) / 2,
    headers: Math.log1p(countLines(lines, /^\s{0,3}#{1,6}\s+\S/)) / 2,
    code_blocks: Math.log1p(Math.ceil(fences / 2)) / 2,
    inline_code: Math.log1p(countMatches(response, /`[^`\n]+`/g)) / 2,
    bold_spans: Math.log1p(countMatches(response, /\*\*[^*\n]+\*\*/g)) / 2,
    links: Math.log1p(countMatches(response, /https?:\/\/[^\s)]+/g)) / 2,
    questions: Math.log1p(countMatches(response, /\?/g)) / 2,
    exclamations: Math.log1p(countMatches(response, /!/g)) / 2,
    digit_ratio: chars === 0 ? 0 : countMatches(response, /\p{Nd}/gu) / chars,
    uppercase_ratio: letters === 0 ? 0 : countMatches(response, /\p{Lu}/gu) / letters,
    mean_word_length: tokens.length === 0 ? 0 : tokenLength / tokens.length / 10,
  };
  return STYLE_FEATURE_NAMES.map((name) => values[name]);
}

interface PromptWords {
  readonly prompt: string;
  readonly maxTokens: number;
  readonly words: ReadonlySet<string>;
  readonly tokenCount: number;
}

// Both responses of a pair (and every response in a batch for one prompt) share the prompt:
// remembering the last one avoids tokenizing long conversations again and again.
let lastPrompt: PromptWords | undefined;

function promptWords(prompt: string, maxTokens: number): PromptWords {
  if (lastPrompt?.prompt !== prompt || lastPrompt.maxTokens !== maxTokens) {
    const tokens = tokenize(prompt, maxTokens);
    lastPrompt = { prompt, maxTokens, words: new Set(tokens.map((token) => token.text)), tokenCount: tokens.length };
  }
  return lastPrompt;
}

function contextFeatures(prompt: PromptWords, responseTokens: readonly Token[]): number[] {
  if (prompt.tokenCount === 0) return CONTEXT_FEATURE_NAMES.map(() => 0);
  const response = new Set(responseTokens.map((token) => token.text));
  let shared = 0;
  for (const word of response) if (prompt.words.has(word)) shared++;
  const union = prompt.words.size + response.size - shared;
  const values: Record<(typeof CONTEXT_FEATURE_NAMES)[number], number> = {
    prompt_coverage: shared / prompt.words.size,
    response_novelty: response.size === 0 ? 0 : (response.size - shared) / response.size,
    overlap_jaccard: union === 0 ? 0 : shared / union,
    log_length_ratio: Math.log((1 + responseTokens.length) / (1 + prompt.tokenCount)) / 4,
  };
  return CONTEXT_FEATURE_NAMES.map((name) => values[name]);
}

/** The dense (style and context) features, in the order of `denseFeatureNames(config)`. */
export function computeDenseFeatures(config: FeaturizerConfig, input: RewardInput, responseTokens: readonly Token[]): number[] {
  const dense: number[] = [];
  if (config.style) dense.push(...styleFeatures(input.response, responseTokens));
  if (config.context) dense.push(...contextFeatures(promptWords(input.prompt ?? "", config.maxTokens), responseTokens));
  return dense;
}

/**
 * Sums hashed occurrences into one slot each. The scratch vector is kept between calls (a
 * dense array is faster than a Map), and only the touched slots are cleared.
 */
class FeatureAccumulator {
  private readonly sums: Float64Array;
  private readonly seen: Uint8Array;
  private touched = new Uint32Array(1024);
  private touchedCount = 0;

  constructor(readonly dim: number) {
    this.sums = new Float64Array(dim);
    this.seen = new Uint8Array(dim);
  }

  readonly add = (index: number, value: number): void => {
    if (this.seen[index] === 0) {
      this.seen[index] = 1;
      if (this.touchedCount === this.touched.length) {
        const grown = new Uint32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = index;
    }
    this.sums[index] = (this.sums[index] as number) + value;
  };

  /** Hands the non-zero slots (ascending) and the dense features to `sink`, then clears. */
  drain(dense: readonly number[], sink: (index: number, value: number) => void): void {
    const touched = this.touched.subarray(0, this.touchedCount).sort();
    for (const index of touched) {
      const value = Math.fround(this.sums[index] as number);
      if (value !== 0) sink(index, value);
      this.sums[index] = 0;
      this.seen[index] = 0;
    }
    this.touchedCount = 0;
    for (let k = 0; k < dense.length; k++) {
      const value = Math.fround(dense[k] as number);
      if (value !== 0) sink(this.dim + k, value);
    }
  }
}

const accumulators = new Map<number, FeatureAccumulator>();

function accumulatorFor(dim: number): FeatureAccumulator {
  let accumulator = accumulators.get(dim);
  if (!accumulator) {
    accumulator = new FeatureAccumulator(dim);
    accumulators.set(dim, accumulator);
  }
  return accumulator;
}

function accumulate(config: FeaturizerConfig, input: RewardInput, sink: (index: number, value: number) => void): void {
  const tokens = tokenize(input.response, config.maxTokens);
  const accumulator = accumulatorFor(config.dim);
  visitHashedFeatures(config, tokens, accumulator.add);
  accumulator.drain(computeDenseFeatures(config, input, tokens), sink);
}

/** φ(prompt, response): the sparse feature vector a reward is the dot product with. */
export function featurize(config: FeaturizerConfig, input: RewardInput): SparseFeatures {
  const indices: number[] = [];
  const values: number[] = [];
  accumulate(config, input, (index, value) => {
    indices.push(index);
    values.push(value);
  });
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}

/** Featurizes many inputs straight into one CSR batch (what the fast backends consume). */
export function featurizeBatch(config: FeaturizerConfig, inputs: readonly RewardInput[]): SparseBatch {
  const offsets = new Uint32Array(inputs.length + 1);
  let indices = new Uint32Array(4096);
  let values = new Float32Array(4096);
  let size = 0;
  const sink = (index: number, value: number): void => {
    if (size === indices.length) {
      const grownIndices = new Uint32Array(size * 2);
      grownIndices.set(indices);
      indices = grownIndices;
      const grownValues = new Float32Array(size * 2);
      grownValues.set(values);
      values = grownValues;
    }
    indices[size] = index;
    values[size] = value;
    size++;
  };
  inputs.forEach((input, row) => {
    accumulate(config, input, sink);
    offsets[row + 1] = size;
  });
  return { offsets, indices: indices.slice(0, size), values: values.slice(0, size) };
}
