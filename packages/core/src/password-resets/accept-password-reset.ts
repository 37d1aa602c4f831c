import { z } from "zod";
import { hashPassword } from "@arbiter/auth";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { hashSecret } from "../credentials/secret-hash.ts";
import { deleteUnusedPasswordResets, findPasswordResetByTokenHash, lockPasswordResetByTokenHash, markPasswordResetUsed } from "../store/password-resets.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { lockUser, revokeUserCredentials, setPasswordHash } from "../store/users.ts";

/** The link's secret and the new password: no email, no user id — the link alone says whose password it sets. */
export const PasswordResetAcceptInput = z
  .object({
    token: z.string().min(10).max(200),
    password: z.string().min(8).max(200),
  })
  .strict();

/** One answer for a link that never existed, was used or has expired: a stranger learns nothing from it. */
const invalidLink = () =>
  new AppError("not_found", "This reset link is not valid: it was already used, has expired, or never existed. Ask your admin for a new one.");

/** For the reset page: whose password a live link sets, or null for any link that cannot be used. */
export async function describePasswordReset(token: string): Promise<{ email: string } | null> {
  if (token.length < 10 || token.length > 200) return null;
  const reset = await findPasswordResetByTokenHash(hashSecret(token));
  if (!reset || reset.usedAt || reset.expiresAt <= new Date()) return null;
  return { email: reset.email };
}

/**
 * Uses a reset link up: sets its user's password, ends all their sessions and revokes all their
 * tokens (whoever had the old password is out), and makes the link and any other unused link
 * of theirs worthless. Single use under a row lock: two concurrent uses, one wins.
 */
export async function acceptPasswordReset(options: { input: unknown }): Promise<{ email: string }> {
  const input = parseInput(PasswordResetAcceptInput, options.input);
  if (!(await describePasswordReset(input.token))) throw invalidLink();
  const passwordHash = await hashPassword(input.password);
  return inPrismaTransaction(async (tx) => {
    const reset = await lockPasswordResetByTokenHash(tx, hashSecret(input.token));
    const now = new Date();
    if (!reset || reset.usedAt || reset.expiresAt <= now) throw invalidLink();
    const user = await lockUser(tx, reset.userId);
    if (!user) throw invalidLink();
    await setPasswordHash(tx, user.id, passwordHash);
    await markPasswordResetUsed(tx, reset.id, now);
    await deleteUnusedPasswordResets(tx, user.id);
    const revoked = await revokeUserCredentials(tx, { userId: user.id, now });
    await writeAudit(tx, {
      actorId: user.id,
      action: "user.password_reset.accept",
      targetType: "user",
      targetId: user.id,
      data: { resetId: reset.id, ...revoked },
    });
    return { email: user.email };
  });
}
