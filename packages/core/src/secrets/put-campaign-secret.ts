import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { encryptSecret } from "./secret-cipher.ts";

export const SecretName = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, _ . and -");
export const SecretValueInput = z.object({ value: z.string().min(1, "the value is empty").max(16_384) }).strict();

export interface SecretView {
  name: string;
  campaignId: string;
  createdAt: string;
}

/**
 * Stores (or replaces) a campaign secret such as a judge API key, encrypted with AES-256-GCM
 * under a key derived from the app secret. Admins only; the value is never returned or logged.
 */
export async function putCampaignSecret(options: { actor: Actor | null; campaignId: string; name: string; input: unknown }): Promise<SecretView & { replaced: boolean }> {
  const actor = requireRole(options.actor, "admin");
  const name = parseInput(SecretName, options.name, "secret name");
  const { value } = parseInput(SecretValueInput, options.input, "secret");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const encrypted = encryptSecret(value, { campaignId: campaign.id, name });
  return getPrisma().$transaction(async (tx) => {
    const existing = await tx.secret.findUnique({ where: { campaignId_name: { campaignId: campaign.id, name } }, select: { id: true } });
    const row = existing
      ? await tx.secret.update({ where: { id: existing.id }, data: { ...encrypted, createdAt: new Date() } })
      : await tx.secret.create({ data: { campaignId: campaign.id, name, ...encrypted } });
    await writeAudit(tx, { actorId: actor.userId, action: existing ? "secret.replace" : "secret.create", targetType: "secret", targetId: row.id, campaignId: campaign.id, data: { name } });
    if (!row.campaignId) throw new AppError("internal", "secret stored without its campaign");
    return { name: row.name, campaignId: row.campaignId, createdAt: row.createdAt.toISOString(), replaced: existing !== null };
  });
}
