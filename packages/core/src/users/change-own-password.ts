import { z } from "zod";
import { hashPassword, verifyPassword } from "@arbiter/auth";
import { requireActor, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { findPasswordHash, lockUser, revokeUserCredentials, setPasswordHash, type RevokedCredentials } from "../store/users.ts";

// Where the package has always exported it (password-resets/ uses it too).
export { setPasswordHash };

export const PasswordChangeInput = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: z.string().min(8).max(200),
  })
  .strict();

/**
 * Someone changes their own password, knowing the current one. Whoever else held their
 * credentials is out at once: every other session ends and every API token is revoked (the
 * one this request came with too; the session it came with stays signed in).
 */
export async function changeOwnPassword(options: { actor: Actor | null; input: unknown }): Promise<RevokedCredentials> {
  const actor = requireActor(options.actor);
  const input = parseInput(PasswordChangeInput, options.input);
  const oldHash = await findPasswordHash(actor.userId);
  if (!oldHash || !(await verifyPassword(oldHash, input.currentPassword))) {
    throw new AppError("forbidden", "The current password is not correct.", { details: [{ path: "currentPassword", message: "not correct" }] });
  }
  // Hashing takes a while (scrypt): done before the transaction, which then holds its locks briefly.
  const newHash = await hashPassword(input.newPassword);
  return inPrismaTransaction(async (tx) => {
    const user = await lockUser(tx, actor.userId);
    if (!user || user.disabled) throw new AppError("unauthorized", "Sign in or send a bearer token.");
    if (user.passwordHash !== oldHash) throw new AppError("conflict", "The password was changed meanwhile; sign in again with the new one.");
    await setPasswordHash(tx, user.id, newHash);
    const revoked = await revokeUserCredentials(tx, { userId: user.id, keepSessionId: actor.via === "session" ? actor.sessionId : undefined });
    await writeAudit(tx, { actorId: user.id, action: "user.password.change", targetType: "user", targetId: user.id, data: { ...revoked } });
    return revoked;
  });
}
