import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "./judge-settings-view.ts";

/** A campaign's judge settings (admins and researchers); the API key appears only as a reference. */
export async function getJudgeSettings(options: { actor: Actor | null; campaignId: string }): Promise<JudgeSettingsView> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  return toJudgeSettingsView(campaign.config as unknown as CampaignConfig);
}
