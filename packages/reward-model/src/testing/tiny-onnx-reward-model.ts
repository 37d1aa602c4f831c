import onnxProto from "onnx-proto";
import { createSeededRandom } from "@arbiter/ranking/random";

const { onnx } = onnxProto;

/** The tokenizer a tiny model comes with: BERT's WordPiece, RoBERTa's byte-level BPE, or DeBERTa-v3's Unigram (SentencePiece). */
export type TinyTokenizerKind = "wordpiece" | "bpe" | "unigram";
export const TINY_TOKENIZER_KINDS: readonly TinyTokenizerKind[] = ["wordpiece", "bpe", "unigram"];

/** A tiny sequence-classification reward model, built by hand (tests and benchmarks only). */
export interface TinyOnnxRewardModel {
  readonly kind: TinyTokenizerKind;
  /** `onnx/model.onnx` */
  readonly model: Uint8Array;
  /** `tokenizer.json` */
  readonly tokenizer: Record<string, unknown>;
  /** `config.json` */
  readonly config: Record<string, unknown>;
  /** `tokenizer_config.json` */
  readonly tokenizerConfig: Record<string, unknown>;
  /** Token → id of the tokenizer's vocabulary (added tokens included). */
  readonly vocab: Readonly<Record<string, number>>;
  /** The graph's inputs (the BPE model, like RoBERTa exports, takes no token_type_ids). */
  readonly inputNames: readonly string[];
  /** The reward the model computes for these ids / type ids, in plain JS (float64 over the float32 parameters). */
  reference(ids: readonly number[], typeIds: readonly number[]): number;
}

const WORDS = [
  "the",
  "a",
  "answer",
  "is",
  "good",
  "great",
  "helpful",
  "bad",
  "wrong",
  "rude",
  "thanks",
  "sorry",
  "please",
  "question",
  "what",
  "why",
  "how",
  "yes",
  "no",
  "because",
  "clear",
  "explain",
  "help",
  "you",
  "i",
  "it",
  "to",
  "of",
  "and",
  "not",
];
const PIECES = ["s", "ly", "ing", "ed", "un", "ful", "ness"];
const PUNCT = [".", ",", "?", "!", ":"];
/** Planted meaning: the first embedding dimension of these words is the head's strongest input. */
const SENTIMENT: Record<string, number> = { good: 2, great: 3, helpful: 2, bad: -2, wrong: -3, rude: -3 };

/** GPT-2's byte → printable character table (the alphabet of byte-level BPE). */
export function byteLevelAlphabet(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + next++);
  return table;
}

const pairTemplate = (cls: string, sep: string, clsId: number, sepId: number) => ({
  type: "TemplateProcessing",
  single: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }],
  pair: [
    { SpecialToken: { id: cls, type_id: 0 } },
    { Sequence: { id: "A", type_id: 0 } },
    { SpecialToken: { id: sep, type_id: 0 } },
    { Sequence: { id: "B", type_id: 1 } },
    { SpecialToken: { id: sep, type_id: 1 } },
  ],
  special_tokens: {
    [cls]: { id: cls, ids: [clsId], tokens: [cls] },
    [sep]: { id: sep, ids: [sepId], tokens: [sep] },
  },
});

interface TinyTokenizer {
  vocab: Record<string, number>;
  tokenizer: Record<string, unknown>;
  config: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** The token that carries each planted word's meaning. */
  sentimentToken(word: string): string;
  typeIds: boolean;
}

/** BERT: BertNormalizer (lowercase), BertPreTokenizer, WordPiece with ## pieces, [CLS] A [SEP] B [SEP]. */
function wordPiece(): TinyTokenizer {
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
  const list = [...specials, ...WORDS, ...PIECES.map((p) => (p === "un" ? p : `##${p}`)), ...PUNCT];
  const vocab = Object.fromEntries(list.map((token, id) => [token, id]));
  return {
    vocab,
    typeIds: true,
    sentimentToken: (word) => word,
    tokenizer: {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: pairTemplate("[CLS]", "[SEP]", 2, 3),
      decoder: { type: "WordPiece", prefix: "##", cleanup: true },
      model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
    },
    config: { architectures: ["BertForSequenceClassification"], model_type: "bert", pad_token_id: 0 },
    tokenizerConfig: { model_max_length: 64, do_lower_case: true, tokenizer_class: "BertTokenizer" },
  };
}

/**
 * RoBERTa: byte-level BPE (case-sensitive; every byte is a token, so nothing is unknown), a
 * prefix space before every word (Ġ), merges that build the lowercase words left to right,
 * <s> A </s></s> B </s>.
 */
function byteLevelBpe(): TinyTokenizer {
  const specials = ["<s>", "<pad>", "</s>", "<unk>"];
  const alphabet = byteLevelAlphabet();
  const vocab: Record<string, number> = {};
  const add = (token: string) => {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  };
  specials.forEach(add);
  alphabet.forEach(add);
  const merges: string[] = [];
  // Every merge's left side starts with Ġ, so a word is built from its first letter on, one merge at a time.
  for (const word of [...WORDS, ...PIECES]) {
    let left = "\u0120";
    for (const ch of word) {
      const merge = `${left} ${ch}`;
      if (!merges.includes(merge)) merges.push(merge);
      left += ch;
      add(left);
    }
  }
  return {
    vocab,
    typeIds: false,
    sentimentToken: (word) => `\u0120${word}`,
    tokenizer: {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: content === "<mask>",
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
      post_processor: { type: "RobertaProcessing", sep: ["</s>", 2], cls: ["<s>", 0], trim_offsets: true, add_prefix_space: true },
      decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: "BPE",
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: "",
        end_of_word_suffix: "",
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    },
    config: { architectures: ["RobertaForSequenceClassification"], model_type: "roberta", pad_token_id: 1, bos_token_id: 0, eos_token_id: 2 },
    tokenizerConfig: { model_max_length: 64, tokenizer_class: "RobertaTokenizer", pad_token: "<pad>", bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" },
  };
}

/**
 * DeBERTa-v3: SentencePiece Unigram — NFKC + lowercase, whitespace split, ▁ before every word,
 * whole-word pieces scored above their letters, [CLS] A [SEP] B [SEP].
 */
function unigram(): TinyTokenizer {
  const specials = ["[PAD]", "[CLS]", "[SEP]", "[UNK]"];
  const entries: Array<[string, number]> = specials.map((t) => [t, 0]);
  const add = (token: string, score: number) => {
    if (!entries.some(([t]) => t === token)) entries.push([token, score]);
  };
  for (const word of WORDS) add(`\u2581${word}`, -4 - word.length / 10);
  for (const piece of PIECES) {
    add(`\u2581${piece}`, -6);
    add(piece, -6.5);
  }
  add("\u2581", -5);
  for (const ch of "abcdefghijklmnopqrstuvwxyz") add(ch, -9);
  for (const p of PUNCT) add(p, -5);
  const vocab = Object.fromEntries(entries.map(([token], id) => [token, id]));
  return {
    vocab,
    typeIds: true,
    sentimentToken: (word) => `\u2581${word}`,
    tokenizer: {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Lowercase" }] },
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [{ type: "WhitespaceSplit" }, { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true }],
      },
      post_processor: pairTemplate("[CLS]", "[SEP]", 1, 2),
      decoder: { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true },
      model: { type: "Unigram", unk_id: 3, vocab: entries, byte_fallback: false },
    },
    config: { architectures: ["DebertaV2ForSequenceClassification"], model_type: "deberta-v2", pad_token_id: 0 },
    tokenizerConfig: { model_max_length: 64, tokenizer_class: "DebertaV2Tokenizer", do_lower_case: true, pad_token: "[PAD]", unk_token: "[UNK]" },
  };
}

/**
 * Embedding bag + linear head: reward = w · mean_{t: mask=1}(E[id_t] + T[type_t]) + b, as an
 * opset-13 ONNX graph (Gather, Add, Cast, Unsqueeze, Mul, ReduceSum, Div, MatMul) over the
 * vocabulary of a tokenizer of the given kind (default WordPiece). `good`/`great`/`helpful` carry
 * positive weight and `bad`/`wrong`/`rude` negative, so the scores mean something in a demo.
 * The BPE model, like RoBERTa exports, takes no token_type_ids.
 */
export function buildTinyOnnxRewardModel(options: { dim?: number; seed?: number; tokenizer?: TinyTokenizerKind } = {}): TinyOnnxRewardModel {
  const kind = options.tokenizer ?? "wordpiece";
  const dim = options.dim ?? 8;
  const random = createSeededRandom(options.seed ?? 7);
  const tiny = kind === "bpe" ? byteLevelBpe() : kind === "unigram" ? unigram() : wordPiece();
  const { vocab } = tiny;
  const V = Math.max(...Object.values(vocab)) + 1;
  const embedding = new Float32Array(V * dim).map(() => (random() - 0.5) * 0.5);
  const typeEmbedding = new Float32Array(2 * dim).map(() => (random() - 0.5) * 0.2);
  const head = new Float32Array(dim).map(() => (random() - 0.5) * 0.5);
  head[0] = 1;
  for (const [word, value] of Object.entries(SENTIMENT)) embedding[(vocab[tiny.sentimentToken(word)] as number) * dim] = value;
  const bias = new Float32Array([0.25]);

  const tensor = (name: string, dims: number[], values: Float32Array) =>
    onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer.slice(0)) });
  const int64 = (name: string, values: number[]) =>
    onnx.TensorProto.create({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer),
    });
  const node = (opType: string, input: string[], output: string[], attribute: InstanceType<typeof onnx.AttributeProto>[] = []) =>
    onnx.NodeProto.create({ opType, input, output, attribute, name: output[0] });
  const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT });
  const valueInfo = (name: string, elemType: number, dims: Array<string | number>) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } },
    });

  const embed = tiny.typeIds
    ? [
        node("Gather", ["embeddings", "input_ids"], ["tok"], [intAttr("axis", 0)]),
        node("Gather", ["type_embeddings", "token_type_ids"], ["typ"], [intAttr("axis", 0)]),
        node("Add", ["tok", "typ"], ["emb"]),
      ]
    : [node("Gather", ["embeddings", "input_ids"], ["emb"], [intAttr("axis", 0)])];
  const inputNames = tiny.typeIds ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
  const graph = onnx.GraphProto.create({
    name: `tiny_reward_${kind}`,
    node: [
      ...embed,
      node("Cast", ["attention_mask"], ["maskf"], [intAttr("to", onnx.TensorProto.DataType.FLOAT)]),
      node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
      node("Mul", ["emb", "mask3"], ["masked"]),
      node("ReduceSum", ["masked", "axis1"], ["summed"], [intAttr("keepdims", 0)]),
      node("ReduceSum", ["maskf", "axis1"], ["count"], [intAttr("keepdims", 1)]),
      node("Div", ["summed", "count"], ["pooled"]),
      node("MatMul", ["pooled", "head"], ["scores"]),
      node("Add", ["scores", "bias"], ["logits"]),
    ],
    initializer: [
      tensor("embeddings", [V, dim], embedding),
      ...(tiny.typeIds ? [tensor("type_embeddings", [2, dim], typeEmbedding)] : []),
      tensor("head", [dim, 1], head),
      tensor("bias", [1], bias),
      int64("axis1", [1]),
      int64("axis2", [2]),
    ],
    input: inputNames.map((name) => valueInfo(name, onnx.TensorProto.DataType.INT64, ["batch", "sequence"])),
    output: [valueInfo("logits", onnx.TensorProto.DataType.FLOAT, ["batch", 1])],
  });
  // A plain Uint8Array of its own (protobufjs hands back a Node Buffer, a view of a shared pool).
  const model = Uint8Array.from(
    onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: "", version: 13 }], producerName: "arbiter-tests", graph })).finish(),
  );

  const config = { ...tiny.config, num_labels: 1, id2label: { 0: "LABEL_0" }, max_position_embeddings: 64, hidden_size: dim };
  const reference = (ids: readonly number[], typeIds: readonly number[]) => {
    const pooled = new Float64Array(dim);
    for (let t = 0; t < ids.length; t++) {
      for (let d = 0; d < dim; d++) {
        const type = tiny.typeIds ? (typeEmbedding[(typeIds[t] ?? 0) * dim + d] as number) : 0;
        pooled[d] = (pooled[d] as number) + (embedding[(ids[t] as number) * dim + d] as number) + type;
      }
    }
    let reward = bias[0] as number;
    for (let d = 0; d < dim; d++) reward += ((pooled[d] as number) / ids.length) * (head[d] as number);
    return reward;
  };
  return { kind, model, tokenizer: tiny.tokenizer, config, tokenizerConfig: tiny.tokenizerConfig, vocab, inputNames, reference };
}
