import { getPrisma, type Role } from "@arbiter/db";
import { db, type PrismaTx, type Tx } from "./transaction.ts";

/** API tokens: only a SHA-256 of the secret is ever stored. */

/** The columns a token view is made of (a Prisma `select`). */
export const tokenColumns = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

export async function insertApiToken(
  tx: PrismaTx,
  token: { userId: string; name: string; tokenHash: string; prefix: string; expiresAt: Date },
): Promise<{ id: string; name: string; expiresAt: Date }> {
  return tx.apiToken.create({ data: token, select: { id: true, name: true, expiresAt: true } });
}

export interface TokenHolder {
  id: string;
  /** Neither revoked nor expired at `now`. */
  usable: boolean;
  userId: string;
  email: string;
  role: Role;
  disabled: boolean;
}

/** The token with this hash and its user. One statement: every scripted request pays it. */
export async function findTokenHolder(tokenHash: string, now: Date): Promise<TokenHolder | null> {
  const [record] = await db().$queryRaw<TokenHolder[]>`
    SELECT t.id, (t.revoked_at IS NULL AND t.expires_at > ${now}) AS usable,
           u.id AS "userId", u.email, u.role, u.disabled
    FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ${tokenHash}`;
  return record ?? null;
}

export async function touchApiToken(tokenId: string, now: Date): Promise<void> {
  await db().$executeRaw`UPDATE api_tokens SET last_used_at = ${now} WHERE id = ${tokenId}::uuid`;
}

/** A user's tokens, newest first: live, expired and revoked. */
export async function listApiTokensOfUser(userId: string): Promise<TokenRow[]> {
  return getPrisma().apiToken.findMany({ where: { userId }, select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
}

/** Locks the token's row until the transaction ends; its owner, or null when there is no such token. */
export async function lockApiTokenOwner(tx: Tx, tokenId: string): Promise<string | null> {
  const [owner] = await tx.$queryRaw<Array<{ userId: string }>>`SELECT user_id AS "userId" FROM api_tokens WHERE id = ${tokenId}::uuid FOR UPDATE`;
  return owner?.userId ?? null;
}

export async function getApiToken(tx: PrismaTx, tokenId: string): Promise<TokenRow> {
  return tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: tokenColumns });
}

export async function markApiTokenRevoked(tx: PrismaTx, tokenId: string, now: Date): Promise<TokenRow> {
  return tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now }, select: tokenColumns });
}
