import { z } from "zod";
import { hashPassword } from "@arbiter/auth";
import { AppError, parseInput } from "../errors.ts";
import { DisplayName } from "../users/display-name.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { hashSecret } from "../credentials/secret-hash.ts";
import { ensureCampaignMember, findInviteByTokenHash, lockInviteByTokenHash, markInviteUsed } from "../store/invites.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { findCredentialAccount, findUserByEmail, insertCredentialAccount, renameUser, setCredentialPassword } from "../store/users.ts";
import { insertUser } from "../users/create-user.ts";

export const InviteAcceptInput = z
  .object({
    token: z.string().min(10).max(200),
    email: z.string().trim().toLowerCase().email().optional(),
    name: DisplayName.optional(),
    password: z.string().min(8).max(200),
  })
  .strict();

export async function describeInvite(token: string) {
  const invite = await findInviteByTokenHash(hashSecret(token));
  if (!invite || invite.usedAt || invite.expiresAt < new Date()) return null;
  return { email: invite.email, role: invite.role, campaignName: invite.campaignName };
}

/**
 * Uses an invite up: an invite bound to an email sets that account's password (the account an
 * admin created without one) or creates it; an unbound invite only ever creates a new account.
 * The invite's role is given to a new account only — it never changes an existing one's role.
 */
export async function acceptInvite(options: { input: unknown }) {
  const input = parseInput(InviteAcceptInput, options.input);
  return inPrismaTransaction(async (tx) => {
    const row = await lockInviteByTokenHash(tx, hashSecret(input.token));
    if (!row) throw new AppError("not_found", "This invite link is not valid.");
    if (row.usedAt) throw new AppError("gone", "This invite link was already used.");
    if (row.expiresAt < new Date()) throw new AppError("gone", "This invite link has expired.");
    const email = row.email ?? input.email;
    if (!email) throw new AppError("unprocessable", "Enter your email address.", { details: [{ path: "email", message: "required" }] });
    let user = await findUserByEmail(email, tx);
    if (user) {
      // Only an invite bound to this email may claim an existing account (one created by an
      // admin without a password, waiting for its own link). An unbound invite creates new
      // accounts only: otherwise anyone holding any invite could take over such an account.
      if (!row.email) throw new AppError("conflict", "An account with this email already exists; sign in instead.");
      const credential = await findCredentialAccount(tx, user.id);
      if (credential?.password) throw new AppError("conflict", "An account with this email already exists; sign in instead.");
      if (credential) await setCredentialPassword(tx, credential.id, await hashPassword(input.password));
      else await insertCredentialAccount(tx, user.id, await hashPassword(input.password));
      if (input.name) user = await renameUser(tx, user.id, input.name);
    } else {
      user = await insertUser(tx, { email, role: row.role, name: input.name, password: input.password });
    }
    if (row.campaignId) {
      await ensureCampaignMember(tx, row.campaignId, user.id);
    }
    await markInviteUsed(tx, row.id, user.id);
    await writeAudit(tx, { actorId: user.id, action: "invite.accept", targetType: "invite", targetId: row.id, campaignId: row.campaignId });
    return { userId: user.id, email: user.email, campaignId: row.campaignId };
  });
}
