import type { Campaign } from "@arbiter/db";
import { redactUrl } from "@arbiter/outbound";
import type { Actor } from "../access/actor.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";

export interface CampaignProgress {
  itemCount: number;
  /** Items that are gold checks; `itemCount - goldItemCount` are regular items. */
  goldItemCount: number;
  itemsComplete: number;
  humanJudgments: number;
  judgeJudgments: number;
  memberCount: number;
  /** For annotators: their own judgments in this campaign. */
  mine?: number;
}

export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  taskType: Campaign["taskType"];
  status: Campaign["status"];
  config: CampaignConfig;
  createdAt: string;
  updatedAt: string;
  progress: CampaignProgress;
}

/**
 * What the API shows of a campaign (one campaign and the list): judge secrets are references
 * only, the judge's base URL is redacted (user info and credential-like query parameters), and
 * annotators see no judge or routing settings.
 */
export function toCampaignView(campaign: Campaign, progress: CampaignProgress, actor: Actor): CampaignView {
  const config = { ...(campaign.config as unknown as CampaignConfig) };
  if (config.judge?.baseUrl) config.judge = { ...config.judge, baseUrl: redactUrl(config.judge.baseUrl) };
  if (config.live) config.live = { ...config.live, contestants: config.live.contestants.map((c) => ({ ...c, baseUrl: redactUrl(c.baseUrl) })) };
  if (actor.role === "annotator") {
    delete config.judge;
    // Who the contestants are is what a battle hides until the vote.
    if (config.live) config.live = { ...config.live, contestants: [] };
    config.routing = { mode: "all_human", humanBudget: 1, calibrationFraction: 0, seed: 0 };
  }
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    taskType: campaign.taskType,
    status: campaign.status,
    config,
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
    progress,
  };
}
