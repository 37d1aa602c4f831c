import type { CalibrationMetrics, TrainingMetrics } from "@arbiter/reward-model";

export interface RewardModelVersionView {
  version: number;
  format: string;
  trainedOnVotes: number;
  heldOutAccuracy: number | null;
  trainAccuracy: number | null;
  pairs: number | null;
  heldOutPairs: number | null;
  trainingMs: number | null;
  bytes: number;
  createdAt: string;
  weightsUrl: string;
  /** Temperature, ECE before/after, accuracy with its 95 % interval and the length baselines on the held-out split (null for versions without one). */
  calibration: CalibrationMetrics | null;
}

export function rewardWeightsUrl(campaignId: string, version: number): string {
  return `/api/v1/campaigns/${campaignId}/reward-model/weights?version=${version}`;
}

export function toRewardModelVersionView(
  campaignId: string,
  row: { version: number; format: string; trainedOnVotes: number; heldOutAccuracy: number | null; metrics: unknown; createdAt: Date; bytes: number },
): RewardModelVersionView {
  const metrics = (row.metrics ?? {}) as Partial<TrainingMetrics>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    version: row.version,
    format: row.format,
    trainedOnVotes: row.trainedOnVotes,
    heldOutAccuracy: row.heldOutAccuracy,
    trainAccuracy: num(metrics.trainAccuracy),
    pairs: num(metrics.pairs),
    heldOutPairs: num(metrics.heldOutPairs),
    trainingMs: num(metrics.ms),
    bytes: row.bytes,
    createdAt: row.createdAt.toISOString(),
    weightsUrl: rewardWeightsUrl(campaignId, row.version),
    calibration: metrics.calibration ?? null,
  };
}
