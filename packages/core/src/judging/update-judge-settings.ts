import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { JudgeConfig, type CampaignConfig } from "../campaigns/campaign-config.ts";
import { replaceConfigSection } from "../campaigns/replace-config-section.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "./judge-settings-view.ts";

/**
 * Replaces a campaign's judge settings (admins). The body is @arbiter/judge's settings plus
 * `enabled`; unknown fields — an `apiKey` pasted in, say — are refused, so a key can only be
 * stored as a secret. A routing pass is queued in the same transaction: a new model or prompt
 * means every item is judged again under the new prompt version.
 */
export async function updateJudgeSettings(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<JudgeSettingsView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(JudgeConfig, options.input, "judge settings");
  const { promptVersion: _ignored, ...judge } = input;
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const config = await replaceConfigSection({
    actor,
    campaignId: options.campaignId,
    section: { judge } as Partial<CampaignConfig>,
    audit: { action: "campaign.judge", data: { enabled: judge.enabled, model: judge.model ?? null } },
  });
  return toJudgeSettingsView(config);
}
