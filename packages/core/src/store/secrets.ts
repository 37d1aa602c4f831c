import { getPrisma, type Prisma } from "@arbiter/db";
import type { PrismaTx } from "./transaction.ts";

/** Campaign and global secrets (encrypted values; the cipher lives in secrets/). */

/** Inside a transaction or on the shared client. */
export type SecretDb = PrismaTx | ReturnType<typeof getPrisma>;

export interface SecretRow {
  id: string;
  campaignId: string | null;
  name: string;
  origin: string | null;
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
}

export interface EncryptedValue {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
}

export interface StoredSecret {
  id: string;
  campaignId: string | null;
  name: string;
  origin: string | null;
  createdAt: Date;
}

/** The campaign's own secret of that name, else a global one. */
export async function findSecret(db: SecretDb, options: { campaignId: string; name: string }): Promise<SecretRow | null> {
  const rows = await db.secret.findMany({ where: { name: options.name, OR: [{ campaignId: options.campaignId }, { campaignId: null }] } });
  return rows.find((r) => r.campaignId === options.campaignId) ?? rows[0] ?? null;
}

/** findSecret on the shared client. */
export async function findSecretOutsideTransaction(options: { campaignId: string; name: string }): Promise<SecretRow | null> {
  return findSecret(getPrisma(), options);
}

/** Names, bound origins and dates of a campaign's secrets, by name; never their values. */
export async function listSecretNames(campaignId: string): Promise<Array<{ name: string; origin: string | null; createdAt: Date }>> {
  return getPrisma().secret.findMany({ where: { campaignId }, select: { name: true, origin: true, createdAt: true }, orderBy: { name: "asc" } });
}

/** The id of the campaign's secret of that name, or null. */
export async function findCampaignSecretId(tx: PrismaTx, campaignId: string, name: string): Promise<string | null> {
  const existing = await tx.secret.findUnique({ where: { campaignId_name: { campaignId, name } }, select: { id: true } });
  return existing?.id ?? null;
}

/** Replaces a secret's value and origin; its date becomes now. */
export async function replaceSecret(tx: PrismaTx, id: string, value: EncryptedValue & { origin: string | null }): Promise<StoredSecret> {
  return tx.secret.update({ where: { id }, data: { ...value, createdAt: new Date() } satisfies Prisma.SecretUpdateInput, select: storedSecret });
}

export async function insertSecret(tx: PrismaTx, secret: EncryptedValue & { campaignId: string; name: string; origin: string | null }): Promise<StoredSecret> {
  return tx.secret.create({ data: secret, select: storedSecret });
}

const storedSecret = { id: true, campaignId: true, name: true, origin: true, createdAt: true } as const;

/** Deletes the campaign's secret of that name; false when there was none. */
export async function deleteCampaignSecretRow(tx: PrismaTx, campaignId: string, name: string): Promise<boolean> {
  const deleted = await tx.secret.deleteMany({ where: { campaignId, name } });
  return deleted.count > 0;
}

/**
 * Binds an unbound secret to `origin`, only if it is still unbound (a concurrent first use may
 * have bound it already); true when this call bound it.
 */
export async function claimSecretOrigin(db: SecretDb, id: string, origin: string): Promise<boolean> {
  const claimed = await db.$executeRaw`UPDATE secrets SET origin = ${origin} WHERE id = ${id}::uuid AND origin IS NULL`;
  return claimed > 0;
}

/** The origin a secret is bound to now (null: unbound or gone). */
export async function findSecretOrigin(db: SecretDb, id: string): Promise<string | null> {
  return (await db.secret.findUnique({ where: { id }, select: { origin: true } }))?.origin ?? null;
}
