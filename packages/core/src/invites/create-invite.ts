import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { createInviteRecord } from "../credentials/invite-link.ts";
import { campaignExists } from "../store/invites.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

// Where the package has always exported them (users/ creates invite links too, hence credentials/).
export { createInviteRecord } from "../credentials/invite-link.ts";
export { hashSecret } from "../credentials/secret-hash.ts";

export const InviteCreateInput = z
  .object({
    email: z.string().trim().toLowerCase().email().optional(),
    role: z.enum(["admin", "researcher", "annotator"]).default("annotator"),
    campaignId: z.string().uuid().optional(),
    expiresInDays: z.number().min(0.01).max(90).default(14),
  })
  .strict();

/** An invite link: single use, expires, optionally bound to an email and a campaign. */
export async function createInvite(options: { actor: Actor | null; input: unknown; baseUrl: string }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(InviteCreateInput, options.input);
  return inPrismaTransaction(async (tx) => {
    if (input.campaignId && !(await campaignExists(tx, input.campaignId))) throw new AppError("not_found", "Campaign not found.");
    const invite = await createInviteRecord(tx, {
      createdById: actor.userId,
      email: input.email,
      role: input.role,
      campaignId: input.campaignId,
      baseUrl: options.baseUrl,
      expiresInDays: input.expiresInDays,
    });
    await writeAudit(tx, { actorId: actor.userId, action: "invite.create", targetType: "invite", targetId: invite.id, campaignId: input.campaignId ?? null });
    return invite;
  });
}
