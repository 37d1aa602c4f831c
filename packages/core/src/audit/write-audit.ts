import type { Prisma } from "@arbiter/db";

type AuditClient = { auditLog: { create(args: { data: Prisma.AuditLogUncheckedCreateInput }): Promise<unknown> } };

export async function writeAudit(db: AuditClient, entry: { actorId?: string | null; action: string; targetType: string; targetId?: string | null; campaignId?: string | null; data?: Prisma.InputJsonValue }): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      campaignId: entry.campaignId ?? null,
      data: entry.data,
    },
  });
}
