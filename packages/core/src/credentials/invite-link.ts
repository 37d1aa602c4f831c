import { randomBytes } from "node:crypto";
import type { Role } from "@arbiter/db";
import { insertInvite } from "../store/invites.ts";
import type { PrismaTx } from "../store/transaction.ts";
import { hashSecret } from "./secret-hash.ts";

/**
 * A new invite link in the caller's transaction: its secret is returned once (in the URL) and
 * stored only as a SHA-256. Here rather than in invites/ because creating a user without a
 * password mints one too (users/ → credentials/ ← invites/, no cycle).
 */
export async function createInviteRecord(
  tx: PrismaTx,
  input: { createdById: string; email?: string; role: Role; campaignId?: string; baseUrl: string; expiresInDays?: number },
) {
  const secret = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? 14) * 86_400_000);
  const invite = await insertInvite(tx, {
    tokenHash: hashSecret(secret),
    email: input.email,
    role: input.role,
    campaignId: input.campaignId,
    createdById: input.createdById,
    expiresAt,
  });
  return {
    id: invite.id,
    url: `${input.baseUrl.replace(/\/$/, "")}/invite/${secret}`,
    expiresAt: expiresAt.toISOString(),
    role: input.role,
    email: input.email ?? null,
    campaignId: input.campaignId ?? null,
  };
}
