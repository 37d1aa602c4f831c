import type { Prisma } from "@arbiter/db";
import { insertAuditEntry } from "../store/audit.ts";
import type { Tx } from "../store/transaction.ts";

/** One audit entry, in the caller's transaction (Prisma or raw: it is one INSERT either way). */
export async function writeAudit(
  tx: Tx,
  entry: { actorId?: string | null; action: string; targetType: string; targetId?: string | null; campaignId?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  await insertAuditEntry(tx, entry);
}
