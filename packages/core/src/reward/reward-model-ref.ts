import { findRewardModelSource } from "../store/reward-models.ts";
import { locatePretrainedRewardModel } from "./locate-pretrained-reward-model.ts";
import { RewardModelConfig } from "../campaign-config/reward-model-config.ts";
import { rewardWeightsUrl } from "./reward-model-version-view.ts";

/** What a task tells the page about the model to load for hints. */
export type RewardModelRef =
  | { kind: "trained"; version: number; url: string }
  | { kind: "onnx"; version: 0; url: string; files: { tokenizer: string; config: string | null; tokenizerConfig: string | null } };

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; value: RewardModelRef | null }>();

export function pretrainedFileUrl(campaignId: string, name: string): string {
  return `/api/v1/campaigns/${campaignId}/reward-model/files/${name}`;
}

/**
 * The model a campaign's hints use right now: its latest trained version, or its pretrained
 * ONNX folder. One small query, remembered per campaign for 5 s in this process, so handing out
 * tasks costs nothing extra; storing a version forgets the entry at once (in this process).
 */
export async function loadRewardModelRef(campaignId: string): Promise<RewardModelRef | null> {
  const hit = cache.get(campaignId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const row = await findRewardModelSource(campaignId);
  let value: RewardModelRef | null = null;
  const source = RewardModelConfig.safeParse(row?.source);
  if (source.success && source.data.kind === "onnx") {
    const located = locatePretrainedRewardModel(source.data.path);
    if (located.problem === null) {
      value = {
        kind: "onnx",
        version: 0,
        url: pretrainedFileUrl(campaignId, "model.onnx"),
        files: {
          tokenizer: pretrainedFileUrl(campaignId, "tokenizer.json"),
          config: located.files["config.json"] ? pretrainedFileUrl(campaignId, "config.json") : null,
          tokenizerConfig: located.files["tokenizer_config.json"] ? pretrainedFileUrl(campaignId, "tokenizer_config.json") : null,
        },
      };
    }
  } else if (row?.version) {
    value = { kind: "trained", version: row.version, url: rewardWeightsUrl(campaignId, row.version) };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(campaignId, { at: Date.now(), value });
  return value;
}

/** Drops the remembered model of a campaign (a new version was stored, or its config changed). */
export function forgetRewardModelRef(campaignId: string): void {
  cache.delete(campaignId);
}
