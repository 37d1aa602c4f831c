import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { encryptSecret } from "./secret-cipher.ts";
import { originOf } from "./secret-origin.ts";
import { findCampaignSecretId, insertSecret, replaceSecret } from "../store/secrets.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const SecretName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, _ . and -");
export const SecretValueInput = z
  .object({
    value: z.string().min(1, "the value is empty").max(16_384),
    /** The endpoint the secret is for: any http(s) URL, of which the origin (scheme://host:port) is kept. */
    origin: z
      .url({ protocol: /^https?$/, error: "an http(s) URL, e.g. https://api.openai.com" })
      .max(2_000)
      .optional(),
  })
  .strict();

export interface SecretView {
  name: string;
  campaignId: string;
  /** The only origin (scheme://host:port) the secret is ever sent to; null until stored for one or first used. */
  origin: string | null;
  createdAt: string;
}

/**
 * Stores (or replaces) a campaign secret such as a judge API key, encrypted with AES-256-GCM
 * under a key derived from the app secret. Admins only; the value is never returned or logged.
 * The secret is bound to one origin: `origin` when given, else the origin of the campaign's saved
 * judge base URL, else none yet (the first use binds it). Storing it again is the only way to
 * move it to another origin.
 */
export async function putCampaignSecret(options: {
  actor: Actor | null;
  campaignId: string;
  name: string;
  input: unknown;
}): Promise<SecretView & { replaced: boolean }> {
  const actor = requireRole(options.actor, "admin");
  const name = parseInput(SecretName, options.name, "secret name");
  const input = parseInput(SecretValueInput, options.input, "secret");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const judgeUrl = (campaign.config as unknown as CampaignConfig).judge?.baseUrl;
  const origin = input.origin ? originOf(input.origin) : judgeUrl ? originOf(judgeUrl) : null;
  const encrypted = encryptSecret(input.value, { campaignId: campaign.id, name });
  return inPrismaTransaction(async (tx) => {
    const existing = await findCampaignSecretId(tx, campaign.id, name);
    const row = existing
      ? await replaceSecret(tx, existing, { ...encrypted, origin })
      : await insertSecret(tx, { campaignId: campaign.id, name, ...encrypted, origin });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: existing ? "secret.replace" : "secret.create",
      targetType: "secret",
      targetId: row.id,
      campaignId: campaign.id,
      data: { name, origin },
    });
    if (!row.campaignId) throw new AppError("internal", "secret stored without its campaign");
    return { name: row.name, campaignId: row.campaignId, origin: row.origin, createdAt: row.createdAt.toISOString(), replaced: existing !== null };
  });
}
