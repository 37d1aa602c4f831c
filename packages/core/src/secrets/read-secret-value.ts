import { findSecretOutsideTransaction } from "../store/secrets.ts";
import { decryptSecret } from "./secret-cipher.ts";

/**
 * The plaintext of a secret, for server-side use only (a judge's API key): the campaign's own
 * secret of that name, else a global one. Null when there is none; throws if it cannot be
 * decrypted (the app secret changed).
 */
export async function readSecretValue(options: { campaignId: string; name: string }): Promise<string | null> {
  const row = await findSecretOutsideTransaction(options);
  if (!row) return null;
  return decryptSecret(row, { campaignId: row.campaignId, name: row.name });
}
