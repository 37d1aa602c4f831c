/**
 * Browser side of webgpu-check.ts (bundled by it with esbuild): scores the same inputs with
 * every backend, in the page and in the reward worker, and leaves the numbers on
 * `globalThis.webgpuCheck` for the Node side to compare.
 */
import { createRewardScorer } from "../src/create-reward-scorer.ts";
import type { RewardInput } from "../src/featurize.ts";
import { createRewardWorkerClient } from "../src/reward-worker-client.ts";

interface CheckResult {
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean } | null;
  scores: Record<string, number[]>;
  ms: Record<string, number>;
  auto: { backend: string; skipped: { backend: string; reason: string }[] };
  worker: { backend: string; attributionRewards: number[]; topPositive: string[] };
  error?: string;
}

async function run(): Promise<CheckResult> {
  const weights = await (await fetch("/weights.arm")).arrayBuffer();
  const inputs = (await (await fetch("/inputs.json")).json()) as RewardInput[];
  const scores: Record<string, number[]> = {};
  const ms: Record<string, number> = {};

  let adapter: CheckResult["adapter"] = null;
  for (const backend of ["js", "wasm", "webgpu"] as const) {
    const scorer = await createRewardScorer({ weights, backend, allowFallbackAdapter: true });
    if (scorer.adapter) adapter = scorer.adapter;
    await scorer.score(inputs.slice(0, 4));
    const started = performance.now();
    scores[backend] = await scorer.score(inputs);
    ms[backend] = performance.now() - started;
    scorer.dispose();
  }

  const auto = await createRewardScorer({ weights });
  const autoSummary = { backend: auto.backend, skipped: [...auto.skipped] };
  auto.dispose();

  const client = createRewardWorkerClient(new Worker("/worker.js", { type: "module" }));
  const loaded = await client.load(weights.slice(0), { backend: "webgpu", allowFallbackAdapter: true, transfer: true });
  const started = performance.now();
  const scored = await client.score(inputs, { attributions: { top: 1 } });
  ms["worker-webgpu"] = performance.now() - started;
  scores["worker-webgpu"] = scored.rewards;
  client.terminate();

  return {
    adapter,
    scores,
    ms,
    auto: autoSummary,
    worker: {
      backend: loaded.backend,
      attributionRewards: (scored.attributions ?? []).map((a) => a.reward),
      topPositive: (scored.attributions ?? []).slice(0, 5).map((a) => a.positive[0]?.text ?? ""),
    },
  };
}

const target = globalThis as unknown as { webgpuCheck?: CheckResult | { error: string } };
run().then(
  (result) => (target.webgpuCheck = result),
  (error: unknown) => (target.webgpuCheck = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
);
