import { findRewardModelSource } from "../store/reward-models.ts";
import { locatePretrainedRewardModel } from "./locate-pretrained-reward-model.ts";
import { RewardModelConfig } from "../campaign-config/reward-model-config.ts";
import { rewardWeightsUrl } from "./reward-model-version-view.ts";
import { chooseServedVersion, type AskView } from "./reward-model-gate.ts";
import { hintControlShareOf } from "./hint-condition.ts";

/**
 * What a task tells the page about the model to load for hints, with what its percentages rest
 * on: the calibration temperature (probabilities are σ(Δreward / temperature)) and the held-out
 * accuracy and pair count ("82 % — 140 held-out pairs"; null / 0 for a pretrained model, which
 * is not validated on the campaign's votes); and `ask`, the held-out evidence for when the page may
 * ask "Keep your choice?" (reward-model-gate.ts; null: it never asks while the gate is on).
 */
export type RewardModelRef = (
  | { kind: "trained"; version: number; url: string }
  | { kind: "onnx"; version: 0; url: string; files: { tokenizer: string; config: string | null; tokenizerConfig: string | null } }
) & { temperature: number; heldOutAccuracy: number | null; heldOutPairs: number; gate: "auto" | "off"; ask: AskView | null };

export interface CampaignHintSource {
  /** What tasks get: null while the gate is shut (or no model exists). */
  ref: RewardModelRef | null;
  controlShare: number;
  /** What the hint shows (`hintSource`): the reward model's view, or the LLM judge's verdict (reward/judge-hint.ts). */
  hintSource: "reward-model" | "judge";
}

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; value: CampaignHintSource }>();

export function pretrainedFileUrl(campaignId: string, name: string): string {
  return `/api/v1/campaigns/${campaignId}/reward-model/files/${name}`;
}

/**
 * The model a campaign's hints use right now: the trained version the gate serves
 * (reward-model-gate.ts), or its pretrained ONNX folder when the gate is off; and the campaign's
 * no-hint share. One small query, remembered per campaign for 5 s in this process, so handing
 * out tasks costs nothing extra; storing a version forgets the entry at once (in this process).
 */
export async function loadCampaignHintSource(campaignId: string): Promise<CampaignHintSource> {
  const hit = cache.get(campaignId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const row = await findRewardModelSource(campaignId);
  const hintGate = row?.hintGate === "off" ? "off" : "auto";
  let ref: RewardModelRef | null = null;
  const source = RewardModelConfig.safeParse(row?.source);
  if (source.success && source.data.kind === "onnx") {
    const located = locatePretrainedRewardModel(source.data.path);
    if (located.problem === null && hintGate === "off") {
      ref = {
        kind: "onnx",
        version: 0,
        url: pretrainedFileUrl(campaignId, "model.onnx"),
        files: {
          tokenizer: pretrainedFileUrl(campaignId, "tokenizer.json"),
          config: located.files["config.json"] ? pretrainedFileUrl(campaignId, "config.json") : null,
          tokenizerConfig: located.files["tokenizer_config.json"] ? pretrainedFileUrl(campaignId, "tokenizer_config.json") : null,
        },
        temperature: 1,
        heldOutAccuracy: null,
        heldOutPairs: 0,
        gate: hintGate,
        ask: null,
      };
    }
  } else if (row) {
    const { served } = chooseServedVersion(row.versions, hintGate);
    if (served) {
      ref = {
        kind: "trained",
        version: served.version,
        url: rewardWeightsUrl(campaignId, served.version),
        temperature: served.verdict.temperature,
        heldOutAccuracy: served.verdict.accuracy,
        heldOutPairs: served.verdict.heldOutPairs,
        gate: hintGate,
        ask: served.verdict.ask,
      };
    }
  }
  const value: CampaignHintSource = {
    ref,
    controlShare: hintControlShareOf(row?.hintControlShare),
    hintSource: row?.hintSource === "judge" ? "judge" : "reward-model",
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(campaignId, { at: Date.now(), value });
  return value;
}

/** The model tasks of the campaign get right now (null: none, or the gate is shut). */
export async function loadRewardModelRef(campaignId: string): Promise<RewardModelRef | null> {
  return (await loadCampaignHintSource(campaignId)).ref;
}

/** Drops the remembered model of a campaign (a new version was stored, or its config changed). */
export function forgetRewardModelRef(campaignId: string): void {
  cache.delete(campaignId);
}
