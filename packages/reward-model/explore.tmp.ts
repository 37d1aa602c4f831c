import { loadHhRlhf, loadLlmBar } from "./bin/preference-datasets.ts";
import { trainRewardModel } from "./src/train-reward-model.ts";
const hh = loadHhRlhf("/work/shared/data/hh-rlhf_harmless-base_test.jsonl.gz");
const lb = loadLlmBar(["/work/shared/data/llmbar_natural.json", "/work/shared/data/llmbar_processed_mt-bench.json"]);
console.log(hh.pairs.length, lb.pairs.length, JSON.stringify(hh.pairs[0]).slice(0, 300));
const variant = process.argv[2] ?? "default";
const feats: Record<string, object> = {
  default: {},
  words: { charNgrams: null },
  noctx: { context: false },
  nostyle: { style: false, context: false },
  uni: { wordNgrams: 1, charNgrams: null },
};
for (const [name, ds] of [["hh", hh], ["llmbar", lb]] as const) {
  for (const l2 of [1e-4, 1e-3, 1e-2, 1e-1]) {
    const accs: number[] = []; let ms = 0;
    for (const seed of [1, 2, 3]) {
      const { metrics } = trainRewardModel({ pairs: ds.pairs, dim: 1 << 16, l2, seed, holdOut: 0.3, featurizer: feats[variant] });
      accs.push(metrics.heldOutAccuracy!); ms += metrics.ms;
    }
    console.log(variant, name, l2, accs.map(a => a.toFixed(3)).join(" "), (accs.reduce((a, b) => a + b) / 3).toFixed(3), (ms / 3).toFixed(0) + "ms");
  }
}
