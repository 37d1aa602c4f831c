import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { RoutingConfig } from "../campaign-config/campaign-config.ts";
import { replaceConfigSection } from "../campaign-config/replace-config-section.ts";

/**
 * Replaces a campaign's routing settings (admins): mode, human budget, calibration share, seed.
 * A routing pass is queued in the same transaction; it re-routes only items nobody has
 * labelled or leased, so switching modes never discards work.
 */
export async function updateRoutingSettings(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<RoutingConfig> {
  const actor = requireRole(options.actor, "admin");
  const routing = parseInput(RoutingConfig, options.input, "routing settings");
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const config = await replaceConfigSection({
    actor,
    campaignId: options.campaignId,
    section: { routing },
    audit: { action: "campaign.routing", data: routing },
  });
  return config.routing;
}
