import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import type { SecretView } from "./put-campaign-secret.ts";
import { listSecretNames } from "../store/secrets.ts";

/** Names, bound origins and dates of a campaign's secrets (admins and researchers); values never leave the server. */
export async function listCampaignSecrets(options: { actor: Actor | null; campaignId: string }): Promise<SecretView[]> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const rows = await listSecretNames(campaign.id);
  return rows.map((row) => ({ name: row.name, campaignId: campaign.id, origin: row.origin, createdAt: row.createdAt.toISOString() }));
}
