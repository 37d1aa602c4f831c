import type { Actor } from "../access/actor.ts";
import { assertCampaignAccess, isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { MediaHosts } from "../campaign-config/media-hosts.ts";

/**
 * The hosts a campaign allows media from, for the annotation page's Content-Security-Policy:
 * only to callers who may see the campaign; anyone else (or a campaign that is not there) gets
 * none, so the header tells nothing about campaigns the caller cannot open.
 */
export async function campaignMediaHostsFor(options: { actor: Actor | null; campaignId: string }): Promise<string[]> {
  if (!options.actor || !isUuid(options.campaignId)) return [];
  try {
    const campaign = await assertCampaignAccess({ actor: options.actor, campaignId: options.campaignId, mode: "read" });
    const parsed = MediaHosts.safeParse((campaign.config as { mediaHosts?: unknown } | null)?.mediaHosts ?? []);
    return parsed.success ? parsed.data : [];
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}
