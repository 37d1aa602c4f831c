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
import { gateVerdict, pretrainedGateView, trainedGateView, type AskView, type RewardModelGateView } from "./reward-model-gate.ts";
import { hintControlShareOf } from "./hint-condition.ts";
import { judgeHintState } from "./judge-hint.ts";
import type { JudgeHintGateView } from "./judge-hint-gate.ts";

export interface RewardModelInfo {
  campaignId: string;
  hintMode: CampaignConfig["hintMode"];
  hintGate: "auto" | "off";
  /** Share of tasks in the no-hint arm. */
  hintControlShare: number;
  /** What the hint shows (`hintSource`): the reward model's view, or the LLM judge's stored verdict. */
  hintSource: "reward-model" | "judge";
  /**
   * Whether tasks carry a hint, and why not: the reward model's gate (reward-model-gate.ts), or
   * with `hintSource: "judge"` the judge's (its agreement with annotators on calibration items,
   * reward/judge-hint-gate.ts) — same shape, `source` says which.
   */
  gate: (RewardModelGateView & { source: "reward-model" }) | JudgeHintGateView;
  source: "trained" | "onnx";
  /** The model tasks hand to the page (null: no hints yet, or the hint source is the judge). */
  current: RewardModelRef | null;
  latest: RewardModelVersionView | null;
  /** Newest first, at most 20. */
  versions: Array<
    Pick<RewardModelVersionView, "version" | "trainedOnVotes" | "heldOutAccuracy" | "createdAt"> & {
      heldOutPairs: number;
      accuracyCi: [number, number] | null;
      temperature: number;
      eceBefore: number | null;
      eceAfter: number | null;
      passesGate: boolean;
      /** The version's ask evidence ("Keep your choice?" at ≥ threshold), or null: it never asks. */
      ask: AskView | null;
    }
  >;
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
  const hintGate = config.hintGate === "off" ? "off" : "auto";
  const versionMetrics = rows.map((r) => ({ version: r.version, metrics: r.metrics }));
  let gate = trainedGateView(versionMetrics, hintGate);
  if (config.rewardModel?.kind === "onnx") {
    const located = locatePretrainedRewardModel(config.rewardModel.path);
    const files = Object.fromEntries(Object.keys(located.files).map((name) => [name, pretrainedFileUrl(campaign.id, name)]));
    pretrained = { path: config.rewardModel.path, available: located.problem === null, problem: located.problem, files };
    gate = pretrainedGateView(hintGate, located.problem === null);
    if (located.problem === null && gate.open) {
      current = {
        kind: "onnx",
        version: 0,
        url: pretrainedFileUrl(campaign.id, "model.onnx"),
        files: {
          tokenizer: pretrainedFileUrl(campaign.id, "tokenizer.json"),
          config: files["config.json"] ?? null,
          tokenizerConfig: files["tokenizer_config.json"] ?? null,
        },
        temperature: 1,
        heldOutAccuracy: null,
        heldOutPairs: 0,
        gate: hintGate,
        ask: null,
      };
    }
  } else if (gate.servedVersion !== null) {
    const served = views.find((v) => v.version === gate.servedVersion);
    if (served) {
      current = {
        kind: "trained",
        version: served.version,
        url: served.weightsUrl,
        temperature: gate.temperature ?? 1,
        heldOutAccuracy: gate.accuracy,
        heldOutPairs: gate.heldOutPairs,
        gate: hintGate,
        ask: gate.ask,
      };
    }
  }
  const hintSource = config.hintSource === "judge" ? "judge" : "reward-model";
  let shownGate: RewardModelInfo["gate"] = { ...gate, source: "reward-model" };
  if (hintSource === "judge") {
    // The judge's verdict is the hint: no model goes to the page; the gate is the judge's.
    current = null;
    shownGate = (await judgeHintState(campaign.id, config)).gate;
  }
  if (config.hintMode === "off") {
    current = null;
    const off = "hints are off for this campaign (hintMode: off)";
    shownGate = { ...shownGate, open: false, servedVersion: null, reasons: [off], ask: null, askReasons: [off] };
  }
  const votes = source === "trained" ? await countRewardVotes({ campaignId: campaign.id }) : null;
  return {
    campaignId: campaign.id,
    hintMode: config.hintMode,
    hintGate,
    hintControlShare: hintControlShareOf(config.hintControlShare),
    hintSource,
    gate: shownGate,
    source,
    current,
    latest,
    versions: views.map(({ version, trainedOnVotes, heldOutAccuracy, createdAt }, i) => {
      const verdict = gateVerdict(rows[i]?.metrics);
      return {
        version,
        trainedOnVotes,
        heldOutAccuracy,
        createdAt,
        heldOutPairs: verdict.heldOutPairs,
        accuracyCi: verdict.accuracyCi,
        temperature: verdict.temperature,
        eceBefore: verdict.calibration?.eceBefore ?? null,
        eceAfter: verdict.calibration?.eceAfter ?? null,
        passesGate: verdict.open,
        ask: verdict.ask,
      };
    }),
    training: votes === null ? null : { votes, minVotes: REWARD_MIN_VOTES, nextVersionAtVotes: nextRewardRetrainingAt(latest?.trainedOnVotes ?? 0) },
    pretrained,
    backends:
      source === "onnx"
        ? {
            order: ["webgpu", "wasm"],
            webgpu:
              "onnxruntime-web's WebGPU execution provider runs the model's forward pass, used only on a hardware adapter (a fallback/software adapter such as SwiftShader is passed over for WebAssembly) and only when onnxruntime places the forward pass on it",
            force: "add ?rmBackend=webgpu|wasm to the annotation page to force one (diagnostics; data-rm-backend says onnx-webgpu or onnx-wasm)",
            featurizerDim: DEFAULT_FEATURIZER_CONFIG.dim,
          }
        : {
            order: ["webgpu", "wasm", "js"],
            webgpu: "used only on a hardware adapter (a fallback/software adapter such as SwiftShader is passed over for WebAssembly)",
            force: "add ?rmBackend=webgpu|wasm|js to the annotation page to force one (diagnostics)",
            featurizerDim: DEFAULT_FEATURIZER_CONFIG.dim,
          },
  };
}
