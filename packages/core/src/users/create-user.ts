import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Role } from "@arbiter/db";
import { hashPassword } from "@arbiter/auth";
import { requireRole, type Actor } from "../access/actor.ts";
import { AppError, parseInput } from "../errors.ts";
import { DisplayName } from "./display-name.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { createInviteRecord } from "../credentials/invite-link.ts";
import { campaignExists } from "../store/invites.ts";
import { inPrismaTransaction, type PrismaTx } from "../store/transaction.ts";
import { findUserByEmail, insertCampaignMember, insertCredentialAccount, insertUserRecord } from "../store/users.ts";

export const UserCreateInput = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    role: z.enum(["admin", "researcher", "annotator"]),
    password: z.string().min(8).max(200).optional(),
    name: DisplayName.optional(),
    campaignId: z.string().uuid().optional(),
  })
  .strict();

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** When created without a password: a link where the user sets one. */
  inviteUrl?: string;
}

export function toUserView(user: { id: string; email: string; name: string; role: Role; disabled: boolean; createdAt: Date }): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, disabled: user.disabled, createdAt: user.createdAt.toISOString() };
}

/** Creates a user with a credential account (better-auth's layout) inside a transaction the caller owns. */
export async function insertUser(tx: PrismaTx, input: { email: string; role: Role; name?: string; password?: string }) {
  const id = randomUUID();
  const user = await insertUserRecord(tx, { id, email: input.email, name: input.name ?? input.email.split("@")[0] ?? input.email, role: input.role });
  if (input.password) await insertCredentialAccount(tx, id, await hashPassword(input.password));
  return user;
}

export async function createUser(options: { actor: Actor | null; input: unknown; baseUrl: string }): Promise<UserView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(UserCreateInput, options.input);
  const existing = await findUserByEmail(input.email);
  if (existing)
    throw new AppError("conflict", `A user with email ${input.email} already exists.`, {
      details: [{ path: "email", message: "already taken", userId: existing.id }],
    });
  return inPrismaTransaction(async (tx) => {
    const user = await insertUser(tx, input);
    if (input.campaignId) {
      if (!(await campaignExists(tx, input.campaignId))) throw new AppError("not_found", "Campaign not found.");
      await insertCampaignMember(tx, input.campaignId, user.id);
    }
    let inviteUrl: string | undefined;
    if (!input.password) {
      const invite = await createInviteRecord(tx, {
        createdById: actor.userId,
        email: input.email,
        role: input.role,
        campaignId: input.campaignId,
        baseUrl: options.baseUrl,
      });
      inviteUrl = invite.url;
    }
    await writeAudit(tx, { actorId: actor.userId, action: "user.create", targetType: "user", targetId: user.id, data: { role: input.role } });
    return { ...toUserView(user), ...(inviteUrl ? { inviteUrl } : {}) };
  });
}
