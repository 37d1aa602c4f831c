import { JudgeSettings } from "@arbiter/judge";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";

/**
 * The judge settings of a campaign as @arbiter/judge runs them (defaults filled, prompt version
 * computed), or null when the campaign has no enabled judge.
 */
export function campaignJudgeSettings(config: Pick<CampaignConfig, "judge">): JudgeSettings | null {
  const judge = config.judge;
  if (!judge?.enabled) return null;
  const { enabled: _enabled, promptVersion: _ignored, ...fields } = judge;
  const parsed = JudgeSettings.safeParse(fields);
  return parsed.success ? parsed.data : null;
}

/** One judge judgment per (item, model, prompt version): the unique key on judgments and on judge jobs. */
export function judgeJudgmentKey(itemId: string, settings: Pick<JudgeSettings, "model" | "promptVersion">): string {
  return `judge:${itemId}:${settings.promptVersion}:${settings.model}`;
}
