import { DEFAULT_FEATURIZER_CONFIG } from "@arbiter/reward-model";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { listRecentRewardModelVersions } from "../store/reward-models.ts";
import { countRewardVotes } from "./count-reward-votes.ts";
import { locatePretrainedRewardModel } from "./locate-pretrained-reward-model.ts";
import { pretrainedFileUrl, type RewardModelRef } from "./reward-model-ref.ts";
import { toRewardModelVersionView, type RewardModelVersionView } from "./reward-model-version-view.ts";
import { nextRewardRetrainingAt, REWARD_MIN_VOTES } from "./reward-training-policy.ts";

export interface RewardModelInfo {
  campaignId: string;
  hintMode: CampaignConfig["hintMode"];
  source: "trained" | "onnx";
  /** What tasks hand to the page (null: no hints yet). */
  current: RewardModelRef | null;
  latest: RewardModelVersionView | null;
  /** Newest first, at most 20. */
  versions: Array<Pick<RewardModelVersionView, "version" | "trainedOnVotes" | "heldOutAccuracy" | "createdAt">>;
  training: { votes: number; minVotes: number; nextVersionAtVotes: number } | null;
  pretrained: { path: string; available: boolean; problem: string | null; files: Record<string, string> } | null;
  backends: { order: Array<"webgpu" | "wasm" | "js">; webgpu: string; force: string; featurizerDim: number };
}

/**
 * The campaign's reward model: the latest version with its held-out accuracy, earlier versions,
 * how many votes the next retraining waits for, and how the page picks a backend. Admins,
 * researchers and the campaign's annotators may read it (annotators elsewhere get 404).
 */
export async function getRewardModelInfo(options: { actor: Actor | null; campaignId: string }): Promise<RewardModelInfo> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const config = campaign.config as unknown as CampaignConfig;
  const rows = await listRecentRewardModelVersions(campaign.id);
  const views = rows.map((r) => toRewardModelVersionView(campaign.id, r));
  const latest = views[0] ?? null;
  const source = config.rewardModel?.kind === "onnx" ? "onnx" : "trained";
  let pretrained: RewardModelInfo["pretrained"] = null;
  let current: RewardModelRef | null = null;
  if (config.rewardModel?.kind === "onnx") {
    const located = locatePretrainedRewardModel(config.rewardModel.path);
    const files = Object.fromEntries(Object.keys(located.files).map((name) => [name, pretrainedFileUrl(campaign.id, name)]));
    pretrained = { path: config.rewardModel.path, available: located.problem === null, problem: located.problem, files };
    if (located.problem === null) {
      current = {
        kind: "onnx",
        version: 0,
        url: pretrainedFileUrl(campaign.id, "model.onnx"),
        files: {
          tokenizer: pretrainedFileUrl(campaign.id, "tokenizer.json"),
          config: files["config.json"] ?? null,
          tokenizerConfig: files["tokenizer_config.json"] ?? null,
        },
      };
    }
  } else if (latest) {
    current = { kind: "trained", version: latest.version, url: latest.weightsUrl };
  }
  if (config.hintMode === "off") current = null;
  const votes = source === "trained" ? await countRewardVotes({ campaignId: campaign.id }) : null;
  return {
    campaignId: campaign.id,
    hintMode: config.hintMode,
    source,
    current,
    latest,
    versions: views.map(({ version, trainedOnVotes, heldOutAccuracy, createdAt }) => ({ version, trainedOnVotes, heldOutAccuracy, createdAt })),
    training: votes === null ? null : { votes, minVotes: REWARD_MIN_VOTES, nextVersionAtVotes: nextRewardRetrainingAt(latest?.trainedOnVotes ?? 0) },
    pretrained,
    backends: {
      order: ["webgpu", "wasm", "js"],
      webgpu: "used only on a hardware adapter (a fallback/software adapter such as SwiftShader is passed over for WebAssembly)",
      force: "add ?rmBackend=webgpu|wasm|js to the annotation page to force one (diagnostics)",
      featurizerDim: DEFAULT_FEATURIZER_CONFIG.dim,
    },
  };
}
