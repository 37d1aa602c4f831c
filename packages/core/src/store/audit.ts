import type { Prisma } from "@arbiter/db";
import type { Tx } from "./transaction.ts";

/** One audit entry, in the caller's transaction (Prisma or raw: it is one INSERT either way). */
export async function insertAuditEntry(
  tx: Tx,
  entry: { actorId?: string | null; action: string; targetType: string; targetId?: string | null; campaignId?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  const data = entry.data === undefined ? null : JSON.stringify(entry.data);
  await tx.$executeRaw`
    INSERT INTO audit_log (actor_id, action, target_type, target_id, campaign_id, data)
    VALUES (${entry.actorId ?? null}, ${entry.action}, ${entry.targetType}, ${entry.targetId ?? null}, ${entry.campaignId ?? null}::uuid, ${data}::jsonb)`;
}
