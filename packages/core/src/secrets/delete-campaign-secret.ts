import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { SecretName } from "./put-campaign-secret.ts";
import { deleteCampaignSecretRow } from "../store/secrets.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

/** Deletes a campaign secret (admins). A judge that references it fails until it is set again. */
export async function deleteCampaignSecret(options: { actor: Actor | null; campaignId: string; name: string }): Promise<void> {
  const actor = requireRole(options.actor, "admin");
  const name = parseInput(SecretName, options.name, "secret name");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  await inPrismaTransaction(async (tx) => {
    if (!(await deleteCampaignSecretRow(tx, campaign.id, name))) throw new AppError("not_found", `No secret named ${name} in this campaign.`);
    await writeAudit(tx, { actorId: actor.userId, action: "secret.delete", targetType: "secret", campaignId: campaign.id, data: { name } });
  });
}
