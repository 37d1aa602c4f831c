import {
  encodeWeights,
  RewardTrainingError,
  trainRewardModelAsync,
  type TrainingMetrics,
  type TrainRewardModelOptions,
  type TrainRewardModelResult,
} from "@arbiter/reward-model";
import { trainRewardModelInThread, TrainingThreadError } from "@arbiter/reward-model/node";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { findCampaignConfigForTraining, findLatestRewardModelVersion } from "../store/reward-models.ts";
import { collectRewardPairs } from "./collect-reward-pairs.ts";
import { countRewardVotes } from "./count-reward-votes.ts";
import { isRewardRetrainingDue } from "./reward-training-policy.ts";

/** A trained model waiting to be stored (see storeRewardModelVersion). */
export interface PreparedRewardModel {
  kind: "trained";
  campaignId: string;
  weights: Uint8Array;
  /** Usable votes when training started (the retraining policy compares against this). */
  votes: number;
  judgmentsUsed: number;
  items: number;
  metrics: TrainingMetrics;
  /** Where it trained: the background thread, or this thread in slices (the thread could not run). */
  trainedOn: TrainedOn;
  force: boolean;
}

export type TrainedOn = "thread" | "event-loop";

export type RewardTrainingSkip = { kind: "skipped"; campaignId: string; reason: string; votes?: number };

/** Held-out share when the campaign has enough items to spare some. */
const HOLD_OUT = 0.2;
const MIN_ITEMS_FOR_HOLD_OUT = 5;

/**
 * The slow, side-effect-free half of a training run: reads the campaign's votes and trains a
 * Bradley–Terry head on them (items held out as a group for the accuracy figure). Skips when
 * the campaign uses a pretrained model or hints are off, and — unless `force` — when the
 * retraining policy says it is not due yet.
 */
export async function prepareRewardModelVersion(options: { campaignId: string; force?: boolean }): Promise<PreparedRewardModel | RewardTrainingSkip> {
  const { campaignId } = options;
  const force = options.force ?? false;
  const campaign = await findCampaignConfigForTraining(campaignId);
  if (!campaign) return { kind: "skipped", campaignId, reason: "the campaign no longer exists" };
  const config = campaign.config as unknown as CampaignConfig;
  if (config.rewardModel?.kind === "onnx") return { kind: "skipped", campaignId, reason: "the campaign uses a pretrained ONNX reward model" };
  if (config.hintMode === "off" && !force) return { kind: "skipped", campaignId, reason: "hints are off for this campaign" };
  const latest = await findLatestRewardModelVersion(campaignId);
  const votes = await countRewardVotes({ campaignId });
  if (!force && !isRewardRetrainingDue({ votes, lastVotes: latest?.trainedOnVotes ?? 0 })) {
    return { kind: "skipped", campaignId, reason: "not enough new votes since the last version", votes };
  }
  const { pairs, judgments, items } = await collectRewardPairs({ campaignId });
  if (pairs.length < 2) return { kind: "skipped", campaignId, reason: `only ${pairs.length} preference pair(s) so far`, votes };
  let trained;
  try {
    trained = await train({ pairs, seed: 1, l2: 1e-3, holdOut: items >= MIN_ITEMS_FOR_HOLD_OUT ? HOLD_OUT : 0 });
  } catch (error) {
    if (error instanceof RewardTrainingError) return { kind: "skipped", campaignId, reason: error.message, votes };
    throw error;
  }
  const weights = encodeWeights(trained.model, { campaignId, trainedOnVotes: String(votes) });
  return { kind: "trained", campaignId, weights, votes, judgmentsUsed: judgments, items, metrics: trained.metrics, trainedOn: trained.on, force };
}

let threadFailureLogged = false;

/**
 * Trains on the background thread, so the server's request thread never runs training. Should
 * the thread be unable to run, this thread trains in slices instead (3 ms of training, then
 * 6 ms left to requests): slower to finish and a little costlier for requests, but hints keep
 * improving.
 */
async function train(options: TrainRewardModelOptions): Promise<TrainRewardModelResult & { on: TrainedOn }> {
  try {
    return { ...(await trainRewardModelInThread(options)), on: "thread" };
  } catch (error) {
    if (!(error instanceof TrainingThreadError)) throw error;
    if (!threadFailureLogged) {
      threadFailureLogged = true;
      console.warn("[arbiter] reward-model training thread unavailable; training on the server thread instead", error);
    }
    return { ...(await trainRewardModelAsync(options, { sliceMs: 3, restMs: 6 })), on: "event-loop" };
  }
}
