import type { Campaign } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";

/**
 * Quality figures are for admins and researchers. An annotator gets 404 for a campaign they
 * are not in (ids cannot be probed) and 403 for one they are in.
 */
export async function assertQualityAccess(options: { actor: Actor | null; campaignId: string }): Promise<{ actor: Actor; campaign: Campaign }> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  if (actor.role !== "admin" && actor.role !== "researcher") throw new AppError("forbidden", "Quality figures are for admins and researchers.");
  return { actor, campaign };
}
