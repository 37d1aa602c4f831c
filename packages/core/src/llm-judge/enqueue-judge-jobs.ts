import type { JudgeSettings } from "@arbiter/judge";
import { enqueueJobs } from "../jobs/enqueue-job.ts";
import type { JobDb } from "../jobs/job-types.ts";
import { judgeJudgmentKey } from "./campaign-judge-settings.ts";
import { JUDGE_QUEUE, type JudgeJobPayload } from "./judge-job-handler.ts";

/** Judge jobs for items under the current judge settings; items that already have one for these settings are skipped. */
export async function enqueueJudgeJobs(
  db: JobDb,
  options: { campaignId: string; itemIds: readonly string[]; settings: Pick<JudgeSettings, "model" | "promptVersion"> },
): Promise<number> {
  const { campaignId, settings } = options;
  return enqueueJobs(
    db,
    JUDGE_QUEUE,
    options.itemIds.map((itemId) => {
      const payload: JudgeJobPayload = { campaignId, itemId, model: settings.model, promptVersion: settings.promptVersion };
      return { payload, dedupeKey: judgeJudgmentKey(itemId, settings) };
    }),
  );
}
