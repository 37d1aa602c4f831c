import { writeFileSync } from "node:fs";
import { buildTinyOnnxRewardModel, TINY_TOKENIZER_KINDS } from "@arbiter/reward-model/testing";
const items = [
  { prompt: "What is the answer?", response: "The answer is good and helpful, thanks." },
  { prompt: "What is the answer?", response: "That is wrong and rude!" },
  { prompt: "What is the answer?", response: "I am not sure, sorry. 日本 unhelpfulness" },
];
for (const kind of TINY_TOKENIZER_KINDS) {
  const t = buildTinyOnnxRewardModel({ tokenizer: kind });
  writeFileSync(`/tmp/probe/model-${kind}.onnx`, t.model);
  writeFileSync(`/tmp/probe/model-${kind}.json`, JSON.stringify({ tokenizer: t.tokenizer, config: t.config, tokenizerConfig: t.tokenizerConfig, items }));
}
