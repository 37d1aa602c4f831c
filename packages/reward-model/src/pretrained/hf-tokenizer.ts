import { Tokenizer } from "@huggingface/tokenizers";
import { PretrainedModelError } from "./pretrained-model-error.ts";

/** The tokenizer models this layer loads from `tokenizer.json`. */
export type HfTokenizerKind = "BPE" | "Unigram" | "WordPiece" | "WordLevel";

/**
 * A Hugging Face `tokenizer.json` turned into what a sequence-classification reward model
 * needs: ids and token type ids of (prompt, response) as a pair, longest-first truncation that
 * keeps the special tokens, and the id to pad with.
 *
 * Tokenization itself is `@huggingface/tokenizers` (tokenizers.js, the pure-JS implementation
 * Transformers.js uses): byte-level BPE (GPT-2, RoBERTa, Llama 3, Qwen), Unigram (SentencePiece:
 * DeBERTa-v3, ALBERT, T5), WordPiece (BERT) and WordLevel, with their normalizers,
 * pre-tokenizers and post-processors. It reads the parsed JSON it is given and fetches nothing.
 *
 * One rule of ours on top: special tokens written inside a text are not read as specials (a
 * response cannot inject `[SEP]` or `<|im_end|>`); such text is tokenized as ordinary text, and a
 * model piece that still equals a special token becomes the unknown token (or is left out when
 * the vocabulary has none).
 */
export interface RewardTokenizer {
  /** Ids and token type ids of (prompt, response) as a pair, or of the response alone without a prompt. */
  encode(prompt: string | undefined, response: string): { ids: number[]; typeIds: number[] };
  /** Which tokenizer model `tokenizer.json` declares. */
  readonly kind: HfTokenizerKind;
  /** Pads batches. */
  readonly padId: number;
  readonly maxLength: number;
  readonly vocabSize: number;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new PretrainedModelError("bad_tokenizer", message);
}

const KINDS: readonly HfTokenizerKind[] = ["BPE", "Unigram", "WordPiece", "WordLevel"];

function modelKind(model: unknown): HfTokenizerKind {
  if (!isRecord(model)) fail("tokenizer.json needs a model object");
  const type = model.type;
  if (typeof type === "string" && (KINDS as readonly string[]).includes(type)) return type as HfTokenizerKind;
  return fail(`unsupported tokenizer model ${JSON.stringify(type)} (supported: ${KINDS.join(", ")})`);
}

interface AddedTokenJson {
  id: number;
  content: string;
  special: boolean;
}

function addedTokens(json: Json): AddedTokenJson[] {
  if (json.added_tokens === undefined || json.added_tokens === null) return [];
  if (!Array.isArray(json.added_tokens)) fail("added_tokens must be a list");
  return json.added_tokens.map((entry: unknown) => {
    if (!isRecord(entry) || typeof entry.content !== "string" || typeof entry.id !== "number" || !Number.isInteger(entry.id) || entry.id < 0) {
      return fail("each added token needs a string content and a non-negative integer id");
    }
    return { id: entry.id, content: entry.content, special: entry.special === true };
  });
}

/** A token name in tokenizer_config.json: a string or an AddedToken object. */
function configToken(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value.content === "string") return value.content;
  return undefined;
}

function processorTypes(config: unknown): string[] {
  if (!isRecord(config)) return [];
  const nested = Array.isArray(config.processors) ? config.processors.flatMap(processorTypes) : [];
  return typeof config.type === "string" ? [config.type, ...nested] : nested;
}

/** Longest-first: drop tokens from the end of the longer sequence until both fit. */
function truncate(a: string[], b: string[] | null, budget: number): void {
  while (a.length + (b?.length ?? 0) > budget) {
    if (b && b.length > a.length) b.pop();
    else if (a.length > 0) a.pop();
    else if (b && b.length > 0) b.pop();
    else break;
  }
}

/**
 * Builds a tokenizer from a parsed `tokenizer.json` (and, when there is one, the parsed
 * `tokenizer_config.json`). `maxLength` caps the encoded length (special tokens included); it
 * defaults to the file's truncation setting, else 512. A file this layer cannot tokenize
 * faithfully is refused with PretrainedModelError("bad_tokenizer"), never tokenized wrongly.
 */
export function createHfTokenizer(json: unknown, options: { maxLength?: number; tokenizerConfig?: unknown } = {}): RewardTokenizer {
  if (!isRecord(json)) fail("tokenizer.json must be a JSON object");
  const kind = modelKind(json.model);
  const model = json.model as Json;
  const added = addedTokens(json);
  const specials = added.filter((t) => t.special);
  const specialContents = new Set(specials.map((t) => t.content));
  const tokenizerConfig = isRecord(options.tokenizerConfig) ? options.tokenizerConfig : {};

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(
      {
        ...json,
        normalizer: json.normalizer ?? null,
        pre_tokenizer: json.pre_tokenizer ?? null,
        post_processor: json.post_processor ?? null,
        decoder: json.decoder ?? null,
        // Special tokens are left out of the text splitter: in a text they are ordinary characters.
        added_tokens: added.filter((t) => !t.special),
      },
      // tokenizers.js reads a WordLevel model's unknown token from the config.
      kind === "WordLevel" && typeof model.unk_token === "string" ? { ...tokenizerConfig, unk_token: model.unk_token } : tokenizerConfig,
    );
  } catch (error) {
    throw new PretrainedModelError("bad_tokenizer", `tokenizer.json cannot be loaded: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const tokenModel = tokenizer.model;
  if (!tokenModel) fail("tokenizer.json has no model");
  const ids = tokenModel.tokens_to_ids;
  const idOf = new Map<string, number>(ids);
  for (const token of added) idOf.set(token.content, token.id);
  const unkId = tokenModel.unk_token_id;
  const unkToken = unkId === undefined ? undefined : tokenModel.unk_token;
  if (kind === "WordPiece" || kind === "WordLevel") {
    const declared = typeof model.unk_token === "string" ? model.unk_token : "[UNK]";
    if (!idOf.has(declared)) fail(`the unknown token ${JSON.stringify(declared)} is not in the vocab`);
  }

  /** The model's pieces for a text, special tokens in it read as plain text. */
  const pieces = (text: string): string[] => {
    let tokens: string[];
    try {
      tokens = tokenizer.tokenize(text, { add_special_tokens: false });
    } catch (error) {
      throw new PretrainedModelError("bad_tokenizer", `tokenizing failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const out: string[] = [];
    for (const token of tokens) {
      if (specialContents.has(token)) {
        if (unkToken !== undefined) out.push(unkToken);
      } else out.push(token);
    }
    return out;
  };

  // RoBERTa has no token types (type_vocab_size 1): its processor's pair is all zeros in 🤗 Tokenizers' Python API too.
  const noTypes = processorTypes(json.post_processor).includes("RobertaProcessing");

  /** Adds the post-processor's special tokens: [CLS] A [SEP] B [SEP], <s> A </s></s> B </s>, … */
  const postProcess = (a: string[], b: string[] | null): { tokens: string[]; typeIds: number[] } => {
    const processor = tokenizer.post_processor;
    const plain = () => ({ tokens: [...a, ...(b ?? [])], typeIds: [...a.map(() => 0), ...(b ?? []).map(() => 1)] });
    if (!processor) return plain();
    const out = processor(a, b, true);
    // Processors that add nothing (ByteLevel) hand the pair back unmerged: A then B, types 0 and 1.
    if (out.tokens_pair && b) {
      return { tokens: [...out.tokens, ...out.tokens_pair], typeIds: [...(out.token_type_ids ?? out.tokens.map(() => 0)), ...out.tokens_pair.map(() => 1)] };
    }
    if (!out.token_type_ids || out.token_type_ids.length !== out.tokens.length) {
      return out.tokens.length === a.length + (b?.length ?? 0) ? plain() : { tokens: out.tokens, typeIds: out.tokens.map(() => 0) };
    }
    return { tokens: out.tokens, typeIds: noTypes ? out.tokens.map(() => 0) : out.token_type_ids };
  };

  let specialsSingle: number;
  let specialsPair: number;
  try {
    specialsSingle = postProcess([], null).tokens.length;
    specialsPair = postProcess([], []).tokens.length;
  } catch (error) {
    throw new PretrainedModelError("bad_tokenizer", `post_processor cannot run: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  for (const token of [...postProcess([], null).tokens, ...postProcess([], []).tokens]) {
    if (!idOf.has(token)) fail(`the post-processor adds ${JSON.stringify(token)}, which has no id`);
  }

  const truncation = isRecord(json.truncation) && typeof json.truncation.max_length === "number" ? json.truncation.max_length : undefined;
  const maxLength = options.maxLength ?? truncation ?? 512;
  if (!Number.isInteger(maxLength) || maxLength < Math.max(2, specialsPair + 1))
    fail(`max length must be an integer of at least ${Math.max(2, specialsPair + 1)}`);

  const padToken = configToken(tokenizerConfig.pad_token);
  const padFromFile = isRecord(json.padding) && typeof json.padding.pad_id === "number" ? json.padding.pad_id : undefined;
  const padId = padFromFile ?? (padToken !== undefined ? idOf.get(padToken) : undefined) ?? idOf.get("[PAD]") ?? idOf.get("<pad>") ?? 0;
  let vocabSize = 0;
  for (const id of idOf.values()) vocabSize = Math.max(vocabSize, id + 1);

  return {
    kind,
    padId,
    maxLength,
    vocabSize,
    encode(prompt, response) {
      const pair = prompt !== undefined;
      const a = pieces(pair ? prompt : response);
      const b = pair ? pieces(response) : null;
      truncate(a, b, maxLength - (pair ? specialsPair : specialsSingle));
      const { tokens, typeIds } = postProcess(a, b);
      const outIds: number[] = [];
      const outTypes: number[] = [];
      tokens.forEach((token, i) => {
        const id = idOf.get(token) ?? unkId;
        if (id === undefined) return; // no unknown token (byte-level BPE covers every byte): nothing to stand in
        outIds.push(id);
        outTypes.push(typeIds[i] ?? 0);
      });
      return { ids: outIds, typeIds: outTypes };
    },
  };
}
