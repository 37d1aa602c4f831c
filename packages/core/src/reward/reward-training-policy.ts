/** No model before this many usable votes (judgments that prefer something). */
export const REWARD_MIN_VOTES = 20;
/** Retrain once the usable votes have grown by this factor since the last version. */
export const REWARD_RETRAIN_GROWTH = 1.2;
/** Judgments arriving close together retrain once. */
export const REWARD_RETRAIN_DEBOUNCE_MS = 10_000;
/** Newest judgments a training run reads (bounds its time and memory on huge campaigns). */
export const REWARD_MAX_TRAINING_JUDGMENTS = 20_000;

/**
 * Whether a campaign with `votes` usable votes, whose latest model was trained on `lastVotes`
 * (0 for none), is due for a new version: at least 20 votes, then each time they grow by 20 %.
 */
export function isRewardRetrainingDue(options: { votes: number; lastVotes: number }): boolean {
  if (options.votes < REWARD_MIN_VOTES) return false;
  if (options.lastVotes <= 0) return true;
  return options.votes >= Math.ceil(options.lastVotes * REWARD_RETRAIN_GROWTH);
}

/** The vote count at which the next version will be trained. */
export function nextRewardRetrainingAt(lastVotes: number): number {
  return lastVotes <= 0 ? REWARD_MIN_VOTES : Math.max(REWARD_MIN_VOTES, Math.ceil(lastVotes * REWARD_RETRAIN_GROWTH));
}
