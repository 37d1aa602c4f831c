import { PretrainedModelError } from "./pretrained-model-error.ts";

/**
 * A subset of Hugging Face `tokenizer.json`, enough for BERT-style sequence-classification
 * reward models: WordPiece and WordLevel vocabularies, the BERT / lowercase / Unicode
 * normalizers, BERT and whitespace pre-tokenizers, BertProcessing and TemplateProcessing
 * (single and pair), longest-first truncation. Byte-level BPE and Unigram (SentencePiece)
 * tokenizers are refused with a clear error rather than tokenized wrongly. Special tokens
 * written inside a text are not matched as specials, so a response cannot inject [SEP].
 */
export interface RewardTokenizer {
  /** Ids and token type ids of (prompt, response) as a pair, or of the response alone without a prompt. */
  encode(prompt: string | undefined, response: string): { ids: number[]; typeIds: number[] };
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

type Normalize = (text: string) => string;

function stripAccents(text: string): string {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "");
}

const isCjk = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) ||
  (cp >= 0x3400 && cp <= 0x4dbf) ||
  (cp >= 0x20000 && cp <= 0x2a6df) ||
  (cp >= 0x2a700 && cp <= 0x2b73f) ||
  (cp >= 0x2b740 && cp <= 0x2b81f) ||
  (cp >= 0x2b820 && cp <= 0x2ceaf) ||
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0x2f800 && cp <= 0x2fa1f);

function bertNormalizer(config: Json): Normalize {
  const lowercase = config.lowercase !== false;
  const strip = config.strip_accents === null || config.strip_accents === undefined ? lowercase : config.strip_accents === true;
  const clean = config.clean_text !== false;
  const chinese = config.handle_chinese_chars !== false;
  return (text) => {
    let out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (clean) {
        if (cp === 0 || cp === 0xfffd || (/\p{Cc}|\p{Cf}/u.test(ch) && ch !== "\t" && ch !== "\n" && ch !== "\r")) continue;
        if (/\s/u.test(ch)) {
          out += " ";
          continue;
        }
      }
      out += chinese && isCjk(cp) ? ` ${ch} ` : ch;
    }
    if (lowercase) out = out.toLowerCase();
    if (strip) out = stripAccents(out);
    return out;
  };
}

function normalizer(config: unknown): Normalize {
  if (config === null || config === undefined) return (t) => t;
  if (!isRecord(config)) fail("normalizer must be an object");
  switch (config.type) {
    case "BertNormalizer":
      return bertNormalizer(config);
    case "Lowercase":
      return (t) => t.toLowerCase();
    case "StripAccents":
      return stripAccents;
    case "NFD":
    case "NFC":
    case "NFKD":
    case "NFKC": {
      const form = config.type;
      return (t) => t.normalize(form);
    }
    case "Strip":
      return (t) => t.trim();
    case "Sequence": {
      if (!Array.isArray(config.normalizers)) fail("Sequence normalizer needs normalizers");
      const steps = config.normalizers.map(normalizer);
      return (t) => steps.reduce((acc, step) => step(acc), t);
    }
    default:
      return fail(`unsupported normalizer ${JSON.stringify(config.type)}`);
  }
}

type PreTokenize = (text: string) => string[];

const isPunctuation = (ch: string) => {
  const cp = ch.codePointAt(0) as number;
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126) || /\p{P}/u.test(ch);
};

function bertPreTokenize(text: string): string[] {
  const words: string[] = [];
  let current = "";
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      if (current) words.push(current);
      current = "";
    } else if (isPunctuation(ch)) {
      if (current) words.push(current);
      words.push(ch);
      current = "";
    } else current += ch;
  }
  if (current) words.push(current);
  return words;
}

function preTokenizer(config: unknown): PreTokenize {
  if (config === null || config === undefined) return (t) => t.split(/\s+/u).filter(Boolean);
  if (!isRecord(config)) fail("pre_tokenizer must be an object");
  switch (config.type) {
    case "BertPreTokenizer":
      return bertPreTokenize;
    case "Whitespace":
      return (t) => t.match(/[\p{L}\p{N}\p{M}_]+|[^\p{L}\p{N}\p{M}_\s]+/gu) ?? [];
    case "WhitespaceSplit":
      return (t) => t.split(/\s+/u).filter(Boolean);
    case "Punctuation":
      return (t) =>
        bertPreTokenize(t.replace(/\s+/gu, "\u0000"))
          .flatMap((w) => w.split("\u0000"))
          .filter(Boolean);
    case "Digits":
      return (t) => (config.individual_digits ? (t.match(/\p{N}|[^\p{N}]+/gu) ?? []) : (t.match(/\p{N}+|[^\p{N}]+/gu) ?? []));
    case "Sequence": {
      if (!Array.isArray(config.pretokenizers)) fail("Sequence pre_tokenizer needs pretokenizers");
      const steps = config.pretokenizers.map(preTokenizer);
      return (t) => steps.reduce<string[]>((words, step) => words.flatMap((w) => step(w)), [t]);
    }
    default:
      return fail(
        `unsupported pre_tokenizer ${JSON.stringify(config.type)} (supported: BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, Sequence)`,
      );
  }
}

function readVocab(model: Json): Map<string, number> {
  if (!isRecord(model.vocab)) fail(`${String(model.type)} model needs a vocab object`);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) fail(`vocab id of ${JSON.stringify(token)} is not a non-negative integer`);
    vocab.set(token, id);
  }
  return vocab;
}

type WordModel = { toIds: (word: string) => number[]; vocab: Map<string, number> };

function wordModel(config: unknown): WordModel {
  if (!isRecord(config)) fail("tokenizer.json needs a model object");
  if (config.type !== "WordLevel" && config.type !== "WordPiece")
    fail(`unsupported tokenizer model ${JSON.stringify(config.type)} (supported: WordPiece, WordLevel; byte-level BPE and Unigram are not)`);
  const vocab = readVocab(config);
  const unkToken = typeof config.unk_token === "string" ? config.unk_token : "[UNK]";
  const unk = vocab.get(unkToken);
  if (unk === undefined) fail(`the unknown token ${JSON.stringify(unkToken)} is not in the vocab`);
  switch (config.type) {
    case "WordLevel":
      return { vocab, toIds: (word) => [vocab.get(word) ?? unk] };
    case "WordPiece": {
      const prefix = typeof config.continuing_subword_prefix === "string" ? config.continuing_subword_prefix : "##";
      const maxChars = typeof config.max_input_chars_per_word === "number" ? config.max_input_chars_per_word : 100;
      return {
        vocab,
        toIds: (word) => {
          const chars = Array.from(word);
          if (chars.length > maxChars) return [unk];
          const ids: number[] = [];
          let start = 0;
          while (start < chars.length) {
            let end = chars.length;
            let found: number | undefined;
            while (start < end) {
              const piece = (start > 0 ? prefix : "") + chars.slice(start, end).join("");
              found = vocab.get(piece);
              if (found !== undefined) break;
              end--;
            }
            if (found === undefined) return [unk];
            ids.push(found);
            start = end;
          }
          return ids;
        },
      };
    }
    default:
      return fail(`unsupported tokenizer model ${JSON.stringify(config.type)} (supported: WordPiece, WordLevel; byte-level BPE and Unigram are not)`);
  }
}

type Piece = { kind: "sequence"; which: "A" | "B"; typeId: number } | { kind: "special"; ids: number[]; typeId: number };

interface Template {
  single: Piece[];
  pair: Piece[];
}

function specialId(vocab: Map<string, number>, entry: unknown, what: string): number {
  if (Array.isArray(entry) && typeof entry[1] === "number") return entry[1];
  if (typeof entry === "string") {
    const id = vocab.get(entry);
    if (id === undefined) fail(`${what} token ${JSON.stringify(entry)} is not in the vocab`);
    return id;
  }
  return fail(`${what} must be [token, id]`);
}

function templatePieces(list: unknown, specials: Json, what: string): Piece[] {
  if (!Array.isArray(list)) fail(`TemplateProcessing needs a ${what} template`);
  return list.map((entry): Piece => {
    if (!isRecord(entry)) fail(`bad ${what} template entry`);
    if (isRecord(entry.Sequence)) {
      const which = entry.Sequence.id === "B" ? "B" : "A";
      return { kind: "sequence", which, typeId: Number(entry.Sequence.type_id ?? 0) };
    }
    if (isRecord(entry.SpecialToken)) {
      const name = String(entry.SpecialToken.id);
      const special = specials[name];
      if (!isRecord(special) || !Array.isArray(special.ids)) fail(`special token ${JSON.stringify(name)} is not defined`);
      return { kind: "special", ids: special.ids.map(Number), typeId: Number(entry.SpecialToken.type_id ?? 0) };
    }
    return fail(`bad ${what} template entry`);
  });
}

function template(config: unknown, vocab: Map<string, number>): Template {
  const plain: Template = {
    single: [{ kind: "sequence", which: "A", typeId: 0 }],
    pair: [
      { kind: "sequence", which: "A", typeId: 0 },
      { kind: "sequence", which: "B", typeId: 1 },
    ],
  };
  if (config === null || config === undefined) return plain;
  if (!isRecord(config)) fail("post_processor must be an object");
  switch (config.type) {
    case "BertProcessing": {
      const cls = specialId(vocab, config.cls ?? "[CLS]", "cls");
      const sep = specialId(vocab, config.sep ?? "[SEP]", "sep");
      return {
        single: [
          { kind: "special", ids: [cls], typeId: 0 },
          { kind: "sequence", which: "A", typeId: 0 },
          { kind: "special", ids: [sep], typeId: 0 },
        ],
        pair: [
          { kind: "special", ids: [cls], typeId: 0 },
          { kind: "sequence", which: "A", typeId: 0 },
          { kind: "special", ids: [sep], typeId: 0 },
          { kind: "sequence", which: "B", typeId: 1 },
          { kind: "special", ids: [sep], typeId: 1 },
        ],
      };
    }
    case "TemplateProcessing": {
      const specials = isRecord(config.special_tokens) ? config.special_tokens : {};
      return { single: templatePieces(config.single, specials, "single"), pair: templatePieces(config.pair, specials, "pair") };
    }
    default:
      return fail(`unsupported post_processor ${JSON.stringify(config.type)} (supported: BertProcessing, TemplateProcessing)`);
  }
}

/** Longest-first: drop tokens from the end of the longer sequence until both fit. */
function truncate(a: number[], b: number[] | null, budget: number): [number[], number[] | null] {
  const x = [...a];
  const y = b ? [...b] : null;
  while (x.length + (y?.length ?? 0) > budget) {
    if (y && y.length > x.length) y.pop();
    else if (x.length > 0) x.pop();
    else if (y && y.length > 0) y.pop();
    else break;
  }
  return [x, y];
}

/**
 * Builds a tokenizer from a parsed `tokenizer.json`. `maxLength` caps the encoded length
 * (special tokens included); it defaults to the file's truncation setting, else 512.
 */
export function createHfTokenizer(json: unknown, options: { maxLength?: number; padToken?: string } = {}): RewardTokenizer {
  if (!isRecord(json)) fail("tokenizer.json must be a JSON object");
  const normalize = normalizer(json.normalizer);
  const split = preTokenizer(json.pre_tokenizer);
  const model = wordModel(json.model);
  const tpl = template(json.post_processor, model.vocab);
  const truncation = isRecord(json.truncation) && typeof json.truncation.max_length === "number" ? json.truncation.max_length : undefined;
  const maxLength = options.maxLength ?? truncation ?? 512;
  if (!Number.isInteger(maxLength) || maxLength < 2) fail("max length must be an integer of at least 2");
  const padFromFile = isRecord(json.padding) && typeof json.padding.pad_id === "number" ? json.padding.pad_id : undefined;
  const padId = padFromFile ?? model.vocab.get(options.padToken ?? "[PAD]") ?? 0;
  const specialCount = (pieces: Piece[]) => pieces.reduce((n, p) => n + (p.kind === "special" ? p.ids.length : 0), 0);
  const toIds = (text: string) => split(normalize(text)).flatMap((word) => model.toIds(word));
  const vocabSize = Math.max(-1, ...model.vocab.values()) + 1;

  return {
    padId,
    maxLength,
    vocabSize,
    encode(prompt, response) {
      const pair = prompt !== undefined;
      const pieces = pair ? tpl.pair : tpl.single;
      const [a, b] = truncate(toIds(pair ? prompt : response), pair ? toIds(response) : null, Math.max(0, maxLength - specialCount(pieces)));
      const ids: number[] = [];
      const typeIds: number[] = [];
      for (const piece of pieces) {
        const chunk = piece.kind === "special" ? piece.ids : piece.which === "A" ? a : (b ?? []);
        for (const id of chunk) {
          ids.push(id);
          typeIds.push(piece.typeId);
        }
      }
      return { ids, typeIds };
    },
  };
}
