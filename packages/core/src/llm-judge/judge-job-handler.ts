import { z } from "zod";
import { isJudgeError } from "@arbiter/judge";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { JobFailedPermanently, JobRetryLater, type JobHandler } from "../jobs/job-types.ts";
import { JUDGE_QUEUE, findItemForJudging } from "../store/judge.ts";
import { enqueueRoutingPass } from "../jobs/routing-pass-queue.ts";
import { buildJudgeTask } from "./build-judge-task.ts";
import { campaignJudgeSettings, judgeJudgmentKey } from "./campaign-judge-settings.ts";
import { JudgeCache } from "./judge-cache.ts";
import { recordJudgeJudgment } from "./record-judge-judgment.ts";
import { getOutboundPolicy } from "../outbound/outbound-policy.ts";
import { judgeDestinationRefusal } from "./judge-destination.ts";
import { JudgeKeyError, resolveJudgeApiKey } from "./resolve-judge-api-key.ts";

export { JUDGE_QUEUE };

export const JudgeJobPayload = z.object({
  campaignId: z.uuid(),
  itemId: z.uuid(),
  /** The settings the job was enqueued under; if the campaign's judge changed since, it is skipped. */
  model: z.string(),
  promptVersion: z.string(),
});
export type JudgeJobPayload = z.infer<typeof JudgeJobPayload>;

/**
 * Judges one item with the campaign's judge. The HTTP calls run outside any transaction; the
 * judgment row, the item's judge count and a follow-up routing pass are written in the
 * transaction that completes the job. Retryable judge failures (timeouts, 5xx, 429) go back to
 * the queue — after the server's retry-after when it gave one; bad settings, a missing key or a
 * judge that never returns valid JSON fail the job for good, and so do a base URL the server may
 * no longer reach (`host_refused`), a redirect (`redirect`), a key variable not allow-listed
 * (`key_env_not_allowed`) and a secret bound to another origin (`secret_origin_mismatch`).
 * Stored errors carry the code, the status and the redacted URL, never the endpoint's answer.
 */
export function createJudgeJobHandler(options: { cache?: JudgeCache } = {}): JobHandler {
  const cache = options.cache ?? new JudgeCache();
  return {
    queue: JUDGE_QUEUE,
    async run(job, { signal }) {
      const parsed = JudgeJobPayload.safeParse(job.payload);
      if (!parsed.success) throw new JobFailedPermanently(`bad judge job payload: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      const payload = parsed.data;
      const item = await findItemForJudging(payload.itemId);
      if (!item || item.campaignId !== payload.campaignId) return { result: { skipped: "the item no longer exists" } };
      const campaign = item.campaign;
      const config = campaign.config as unknown as CampaignConfig;
      const settings = campaignJudgeSettings(config);
      if (!settings) return { result: { skipped: "the campaign's judge is disabled" } };
      if (settings.model !== payload.model || settings.promptVersion !== payload.promptVersion) {
        return { result: { skipped: "the campaign's judge settings changed since the job was enqueued" } };
      }
      const refusal = judgeDestinationRefusal(settings.baseUrl);
      if (refusal) throw new JobFailedPermanently(`host_refused: ${refusal}`);
      let apiKey: string | undefined;
      try {
        apiKey = await resolveJudgeApiKey({ campaignId: campaign.id, ref: settings.apiKeyRef, baseUrl: settings.baseUrl, savedJudge: config.judge });
      } catch (error) {
        if (error instanceof JudgeKeyError) throw new JobFailedPermanently(`${error.code}: ${error.message}`);
        throw error;
      }
      const task = buildJudgeTask({ taskType: campaign.taskType, config, item });
      const judge = cache.get(campaign.id, settings, apiKey, getOutboundPolicy());
      const started = performance.now();
      let result;
      try {
        result = await judge.judgeItem(task, { signal });
      } catch (error) {
        if (isJudgeError(error)) {
          const message = `${error.code}: ${error.message}`;
          if (!error.retryable) throw new JobFailedPermanently(message);
          throw new JobRetryLater(message, error.retryAfterMs);
        }
        throw error;
      }
      const latencyMs = Math.round(performance.now() - started);
      const dedupeKey = judgeJudgmentKey(item.id, settings);
      return {
        result: {
          verdict: result.verdict,
          confidence: result.confidence,
          orderConsistent: result.orderConsistent,
          usage: { ...result.usage },
          cost: result.cost,
          latencyMs,
        },
        apply: async (tx) => {
          const written = await recordJudgeJudgment(tx, { campaignId: campaign.id, itemId: item.id, dedupeKey, result, latencyMs });
          if (written && config.routing.mode === "hybrid") await enqueueRoutingPass(tx, { campaignId: campaign.id, delayMs: ROUTING_DEBOUNCE_MS });
        },
      };
    },
  };
}

/** Verdicts arriving close together are folded into one routing pass. */
const ROUTING_DEBOUNCE_MS = 2_000;
