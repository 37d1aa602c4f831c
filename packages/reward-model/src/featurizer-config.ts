/**
 * Everything that decides which features a text gets. It travels inside the weights file, so
 * a model is always scored with the featurizer it was trained with.
 */
export interface FeaturizerConfig {
  /** Hashed feature slots; a power of two between 2^8 and 2^22. */
  readonly dim: number;
  /** Longest word n-gram (1 = unigrams only, 2 = uni- and bigrams, 3 adds trigrams). */
  readonly wordNgrams: 1 | 2 | 3;
  /** Character n-gram lengths taken inside each "<token>", or null for none. */
  readonly charNgrams: { readonly min: number; readonly max: number } | null;
  /** Dense style features of the response (length, lists, code, headers, …). */
  readonly style: boolean;
  /** Dense prompt–response overlap features (a context-aware model). */
  readonly context: boolean;
  /** Random ±1 per hashed feature, so collisions cancel in expectation instead of adding up. */
  readonly signedHashing: boolean;
  /** Tokens past this many are ignored (bounds the cost of very long responses). */
  readonly maxTokens: number;
}

export const DEFAULT_FEATURIZER_CONFIG: FeaturizerConfig = {
  dim: 1 << 16,
  wordNgrams: 2,
  charNgrams: { min: 3, max: 5 },
  style: true,
  context: true,
  signedHashing: true,
  maxTokens: 4096,
};

export const STYLE_FEATURE_NAMES = [
  "log_chars",
  "log_words",
  "log_lines",
  "bullet_items",
  "numbered_items",
  "headers",
  "code_blocks",
  "inline_code",
  "bold_spans",
  "links",
  "questions",
  "exclamations",
  "digit_ratio",
  "uppercase_ratio",
  "mean_word_length",
] as const;

export const CONTEXT_FEATURE_NAMES = ["prompt_coverage", "response_novelty", "overlap_jaccard", "log_length_ratio"] as const;

/** Names of the dense features, in the order they follow the hashed slots in the weights. */
export function denseFeatureNames(config: FeaturizerConfig): string[] {
  return [...(config.style ? STYLE_FEATURE_NAMES : []), ...(config.context ? CONTEXT_FEATURE_NAMES : [])];
}

/** Length of the weight vector a model with this featurizer has. */
export function weightCount(config: FeaturizerConfig): number {
  return config.dim + denseFeatureNames(config).length;
}

export class FeaturizerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeaturizerConfigError";
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isInteger = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/**
 * Checks a featurizer configuration from an untrusted source (a weights file header, a worker
 * message) and returns it as a plain, frozen object.
 */
export function parseFeaturizerConfig(value: unknown): FeaturizerConfig {
  if (!isRecord(value)) throw new FeaturizerConfigError("featurizer config must be an object");
  const { dim, wordNgrams, charNgrams, style, context, signedHashing, maxTokens } = value;
  if (!isInteger(dim, 1 << 8, 1 << 22) || (dim & (dim - 1)) !== 0) {
    throw new FeaturizerConfigError(`dim must be a power of two between 256 and 4194304, got ${String(dim)}`);
  }
  if (wordNgrams !== 1 && wordNgrams !== 2 && wordNgrams !== 3) {
    throw new FeaturizerConfigError(`wordNgrams must be 1, 2 or 3, got ${String(wordNgrams)}`);
  }
  let chars: FeaturizerConfig["charNgrams"] = null;
  if (charNgrams !== null) {
    if (!isRecord(charNgrams) || !isInteger(charNgrams.min, 1, 8) || !isInteger(charNgrams.max, 1, 8) || charNgrams.min > charNgrams.max) {
      throw new FeaturizerConfigError("charNgrams must be null or { min, max } with 1 <= min <= max <= 8");
    }
    chars = Object.freeze({ min: charNgrams.min, max: charNgrams.max });
  }
  for (const [name, flag] of [
    ["style", style],
    ["context", context],
    ["signedHashing", signedHashing],
  ] as const) {
    if (typeof flag !== "boolean") throw new FeaturizerConfigError(`${name} must be a boolean`);
  }
  if (!isInteger(maxTokens, 1, 1 << 20)) throw new FeaturizerConfigError("maxTokens must be an integer between 1 and 1048576");
  return Object.freeze({
    dim,
    wordNgrams,
    charNgrams: chars,
    style: style as boolean,
    context: context as boolean,
    signedHashing: signedHashing as boolean,
    maxTokens,
  });
}

/** Fills in defaults for the fields left out, then checks the result. */
export function resolveFeaturizerConfig(overrides: Partial<FeaturizerConfig> = {}): FeaturizerConfig {
  return parseFeaturizerConfig({ ...DEFAULT_FEATURIZER_CONFIG, ...overrides });
}
