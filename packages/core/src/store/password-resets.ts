import { getPrisma } from "@arbiter/db";
import type { PrismaTx, Tx } from "./transaction.ts";

/** Password-reset links: bound to one user, stored as a SHA-256 of their secret. */

/** The link with this hash and its user's email, for the reset page. */
export async function findPasswordResetByTokenHash(tokenHash: string): Promise<{ usedAt: Date | null; expiresAt: Date; email: string } | null> {
  const reset = await getPrisma().passwordReset.findUnique({ where: { tokenHash }, include: { user: { select: { email: true } } } });
  return reset ? { usedAt: reset.usedAt, expiresAt: reset.expiresAt, email: reset.user.email } : null;
}

/** The link with this hash, its row locked until the transaction ends (two concurrent uses: one wins). */
export async function lockPasswordResetByTokenHash(
  tx: Tx,
  tokenHash: string,
): Promise<{ id: string; userId: string; usedAt: Date | null; expiresAt: Date } | null> {
  const [reset] = await tx.$queryRaw<Array<{ id: string; userId: string; usedAt: Date | null; expiresAt: Date }>>`
      SELECT id, user_id AS "userId", used_at AS "usedAt", expires_at AS "expiresAt" FROM password_resets WHERE token_hash = ${tokenHash} FOR UPDATE`;
  return reset ?? null;
}

export async function insertPasswordReset(
  tx: PrismaTx,
  reset: { userId: string; tokenHash: string; createdById: string; expiresAt: Date },
): Promise<{ id: string }> {
  return tx.passwordReset.create({ data: reset, select: { id: true } });
}

export async function markPasswordResetUsed(tx: PrismaTx, resetId: string, now: Date): Promise<void> {
  await tx.passwordReset.update({ where: { id: resetId }, data: { usedAt: now } });
}

/** A user's unused links: replaced by a newer one, or worthless once one was used. */
export async function deleteUnusedPasswordResets(tx: PrismaTx, userId: string): Promise<void> {
  await tx.passwordReset.deleteMany({ where: { userId, usedAt: null } });
}
