import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { JudgeConfig, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { replaceConfigSection } from "../campaign-config/replace-config-section.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "./judge-settings-view.ts";
import { assertJudgeConfigAllowed, bindJudgeSecret, withStoredCredentials } from "./vet-judge-config.ts";

/**
 * Replaces a campaign's judge settings (admins). The body is @arbiter/judge's settings plus
 * `enabled`; unknown fields — an `apiKey` pasted in, say — are refused, so a key can only be
 * stored as a secret. The base URL must be one the server may reach (422), an environment key
 * must be allow-listed (422), and a secret must be bound to the base URL's origin (409); a base
 * URL sent back as the API showed it (credentials redacted) keeps the stored credentials.
 * A routing pass is queued in the same transaction: a new model or prompt means every item is
 * judged again under the new prompt version.
 */
export async function updateJudgeSettings(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<JudgeSettingsView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(JudgeConfig, options.input, "judge settings");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const previous = (campaign.config as unknown as CampaignConfig).judge;
  const { promptVersion: _ignored, ...sent } = input;
  const judge = withStoredCredentials(sent, previous);
  await assertJudgeConfigAllowed(judge);
  const config = await replaceConfigSection({
    actor,
    campaignId: options.campaignId,
    section: { judge } as Partial<CampaignConfig>,
    audit: { action: "campaign.judge", data: { enabled: judge.enabled, model: judge.model ?? null } },
    beforeSave: (tx, current) => bindJudgeSecret(tx, { campaignId: options.campaignId, judge, previous: current.judge }),
  });
  return toJudgeSettingsView(config);
}
