import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getAppSecret } from "@arbiter/auth";

export interface EncryptedSecret {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
}

/** A key for stored secrets only, derived from the app secret (HKDF-SHA256), never the app secret itself. */
function secretsKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "arbiter/secrets", "aes-256-gcm key v1", 32));
}

/**
 * The authenticated data binds a ciphertext to its row (campaign and name), so a ciphertext
 * copied onto another secret's row does not decrypt.
 */
function associatedData(scope: { campaignId: string | null; name: string }): Buffer {
  return Buffer.from(`${scope.campaignId ?? "global"}\u0000${scope.name}`, "utf8");
}

const copy = (buffer: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

/** AES-256-GCM with a fresh 96-bit IV under a key derived from the app secret. */
export function encryptSecret(plaintext: string, scope: { campaignId: string | null; name: string }, appSecret = getAppSecret()): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretsKey(appSecret), iv);
  cipher.setAAD(associatedData(scope));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: copy(ciphertext), iv: copy(iv), authTag: copy(cipher.getAuthTag()) };
}

/** Throws when the ciphertext was altered, moved to another row, or encrypted under another app secret. */
export function decryptSecret(
  secret: { ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array },
  scope: { campaignId: string | null; name: string },
  appSecret = getAppSecret(),
): string {
  const decipher = createDecipheriv("aes-256-gcm", secretsKey(appSecret), Buffer.from(secret.iv));
  decipher.setAAD(associatedData(scope));
  decipher.setAuthTag(Buffer.from(secret.authTag));
  return Buffer.concat([decipher.update(Buffer.from(secret.ciphertext)), decipher.final()]).toString("utf8");
}
