import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { getPrisma, type Prisma, type Role } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";

export const InviteCreateInput = z.object({
  email: z.string().trim().toLowerCase().email().optional(),
  role: z.enum(["admin", "researcher", "annotator"]).default("annotator"),
  campaignId: z.string().uuid().optional(),
  expiresInDays: z.number().min(0.01).max(90).default(14),
}).strict();

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export async function createInviteRecord(tx: Prisma.TransactionClient, input: { createdById: string; email?: string; role: Role; campaignId?: string; baseUrl: string; expiresInDays?: number }) {
  const secret = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? 14) * 86_400_000);
  const invite = await tx.invite.create({
    data: { tokenHash: hashSecret(secret), email: input.email, role: input.role, campaignId: input.campaignId, createdById: input.createdById, expiresAt },
  });
  return { id: invite.id, url: `${input.baseUrl.replace(/\/$/, "")}/invite/${secret}`, expiresAt: expiresAt.toISOString(), role: input.role, email: input.email ?? null, campaignId: input.campaignId ?? null };
}

/** An invite link: single use, expires, optionally bound to an email and a campaign. */
export async function createInvite(options: { actor: Actor | null; input: unknown; baseUrl: string }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(InviteCreateInput, options.input);
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    if (input.campaignId && !(await tx.campaign.findUnique({ where: { id: input.campaignId } }))) throw new AppError("not_found", "Campaign not found.");
    const invite = await createInviteRecord(tx, { createdById: actor.userId, email: input.email, role: input.role, campaignId: input.campaignId, baseUrl: options.baseUrl, expiresInDays: input.expiresInDays });
    await writeAudit(tx, { actorId: actor.userId, action: "invite.create", targetType: "invite", targetId: invite.id, campaignId: input.campaignId ?? null });
    return invite;
  });
}
