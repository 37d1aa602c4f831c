import { getPrisma } from "@arbiter/db";
import { decryptSecret } from "./secret-cipher.ts";

/**
 * The plaintext of a secret, for server-side use only (a judge's API key): the campaign's own
 * secret of that name, else a global one. Null when there is none; throws if it cannot be
 * decrypted (the app secret changed).
 */
export async function readSecretValue(options: { campaignId: string; name: string }): Promise<string | null> {
  const rows = await getPrisma().secret.findMany({ where: { name: options.name, OR: [{ campaignId: options.campaignId }, { campaignId: null }] } });
  const row = rows.find((r) => r.campaignId === options.campaignId) ?? rows[0];
  if (!row) return null;
  return decryptSecret(row, { campaignId: row.campaignId, name: row.name });
}
