import onnxProto from "onnx-proto";
import { createSeededRandom } from "@arbiter/ranking/random";

const { onnx } = onnxProto;

/** A tiny BERT-style sequence-classification reward model, built by hand (tests and benchmarks only). */
export interface TinyOnnxRewardModel {
  /** `onnx/model.onnx` */
  readonly model: Uint8Array;
  /** `tokenizer.json` */
  readonly tokenizer: Record<string, unknown>;
  /** `config.json` */
  readonly config: Record<string, unknown>;
  /** `tokenizer_config.json` */
  readonly tokenizerConfig: Record<string, unknown>;
  /** The reward the model computes for these ids / type ids, in plain JS (float64 over the float32 parameters). */
  reference(ids: readonly number[], typeIds: readonly number[]): number;
}

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
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
const PIECES = ["##s", "##ly", "##ing", "##ed", "un", "##ful", "##ness"];
const PUNCT = [".", ",", "?", "!", ":"];

/**
 * Embedding bag + linear head: reward = w · mean_{t: mask=1}(E[id_t] + T[type_t]) + b, as an
 * opset-13 ONNX graph (Gather, Add, Cast, Unsqueeze, Mul, ReduceSum, Div, MatMul) with a
 * WordPiece tokenizer over a 45-token vocabulary. `good`/`great`/`helpful` carry positive
 * weight and `bad`/`wrong`/`rude` negative, so the scores mean something in a demo.
 */
export function buildTinyOnnxRewardModel(options: { dim?: number; seed?: number } = {}): TinyOnnxRewardModel {
  const dim = options.dim ?? 8;
  const random = createSeededRandom(options.seed ?? 7);
  const vocabList = [...SPECIALS, ...WORDS, ...PIECES, ...PUNCT];
  const vocab = Object.fromEntries(vocabList.map((token, id) => [token, id]));
  const V = vocabList.length;
  const embedding = new Float32Array(V * dim).map(() => (random() - 0.5) * 0.5);
  const typeEmbedding = new Float32Array(2 * dim).map(() => (random() - 0.5) * 0.2);
  const head = new Float32Array(dim).map(() => (random() - 0.5) * 0.5);
  head[0] = 1;
  const sentiment: Record<string, number> = { good: 2, great: 3, helpful: 2, bad: -2, wrong: -3, rude: -3 };
  for (const [word, value] of Object.entries(sentiment)) embedding[(vocab[word] as number) * dim] = value;
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

  const graph = onnx.GraphProto.create({
    name: "tiny_reward",
    node: [
      node("Gather", ["embeddings", "input_ids"], ["tok"], [intAttr("axis", 0)]),
      node("Gather", ["type_embeddings", "token_type_ids"], ["typ"], [intAttr("axis", 0)]),
      node("Add", ["tok", "typ"], ["emb"]),
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
      tensor("type_embeddings", [2, dim], typeEmbedding),
      tensor("head", [dim, 1], head),
      tensor("bias", [1], bias),
      int64("axis1", [1]),
      int64("axis2", [2]),
    ],
    input: [
      valueInfo("input_ids", onnx.TensorProto.DataType.INT64, ["batch", "sequence"]),
      valueInfo("attention_mask", onnx.TensorProto.DataType.INT64, ["batch", "sequence"]),
      valueInfo("token_type_ids", onnx.TensorProto.DataType.INT64, ["batch", "sequence"]),
    ],
    output: [valueInfo("logits", onnx.TensorProto.DataType.FLOAT, ["batch", 1])],
  });
  // A plain Uint8Array of its own (protobufjs hands back a Node Buffer, a view of a shared pool).
  const model = Uint8Array.from(
    onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: "", version: 13 }], producerName: "arbiter-tests", graph })).finish(),
  );

  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({ id, content, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
  const config = {
    architectures: ["BertForSequenceClassification"],
    model_type: "bert",
    num_labels: 1,
    id2label: { 0: "LABEL_0" },
    pad_token_id: 0,
    max_position_embeddings: 64,
    hidden_size: dim,
  };
  const tokenizerConfig = { model_max_length: 64, do_lower_case: true, tokenizer_class: "BertTokenizer" };

  const reference = (ids: readonly number[], typeIds: readonly number[]) => {
    const pooled = new Float64Array(dim);
    for (let t = 0; t < ids.length; t++) {
      for (let d = 0; d < dim; d++)
        pooled[d] = (pooled[d] as number) + (embedding[(ids[t] as number) * dim + d] as number) + (typeEmbedding[(typeIds[t] ?? 0) * dim + d] as number);
    }
    let reward = bias[0] as number;
    for (let d = 0; d < dim; d++) reward += ((pooled[d] as number) / ids.length) * (head[d] as number);
    return reward;
  };
  return { model, tokenizer, config, tokenizerConfig, reference };
}
