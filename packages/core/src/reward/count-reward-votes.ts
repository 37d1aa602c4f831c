import type { JobDb } from "../jobs/job-types.ts";
import { countPreferenceVotes } from "../store/reward-models.ts";

/** Human judgments of a campaign that prefer something (a pick or a ranking): what a reward model learns from. */
export async function countRewardVotes(options: { campaignId: string; db?: JobDb }): Promise<number> {
  return countPreferenceVotes(options.campaignId, options.db);
}
