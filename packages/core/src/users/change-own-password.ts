import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getPrisma, type Prisma } from "@arbiter/db";
import { hashPassword, verifyPassword } from "@arbiter/auth";
import { requireActor, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { lockUser } from "./lock-user.ts";
import { revokeUserCredentials, type RevokedCredentials } from "./revoke-user-credentials.ts";

export const PasswordChangeInput = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(8).max(200),
}).strict();

/**
 * Someone changes their own password, knowing the current one. Whoever else held their
 * credentials is out at once: every other session ends and every API token is revoked (the
 * one this request came with too; the session it came with stays signed in).
 */
export async function changeOwnPassword(options: { actor: Actor | null; input: unknown }): Promise<RevokedCredentials> {
  const actor = requireActor(options.actor);
  const input = parseInput(PasswordChangeInput, options.input);
  const prisma = getPrisma();
  const credential = await prisma.account.findFirst({ where: { userId: actor.userId, providerId: "credential" } });
  const oldHash = credential?.password;
  if (!oldHash || !(await verifyPassword(oldHash, input.currentPassword))) {
    throw new AppError("forbidden", "The current password is not correct.", { details: [{ path: "currentPassword", message: "not correct" }] });
  }
  // Hashing takes a while (scrypt): done before the transaction, which then holds its locks briefly.
  const newHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    const user = await lockUser(tx, actor.userId);
    if (!user || user.disabled) throw new AppError("unauthorized", "Sign in or send a bearer token.");
    if (user.passwordHash !== oldHash) throw new AppError("conflict", "The password was changed meanwhile; sign in again with the new one.");
    await setPasswordHash(tx, user.id, newHash);
    const revoked = await revokeUserCredentials(tx, { userId: user.id, keepSessionId: actor.via === "session" ? actor.sessionId : undefined });
    await writeAudit(tx, { actorId: user.id, action: "user.password.change", targetType: "user", targetId: user.id, data: { ...revoked } });
    return revoked;
  });
}

/** Sets (or first creates) the credential account's password hash, in better-auth's layout. */
export async function setPasswordHash(tx: Prisma.TransactionClient, userId: string, passwordHash: string): Promise<void> {
  const updated = await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: passwordHash } });
  if (updated.count === 0) await tx.account.create({ data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash } });
}
