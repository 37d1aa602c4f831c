import { z } from "zod";
import { createJudge, isJudgeError, JudgeSettings, redactJudgeSettings, type JudgeResult, type JudgeVerdict, type TokenUsage } from "@arbiter/judge";
import { redactUrlsInText } from "@arbiter/outbound";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput, zodDetails } from "../errors.ts";
import { JudgeConfig, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { buildJudgeTask } from "./build-judge-task.ts";
import { campaignJudgeSettings } from "./campaign-judge-settings.ts";
import { getOutboundPolicy } from "../outbound/outbound-policy.ts";
import { assertJudgeDestination } from "./judge-destination.ts";
import { JudgeKeyError, resolveJudgeApiKey } from "./resolve-judge-api-key.ts";
import { withStoredCredentials } from "./vet-judge-config.ts";
import { findItemsForJudgeTest } from "../store/judge.ts";

export const JUDGE_TEST_ITEMS = 5;

export const JudgeTestInput = z
  .object({
    /** Unsaved settings to try; the campaign's saved settings when absent. */
    settings: JudgeConfig.optional(),
    /** Imported ids of the items to judge; the first five regular items when absent. */
    itemIds: z.array(z.string().min(1).max(500)).min(1).max(JUDGE_TEST_ITEMS).optional(),
  })
  .strict();

export interface JudgeTestItem {
  itemId: string;
  ok: boolean;
  /** In the item's imported response ids. */
  verdict?: { winner: string } | { ranking: string[][] };
  confidence?: number;
  orderConsistent?: boolean | null;
  rationale?: string;
  latencyMs: number;
  usage?: TokenUsage;
  cost?: number | null;
  error?: { code: string; message: string };
}

export interface JudgeTestResult {
  model: string;
  promptVersion: string;
  baseUrl: string;
  items: JudgeTestItem[];
  totals: { items: number; succeeded: number; wallMs: number; usage: TokenUsage; cost: number | null; currency: string | null };
}

/**
 * "Test the judge on 5 items" (admins): runs the saved — or the given, unsaved — settings on up
 * to five items right now and returns each verdict with its latency, tokens and cost. Nothing is
 * stored. Retries are cut short so the answer comes back in reasonable time; a failing item is
 * reported with its error code (a wrong key, an unreachable server, a reply that is not JSON).
 * Nothing is sent to a refused host (422), with a key from a variable that is not allow-listed
 * (422) or with a secret bound to another origin (409).
 */
export async function tryCampaignJudge(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<JudgeTestResult> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(JudgeTestInput, options.input ?? {}, "judge test");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const config = campaign.config as unknown as CampaignConfig;

  let settings: JudgeSettings | null;
  if (input.settings) {
    const { enabled: _enabled, promptVersion: _ignored, ...fields } = withStoredCredentials(input.settings, config.judge);
    const parsed = JudgeSettings.safeParse(fields);
    if (!parsed.success)
      throw new AppError("unprocessable", `Invalid judge settings: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`, {
        details: zodDetails(parsed.error),
      });
    settings = parsed.data;
  } else {
    settings = campaignJudgeSettings({ judge: config.judge ? { ...config.judge, enabled: true } : undefined });
    if (!settings) throw new AppError("conflict", "This campaign has no judge settings yet: set a base URL and a model, or send them as `settings`.");
  }
  settings = {
    ...settings,
    timeoutMs: Math.min(settings.timeoutMs, 60_000),
    maxRetries: Math.min(settings.maxRetries, 1),
    retryMaxDelayMs: Math.min(settings.retryMaxDelayMs, 5_000),
  };

  await assertJudgeDestination(settings.baseUrl);
  let apiKey: string | undefined;
  try {
    apiKey = await resolveJudgeApiKey({ campaignId: campaign.id, ref: settings.apiKeyRef, baseUrl: settings.baseUrl, savedJudge: config.judge });
  } catch (error) {
    if (error instanceof JudgeKeyError) throw error.toAppError();
    throw error;
  }

  const items = await findItemsForJudgeTest({ campaignId: campaign.id, externalIds: input.itemIds, limit: JUDGE_TEST_ITEMS });
  if (input.itemIds) {
    const found = new Set(items.map((i) => i.externalId));
    const missing = input.itemIds.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new AppError("not_found", `No item ${missing.join(", ")} in this campaign.`, {
        details: missing.map((id) => ({ path: "itemIds", message: `unknown item ${id}` })),
      });
  }
  if (items.length === 0) throw new AppError("conflict", "This campaign has no items to test the judge on; import some first.");

  const judge = createJudge({ settings, apiKey, outbound: getOutboundPolicy() });
  const started = performance.now();
  const results = await Promise.all(
    items.map(async (item): Promise<JudgeTestItem & { result?: JudgeResult }> => {
      const externalOf = new Map(item.responses.map((r) => [r.id, r.externalId]));
      const ext = (id: string) => externalOf.get(id) ?? id;
      const itemStarted = performance.now();
      try {
        const result = await judge.judgeItem(buildJudgeTask({ taskType: campaign.taskType, config, item }));
        return {
          itemId: item.externalId,
          ok: true,
          verdict: toExternal(result.verdict, ext),
          confidence: result.confidence,
          orderConsistent: result.orderConsistent,
          rationale: result.rationale,
          latencyMs: Math.round(performance.now() - itemStarted),
          usage: result.usage,
          cost: result.cost,
          result,
        };
      } catch (error) {
        const code = isJudgeError(error) ? error.code : "internal";
        const message = isJudgeError(error) ? redactUrlsInText(error.message) : "The judge call failed unexpectedly.";
        if (!isJudgeError(error)) console.error("[arbiter] judge test failed", error);
        return {
          itemId: item.externalId,
          ok: false,
          latencyMs: Math.round(performance.now() - itemStarted),
          ...(isJudgeError(error) && error.usage ? { usage: error.usage } : {}),
          error: { code, message },
        };
      }
    }),
  );
  const usage = results.reduce<TokenUsage>(
    (sum, r) =>
      r.usage
        ? {
            promptTokens: sum.promptTokens + r.usage.promptTokens,
            completionTokens: sum.completionTokens + r.usage.completionTokens,
            totalTokens: sum.totalTokens + r.usage.totalTokens,
            requests: sum.requests + r.usage.requests,
          }
        : sum,
    { promptTokens: 0, completionTokens: 0, totalTokens: 0, requests: 0 },
  );
  const costs = results.map((r) => r.cost).filter((c): c is number => typeof c === "number");
  return {
    model: settings.model,
    promptVersion: settings.promptVersion,
    baseUrl: redactJudgeSettings(settings).baseUrl,
    items: results.map(({ result: _result, ...item }) => item),
    totals: {
      items: results.length,
      succeeded: results.filter((r) => r.ok).length,
      wallMs: Math.round(performance.now() - started),
      usage,
      cost: settings.pricing ? Math.round(costs.reduce((s, c) => s + c, 0) * 1e10) / 1e10 : null,
      currency: settings.pricing?.currency ?? null,
    },
  };
}

function toExternal(verdict: JudgeVerdict, ext: (id: string) => string): { winner: string } | { ranking: string[][] } {
  if ("winner" in verdict) return { winner: verdict.winner === "tie" ? "tie" : ext(verdict.winner) };
  return { ranking: verdict.ranking.map((group) => group.map(ext)) };
}
