import { randomBytes } from "node:crypto";
import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { hashSecret } from "../credentials/secret-hash.ts";
import { deleteUnusedPasswordResets, insertPasswordReset } from "../store/password-resets.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { lockUser } from "../store/users.ts";
import { isUserId } from "../users/user-id.ts";

export const PasswordResetCreateInput = z
  .object({
    /** How long the link works: 24 hours unless asked, at most 7 days. */
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(86_400),
  })
  .strict();

export interface PasswordResetLink {
  id: string;
  userId: string;
  email: string;
  url: string;
  expiresAt: string;
}

/**
 * An admin issues a one-time link with which one user sets a new password (an account that
 * was compromised, a forgotten password). The link is bound to that user; its secret is shown
 * once and stored only as a SHA-256; it expires, and a newer link replaces an unused older one.
 */
export async function createPasswordReset(options: { actor: Actor | null; userId: string; input: unknown; baseUrl: string }): Promise<PasswordResetLink> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(PasswordResetCreateInput, options.input);
  if (!isUserId(options.userId)) throw new AppError("not_found", "User not found.");
  return inPrismaTransaction(async (tx) => {
    const user = await lockUser(tx, options.userId);
    if (!user) throw new AppError("not_found", "User not found.");
    await deleteUnusedPasswordResets(tx, user.id);
    const secret = randomBytes(24).toString("base64url");
    const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000);
    const reset = await insertPasswordReset(tx, { userId: user.id, tokenHash: hashSecret(secret), createdById: actor.userId, expiresAt });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: "user.password_reset.create",
      targetType: "user",
      targetId: user.id,
      data: { resetId: reset.id, expiresAt: expiresAt.toISOString() },
    });
    return {
      id: reset.id,
      userId: user.id,
      email: user.email,
      url: `${options.baseUrl.replace(/\/$/, "")}/reset-password/${secret}`,
      expiresAt: expiresAt.toISOString(),
    };
  });
}
