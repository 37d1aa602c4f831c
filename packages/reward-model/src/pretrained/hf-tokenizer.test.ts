import { describe, expect, it } from "vitest";
import { createHfTokenizer } from "./hf-tokenizer.ts";

const vocab = { "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, hello: 4, world: 5, "!": 6, un: 7, "##aff": 8, "##able": 9, cafe: 10, 中: 11, 文: 12, ",": 13 };
const bert = {
  normalizer: { type: "BertNormalizer", lowercase: true, strip_accents: null, clean_text: true, handle_chinese_chars: true },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: { type: "BertProcessing", cls: ["[CLS]", 2], sep: ["[SEP]", 3] },
  model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", vocab },
};

describe("createHfTokenizer", () => {
  it("does BERT normalization, punctuation splitting, WordPiece and pair templates", () => {
    const t = createHfTokenizer(bert);
    expect(t.encode(undefined, "Hello, WORLD!")).toEqual({ ids: [2, 4, 13, 5, 6, 3], typeIds: [0, 0, 0, 0, 0, 0] });
    expect(t.encode("Café", "unaffable 中文 xyz").ids).toEqual([2, 10, 3, 7, 8, 9, 11, 12, 1, 3]);
    expect(t.encode("Café", "hello").typeIds).toEqual([0, 0, 0, 1, 1]);
    expect(t.padId).toBe(0);
    expect(t.vocabSize).toBe(14);
  });

  it("never reads special tokens out of the text", () => {
    expect(createHfTokenizer(bert).encode(undefined, "[SEP]").ids).toEqual([2, 1, 1, 1, 3]);
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
    expect(t.encode(undefined, "a b c").ids).toEqual([1, 2, 0]);
    expect(t.encode("a", "b")).toEqual({ ids: [1, 2], typeIds: [0, 1] });
  });

  it("refuses what it cannot tokenize faithfully", () => {
    expect(() => createHfTokenizer({ ...bert, model: { type: "Unigram", vocab: [] } })).toThrow(/unsupported tokenizer model "Unigram"/);
    expect(() => createHfTokenizer({ ...bert, pre_tokenizer: { type: "ByteLevel" } })).toThrow(/unsupported pre_tokenizer "ByteLevel"/);
    expect(() => createHfTokenizer({ ...bert, model: { ...bert.model, unk_token: "<nope>" } })).toThrow(/unknown token/);
    expect(() => createHfTokenizer("not json")).toThrow(/JSON object/);
  });
});
